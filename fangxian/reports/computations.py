"""Screening's and quarantine's computed indicators, registered with `reports.computed`.

Reports sits above both apps, so it registers their figures itself (checkpoints', enterprises'
and place scans' are in `computations_ops.py`). Days are local days (Asia/Shanghai): a visit at
23:30 counts on its own day. Each count is one GROUP BY (region path, day) query, a standing
figure three (before the range, starts and ends per day).
"""

from datetime import date
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.roles import Capability
from fangxian.quarantine.models import FeverAlert, QuarantineOrder
from fangxian.regions.models import Region
from fangxian.reports.computed import (
    LEVEL,
    NEW,
    Computation,
    Figures,
    add_up,
    day_end,
    day_start,
    register,
    running_levels,
)
from fangxian.screening.models import Trip, Visit, VisitPerson

PRESENT = (VisitPerson.Presence.HOME, VisitPerson.Presence.RETURNED)
# The quarantine kinds seeded by quarantine's data migration (codes, not HQ-edited names).
QUARANTINE_KINDS = {
    "home": _("People under home quarantine"),
    "centralised": _("People in centralised quarantine"),
    "home_monitoring": _("People under home health monitoring"),
}
STARTED = {
    "home": _("People placed under home quarantine"),
    "centralised": _("People placed in centralised quarantine"),
    "home_monitoring": _("People placed under home health monitoring"),
}


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _range(field: str, first: date | None, last: date) -> Q:
    condition = Q(**{f"{field}__lt": day_end(last)})
    if first is not None:
        condition &= Q(**{f"{field}__gte": day_start(first)})
    return condition


