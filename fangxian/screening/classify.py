"""Which kind of returnee a trip makes (湖北返乡人员, 经停湖北, 省外入滇人员, 其他返乡). Pure rules,
no Django: the services feed them rows and turn the reason into a sentence (trips.py).

A trip is categorised, most pressing first:

1. KEY_AREA: its origin lies in a key area (the origin's division code starts with the key area's
   code: 武汉 4201 lies in 湖北 42) and its dates fall in the key area's period;
2. VIA_KEY_AREA: one of the places it passed through does, on the same dates;
3. OUT_OF_PROVINCE: its origin is in another province than the township's;
4. OTHER: anything else, including an origin nobody could place (the reason says so).

The dates. A trip runs from `departed_on` to `arrived_on`; with only one of them known it is that
one day. It falls in a key area's period [starts_on, ends_on] (no ends_on: still running) when the
two overlap: it arrived on or after the day the area started counting and left on or before the
last day it counted. So somebody who left 武汉 on 2020-01-08 and arrived on 2020-01-11 counts for
湖北 from 2020-01-10 (they were on the road from there while it counted); somebody who arrived on
2020-01-09 does not. A trip without any date counts while the key area is in force today: what we
do not know is read the cautious way, and the reason says that the dates are missing.

An origin coarser than a key area (湖北 against a key area 武汉) does not count for it: we do not
know that they were in 武汉. When several key areas match, the most specific one (longest code),
then the earliest, gives the reason.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

# The values of screening.models.Trip.Category, most pressing first (a test keeps them equal).
KEY_AREA = "key_area"
VIA_KEY_AREA = "via_key_area"
OUT_OF_PROVINCE = "out_of_province"
OTHER = "other"
CATEGORIES = (KEY_AREA, VIA_KEY_AREA, OUT_OF_PROVINCE, OTHER)

# Reason codes; the Django layer has one message for each (screening.trips.REASON_MESSAGES).
FROM_KEY_AREA = "from_key_area"  # params: origin, area, label, since, until
FROM_KEY_AREA_UNDATED = "from_key_area_undated"  # same params
VIA_KEY_AREA_DATED = "via_key_area"  # params: via, area, label, since, until
VIA_KEY_AREA_UNDATED = "via_key_area_undated"  # same params
FROM_OTHER_PROVINCE = "from_other_province"  # params: origin, province
FROM_HOME_PROVINCE = "from_home_province"  # params: origin
ORIGIN_UNKNOWN = "origin_unknown"  # no params: the text is shown beside the reason
REASONS = (
    FROM_KEY_AREA,
    FROM_KEY_AREA_UNDATED,
    VIA_KEY_AREA_DATED,
    VIA_KEY_AREA_UNDATED,
    FROM_OTHER_PROVINCE,
    FROM_HOME_PROVINCE,
    ORIGIN_UNKNOWN,
)


@dataclass(frozen=True)
class TripFacts:
    """What the rules need of a trip: division codes (2, 4 or 6 digits, "" when unknown)."""

    origin_code: str = ""
    via_codes: Sequence[str] = ()
    departed_on: date | None = None
    arrived_on: date | None = None


@dataclass(frozen=True)
class KeyAreaRule:
    """A key area: `code` as in GB/T 2260, `name` 湖北省, `label` 湖北, counting from `starts_on`
    to `ends_on` inclusive (None: until further notice)."""

    code: str
    name: str
    label: str
    starts_on: date
    ends_on: date | None = None

    def in_force_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def covers(self, code: str) -> bool:
        return bool(code) and code.startswith(self.code)


@dataclass(frozen=True)
class Reason:
    """Why: a code from REASONS and the values its message needs (codes, names and dates)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)


def trip_period(trip: TripFacts) -> tuple[date, date] | None:
    """The days the trip ran, (first, last); one day when one date is known; None without."""
    first = trip.departed_on or trip.arrived_on
    last = trip.arrived_on or trip.departed_on
    if first is None or last is None:
        return None
    return (min(first, last), max(first, last))


def counts_for(area: KeyAreaRule, trip: TripFacts, *, today: date) -> bool:
    """Whether the trip's dates fall in the key area's period (see the module docstring)."""
    period = trip_period(trip)
    if period is None:
        return area.in_force_on(today)
    first, last = period
    return last >= area.starts_on and (area.ends_on is None or first <= area.ends_on)


def _first(areas: Iterable[KeyAreaRule]) -> KeyAreaRule | None:
    ordered = sorted(areas, key=lambda area: (-len(area.code), area.starts_on, area.code))
    return ordered[0] if ordered else None


def _area_params(area: KeyAreaRule) -> dict[str, Any]:
    return {"area": area.name, "label": area.label, "since": area.starts_on, "until": area.ends_on}


def classify_trip(
    trip: TripFacts, key_areas: Iterable[KeyAreaRule], *, home_province: str, today: date
) -> tuple[str, Reason]:
    """(category, reason) of one trip. `home_province` is the township's province code (53)."""
    areas = [area for area in key_areas if counts_for(area, trip, today=today)]
    dated = trip_period(trip) is not None
    origin_area = _first(area for area in areas if area.covers(trip.origin_code))
    if origin_area is not None:
        code = FROM_KEY_AREA if dated else FROM_KEY_AREA_UNDATED
        return KEY_AREA, Reason(code, {"origin": trip.origin_code, **_area_params(origin_area)})
    for via in trip.via_codes:
        via_area = _first(area for area in areas if area.covers(via))
        if via_area is not None:
            code = VIA_KEY_AREA_DATED if dated else VIA_KEY_AREA_UNDATED
            return VIA_KEY_AREA, Reason(code, {"via": via, **_area_params(via_area)})
    if not trip.origin_code:
        return OTHER, Reason(ORIGIN_UNKNOWN)
    if trip.origin_code[:2] != home_province[:2]:
        return OUT_OF_PROVINCE, Reason(
            FROM_OTHER_PROVINCE, {"origin": trip.origin_code, "province": home_province[:2]}
        )
    return OTHER, Reason(FROM_HOME_PROVINCE, {"origin": trip.origin_code})


def most_pressing(categories: Iterable[str]) -> str:
    """A person's category: the most pressing of their trips' ("" without any)."""
    ranks = [CATEGORIES.index(category) for category in categories if category in CATEGORIES]
    return CATEGORIES[min(ranks)] if ranks else ""
