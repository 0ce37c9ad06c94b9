"""Reads for quarantine, always through the region scope (`view_quarantine` unless named).

Time-dependent reads take `now` (an aware datetime; default: the present) so that tests and
replays run on a controlled clock. The board lives in `board.py`.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from fangxian.accounts.roles import Capability
from fangxian.people.models import Household
from fangxian.quarantine.checks import nearest_slot
from fangxian.quarantine.models import (
    Appeal,
    CheckSlot,
    Errand,
    FeverAlert,
    HealthCheck,
    OrderBatch,
    OrderEvent,
    OrderReason,
    QuarantineKind,
    QuarantineOrder,
    QuarantineRules,
    Room,
    Site,
    SupervisionAlert,
    Symptom,
    TeamMember,
    TeamRole,
)
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped

VIEW = Capability.VIEW_QUARANTINE
Status = QuarantineOrder.Status
OPEN = (Status.PENDING, Status.ACTIVE)

# --- settings HQ edits, for forms ------------------------------------------------------------


def kind_choices() -> QuerySet[QuarantineKind]:
    return QuarantineKind.objects.filter(is_active=True)


def reason_choices() -> QuerySet[OrderReason]:
    return OrderReason.objects.filter(is_active=True)


def team_roles() -> QuerySet[TeamRole]:
    return TeamRole.objects.all()


def check_slots() -> list[CheckSlot]:
    return list(CheckSlot.objects.filter(is_active=True))


def symptom_choices() -> QuerySet[Symptom]:
    return Symptom.objects.filter(is_active=True)


# --- orders ----------------------------------------------------------------------------------


def order_list(
    *,
    user: Any,
    status: str | tuple[str, ...] = (),
    kind: QuarantineKind | None = None,
    region: Region | None = None,
) -> QuerySet[QuarantineOrder]:
    """Orders the user may see, with person, kind, reason and region; optionally of a status
    (or several), a kind, under a region. Page it by id."""
    orders = scoped(
        QuarantineOrder.objects.select_related("person", "kind", "reason", "region__parent"),
        user,
        VIEW,
    )
    if status:
        orders = orders.filter(status__in=(status,) if isinstance(status, str) else status)
    if kind is not None:
        orders = orders.filter(kind=kind)
    if region is not None:
        orders = orders.filter(region__path__startswith=region.path)
    return orders


def order_get(*, user: Any, order_id: int) -> QuarantineOrder:
    """One order in scope, else 404."""
    return get_scoped_or_404(
        QuarantineOrder.objects.select_related("person", "kind", "reason", "region", "room__site"),
        user,
        VIEW,
        pk=order_id,
    )


def order_by_door_token(*, user: Any, token: str) -> QuarantineOrder:
    """The order behind a door notice's QR code: staff in scope only, else 404 (the code
    itself carries nothing personal)."""
    if not token:
        raise Http404
    return get_scoped_or_404(
        QuarantineOrder.objects.select_related("person", "kind", "region"),
        user,
        VIEW,
        door_token=token,
    )


def order_events(*, user: Any, order: QuarantineOrder) -> QuerySet[OrderEvent]:
    """An order's history, oldest first, with the actors."""
    return scoped(OrderEvent.objects.filter(order=order), user, VIEW).select_related("actor")


def order_team(*, user: Any, order: QuarantineOrder) -> QuerySet[TeamMember]:
    """The order's current team, in the order of the team roles."""
    members = TeamMember.objects.filter(order=order, ended_at__isnull=True)
    return (
        scoped(members, user, VIEW)
        .select_related("team_role", "user")
        .order_by("team_role__position", "team_role_id")
    )


def order_checks(*, user: Any, order: QuarantineOrder) -> QuerySet[HealthCheck]:
    """An order's checks, latest first, with the check time and recorder."""
    checks = scoped(HealthCheck.objects.filter(order=order), user, VIEW)
    return checks.select_related("slot", "recorded_by").order_by("-measured_at", "-id")


@dataclass
class Notice:
    """What the door notice (提醒公示牌) and the person's notice (告知书) print: the order (kind,
    reason, period, door token for the QR code) and whom to ask (the current team)."""

    order: QuarantineOrder
    team: list[TeamMember]


def order_notice(*, user: Any, order_id: int) -> Notice:
    """The order and its current team for printing, else 404. Two queries."""
    order = order_get(user=user, order_id=order_id)
    return Notice(order=order, team=list(order_team(user=user, order=order)))


# --- check times and overdue ------------------------------------------------------------------


@dataclass(frozen=True)
class DueSlot:
    """A check time of a day whose grace has passed at `now`."""

    day: date
    slot: CheckSlot
    due_at: datetime


def _due_at(day: date, slot: CheckSlot) -> datetime:
    return datetime.combine(day, slot.time, tzinfo=timezone.get_current_timezone())


