"""Writes for appeals against orders (申诉) and the supervision role's bulk-change alerts: the
checks on power that issue 4, item 8 asks for."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.quarantine.models import Appeal, QuarantineOrder, SupervisionAlert
from fangxian.quarantine.orders import require, required_text


@transaction.atomic
def appeal_lodge(
    *, actor: Any, order: QuarantineOrder, text: str, now: datetime | None = None
) -> Appeal:
    """Record the person's appeal against an order (taken down by any member of staff who can
    see the order); it stays on record whatever the decision."""
    now = now or timezone.now()
    require(actor, Capability.VIEW_QUARANTINE, order.region)
    appeal = Appeal(
        order=order,
        region_id=order.region_id,
        text=required_text(text, "text", _("Write down what the person says.")),
        lodged_at=now,
        recorded_by=actor,
    )
    appeal.full_clean()
    appeal.save()
    audit_record(actor=actor, action=Action.CREATE, obj=appeal, person_id=order.person_id)
    return appeal


@transaction.atomic
def appeal_decide(
    *, actor: Any, appeal: Appeal, upheld: bool, decision: str, now: datetime | None = None
) -> Appeal:
    """Decide an appeal: HQ (`approve_quarantine`), never the one who placed the order. An upheld
    appeal is followed by `order_cancel` or `order_change_period`, each on record."""
    now = now or timezone.now()
    appeal = (
        Appeal.objects.select_for_update()
        .select_related("order__placed_by", "region")
        .get(pk=appeal.pk)
    )
    require(actor, Capability.APPROVE_QUARANTINE, appeal.region)
    if actor.pk == appeal.order.placed_by_id:
        raise ValidationError(_("The one who placed the order cannot decide the appeal."))
    if appeal.status != Appeal.Status.OPEN:
        raise ValidationError(_("This appeal has already been decided."))
    appeal.decision = required_text(decision, "decision", _("Write down the decision and why."))
    appeal.status = Appeal.Status.UPHELD if upheld else Appeal.Status.DISMISSED
    appeal.decided_by, appeal.decided_at = actor, now
    appeal.save(update_fields=["decision", "status", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=appeal,
        person_id=appeal.order.person_id,
        detail={"status": appeal.status},
    )
    return appeal


@transaction.atomic
def supervision_alert_mark_seen(
    *, actor: Any, alert: SupervisionAlert, now: datetime | None = None
) -> SupervisionAlert:
    """The supervision role acknowledges a bulk-change alert (it stays on record)."""
    alert = SupervisionAlert.objects.select_for_update().select_related("region").get(pk=alert.pk)
    require(actor, Capability.SUPERVISE_QUARANTINE, alert.region)
    if alert.seen_at is None:
        alert.seen_by, alert.seen_at = actor, now or timezone.now()
        alert.save(update_fields=["seen_by", "seen_at"])
        audit_record(actor=actor, action=Action.UPDATE, obj=alert, detail={"seen": True})
    return alert