def _grouped(rows: QuerySet, *, path: str, moment: str, first: date | None, last: date) -> Figures:
    """{(region path, local day): rows} of `rows` whose `moment` lies in the range."""
    grouped = (
        rows.filter(_range(moment, first, last))
        .annotate(fx_path=F(path), fx_day=_local_day(moment))
        .values("fx_path", "fx_day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return add_up(grouped, path="fx_path", day="fx_day")


# --- screening --------------------------------------------------------------------------------


def _visits(region: Region) -> QuerySet[Visit]:
    return Visit.objects.filter(region__path__startswith=region.path, outcome=Visit.Outcome.SEEN)


def _screened(region: Region) -> QuerySet[VisitPerson]:
    return VisitPerson.objects.filter(
        visit__region__path__startswith=region.path,
        visit__outcome=Visit.Outcome.SEEN,
        presence__in=PRESENT,
    )


def _trips(region: Region, category: str | None) -> QuerySet[Trip]:
    trips = Trip.objects.filter(region__path__startswith=region.path)
    return trips.filter(category=category) if category else trips


def _trip_counter(category: str | None):
    def count(region: Region, first: date | None, last: date) -> Figures:
        trips = _trips(region, category).filter(arrived_on__lte=last)
        if first is not None:
            trips = trips.filter(arrived_on__gte=first)
        grouped = trips.values("region__path", "arrived_on").annotate(n=Count("pk")).order_by()
        return add_up(grouped, path="region__path", day="arrived_on")

    def records(region: Region, first: date, last: date) -> QuerySet[Trip]:
        trips = _trips(region, category).filter(arrived_on__gte=first, arrived_on__lte=last)
        return trips.select_related("person", "region").order_by("arrived_on", "id")

    return count, records


def _describe_trip(trip: Trip) -> str:
    return f"{trip.arrived_on:%Y-%m-%d} · {trip.region} · {trip.person.name} · {trip.origin_text}"


def _describe_visit(visit: Visit) -> str:
    local = timezone.localtime(visit.visited_at)
    return f"{local:%Y-%m-%d %H:%M} · {visit.region} · {visit.household.address}"


def _describe_visit_person(row: VisitPerson) -> str:
    local = timezone.localtime(row.visit.visited_at)
    return f"{local:%Y-%m-%d %H:%M} · {row.visit.region} · {row.person.name}"


def _screening() -> list[Computation]:
    found = [
        Computation(
            key="screening.households_visited",
            label=_("Households visited"),
            semantics=NEW,
            count=lambda region, first, last: _grouped(
                _visits(region), path="region__path", moment="visited_at", first=first, last=last
            ),
            records=lambda region, first, last: (
                _visits(region)
                .filter(_range("visited_at", first, last))
                .select_related("region", "household")
                .order_by("visited_at", "id")
            ),
            describe=_describe_visit,
            capability=Capability.VIEW_PEOPLE,
        ),
        Computation(
            key="screening.people_screened",
            label=_("People screened at home"),
            semantics=NEW,
            count=lambda region, first, last: _grouped(
                _screened(region),
                path="visit__region__path",
                moment="visit__visited_at",
                first=first,
                last=last,
            ),
            records=lambda region, first, last: (
                _screened(region)
                .filter(_range("visit__visited_at", first, last))
                .select_related("visit__region", "person")
                .order_by("visit__visited_at", "id")
            ),
            describe=_describe_visit_person,
            capability=Capability.VIEW_PEOPLE,
        ),
    ]
    categories: list[tuple[str | None, Any]] = [(None, _("Returnees (all)"))]
    categories += [(value, label) for value, label in Trip.Category.choices]
    for category, label in categories:
        count, records = _trip_counter(category)
        found.append(
            Computation(
                key=f"screening.returnees.{category or 'all'}",
                label=label,
                semantics=NEW,
                count=count,
                records=records,
                describe=_describe_trip,
                capability=Capability.VIEW_PEOPLE,
            )
        )
    return found


# --- quarantine -------------------------------------------------------------------------------


def _orders(region: Region, kind: str | None = None) -> QuerySet[QuarantineOrder]:
    orders = QuarantineOrder.objects.filter(
        region__path__startswith=region.path, activated_at__isnull=False
    )
    return orders.filter(kind__code=kind) if kind else orders


def _standing_counter(kind: str):
    """People under a kind of quarantine at the end of each day: activated by then and not
    yet ended (released, transferred, cancelled)."""

    def count(region: Region, first: date | None, last: date) -> Figures:
        first = first or last
        before = (
            _orders(region, kind)
            .filter(activated_at__lt=day_start(first))
            .values("region__path")
            .annotate(
                n=Count("pk", filter=Q(ended_at__isnull=True) | Q(ended_at__gte=day_start(first)))
            )
            .order_by()
        )
        base = {row["region__path"]: row["n"] for row in before}
        starts = _grouped(
            _orders(region, kind),
            path="region__path",
            moment="activated_at",
            first=first,
            last=last,
        )
        ends = _grouped(
            _orders(region, kind).filter(ended_at__isnull=False),
            path="region__path",
            moment="ended_at",
            first=first,
            last=last,
        )
        return running_levels(base=base, starts=starts, ends=ends, first=first, last=last)

    def records(region: Region, first: date, last: date) -> QuerySet[QuarantineOrder]:
        standing = Q(activated_at__lt=day_end(last)) & (
            Q(ended_at__isnull=True) | Q(ended_at__gte=day_end(last))
        )
        return (
            _orders(region, kind)
            .filter(standing)
            .select_related("person", "region")
            .order_by("activated_at", "id")
        )

    return count, records


def _started_counter(kind: str):
    def count(region: Region, first: date | None, last: date) -> Figures:
        return _grouped(
            _orders(region, kind),
            path="region__path",
            moment="activated_at",
            first=first,
            last=last,
        )

    def records(region: Region, first: date, last: date) -> QuerySet[QuarantineOrder]:
        return (
            _orders(region, kind)
            .filter(_range("activated_at", first, last))
            .select_related("person", "region")
            .order_by("activated_at", "id")
        )

    return count, records


def _released(region: Region) -> QuerySet[QuarantineOrder]:
    return _orders(region).filter(status=QuarantineOrder.Status.RELEASED)


def _alerts(region: Region) -> QuerySet[FeverAlert]:
    return FeverAlert.objects.filter(region__path__startswith=region.path)


def _describe_order(order: QuarantineOrder) -> str:
    local = timezone.localtime(order.activated_at)
    return f"{local:%Y-%m-%d} · {order.region} · {order.person.name} · {order.get_status_display()}"


def _describe_alert(alert: FeverAlert) -> str:
    local = timezone.localtime(alert.raised_at)
    return f"{local:%Y-%m-%d %H:%M} · {alert.region} · {alert.order.person.name} · {alert.reason}"


def _quarantine() -> list[Computation]:
    found = []
    for kind, label in QUARANTINE_KINDS.items():
        count, records = _standing_counter(kind)
        found.append(
            Computation(
                key=f"quarantine.standing.{kind}",
                label=label,
                semantics=LEVEL,
                count=count,
                records=records,
                describe=_describe_order,
                capability=Capability.VIEW_QUARANTINE,
            )
        )
        count, records = _started_counter(kind)
        found.append(
            Computation(
                key=f"quarantine.started.{kind}",
                label=STARTED[kind],
                semantics=NEW,
                count=count,
                records=records,
                describe=_describe_order,
                capability=Capability.VIEW_QUARANTINE,
            )
        )
    found += [
        Computation(
            key="quarantine.released",
            label=_("People released from quarantine"),
            semantics=NEW,
            count=lambda region, first, last: _grouped(
                _released(region), path="region__path", moment="ended_at", first=first, last=last
            ),
            records=lambda region, first, last: (
                _released(region)
                .filter(_range("ended_at", first, last))
                .select_related("person", "region")
                .order_by("ended_at", "id")
            ),
            describe=_describe_order,
            capability=Capability.VIEW_QUARANTINE,
        ),
        Computation(
            key="quarantine.fever_alerts",
            label=_("Fevers found"),
            semantics=NEW,
            count=lambda region, first, last: _grouped(
                _alerts(region), path="region__path", moment="raised_at", first=first, last=last
            ),
            records=lambda region, first, last: (
                _alerts(region)
                .filter(_range("raised_at", first, last))
                .select_related("order__person", "region")
                .order_by("raised_at", "id")
            ),
            describe=_describe_alert,
            capability=Capability.VIEW_QUARANTINE,
        ),
    ]
    return found


def register_all() -> None:
    for computation in [*_screening(), *_quarantine()]:
        register(computation)
