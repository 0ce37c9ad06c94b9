"""The HQ board (隔离管控看板): for a township or village, at a moment, how many people are under
each kind and status, released and transferred today, due for release tomorrow, overdue on their
checks, with an unresolved fever alert, with an open errand — per child unit and in total.

Every figure is defined once, as a filter on a model (`FIGURES`): the board counts it with one
`GROUP BY region path` per model (orders, alerts, errands) and `board_list` returns the rows behind
it with the same filter, so a number and its list cannot disagree. The cost is a fixed number of
queries whatever the number of villages or orders (the pattern of regions.selectors.region_figures:
group by the rows' region path, add each group to the child whose path it extends).

Status counts are of the present state ("today" is the local day of `now`); released, transferred
and due-for-release figures use that day.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fangxian.quarantine.models import Errand, FeverAlert, QuarantineKind, QuarantineOrder
from fangxian.quarantine.selectors import VIEW, day_bounds, due_slot, overdue_q
from fangxian.regions.models import Region
from fangxian.regions.scope import scoped

Status = QuarantineOrder.Status


@dataclass(frozen=True)
class Figure:
    model: type[Model]
    condition: Callable[["_Clock"], Q]


@dataclass(frozen=True)
class _Clock:
    now: datetime

    @property
    def today(self):
        return timezone.localdate(self.now)

    def ended_today(self, status: str) -> Q:
        start, end = day_bounds(self.today)
        return Q(status=status, ended_at__gte=start, ended_at__lt=end)


FIGURES: dict[str, Figure] = {
    "active": Figure(QuarantineOrder, lambda c: Q(status=Status.ACTIVE)),
    "pending": Figure(QuarantineOrder, lambda c: Q(status=Status.PENDING)),
    "released_today": Figure(QuarantineOrder, lambda c: c.ended_today(Status.RELEASED)),
    "transferred_today": Figure(QuarantineOrder, lambda c: c.ended_today(Status.TRANSFERRED)),
    "due_release_tomorrow": Figure(
        QuarantineOrder,
        lambda c: Q(status=Status.ACTIVE, planned_end_on=c.today + timedelta(days=1)),
    ),
    "overdue_checks": Figure(QuarantineOrder, lambda c: overdue_q(due_slot(now=c.now))),
    "open_alerts": Figure(FeverAlert, lambda c: Q(status__in=FeverAlert.UNRESOLVED)),
    "open_errands": Figure(Errand, lambda c: Q(status__in=Errand.OPEN)),
}
# Per kind of quarantine and open status: "<kind code>:active", "<kind code>:pending".
KIND_STATUSES = (Status.ACTIVE, Status.PENDING)


def _kind_figure(name: str) -> Figure | None:
    code, _sep, status = name.rpartition(":")
    if not code or status not in KIND_STATUSES:
        return None
    return Figure(QuarantineOrder, lambda c: Q(kind__code=code, status=status))


def figure_of(name: str) -> Figure:
    """The figure called `name` (a fixed one, or "<kind code>:<status>"); 404 if none."""
    found = FIGURES.get(name) or _kind_figure(name)
    if found is None:
        raise Http404
    return found


@dataclass
class BoardRow:
    region: Region
    counts: dict[str, int]


@dataclass
class Board:
    region: Region
    as_of: datetime
    kinds: list[QuarantineKind]
    names: list[str]  # every figure, in display order
    rows: list[BoardRow] = field(default_factory=list)  # one per visible child unit
    totals: dict[str, int] = field(default_factory=dict)


def _rows_under(model: type[Model], user: Any, region: Region) -> QuerySet:
    return scoped(model.objects.all(), user, VIEW).filter(region__path__startswith=region.path)


def board(*, user: Any, region: Region, now: datetime | None = None) -> Board:
    """The board for `region` at `now` (default: the present). Queries: kinds, check rules and
    times, child units, then one GROUP BY each for orders, alerts and errands: 7 in all,
    whatever the size of the region."""
    clock = _Clock(now or timezone.now())
    kinds = list(QuarantineKind.objects.all())
    kind_names = [f"{kind.code}:{status}" for kind in kinds for status in KIND_STATUSES]
    names = [*FIGURES, *kind_names]
    conditions = {name: FIGURES[name].condition(clock) for name in FIGURES}
    conditions |= {name: _kind_figure(name).condition(clock) for name in kind_names}
    children = list(scoped(Region.objects.filter(parent=region), user, VIEW).order_by("path"))
    child_length = Region.PATH_LENGTH.get(region.level + 1, 0)
    by_child = {child.path: dict.fromkeys(names, 0) for child in children}
    totals = dict.fromkeys(names, 0)
    for model in (QuarantineOrder, FeverAlert, Errand):
        counted = [name for name in names if figure_of(name).model is model]
        grouped = (
            _rows_under(model, user, region)
            .values("region__path")
            .annotate(**{name: Count("id", filter=conditions[name]) for name in counted})
            .order_by()
        )
        for group in grouped:
            row = by_child.get(group["region__path"][:child_length]) if child_length else None
            for name in counted:
                totals[name] += group[name]
                if row is not None:
                    row[name] += group[name]
    return Board(
        region=region,
        as_of=clock.now,
        kinds=kinds,
        names=names,
        rows=[BoardRow(region=child, counts=by_child[child.path]) for child in children],
        totals=totals,
    )


def board_list(*, user: Any, region: Region, figure: str, now: datetime | None = None) -> QuerySet:
    """The rows behind one figure of the board (orders, alerts or errands) under `region`, in
    the user's scope, with the same filter the board counted. 404 for an unknown figure."""
    found = figure_of(figure)
    rows = _rows_under(found.model, user, region).filter(
        found.condition(_Clock(now or timezone.now()))
    )
    related = "person" if found.model is QuarantineOrder else "order__person"
    return rows.select_related(related).order_by("id")