def due_slot(*, now: datetime | None = None) -> DueSlot | None:
    """The latest check time (today or yesterday) whose grace has passed at `now`: the check
    that must be on record by now. Two small queries (rules, check times)."""
    now = now or timezone.now()
    grace = timedelta(minutes=QuarantineRules.current().check_grace_minutes)
    today = timezone.localdate(now)
    slots = check_slots()
    passed = [
        DueSlot(day=day, slot=slot, due_at=_due_at(day, slot))
        for day in (today - timedelta(days=1), today)
        for slot in slots
        if _due_at(day, slot) + grace <= now
    ]
    return max(passed, key=lambda due: due.due_at) if passed else None


def overdue_q(due: DueSlot | None) -> Q:
    """Orders in quarantine since before the due check time and without a check for it: a
    NOT EXISTS on the check index, evaluated by the database."""
    if due is None:
        return Q(pk__in=[])
    checked = HealthCheck.objects.filter(order=OuterRef("pk"), due_on=due.day, slot=due.slot)
    return Q(status=Status.ACTIVE, activated_at__lte=due.due_at) & ~Exists(checked)


def overdue_orders(
    *, user: Any, now: datetime | None = None, region: Region | None = None
) -> QuerySet[QuarantineOrder]:
    """Orders whose last due check (see `due_slot`) is not on record: the team's and HQ's
    overdue list. One query, whatever the number of orders."""
    return order_list(user=user, region=region).filter(overdue_q(due_slot(now=now)))


def order_missed_checks(*, order: QuarantineOrder, now: datetime | None = None) -> list[DueSlot]:
    """Every check time of one order's quarantine, up to `now` (or its end), with no check on
    record: its gaps, for the order's page. One query for the order's checks."""
    now = now or timezone.now()
    if order.activated_at is None:
        return []
    grace = timedelta(minutes=QuarantineRules.current().check_grace_minutes)
    until = min(now, order.ended_at) if order.ended_at else now
    done = set(
        HealthCheck.objects.filter(order=order, slot__isnull=False).values_list("due_on", "slot_id")
    )
    slots = check_slots()
    missed = []
    day = timezone.localdate(order.activated_at)
    while day <= timezone.localdate(until):
        for slot in slots:
            due_at = _due_at(day, slot)
            passed = order.activated_at <= due_at and due_at + grace <= until
            if passed and (day, slot.pk) not in done:
                missed.append(DueSlot(day=day, slot=slot, due_at=due_at))
        day += timedelta(days=1)
    return missed


# --- teams (四包一) ----------------------------------------------------------------------------


def team_orders(*, user: Any, member: Any = None) -> QuerySet[QuarantineOrder]:
    """Open orders `member` (default: the user) answers for, within the user's scope."""
    member = member or user
    mine = TeamMember.objects.filter(user=member, ended_at__isnull=True, order=OuterRef("pk"))
    return order_list(user=user, status=OPEN).filter(Exists(mine))


def team_households(*, user: Any, member: Any = None) -> QuerySet[Household]:
    """Households of the people `member` (default: the user) answers for (结对包保)."""
    orders = team_orders(user=user, member=member)
    return Household.objects.filter(pk__in=orders.values("person__household_id")).select_related(
        "region"
    )


def team_load(*, user: Any, region: Region | None = None) -> list[dict[str, Any]]:
    """Per team member: open orders and distinct households they answer for, most loaded
    first; one GROUP BY over the current memberships in scope."""
    members = scoped(
        TeamMember.objects.filter(ended_at__isnull=True, order__status__in=OPEN), user, VIEW
    )
    if region is not None:
        members = members.filter(region__path__startswith=region.path)
    return list(
        members.values("user_id", "user__username", "user__full_name")
        .annotate(
            orders=Count("order", distinct=True),
            households=Count("order__person__household", distinct=True),
        )
        .order_by("-orders", "user__username")
    )


def orders_without_full_team(
    *, user: Any, region: Region | None = None
) -> QuerySet[QuarantineOrder]:
    """Open orders missing a member in one of the required team roles (one query after the
    list of required roles)."""
    required = list(TeamRole.objects.filter(required=True).values_list("pk", flat=True))
    orders = order_list(user=user, status=OPEN, region=region)
    if not required:
        return orders.none()
    filled = Count(
        "team__team_role",
        filter=Q(team__ended_at__isnull=True, team__team_role__in=required),
        distinct=True,
    )
    return orders.annotate(filled_roles=filled).filter(filled_roles__lt=len(required))


