"""Writes for quarantine orders (隔离令): place (one or a list), start, change the period, give a
room, release, transfer, cancel, replace the door code. The second approval is in
`approvals.py`, teams in `teams.py`, appeals and supervision alerts in `appeals.py`, the merge
handler in `merging.py`.

Every change needs an actor, a reason and what it rests on, and leaves an `OrderEvent` and an
audit entry. Orders placed in bulk, or from a list sent by a unit outside health and HQ, start
pending and need a second HQ person from another unit (issue 4, item 8: the 2022 Henan red codes
were placed quietly, by operators, on officials' orders); a bulk placement also raises a
`SupervisionAlert` for the supervision role. A release needs a doctor: only a user holding
`sign_release` over the order's region can release, and is recorded on the order.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record, audit_record_many
from fangxian.people.models import Person
from fangxian.quarantine.models import (
    OrderBatch,
    OrderEvent,
    OrderReason,
    QuarantineKind,
    QuarantineOrder,
    Room,
    SupervisionAlert,
    new_door_token,
)
from fangxian.regions.models import Region

Status = QuarantineOrder.Status
Source = QuarantineOrder.Source
Event = OrderEvent.Action
OPEN = (Status.PENDING, Status.ACTIVE)
# Lists from these sources need a second approver even for one person (item 8).
APPROVAL_SOURCES = (Source.OUTSIDE_LIST,)


def require(actor: Any, capability: str, region: Region) -> None:
    """PermissionDenied unless the actor holds `capability` over `region`."""
    if actor is None or not actor.is_authenticated or not actor.can_at(capability, region):
        raise PermissionDenied


def required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def order_event(order, action, from_status, actor, at, reason, **detail) -> OrderEvent:
    return OrderEvent(
        order=order,
        action=action,
        from_status=from_status,
        to_status=order.status,
        actor=actor,
        at=at,
        reason=reason,
        detail=detail,
    )


def audit_many(*, actor, action: str, objects: list, person_of, detail: dict, at: datetime) -> None:
    """One audit entry per object, in bulk (a list of orders, a round of checks), at `at`."""
    if objects:
        audit_record_many(
            actor=actor,
            action=action,
            object_type=objects[0]._meta.label_lower,
            entries=((o.pk, str(o), person_of(o), o.region_id) for o in objects),
            detail=detail,
            at=at,
        )


def audit_order(actor, order: QuarantineOrder, action: str, **detail) -> None:
    audit_record(actor=actor, action=action, obj=order, person_id=order.person_id, detail=detail)


@dataclass(frozen=True)
class _Terms:
    """What one order or a list of them rests on, checked once."""

    kind: QuarantineKind
    reason: OrderReason
    basis: str
    source: str
    source_unit: str
    starts_on: date
    planned_end_on: date


def _terms(*, kind, reason, basis, source, source_unit, starts_on, days) -> _Terms:
    if not kind.is_active:
        raise ValidationError({"kind": _("This kind of quarantine is no longer in use.")})
    if not reason.is_active:
        raise ValidationError({"reason": _("This reason is no longer in use.")})
    basis = required_text(
        basis, "basis", _("Say what the order rests on (a contact list, a trip, a test).")
    )
    if source not in Source.values:
        raise ValidationError({"source": _("Choose where the order comes from.")})
    source_unit = (source_unit or "").strip()
    if source != Source.MANUAL and not source_unit:
        raise ValidationError({"source_unit": _("Name the unit that sent the list.")})
    days = kind.default_days if days is None else days
    if days < 1:
        raise ValidationError({"days": _("The period must last at least one day.")})
    return _Terms(
        kind, reason, basis, source, source_unit, starts_on, starts_on + timedelta(days=days)
    )


def _refuse_open_orders(person_ids: list[int]) -> None:
    """ValidationError naming the people who already hold an open order (one query)."""
    holders = (
        QuarantineOrder.objects.filter(person_id__in=person_ids, status__in=OPEN)
        .values_list("person__name", flat=True)
        .order_by("person__name")
    )
    names = list(holders)
    if names:
        raise ValidationError(
            _("Already under an open order: %(names)s.") % {"names": "、".join(names)}
        )


@transaction.atomic
def order_place(
    *,
    actor: Any,
    person: Person,
    kind: QuarantineKind,
    reason: OrderReason,
    basis: str,
    source: str = Source.MANUAL,
    source_unit: str = "",
    trip: Any = None,
    starts_on: date | None = None,
    days: int | None = None,
    room: Room | None = None,
    now: datetime | None = None,
) -> QuarantineOrder:
    """Place one person under quarantine; the period defaults to the kind's (14 days).

    Needs `manage_quarantine` over the person's region. The order starts ACTIVE at once, unless
    it comes from another unit's list (it waits PENDING for `order_approve`) or starts later
    (PENDING until `order_activate`). The person's row is locked, so two placements cannot both
    pass the "no open order" check; a partial unique index holds the same rule in the database.
    Audited, with an OrderEvent.
    """
    now = now or timezone.now()
    person = Person.objects.select_for_update().select_related("region").get(pk=person.pk)
    require(actor, Capability.MANAGE_QUARANTINE, person.region)
    return place_locked(
        actor=actor,
        person=person,
        kind=kind,
        reason=reason,
        basis=basis,
        source=source,
        source_unit=source_unit,
        trip=trip,
        starts_on=starts_on,
        days=days,
        room=room,
        now=now,
    )


def place_locked(
    *,
    actor: Any,
    person: Person,
    kind: QuarantineKind,
    reason: OrderReason,
    basis: str,
    source: str,
    source_unit: str,
    trip: Any,
    starts_on: date | None,
    days: int | None,
    room: Room | None,
    now: datetime,
) -> QuarantineOrder:
    """`order_place` once the person's row is locked and the actor's right to place checked
    (for a hand-over the right is the second person's approval instead, see handover.py)."""
    today = timezone.localdate(now)
    if person.merged_into_id:
        raise ValidationError(_("This record was merged into another one: use that one."))
    terms = _terms(
        kind=kind,
        reason=reason,
        basis=basis,
        source=source,
        source_unit=source_unit,
        starts_on=starts_on or today,
        days=days,
    )
    if trip is not None and trip.person_id != person.pk:
        raise ValidationError({"trip": _("This trip is not the person's.")})
    _refuse_open_orders([person.pk])
    needs_approval = source in APPROVAL_SOURCES
    starts_now = not needs_approval and terms.starts_on <= today
    order = QuarantineOrder(
        person=person,
        region_id=person.region_id,
        kind=kind,
        reason=reason,
        basis=terms.basis,
        trip=trip,
        source=source,
        source_unit=terms.source_unit,
        starts_on=terms.starts_on,
        planned_end_on=terms.planned_end_on,
        status=Status.ACTIVE if starts_now else Status.PENDING,
        needs_approval=needs_approval,
        activated_at=now if starts_now else None,
        placed_by=actor,
        placed_at=now,
    )
    order.full_clean()
    order.save()
    order_event(order, Event.PLACED, "", actor, now, terms.basis).save()
    audit_order(actor, order, Action.CREATE, status=order.status, source=source, unit=source_unit)
    if room is not None:
        order = order_assign_room(actor=actor, order=order, room=room, reason=terms.basis, now=now)
    return order


def _common_region(paths: list[str]) -> Region:
    """The lowest unit containing every path (their longest shared prefix at a tree level)."""
    shared = [
        length
        for length in Region.PATH_LENGTH.values()
        if all(p[:length] == paths[0][:length] for p in paths) and length <= len(paths[0])
    ]
    return Region.objects.get(path=paths[0][: max(shared)])


@transaction.atomic
def orders_place_bulk(
    *,
    actor: Any,
    people: list[Person],
    kind: QuarantineKind,
    reason: OrderReason,
    basis: str,
    source: str,
    source_unit: str = "",
    starts_on: date | None = None,
    days: int | None = None,
    now: datetime | None = None,
    capability: str = Capability.MANAGE_QUARANTINE,
) -> OrderBatch:
    """Place a list of people under quarantine in one transaction, as one `OrderBatch`.

    `capability` is what the actor must hold over each person's region: manage_quarantine,
    or trace_exposure for a tracer placing the contacts of a search (the batch stays pending
    for HQ's second person either way).

    Every order starts PENDING and needs a second approver (`order_batch_approve`): a bulk
    order can never take effect on one person's say. The batch raises a SupervisionAlert at
    once. All or nothing: one person out of scope, merged away or already under an open order
    refuses the whole list. One audit entry for the batch (count, origin, people) and one per
    order, so each person's history shows it. A fixed number of queries for any list size.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = [person.pk for person in people]
    if not ids:
        raise ValidationError(_("The list is empty."))
    if len(set(ids)) != len(ids):
        raise ValidationError(_("The list names someone twice."))
    rows = list(Person.objects.select_for_update().select_related("region").filter(pk__in=ids))
    for person in rows:
        require(actor, capability, person.region)
    if len(rows) != len(ids) or any(person.merged_into_id for person in rows):
        raise ValidationError(_("The list names a record that does not exist or was merged."))
    terms = _terms(
        kind=kind,
        reason=reason,
        basis=basis,
        source=source,
        source_unit=source_unit,
        starts_on=starts_on or today,
        days=days,
    )
    _refuse_open_orders(ids)
    region = _common_region([person.region.path for person in rows])
    batch = OrderBatch(
        region=region,
        source=source,
        source_unit=terms.source_unit,
        basis=terms.basis,
        size=len(rows),
        placed_by=actor,
        placed_at=now,
    )
    batch.full_clean()
    batch.save()
    orders = [
        QuarantineOrder(
            person=person,
            region_id=person.region_id,
            kind=kind,
            reason=reason,
            basis=terms.basis,
            source=source,
            source_unit=terms.source_unit,
            batch=batch,
            starts_on=terms.starts_on,
            planned_end_on=terms.planned_end_on,
            status=Status.PENDING,
            needs_approval=True,
            placed_by=actor,
            placed_at=now,
        )
        for person in rows
    ]
    # The foreign keys are the rows just read and the one-open-order rule was checked for the
    # whole list above: no lookups per order.
    for order in orders:
        order.full_clean(
            exclude=["person", "region", "kind", "reason", "batch", "placed_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    QuarantineOrder.objects.bulk_create(orders, batch_size=1000)
    OrderEvent.objects.bulk_create(
        [
            order_event(order, Event.PLACED, "", actor, now, terms.basis, batch=batch.pk)
            for order in orders
        ],
        batch_size=1000,
    )
    SupervisionAlert.objects.create(
        region=region,
        batch=batch,
        message=_("%(count)s people placed under quarantine in one list (%(unit)s).")
        % {"count": len(rows), "unit": terms.source_unit or _("staff decision")},
        raised_at=now,
    )
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=batch,
        detail={
            "bulk": True,
            "count": len(rows),
            "source": source,
            "unit": terms.source_unit,
            "people": sorted(ids),
        },
    )
    audit_many(
        actor=actor,
        action=Action.CREATE,
        objects=orders,
        person_of=lambda order: order.person_id,
        detail={"batch": batch.pk},
        at=now,
    )
    return batch


def start_if_due(order: QuarantineOrder, today: date, now: datetime) -> bool:
    if order.starts_on <= today:
        order.status, order.activated_at = Status.ACTIVE, now
        return True
    return False


def locked_order(order: QuarantineOrder) -> QuarantineOrder:
    return (
        QuarantineOrder.objects.select_for_update()
        .select_related("region", "kind")
        .get(pk=order.pk)
    )


@transaction.atomic
def order_activate(
    *, actor: Any, order: QuarantineOrder, reason: str, now: datetime | None = None
) -> QuarantineOrder:
    """Pending → in quarantine, once any approval is given and the start day has come."""
    now = now or timezone.now()
    order = locked_order(order)
    require(actor, Capability.MANAGE_QUARANTINE, order.region)
    reason = required_text(reason, "reason", _("Say how the quarantine started."))
    if order.status != Status.PENDING:
        raise ValidationError(_("Only a pending order can start."))
    if order.needs_approval and not order.approved_at:
        raise ValidationError(_("This order needs a second approval before it starts."))
    if not start_if_due(order, timezone.localdate(now), now):
        raise ValidationError(_("This order starts on %(day)s.") % {"day": order.starts_on})
    order.save(update_fields=["status", "activated_at"])
    order_event(order, Event.ACTIVATED, Status.PENDING, actor, now, reason).save()
    audit_order(actor, order, Action.UPDATE, status=order.status)
    return order


@transaction.atomic
def order_change_period(
    *,
    actor: Any,
    order: QuarantineOrder,
    planned_end_on: date,
    reason: str,
    now: datetime | None = None,
) -> QuarantineOrder:
    """Move the planned end of an open order (longer after a new contact, shorter by a rule)."""
    now = now or timezone.now()
    order = locked_order(order)
    require(actor, Capability.MANAGE_QUARANTINE, order.region)
    reason = required_text(reason, "reason", _("Say why the period changes."))
    if order.status not in OPEN:
        raise ValidationError(_("This order has ended."))
    old = order.planned_end_on
    order.planned_end_on = planned_end_on
    order.full_clean(exclude=["person", "region", "kind", "reason", "placed_by", "trip", "room"])
    order.save(update_fields=["planned_end_on"])
    order_event(
        order,
        Event.PERIOD_CHANGED,
        order.status,
        actor,
        now,
        reason,
        old=old.isoformat(),
        new=planned_end_on.isoformat(),
    ).save()
    audit_order(actor, order, Action.UPDATE, planned_end_on=planned_end_on.isoformat())
    return order


@transaction.atomic
def order_assign_room(
    *, actor: Any, order: QuarantineOrder, room: Room, reason: str, now: datetime | None = None
) -> QuarantineOrder:
    """Give an open centralised order a room at an open site; the room is locked and its beds
    counted, so two assignments cannot overfill it."""
    now = now or timezone.now()
    order = locked_order(order)
    require(actor, Capability.MANAGE_QUARANTINE, order.region)
    room = Room.objects.select_for_update().select_related("site__region").get(pk=room.pk)
    require(actor, Capability.MANAGE_QUARANTINE, room.site.region)
    if not order.kind.needs_room:
        raise ValidationError(_("Only centralised quarantine takes a room."))
    if order.status not in OPEN:
        raise ValidationError(_("This order has ended."))
    if not room.site.is_open:
        raise ValidationError(_("This site is closed."))
    taken = QuarantineOrder.objects.filter(room=room, status__in=OPEN).exclude(pk=order.pk)
    if taken.count() >= room.beds:
        raise ValidationError(_("Room %(room)s is full.") % {"room": room.number})
    order.room = room
    order.save(update_fields=["room"])
    order_event(order, Event.ROOM_ASSIGNED, order.status, actor, now, reason, room=room.pk).save()
    audit_order(actor, order, Action.UPDATE, room=room.pk)
    return order


def _end(order, *, actor, now, action, status, reason, fields=(), **detail) -> QuarantineOrder:
    before = order.status
    order.status, order.ended_at = status, now
    order.save(update_fields=["status", "ended_at", *fields])
    order_event(order, action, before, actor, now, reason, **detail).save()
    audit_order(actor, order, Action.UPDATE, status=status, **detail)
    return order


@transaction.atomic
def order_release(
    *, actor: Any, order: QuarantineOrder, note: str, now: datetime | None = None
) -> QuarantineOrder:
    """Release an active order at the end of its period: only a doctor (a user holding
    `sign_release` over the order's region) can, and is recorded on the order. Before the
    planned end the period must be changed first (`order_change_period`, on record)."""
    now = now or timezone.now()
    order = locked_order(order)
    if not actor.can_at(Capability.SIGN_RELEASE, order.region):
        raise ValidationError(_("A release needs a doctor's sign-off."))
    note = required_text(note, "note", _("Say on what the release rests (the doctor's findings)."))
    if order.status != Status.ACTIVE:
        raise ValidationError(_("Only an order in quarantine can be released."))
    if timezone.localdate(now) < order.planned_end_on:
        raise ValidationError(
            _("The period ends on %(day)s: change the period first to release earlier.")
            % {"day": order.planned_end_on}
        )
    order.released_by_doctor = actor
    return _end(
        order,
        actor=actor,
        now=now,
        action=Event.RELEASED,
        status=Status.RELEASED,
        reason=note,
        fields=["released_by_doctor"],
    )


@transaction.atomic
def order_transfer(
    *, actor: Any, order: QuarantineOrder, hospital: str, reason: str, now: datetime | None = None
) -> QuarantineOrder:
    """In quarantine → transferred to hospital (by those who manage orders, or a doctor)."""
    now = now or timezone.now()
    order = locked_order(order)
    if not (
        actor.can_at(Capability.MANAGE_QUARANTINE, order.region)
        or actor.can_at(Capability.SIGN_RELEASE, order.region)
    ):
        raise PermissionDenied
    hospital = required_text(hospital, "hospital", _("Name the hospital."))
    reason = required_text(reason, "reason", _("Say why the person is transferred."))
    if order.status != Status.ACTIVE:
        raise ValidationError(_("Only an order in quarantine can be transferred."))
    order.hospital = hospital[:100]
    return _end(
        order,
        actor=actor,
        now=now,
        action=Event.TRANSFERRED,
        status=Status.TRANSFERRED,
        reason=reason,
        fields=["hospital"],
        hospital=order.hospital,
    )


@transaction.atomic
def order_cancel(
    *, actor: Any, order: QuarantineOrder, reason: str, now: datetime | None = None
) -> QuarantineOrder:
    """Cancel an order placed in error (wrong person, list withdrawn): pending or active."""
    now = now or timezone.now()
    order = locked_order(order)
    require(actor, Capability.MANAGE_QUARANTINE, order.region)
    reason = required_text(reason, "reason", _("Say why the order is cancelled."))
    if order.status not in OPEN:
        raise ValidationError(_("This order has ended."))
    return _end(
        order, actor=actor, now=now, action=Event.CANCELLED, status=Status.CANCELLED, reason=reason
    )


@transaction.atomic
def order_door_token_renew(
    *, actor: Any, order: QuarantineOrder, reason: str, now: datetime | None = None
) -> QuarantineOrder:
    """Replace the door notice's code (a lost or photographed notice): the old code stops
    opening the record at once; print the notice again."""
    now = now or timezone.now()
    order = locked_order(order)
    require(actor, Capability.MANAGE_QUARANTINE, order.region)
    reason = required_text(reason, "reason", _("Say why the code is replaced."))
    order.door_token = new_door_token()
    order.save(update_fields=["door_token"])
    order_event(order, Event.TOKEN_RENEWED, order.status, actor, now, reason).save()
    audit_order(actor, order, Action.UPDATE, door_token="renewed")
    return order
