"""The second approver (issue 4, item 8): orders from another unit's list and lists placed in
bulk take effect only when a second HQ person, not the one who placed them and from another
unit, approves; they may refuse a list instead, which cancels its orders."""

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.quarantine.models import OrderBatch, OrderEvent, QuarantineOrder
from fangxian.quarantine.orders import (
    Event,
    Status,
    audit_order,
    order_event,
    require,
    required_text,
    start_if_due,
)
from fangxian.regions.models import Region


def _check_second_approver(actor: Any, placed_by: Any, region: Region) -> None:
    """The approver holds `approve_quarantine` over the region, is not the one who placed the
    order, and (when both units are known) works in another unit."""
    require(actor, Capability.APPROVE_QUARANTINE, region)
    if actor.pk == placed_by.pk:
        raise ValidationError(_("A second person must approve: not the one who placed it."))
    if actor.unit.strip() and actor.unit.strip() == placed_by.unit.strip():
        raise ValidationError(_("The approver must come from another unit."))


@transaction.atomic
def order_approve(
    *, actor: Any, order: QuarantineOrder, note: str, now: datetime | None = None
) -> QuarantineOrder:
    """Second approval of a single order from another unit's list; it starts if its day has
    come. For orders of a batch use `order_batch_approve`."""
    now = now or timezone.now()
    order = QuarantineOrder.objects.select_for_update().select_related("placed_by").get(pk=order.pk)
    if order.batch_id:
        raise ValidationError(_("This order belongs to a list: approve the list."))
    if not (order.status == Status.PENDING and order.needs_approval and not order.approved_at):
        raise ValidationError(_("This order is not waiting for approval."))
    _check_second_approver(actor, order.placed_by, order.region)
    note = required_text(note, "note", _("Say on what you approve it."))
    order.approved_by, order.approved_at = actor, now
    start_if_due(order, timezone.localdate(now), now)
    order.save(update_fields=["approved_by", "approved_at", "status", "activated_at"])
    order_event(order, Event.APPROVED, Status.PENDING, actor, now, note).save()
    audit_order(actor, order, Action.UPDATE, approved=True, status=order.status)
    return order


@transaction.atomic
def order_batch_approve(
    *, actor: Any, batch: OrderBatch, note: str, now: datetime | None = None
) -> OrderBatch:
    """Approve a list placed in bulk: its pending orders are approved (and start, if their day
    has come) with one UPDATE, an event each and one audit entry. Orders cancelled meanwhile
    stay cancelled."""
    now = now or timezone.now()
    batch = (
        OrderBatch.objects.select_for_update()
        .select_related("placed_by", "region")
        .get(pk=batch.pk)
    )
    if batch.status != OrderBatch.Status.PENDING:
        raise ValidationError(_("This list has already been decided."))
    _check_second_approver(actor, batch.placed_by, batch.region)
    note = required_text(note, "note", _("Say on what you approve it."))
    pending = QuarantineOrder.objects.filter(batch=batch, status=Status.PENDING)
    orders = list(pending)
    starts = {"activated_at": now, "status": Status.ACTIVE}
    started = timezone.localdate(now) >= orders[0].starts_on if orders else False
    pending.update(approved_by=actor, approved_at=now, **(starts if started else {}))
    for order in orders:
        order.status = Status.ACTIVE if started else Status.PENDING
    OrderEvent.objects.bulk_create(
        [
            order_event(o, Event.APPROVED, Status.PENDING, actor, now, note, batch=batch.pk)
            for o in orders
        ]
    )
    batch.status, batch.decided_by, batch.decided_at = OrderBatch.Status.APPROVED, actor, now
    batch.decision_note = note[:200]
    batch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=Action.UPDATE, obj=batch, detail={"approved": len(orders)})
    return batch


@transaction.atomic
def order_batch_reject(
    *, actor: Any, batch: OrderBatch, note: str, now: datetime | None = None
) -> OrderBatch:
    """Refuse a list placed in bulk: its pending orders are cancelled, with the reason."""
    now = now or timezone.now()
    batch = (
        OrderBatch.objects.select_for_update()
        .select_related("placed_by", "region")
        .get(pk=batch.pk)
    )
    if batch.status != OrderBatch.Status.PENDING:
        raise ValidationError(_("This list has already been decided."))
    _check_second_approver(actor, batch.placed_by, batch.region)
    note = required_text(note, "note", _("Say why the list is refused."))
    pending = QuarantineOrder.objects.filter(batch=batch, status=Status.PENDING)
    orders = list(pending)
    pending.update(status=Status.CANCELLED, ended_at=now)
    for order in orders:
        order.status = Status.CANCELLED
    OrderEvent.objects.bulk_create(
        [
            order_event(o, Event.CANCELLED, Status.PENDING, actor, now, note, batch=batch.pk)
            for o in orders
        ]
    )
    batch.status, batch.decided_by, batch.decided_at = OrderBatch.Status.REJECTED, actor, now
    batch.decision_note = note[:200]
    batch.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=Action.UPDATE, obj=batch, detail={"rejected": len(orders)})
    return batch
