"""Writes for the registry (企业台账), enterprise accounts and the township's reporting rules.
Each service owns its transaction, checks the actor's scope, validates and writes the audit."""

import secrets
import string
from datetime import time
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangxian.accounts.models import User
from fangxian.accounts.roles import Capability, EnterpriseRole
from fangxian.audit.services import Action, audit_record
from fangxian.enterprises import uscc
from fangxian.enterprises.models import Enterprise, EnterpriseMembership, ReportingRules
from fangxian.people import idnumber
from fangxian.regions.models import Region

MANAGE = Capability.MANAGE_ENTERPRISES
ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "address",
    "industry",
    "workers_count",
    "contact_name",
    "contact_phone",
    "prevention_lead_name",
    "prevention_lead_phone",
    "supervisor",
)
DEFAULT_DEADLINE = time(16, 0)  # the county's usual deadline for the day's figures


def enterprise_fields_normalized(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as stored: USCC and phones normalised, texts trimmed (also used by the
    registry import, imports.enterprise_rows)."""
    out = dict(fields)
    if "uscc" in out:
        out["uscc"] = uscc.normalize(out["uscc"])
    for name in ("contact_phone", "prevention_lead_phone"):
        if name in out:
            out[name] = idnumber.normalize(out[name])
    for name in ("name", "address", "contact_name", "prevention_lead_name"):
        if name in out:
            out[name] = out[name].strip()
    return out


def enterprise_rules_check(enterprise: Enterprise) -> None:
    """What full_clean cannot know: a village or community, a supervisor of that village, a USCC
    not registered yet. Raises ValidationError naming the field."""
    if enterprise.region.level != Region.Level.VILLAGE:
        raise ValidationError({"region": _("An enterprise belongs to a village or community.")})
    supervisor = enterprise.supervisor
    if supervisor is not None and not supervisor.can_at(
        Capability.SUPERVISE_ENTERPRISES, enterprise.region
    ):
        raise ValidationError(
            {"supervisor": _("This user is not an on-site supervisor for this village.")}
        )
    others = Enterprise.objects.filter(uscc=enterprise.uscc).exclude(pk=enterprise.pk)
    if enterprise.uscc and others.exists():
        raise ValidationError(
            {"uscc": _("An enterprise with this unified social credit code is registered.")}
        )


@transaction.atomic
def enterprise_create(*, actor: User, region: Region, **fields: Any) -> Enterprise:
    """Register an enterprise in a village or community the actor manages. Audited."""
    if not actor.can_at(MANAGE, region):
        raise PermissionDenied
    enterprise = Enterprise(region=region, created_by=actor, **enterprise_fields_normalized(fields))
    enterprise_rules_check(enterprise)
    enterprise.full_clean()
    enterprise.save()
    audit_record(actor=actor, action=Action.CREATE, obj=enterprise)
    return enterprise


@transaction.atomic
def enterprise_update(*, actor: User, enterprise: Enterprise, **fields: Any) -> Enterprise:
    """Change an enterprise's record; the audit entry names the changed fields (phones
    masked by leaving their values out)."""
    if not actor.can_at(MANAGE, enterprise.region):
        raise PermissionDenied
    fields = enterprise_fields_normalized(fields)
    changed = [name for name, value in fields.items() if getattr(enterprise, name) != value]
    if not changed:
        return enterprise
    for name in changed:
        setattr(enterprise, name, fields[name])
    enterprise_rules_check(enterprise)
    enterprise.full_clean()
    enterprise.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor, action=Action.UPDATE, obj=enterprise, changes={"fields": sorted(changed)}
    )
    return enterprise


def password_generate(length: int = 12) -> str:
    """A random password with letters and digits (the policy wants two kinds)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "lIO0o1")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(length))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


@transaction.atomic
def enterprise_account_create(
    *,
    actor: User,
    enterprise: Enterprise,
    username: str,
    full_name: str,
    phone: str = "",
    password: str = "",
) -> tuple[User, str]:
    """Create the login of an enterprise's contact: a user whose only role is over this
    enterprise (EnterpriseMembership), with the enterprise's village as home region so that the
    township's user pages reach it. Without a password one is generated and returned, to be
    shown once. Audited (the account and the membership)."""
    if not actor.can_at(MANAGE, enterprise.region):
        raise PermissionDenied
    generated = "" if password else password_generate()
    user = User(
        username=username.strip(),
        full_name=full_name.strip(),
        phone=idnumber.normalize(phone),
        unit=enterprise.name[:100],
        home_region=enterprise.region,
    )
    if User.objects.filter(username__iexact=user.username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    validate_password(password or generated, user)
    user.set_password(password or generated)
    user.full_clean()
    user.save()
    membership = EnterpriseMembership.objects.create(
        user=user,
        enterprise=enterprise,
        role=EnterpriseRole.ENTERPRISE_CONTACT,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=user,
        region=enterprise.region,
        detail={"username": user.username, "enterprise": enterprise.pk},
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=membership,
        region=enterprise.region,
        detail={"user": user.username, "role": membership.role},
    )
    return user, generated


@transaction.atomic
def reporting_rules_set(*, actor: User, township: Region, deadline: time) -> ReportingRules:
    """Set a township's daily deadline (HQ: manage_enterprises over the whole township)."""
    if township.level != Region.Level.TOWNSHIP or not actor.can_at(MANAGE, township):
        raise PermissionDenied
    rules, _created = ReportingRules.objects.update_or_create(
        region=township, defaults={"deadline": deadline, "updated_by": actor}
    )
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=rules,
        region=township,
        changes={"deadline": [str(deadline)]},
    )
    return rules


def deadline_for(region: Region) -> time:
    """The daily deadline of the township above `region` (16:00 unless its HQ set another)."""
    township_path = region.path[: Region.PATH_LENGTH[Region.Level.TOWNSHIP]]
    found = ReportingRules.objects.filter(region__path=township_path).values_list(
        "deadline", flat=True
    )
    return next(iter(found), DEFAULT_DEADLINE)
