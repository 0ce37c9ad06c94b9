"""Writes for errands (代购) and care work (关爱服务) for households in quarantine, and for the
centralised sites (集中隔离点) and their rooms.

"隔离群众所需的米、面条、油、盐、打火机、菜刀等生活细小物资一一配送到位": an errand is recorded with its
items and quantities, assigned to someone who runs errands, bought, delivered and paid, each
step with its time; care work (livestock, water and power, emotional support) is recorded too.
"""

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.quarantine.models import CareRecord, Errand, ErrandItem, QuarantineOrder, Room, Site
from fangxian.quarantine.orders import require
from fangxian.regions.models import Region

ErrandStatus = Errand.Status
# Each step and the time field it stamps.
ERRAND_STEPS = {
    ErrandStatus.REQUESTED: (ErrandStatus.ASSIGNED, "assigned_at"),
    ErrandStatus.ASSIGNED: (ErrandStatus.BOUGHT, "bought_at"),
    ErrandStatus.BOUGHT: (ErrandStatus.DELIVERED, "delivered_at"),
    ErrandStatus.DELIVERED: (ErrandStatus.PAID, "paid_at"),
}


def _order(order: QuarantineOrder) -> QuarantineOrder:
    return QuarantineOrder.objects.select_related("region").get(pk=order.pk)


def _items(items: list[dict[str, Any]]) -> list[ErrandItem]:
    rows = []
    for item in items:
        name = (item.get("name") or "").strip()
        if not name:
            raise ValidationError(_("Name each item."))
        try:
            quantity = Decimal(str(item.get("quantity", "1")))
        except InvalidOperation as error:
            raise ValidationError(_("%(item)s: enter a quantity.") % {"item": name}) from error
        if quantity <= 0:
            raise ValidationError(_("%(item)s: enter a quantity.") % {"item": name})
        rows.append(ErrandItem(name=name, quantity=quantity, unit=(item.get("unit") or "").strip()))
    return rows


@transaction.atomic
def errand_request(
    *,
    actor: Any,
    order: QuarantineOrder,
    items: list[dict[str, Any]],
    note: str = "",
    now: datetime | None = None,
) -> Errand:
    """Record what an isolated household asks for: items as dicts with name, quantity, unit
    (大米, 10, 斤). Needs `handle_errands` over the order's region; the order must be open."""
    now = now or timezone.now()
    order = _order(order)
    require(actor, Capability.HANDLE_ERRANDS, order.region)
    if not order.is_open:
        raise ValidationError(_("This order has ended."))
    rows = _items(items)
    if not rows:
        raise ValidationError(_("List at least one item."))
    errand = Errand(
        order=order,
        region_id=order.region_id,
        note=(note or "").strip(),
        requested_at=now,
        recorded_by=actor,
    )
    errand.full_clean()
    errand.save()
    for row in rows:
        row.errand = errand
    ErrandItem.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=errand,
        person_id=order.person_id,
        detail={"items": [f"{r.name} {r.quantity}{r.unit}" for r in rows]},
    )
    return errand


@transaction.atomic
def errand_advance(
    *,
    actor: Any,
    errand: Errand,
    to_status: str,
    assignee: Any = None,
    amount: Decimal | None = None,
    now: datetime | None = None,
) -> Errand:
    """Move an errand one step: assigned (to `assignee`, who must run errands there) → bought
    → delivered → paid (with the `amount`). Steps cannot be skipped or repeated."""
    now = now or timezone.now()
    errand = Errand.objects.select_for_update().select_related("region", "order").get(pk=errand.pk)
    require(actor, Capability.HANDLE_ERRANDS, errand.region)
    step = ERRAND_STEPS.get(errand.status)
    if step is None or step[0] != to_status:
        raise ValidationError(
            _("An errand that is %(status)s cannot become %(to)s.")
            % {"status": errand.get_status_display(), "to": ErrandStatus(to_status).label}
        )
    fields = ["status", step[1]]
    if to_status == ErrandStatus.ASSIGNED:
        if assignee is None or not assignee.can_at(Capability.HANDLE_ERRANDS, errand.region):
            raise ValidationError({"assignee": _("Choose someone who runs errands here.")})
        errand.assigned_to = assignee
        fields.append("assigned_to")
    if to_status == ErrandStatus.PAID:
        if amount is None or Decimal(amount) < 0:
            raise ValidationError({"amount": _("Enter the amount paid.")})
        errand.amount = Decimal(amount)
        fields.append("amount")
    errand.status = to_status
    setattr(errand, step[1], now)
    errand.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=errand,
        person_id=errand.order.person_id,
        detail={"status": to_status},
    )
    return errand


@transaction.atomic
def care_record(
    *, actor: Any, order: QuarantineOrder, kind: str, note: str = "", now: datetime | None = None
) -> CareRecord:
    """Record care work done for an isolated household (kind: CareRecord.Kind)."""
    now = now or timezone.now()
    order = _order(order)
    require(actor, Capability.HANDLE_ERRANDS, order.region)
    if not order.is_open:
        raise ValidationError(_("This order has ended."))
    record = CareRecord(
        order=order,
        region_id=order.region_id,
        kind=kind,
        note=(note or "").strip(),
        done_at=now,
        recorded_by=actor,
    )
    record.full_clean()
    record.save()
    audit_record(actor=actor, action=Action.CREATE, obj=record, person_id=order.person_id)
    return record


# --- sites and rooms (集中隔离点) --------------------------------------------------------------


@transaction.atomic
def site_create(
    *,
    actor: Any,
    region: Region,
    name: str,
    address: str = "",
    rooms: list[str] = (),
    beds: int = 1,
) -> Site:
    """Open a centralised site under a region, with rooms (numbers) of `beds` beds each."""
    require(actor, Capability.MANAGE_QUARANTINE, region)
    site = Site(region=region, name=(name or "").strip(), address=(address or "").strip())
    site.full_clean()
    site.save()
    audit_record(actor=actor, action=Action.CREATE, obj=site)
    if rooms:
        rooms_add(actor=actor, site=site, numbers=list(rooms), beds=beds)
    return site


@transaction.atomic
def rooms_add(*, actor: Any, site: Site, numbers: list[str], beds: int = 1) -> list[Room]:
    """Add rooms to a site (one INSERT); a number already there is refused."""
    require(actor, Capability.MANAGE_QUARANTINE, site.region)
    numbers = [n.strip() for n in numbers if n and n.strip()]
    if beds < 1:
        raise ValidationError({"beds": _("A room has at least one bed.")})
    if len(set(numbers)) != len(numbers):
        raise ValidationError(_("A room number is given twice."))
    taken = list(site.rooms.filter(number__in=numbers).values_list("number", flat=True))
    if taken:
        raise ValidationError(_("Room %(room)s already exists.") % {"room": taken[0]})
    rooms = Room.objects.bulk_create([Room(site=site, number=n, beds=beds) for n in numbers])
    audit_record(actor=actor, action=Action.UPDATE, obj=site, detail={"rooms_added": numbers})
    return rooms
