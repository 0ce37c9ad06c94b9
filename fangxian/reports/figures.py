"""Figures rolled up from the units' reports: village → township → county, any day or range.

What is added up is what the units sent (reported values) and what their forms snapshotted
(computed values), one row per unit, day and indicator, so a corrected report counts once and
later records do not rewrite a day. For an indicator whose day value is NEW, a range adds the
days from `first` to `last` and the cumulative figure every day up to `last`; for a LEVEL one
both are the value of `last`.

Cost: the indicators, the child units, then one GROUP BY (unit region path, indicator) over the
report values: three queries whatever the number of villages, units and days (the pattern of
regions.selectors.region_figures: each group is added to the child whose path it extends).
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from fangxian.regions.models import Region
from fangxian.regions.scope import scoped
from fangxian.reports.models import Indicator, ReportingUnit, ReportValue
from fangxian.reports.selectors import MANAGE

ZERO = Decimal(0)


@dataclass
class Cell:
    value: Decimal = ZERO  # the day, or the range
    cumulative: Decimal = ZERO  # up to the last day


@dataclass
class Row:
    region: Region | None  # None: units that report at the region itself (a township's units)
    cells: dict[int, Cell]  # by indicator id


@dataclass
class Aggregate:
    region: Region
    first: date
    last: date
    indicators: list[Indicator]
    rows: list[Row] = field(default_factory=list)
    totals: dict[int, Cell] = field(default_factory=dict)

    def total_of(self, code: str) -> Cell:
        for indicator in self.indicators:
            if indicator.code == code:
                return self.totals[indicator.pk]
        raise KeyError(code)


def values_under(*, user: Any, region: Region) -> QuerySet[ReportValue]:
    """Report values of the units under `region` that the user manages."""
    units = scoped(ReportingUnit.objects.filter(region__path__startswith=region.path), user, MANAGE)
    return ReportValue.objects.filter(report__unit__in=units.values("pk"))


def aggregate(*, user: Any, region: Region, first: date, last: date) -> Aggregate:
    """The figures of every active indicator under `region`, per child unit and in total."""
    indicators = list(Indicator.objects.filter(is_active=True))
    children = list(scoped(Region.objects.filter(parent=region), user, MANAGE).order_by("path"))
    child_length = Region.PATH_LENGTH.get(region.level + 1, 0)
    result = Aggregate(region=region, first=first, last=last, indicators=indicators)
    new = {i.pk for i in indicators if i.semantics == Indicator.Semantics.NEW}

    def blank() -> dict[int, Cell]:
        return {i.pk: Cell() for i in indicators}

    by_child = {child.path: blank() for child in children}
    at_region = blank()
    result.totals = blank()
    grouped = (
        values_under(user=user, region=region)
        .filter(report__day__lte=last, indicator__is_active=True)
        .values("report__unit__region__path", "indicator_id")
        .annotate(
            in_range=Sum("value", filter=Q(report__day__gte=first)),
            up_to=Sum("value"),
            on_last=Sum("value", filter=Q(report__day=last)),
        )
        .order_by()
    )
    seen_at_region = False
    for group in grouped:
        indicator = group["indicator_id"]
        if indicator in new:
            value, cumulative = group["in_range"] or ZERO, group["up_to"] or ZERO
        else:
            value = cumulative = group["on_last"] or ZERO
        path = group["report__unit__region__path"]
        targets = [result.totals]
        if child_length and len(path) >= child_length and path[:child_length] in by_child:
            targets.append(by_child[path[:child_length]])
        elif len(path) < child_length or not child_length:
            targets.append(at_region)
            seen_at_region = True
        for cells in targets:
            cells[indicator].value += value
            cells[indicator].cumulative += cumulative
    result.rows = [Row(region=child, cells=by_child[child.path]) for child in children]
    if seen_at_region:
        result.rows.insert(0, Row(region=None, cells=at_region))
    return result


def figure_reports(
    *,
    user: Any,
    region: Region,
    indicator: Indicator,
    first: date,
    last: date,
    cumulative: bool = False,
) -> QuerySet[ReportValue]:
    """The unit reports behind one figure (the drill-down), oldest day first: the days of the
    range, or every day up to `last` for the cumulative figure (a LEVEL one: `last` only)."""
    rows = values_under(user=user, region=region).filter(indicator=indicator, report__day__lte=last)
    if indicator.semantics == Indicator.Semantics.LEVEL:
        rows = rows.filter(report__day=last)
    elif not cumulative:
        rows = rows.filter(report__day__gte=first)
    return rows.select_related("report__unit__region").order_by(
        "report__day", "report__unit__region__path", "report__unit__name"
    )
