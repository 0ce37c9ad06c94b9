"""The registry of computed indicators: figures the records already know.

A computation is registered under a key (`register(Computation(...))`); since reports sits above
every app whose records it counts, it registers them itself (`reports.computations`,
`reports.computations_ops`), and those apps never import reports. An `Indicator` row names the
key, so HQ adds a computed indicator without code.

A computation answers, for a region and a range of days, its figures per record region and day:

    count(region, first, last) -> {(region path, day): value}

— for a NEW computation the records of each day from `first` to `last` (`first=None`: from the
beginning), for a LEVEL one the standing figure at the end of each day from `first` to `last`.
Every path lies under `region.path`; callers add them up to any unit (`path[:length]`). One or a
few GROUP BY queries, whatever the number of villages and days. `records(region, first, last)`
returns the rows behind the figure (for a LEVEL one: those standing at the end of `last`), and
`describe(row)` one line about a row for the list.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.functional import Promise

from fangxian.regions.models import Region

NEW = "new"
LEVEL = "level"

Figures = dict[tuple[str, date], int]


@dataclass(frozen=True)
class Computation:
    key: str
    label: str | Promise
    semantics: str  # NEW or LEVEL
    count: Callable[[Region, date | None, date], Figures]
    records: Callable[[Region, date, date], QuerySet]
    describe: Callable[[Model], str]
    capability: str  # what a user needs over the region to open the records


_registry: dict[str, Computation] = {}


def register(computation: Computation) -> Computation:
    """Add (or replace, when ready() runs again) a computation under its key."""
    _registry[computation.key] = computation
    return computation


def get(key: str) -> Computation | None:
    return _registry.get(key)


def computations() -> list[Computation]:
    return sorted(_registry.values(), key=lambda c: c.key)


def choices() -> list[tuple[str, str]]:
    """(key, label) of every registered computation, for the indicator forms."""
    return [(c.key, f"{c.label} [{c.key}]") for c in computations()]


def value(key: str, *, region: Region, day: date) -> int:
    """The figure of `key` for `region` on `day` (0 for an unknown key): one computation."""
    computation = get(key)
    if computation is None:
        return 0
    figures = computation.count(region, day, day)
    return sum(n for (_path, on), n in figures.items() if on == day)


# --- helpers for computations ---------------------------------------------------------------


def day_start(day: date) -> datetime:
    """The start of a local day, aware."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    """The start of the next local day: `< day_end(day)` is "by the end of day"."""
    return day_start(day + timedelta(days=1))


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def add_up(rows: Any, *, path: str = "path", day: str = "day", total: str = "n") -> Figures:
    """{(path, day): n} from grouped rows (several rows may fall on one key)."""
    figures: Figures = {}
    for row in rows:
        key = (row[path], row[day])
        figures[key] = figures.get(key, 0) + row[total]
    return figures


def running_levels(
    *, base: dict[str, int], starts: Figures, ends: Figures, first: date, last: date
) -> Figures:
    """Standing figures per path at the end of each day from `first` to `last`, given the
    level before `first` and the starts and ends of each day."""
    paths = set(base) | {p for p, _d in starts} | {p for p, _d in ends}
    figures: Figures = {}
    for path in paths:
        level = base.get(path, 0)
        for on in days(first, last):
            level += starts.get((path, on), 0) - ends.get((path, on), 0)
            if level:
                figures[(path, on)] = level
    return figures
