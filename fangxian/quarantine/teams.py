"""Writes for order teams (四包一 / 结对包保): each order's township cadre, village cadre, doctor
and police officer by default (the places are `TeamRole` rows HQ edits)."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.models import RoleAssignment
from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.quarantine.models import QuarantineOrder, TeamMember, TeamRole
from fangxian.quarantine.orders import OPEN, locked_order, require
from fangxian.regions.models import Region


def _holds_role(user: Any, role: str, region: Region) -> bool:
    """Whether `user` holds `role` over `region` (one query)."""
    if user.is_superuser:
        return True
    paths = RoleAssignment.objects.filter(user=user, role=role).values_list(
        "region__path", flat=True
    )
    return any(region.path.startswith(path) for path in paths)


@transaction.atomic
def team_member_assign(
    *,
    actor: Any,
    order: QuarantineOrder,
    team_role: TeamRole,
    user: Any,
    now: datetime | None = None,
) -> TeamMember:
    """Name the person for one place of an order's team; whoever held it is replaced (kept on
    record with an end time). The member must be able to record checks over the order's region
    and, when the team role says so, hold its account role there (a doctor is a medic)."""
    now = now or timezone.now()
    order = locked_order(order)
    require(actor, Capability.MANAGE_QUARANTINE, order.region)
    if order.status not in OPEN:
        raise ValidationError(_("This order has ended."))
    if not user.can_at(Capability.RECORD_HEALTH_CHECKS, order.region):
        raise ValidationError(_("%(user)s does not work in this person's area.") % {"user": user})
    if team_role.account_role and not _holds_role(user, team_role.account_role, order.region):
        raise ValidationError(
            _("%(user)s cannot serve as %(role)s here.") % {"user": user, "role": team_role}
        )
    current = TeamMember.objects.filter(order=order, team_role=team_role, ended_at__isnull=True)
    replaced = list(current.values_list("user_id", flat=True))
    current.update(ended_at=now)
    member = TeamMember(
        order=order,
        region_id=order.region_id,
        team_role=team_role,
        user=user,
        assigned_by=actor,
        assigned_at=now,
    )
    member.full_clean(validate_constraints=False)
    member.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=member,
        person_id=order.person_id,
        detail={"order": order.pk, "team_role": team_role.name, "replaced": replaced},
    )
    return member


@transaction.atomic
def team_member_end(*, actor: Any, member: TeamMember, now: datetime | None = None) -> TeamMember:
    """Take a member off an order's team (kept on record with an end time)."""
    now = now or timezone.now()
    member = (
        TeamMember.objects.select_for_update().select_related("order", "region").get(pk=member.pk)
    )
    require(actor, Capability.MANAGE_QUARANTINE, member.region)
    if member.ended_at:
        raise ValidationError(_("This member has already left the team."))
    member.ended_at = now
    member.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=member,
        person_id=member.order.person_id,
        detail={"ended": True},
    )
    return member
