"""Completeness and timeliness of the daily reports, as public-health reporting measures them.

For a unit and a range of days, a report is *expected* every day from the unit's first
reporting day while it is active; completeness = reports received / expected, timeliness =
reports received by the deadline / expected (a late report counts for completeness only).
The same per day over all units. Two queries (units, then one row per report of the range),
whatever the size; the grid of units × days is filled here. `day_summary` gives one day's
totals counted in the database (the dashboard's).
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q

from fangxian.regions.models import Region
from fangxian.reports.computed import days
from fangxian.reports.models import DailyReport, ReportingUnit
from fangxian.reports.selectors import unit_list

RECEIVED, LATE, MISSING, NOT_DUE = "received", "late", "missing", "not_due"


@dataclass
class Rate:
    expected: int = 0
    received: int = 0
    on_time: int = 0

    @property
    def completeness(self) -> int | None:
        """Per cent, rounded down (100 only when every report is in)."""
        return self.received * 100 // self.expected if self.expected else None

    @property
    def timeliness(self) -> int | None:
        return self.on_time * 100 // self.expected if self.expected else None


@dataclass
class UnitLine:
    unit: ReportingUnit
    rate: Rate
    states: list[tuple[date, str, int | None]]  # (day, state, report id)


@dataclass
class Completeness:
    region: Region
    days: list[date]
    units: list[UnitLine] = field(default_factory=list)
    by_day: list[tuple[date, Rate]] = field(default_factory=list)
    total: Rate = field(default_factory=Rate)

    def missing_or_late(self, day: date) -> list[tuple[ReportingUnit, str]]:
        """The units whose report of `day` is missing or late (the list HQ chases)."""
        found = []
        for line in self.units:
            for on, state, _report in line.states:
                if on == day and state in (MISSING, LATE):
                    found.append((line.unit, state))
        return found


def completeness(*, user: Any, region: Region, first: date, last: date) -> Completeness:
    units = list(unit_list(user=user, region=region).filter(is_active=True))
    span = days(first, last)
    reports = DailyReport.objects.filter(
        unit__in=[u.pk for u in units], day__gte=first, day__lte=last
    ).values_list("unit_id", "day", "on_time", "pk")
    received = {(unit, day): (on_time, pk) for unit, day, on_time, pk in reports}
    result = Completeness(region=region, days=span)
    per_day = {day: Rate() for day in span}
    for unit in units:
        rate = Rate()
        states = []
        for day in span:
            found = received.get((unit.pk, day))
            if day < unit.reports_from and found is None:
                states.append((day, NOT_DUE, None))
                continue
            for counter in (rate, per_day[day], result.total):
                counter.expected += 1
                if found is not None:
                    counter.received += 1
                    counter.on_time += int(found[0])
            if found is None:
                states.append((day, MISSING, None))
            else:
                states.append((day, RECEIVED if found[0] else LATE, found[1]))
        result.units.append(UnitLine(unit=unit, rate=rate, states=states))
    result.by_day = list(per_day.items())
    return result


@dataclass
class DaySummary:
    rate: Rate
    missing: list[str]  # names of units whose report of the day is missing (the first few)


def day_summary(*, user: Any, region: Region, day: date, names: int = 20) -> DaySummary:
    """The same counts as `completeness` for one day, counted in the database (for the
    dashboard: no unit rows in Python however many units): two queries."""
    sent = DailyReport.objects.filter(unit=OuterRef("pk"), day=day)
    units = (
        unit_list(user=user, region=region)
        .filter(is_active=True)
        .annotate(sent=Exists(sent), sent_on_time=Exists(sent.filter(on_time=True)))
        .filter(Q(reports_from__lte=day) | Q(sent=True))
    )
    totals = units.aggregate(
        expected=Count("pk"),
        received=Count("pk", filter=Q(sent=True)),
        on_time=Count("pk", filter=Q(sent_on_time=True)),
    )
    missing = list(units.filter(sent=False).values_list("name", flat=True)[:names])
    return DaySummary(rate=Rate(**totals), missing=missing)
