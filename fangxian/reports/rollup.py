"""The roll-up of the computed figures (`FigureDay`): written from the computations' `count()`,
read by the dashboard and the range aggregation instead of the raw events.

Counting ten million passages and scans on every view takes seconds; the roll-up holds one row
per computation, day and record region (the village, or the township for records kept at the
township) — a few thousand rows a day for a county — so a read is one GROUP BY over them,
whatever the number of villages and days it covers.

Freshness: `fangxian serve` starts `refresh_figures --loop` beside the web server, which
refreshes today and yesterday every 60 s (so figures are at most about a minute behind the
records), rebuilds the last 30 days when it starts and once a night after 03:00 (records
entered or corrected late, for older days), and `fangxian manage refresh_figures --days N
[--region CODE]` rebuilds on demand (after a migration, an import of old records, the demo).

Counting happens outside any transaction (it only reads); the rows of the range are then
replaced in one short transaction that holds the lock row of `FigureRefresh`, so two refreshes
never interleave their writes and SQLite's single writer is held for milliseconds only.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from fangxian.regions.models import Region
from fangxian.regions.scope import scoped
from fangxian.reports import computed
from fangxian.reports.models import FigureDay, FigureRefresh
from fangxian.reports.selectors import MANAGE

VILLAGE_LENGTH = Region.PATH_LENGTH[Region.Level.VILLAGE]
BATCH = 2000
ANALYZE_ROWS = 5000  # a refresh writing more rows than this analyses the table (PostgreSQL)


@dataclass(frozen=True)
class Refreshed:
    first: date
    last: date
    rows: int
    seconds: float
    as_of: datetime


def figures_refresh(
    *, first: date, last: date, region: Region | None = None, keys: list[str] | None = None
) -> Refreshed:
    """Recount every registered computation (or those of `keys`) for the days `first`..`last`
    under `region` (default: everything) and replace those rows of the roll-up. The region
    must be a village or above (rows are kept per village)."""
    if region is not None and region.level > Region.Level.VILLAGE:
        raise ValueError("the roll-up is kept per village: refresh a village or above")
    root = region or Region(path="")
    wanted = [c for c in computed.computations() if keys is None or c.key in keys]
    as_of = timezone.now()
    started = time.perf_counter()
    values: dict[tuple[str, date, str], int] = defaultdict(int)
    for computation in wanted:
        for (path, on), n in computation.count(root, first, last).items():
            if n and first <= on <= last:
                values[(computation.key, on, path[:VILLAGE_LENGTH])] += n
    rows = [
        FigureDay(key=key, day=on, path=path, value=n) for (key, on, path), n in values.items() if n
    ]
    with transaction.atomic():
        FigureRefresh.objects.select_for_update().get_or_create(path="")  # the writers' lock
        FigureDay.objects.filter(
            key__in=[c.key for c in wanted],
            day__gte=first,
            day__lte=last,
            path__startswith=root.path,
        ).delete()
        FigureDay.objects.bulk_create(rows, batch_size=BATCH)
        seconds = time.perf_counter() - started
        FigureRefresh.objects.update_or_create(
            path=root.path,
            defaults={
                "as_of": as_of,
                "first": first,
                "last": last,
                "seconds": seconds,
                "rows": len(rows),
            },
        )
    if connection.vendor == "postgresql" and len(rows) >= ANALYZE_ROWS:
        # A rebuild replaces most of the table: fresh statistics at once, so the planner
        # aggregates the dashboard's reads by hashing instead of sorting (measured: bench/).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FigureDay._meta.db_table}")
    return Refreshed(first=first, last=last, rows=len(rows), seconds=seconds, as_of=as_of)


def refreshed_as_of(region: Region) -> datetime | None:
    """When the figures of `region` were last brought up to date (a refresh of it or of a
    region above it, the whole roll-up included). One query."""
    prefixes = {""} | {
        region.path[:n] for n in Region.PATH_LENGTH.values() if n <= len(region.path)
    }
    return FigureRefresh.objects.filter(path__in=prefixes).aggregate(at=Max("as_of"))["at"]


def rows_under(region: Region) -> Any:
    return FigureDay.objects.filter(path__startswith=region.path)


# --- the range aggregation ----------------------------------------------------------------------


@dataclass
class Cell:
    value: int = 0  # NEW: the sum over the range; LEVEL: the last day's
    cumulative: int = 0  # NEW: the sum up to the last day; LEVEL: the last day's


@dataclass
class RangeFigures:
    region: Region
    first: date
    last: date
    children: list[Region]
    by_child: dict[str, dict[str, Cell]] = field(default_factory=dict)  # child path -> key -> Cell
    at_region: dict[str, Cell] = field(default_factory=dict)  # records kept at the region itself
    totals: dict[str, Cell] = field(default_factory=dict)


def child_of(path: str, child_length: int, children: dict[str, Any]) -> Any:
    """The child (of a dict keyed by path) whose path `path` extends, or None."""
    if child_length and len(path) >= child_length:
        return children.get(path[:child_length])
    return None


def range_figures(*, user: Any, region: Region, first: date, last: date) -> RangeFigures:
    """Every computed figure under `region` for the days `first`..`last`, per child unit and
    in total, from the roll-up: new ones added up over the range and up to `last`, standing
    ones at the end of `last`. Two queries (the child units, one GROUP BY (path, key)) whatever
    the number of villages and days."""
    children = list(scoped(Region.objects.filter(parent=region), user, MANAGE).order_by("path"))
    child_length = Region.PATH_LENGTH.get(region.level + 1, 0)
    level_keys = [c.key for c in computed.computations() if c.semantics == computed.LEVEL]
    result = RangeFigures(region=region, first=first, last=last, children=children)
    result.by_child = {child.path: defaultdict(Cell) for child in children}
    result.at_region = defaultdict(Cell)
    result.totals = defaultdict(Cell)
    grouped = (
        rows_under(region)
        .filter(day__lte=last)
        .values("path", "key")
        .annotate(
            in_range=Sum("value", filter=Q(day__gte=first)),
            up_to=Sum("value"),
            on_last=Sum("value", filter=Q(day=last)),
        )
        .order_by()
    )
    for group in grouped:
        key = group["key"]
        if key in level_keys:
            value = cumulative = group["on_last"] or 0
        else:
            value, cumulative = group["in_range"] or 0, group["up_to"] or 0
        child = child_of(group["path"], child_length, result.by_child)
        for cells in (result.totals, child if child is not None else result.at_region):
            cells[key].value += value
            cells[key].cumulative += cumulative
    return result