def team_round(*, user: Any, now: datetime | None = None) -> QuerySet[QuarantineOrder]:
    """A team member's to-do list for the moment: the people in quarantine they answer for,
    each with `checked` (the check time nearest to now is on record), `checks_today` and
    `open_alerts`, those still to check first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    slots = check_slots()
    orders = team_orders(user=user).filter(status=Status.ACTIVE)
    if slots:
        slot = nearest_slot(slots, now)
        done = HealthCheck.objects.filter(order=OuterRef("pk"), due_on=today, slot=slot)
        orders = orders.annotate(checked=Exists(done))
    else:
        orders = orders.annotate(checked=Exists(HealthCheck.objects.none()))
    unresolved = FeverAlert.objects.filter(order=OuterRef("pk"), status__in=FeverAlert.UNRESOLVED)
    today_checks = HealthCheck.objects.filter(order=OuterRef("pk"), due_on=today)
    return orders.annotate(
        open_alerts=Exists(unresolved), checks_today=Exists(today_checks)
    ).order_by("checked", "person__name", "id")


# --- sites (集中隔离点) ---------------------------------------------------------------------------


def site_occupancy(*, user: Any, region: Region | None = None) -> QuerySet[Site]:
    """Sites in scope, each with `room_count`, `beds`, `occupied` (people under an open order
    in its rooms) and `free_rooms` (rooms with nobody), counted by the database in subqueries
    (no row multiplication between rooms and orders)."""
    rooms = Room.objects.filter(site=OuterRef("pk")).order_by().values("site")
    open_orders = QuarantineOrder.objects.filter(room=OuterRef("pk"), status__in=OPEN)
    people = (
        QuarantineOrder.objects.filter(room__site=OuterRef("pk"), status__in=OPEN)
        .order_by()
        .values("room__site")
    )
    sites = scoped(Site.objects.select_related("region"), user, VIEW)
    if region is not None:
        sites = sites.filter(region__path__startswith=region.path)

    def total(queryset, expression):
        return Coalesce(
            Subquery(queryset.annotate(n=expression).values("n")[:1], output_field=IntegerField()),
            0,
        )

    return sites.annotate(
        room_count=total(rooms, Count("id")),
        beds=total(rooms, Sum("beds")),
        occupied=total(people, Count("id")),
        free_rooms=total(rooms.filter(~Exists(open_orders)), Count("id")),
    ).order_by("name")


def free_rooms(*, user: Any, site: Site) -> QuerySet[Room]:
    """Rooms of a site with a free bed, each with its `occupants`."""
    rooms = scoped(Room.objects.filter(site=site), user, VIEW)
    return (
        rooms.annotate(occupants=Count("orders", filter=Q(orders__status__in=OPEN)))
        .filter(occupants__lt=F("beds"))
        .order_by("number")
    )


# --- alerts, errands, approvals, supervision, appeals ---------------------------------------


def alert_list(*, user: Any, unresolved: bool = True) -> QuerySet[FeverAlert]:
    """Fever alerts in scope, newest first; by default those not yet closed or transferred."""
    alerts = scoped(FeverAlert.objects.select_related("order__person", "check_record"), user, VIEW)
    if unresolved:
        alerts = alerts.filter(status__in=FeverAlert.UNRESOLVED)
    return alerts.order_by("-raised_at", "-id")


def errand_list(*, user: Any, open_only: bool = True) -> QuerySet[Errand]:
    """Errands in the user's `handle_errands` scope, oldest first, items prefetched."""
    errands = scoped(
        Errand.objects.select_related("order__person", "assigned_to").prefetch_related("items"),
        user,
        Capability.HANDLE_ERRANDS,
    )
    if open_only:
        errands = errands.filter(status__in=Errand.OPEN)
    return errands.order_by("requested_at", "id")


def batches_to_approve(*, user: Any) -> QuerySet[OrderBatch]:
    """Lists placed in bulk and waiting for a second approver the user could be (not their
    own)."""
    batches = scoped(
        OrderBatch.objects.select_related("placed_by", "region"),
        user,
        Capability.APPROVE_QUARANTINE,
    )
    return (
        batches.filter(status=OrderBatch.Status.PENDING)
        .exclude(placed_by=user)
        .order_by("placed_at", "id")
    )


def orders_to_approve(*, user: Any) -> QuerySet[QuarantineOrder]:
    """Single orders from another unit's list waiting for a second approver (not their own)."""
    orders = scoped(
        QuarantineOrder.objects.select_related("person", "placed_by"),
        user,
        Capability.APPROVE_QUARANTINE,
    )
    return orders.filter(
        status=Status.PENDING, needs_approval=True, approved_at__isnull=True, batch__isnull=True
    ).exclude(placed_by=user)


def supervision_alerts(*, user: Any, unseen_only: bool = True) -> QuerySet[SupervisionAlert]:
    """Bulk-change alerts for the supervision role, newest first."""
    alerts = scoped(
        SupervisionAlert.objects.select_related("batch", "region"),
        user,
        Capability.SUPERVISE_QUARANTINE,
    )
    if unseen_only:
        alerts = alerts.filter(seen_at__isnull=True)
    return alerts.order_by("-raised_at", "-id")


def appeal_list(*, user: Any, open_only: bool = True) -> QuerySet[Appeal]:
    """Appeals in scope, oldest first (never deleted: decided ones stay listed)."""
    appeals = scoped(Appeal.objects.select_related("order__person"), user, VIEW)
    if open_only:
        appeals = appeals.filter(status=Appeal.Status.OPEN)
    return appeals.order_by("lodged_at", "id")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a local day as aware datetimes."""
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)
