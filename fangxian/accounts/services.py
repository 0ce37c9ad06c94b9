"""Writes for users and their roles. Every change is recorded in the audit trail."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Capability, Role
from fangxian.accounts.selectors import user_is_manageable
from fangxian.audit.selectors import login_failures_since
from fangxian.audit.services import Action, audit_record
from fangxian.regions.models import Region


def login_is_throttled(*, username: str, ip_address: str | None) -> bool:
    """Too many recent failures for this account, or for this address (offices share one)."""
    window = timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    counts = login_failures_since(
        username=username, ip_address=ip_address, since=timezone.now() - window
    )
    limit = settings.LOGIN_FAILURE_LIMIT
    return counts["username"] >= limit or counts["ip"] >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS


@transaction.atomic
def user_create(
    *,
    actor: User,
    username: str,
    password: str,
    full_name: str,
    role: str,
    region: Region,
    working_group: str = "",
    phone: str = "",
    unit: str = "",
    is_party_member: bool = False,
) -> User:
    """Create an account with its first role; that role's region becomes its home region.
    The password must satisfy the password policy. All or nothing."""
    if not actor.can_at(Capability.MANAGE_USERS, region):
        raise PermissionDenied
    user = User(
        username=username,
        full_name=full_name,
        phone=phone,
        unit=unit,
        is_party_member=is_party_member,
        home_region=region,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_record(
        actor=actor, action=Action.CREATE, obj=user, region=region, detail={"username": username}
    )
    role_assign(actor=actor, user=user, role=role, region=region, working_group=working_group)
    return user


def _check_manageable(actor: User, user: User) -> None:
    if not user_is_manageable(actor=actor, user=user):
        raise PermissionDenied


@transaction.atomic
def user_update(*, actor: User, user: User, **fields) -> User:
    """Change an account's details (name, phone, unit, party member, active)."""
    _check_manageable(actor, user)
    changed = [name for name, value in fields.items() if getattr(user, name) != value]
    for name in changed:
        setattr(user, name, fields[name])
    if changed:
        user.full_clean()
        user.save(update_fields=changed)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=user,
            region=user.home_region,
            changes={"fields": changed},
        )
    return user


@transaction.atomic
def user_set_password(*, actor: User, user: User, password: str) -> None:
    _check_manageable(actor, user)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=user,
        region=user.home_region,
        changes={"fields": ["password"]},
    )


@transaction.atomic
def role_assign(
    *, actor: User, user: User, role: str, region: Region, working_group: str = ""
) -> RoleAssignment:
    """Give `user` a role over `region`. The actor must manage users at that region."""
    if not actor.can_at(Capability.MANAGE_USERS, region):
        raise PermissionDenied
    if role != Role.HQ and working_group:
        raise ValidationError(_("Only HQ roles belong to a working group."))
    if RoleAssignment.objects.filter(user=user, role=role, region=region).exists():
        raise ValidationError(_("This user already holds this role in this region."))
    assignment = RoleAssignment(user=user, role=role, region=region, working_group=working_group)
    assignment.full_clean()
    assignment.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=assignment,
        region=region,
        detail={"user": user.username, "role": role, "working_group": working_group},
    )
    return assignment


@transaction.atomic
def role_revoke(*, actor: User, assignment: RoleAssignment) -> None:
    if not actor.can_at(Capability.MANAGE_USERS, assignment.region):
        raise PermissionDenied
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=assignment,
        region=assignment.region,
        detail={"user": assignment.user.username, "role": assignment.role},
    )
    assignment.delete()
