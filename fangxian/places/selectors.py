"""Reads for place codes, always through the region scope (manage_places), except the two the
public scan page needs: the place behind a token and the person behind a personal code, which
show nothing about anyone."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat, Substr
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.checkpoints.models import PersonalCode
from fangxian.places.models import Place, Scan
from fangxian.places.services import uncorrected
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped

MANAGE = Capability.MANAGE_PLACES
TOKEN_MAX = 32


# --- places ---------------------------------------------------------------------------------


def place_list(
    *, user: Any, region: Region | None = None, kind: str = "", q: str = ""
) -> QuerySet[Place]:
    """Places under the user's scope (manage_places), optionally under a region, of a kind, or
    whose name contains `q`."""
    places = scoped(Place.objects.select_related("region"), user, MANAGE)
    if region is not None:
        places = places.filter(region__path__startswith=region.path)
    if kind:
        places = places.filter(kind=kind)
    if q:
        places = places.filter(name__icontains=q)
    return places


def place_get(*, user: Any, place_id: int) -> Place:
    return get_scoped_or_404(Place.objects.select_related("region"), user, MANAGE, pk=place_id)


def region_get(*, user: Any, code: str) -> Region:
    """A region the user manages places in, by code (404 outside the scope)."""
    return get_scoped_or_404(Region.objects.all(), user, MANAGE, code=code)


def place_villages(*, user: Any) -> QuerySet[Region]:
    """The villages where the user may register places."""
    return scoped(Region.objects.filter(level=Region.Level.VILLAGE), user, MANAGE).order_by("path")


def place_by_token(*, token: str) -> Place | None:
    """The place whose poster carries `token` (public: the scan page). None when unknown or
    withdrawn; the caller answers the same neutral page for both."""
    if not token or len(token) > TOKEN_MAX:
        return None
    return Place.objects.select_related("region").filter(token=token).first()


def person_by_code(*, text: str) -> Any | None:
    """The person behind an active personal code (its token or the URL /c/<token>/), for the
    scan page and the device endpoint: a resident names themself, so no scope applies; the
    answer is never shown. None for a revoked, unknown or merged-away code."""
    token = (text or "").strip().rstrip("/").rsplit("/", 1)[-1]
    if not token or len(token) > TOKEN_MAX:
        return None
    code = (
        PersonalCode.objects.select_related("person")
        .filter(token=token, revoked_at__isnull=True, person__merged_into__isnull=True)
        .first()
    )
    return code.person if code is not None else None


# --- scans ----------------------------------------------------------------------------------


def counted(scans: QuerySet[Scan]) -> QuerySet[Scan]:
    """The scans that count: not corrected by a later one, not withdrawn."""
    return uncorrected(scans).filter(withdrawn=False)


# Each figure is a filter on the counted scans; the list behind it uses the same one.
FIGURES: dict[str, Q] = {
    "scans": Q(),
    "entries": Q(direction=Scan.Direction.IN),
    "exits": Q(direction=Scan.Direction.OUT),
    "people": Q(),
}
FIGURE_NAMES = ("entries", "exits", "people")

# Who scanned: the ledger's person when known, else the phone number ("p<id>" never looks
# like a phone). Distinct people are distinct values of this.
WHO = Case(
    When(person__isnull=False, then=Concat(Value("p"), Cast("person_id", CharField()))),
    default=F("phone"),
    output_field=CharField(),
)


def scan_list(
    *,
    user: Any,
    place: Place | None = None,
    region: Region | None = None,
    day: date | None = None,
    figure: str = "",
) -> QuerySet[Scan]:
    """Counted scans the user may see (manage_places over the place's region), newest first
    when paged; phones are shown masked (Scan.phone_masked) and people never named."""
    scans = counted(scoped(Scan.objects.select_related("place", "region"), user, MANAGE))
    if place is not None:
        scans = scans.filter(place=place)
    if region is not None:
        scans = scans.filter(region__path__startswith=region.path)
    if day is not None:
        scans = scans.filter(day=day)
    if figure in FIGURES:
        scans = scans.filter(FIGURES[figure])
    return scans


# --- figures (issue 5, item 6) --------------------------------------------------------------


def _sums() -> dict[str, Any]:
    return {
        "entries": Count("id", filter=FIGURES["entries"]),
        "exits": Count("id", filter=FIGURES["exits"]),
        "people": Count(WHO, distinct=True),
        "places_scanned": Count("place_id", distinct=True),
    }


@dataclass
class FigureRow:
    """The scans of one day at a place, or in a village, a township or the whole scope."""

    label: str
    region: Region | None = None
    place: Place | None = None
    entries: int = 0
    exits: int = 0
    people: int = 0
    places_scanned: int = 0
    places_open: int = 0
    places_closed: int = 0

    def fill(self, found: dict[str, Any]) -> None:
        for name in ("entries", "exits", "people", "places_scanned"):
            setattr(self, name, found.get(name) or 0)

    @property
    def scans(self) -> int:
        return self.entries + self.exits

    @property
    def cells(self) -> list[tuple[str, int]]:
        return [(name, getattr(self, name)) for name in FIGURE_NAMES]

    @property
    def query(self) -> str:
        """The scan list's filter for this row's figures."""
        if self.place is not None:
            return f"place={self.place.pk}"
        return f"region={self.region.code}" if self.region is not None else ""


@dataclass
class PlaceFigures:
    day: date
    area: Region | None
    townships: list[FigureRow] = field(default_factory=list)
    villages: list[FigureRow] = field(default_factory=list)
    places: list[FigureRow] = field(default_factory=list)  # only when the area is a village
    total: FigureRow | None = None
    series: list[FigureRow] = field(default_factory=list)  # the days before, the day last


def place_figures(
    *, user: Any, day: date, area: Region | None = None, days: int = 7
) -> PlaceFigures:
    """The scans of `day` per village and per township (entries, exits, distinct people,
    places with scans; places open and closed), the whole area's total, its last `days` days,
    and, when `area` is a village, per place. A fixed number of GROUP BY queries whatever the
    number of places and scans, the scans' ones reading the (region, day) index: villages,
    the place counts, the scans by village, by township (and the townships' names), in total,
    by day, and for a village its places and their scans. Distinct people are counted at each level (someone who scanned in two
    villages is one person of the township), so they do not add up across rows."""
    scans = counted(scoped(Scan.objects.all(), user, MANAGE))
    places = scoped(Place.objects.all(), user, MANAGE)
    villages = place_villages(user=user)
    if area is not None:
        scans = scans.filter(region__path__startswith=area.path)
        places = places.filter(region__path__startswith=area.path)
        villages = villages.filter(path__startswith=area.path)
    figures = PlaceFigures(day=day, area=area)
    village_rows = {v.pk: FigureRow(label=v.short_name, region=v) for v in villages}
    for found in (
        places.values("region_id")
        .annotate(
            open=Count("id", filter=Q(is_open=True)), closed=Count("id", filter=Q(is_open=False))
        )
        .order_by()
    ):
        row = village_rows.get(found["region_id"])
        if row is not None:
            row.places_open, row.places_closed = found["open"], found["closed"]
    on_day = scans.filter(day=day)
    for found in on_day.values("region_id").annotate(**_sums()).order_by():
        row = village_rows.get(found["region_id"])
        if row is not None:
            row.fill(found)
    figures.villages = list(village_rows.values())
    township_of = Substr("region__path", 1, Region.PATH_LENGTH[Region.Level.TOWNSHIP])
    by_township = {
        found["township"]: found
        for found in on_day.values(township=township_of).annotate(**_sums()).order_by()
    }
    townships: dict[str, FigureRow] = {}
    for row in figures.villages:
        path = row.region.path[: Region.PATH_LENGTH[Region.Level.TOWNSHIP]]
        township = townships.setdefault(path, FigureRow(label=path))
        township.places_open += row.places_open
        township.places_closed += row.places_closed
        township.fill(by_township.get(path, {}))
    names = dict(Region.objects.filter(path__in=townships).values_list("path", "short_name"))
    for path, row in townships.items():
        row.label = names.get(path, path)
    figures.townships = list(townships.values())
    total = FigureRow(label=area.short_name if area is not None else str(_("Total")), region=area)
    total.fill(on_day.aggregate(**_sums()))
    total.places_open = sum(row.places_open for row in figures.villages)
    total.places_closed = sum(row.places_closed for row in figures.villages)
    figures.total = total
    first = day - timedelta(days=days - 1)
    by_day = {
        found["day"]: found
        for found in scans.filter(day__gte=first, day__lte=day)
        .values("day")
        .annotate(**_sums())
        .order_by()
    }
    for offset in range(days):
        current = first + timedelta(days=offset)
        row = FigureRow(label=current.isoformat())
        row.fill(by_day.get(current, {}))
        figures.series.append(row)
    if area is not None and area.level == Region.Level.VILLAGE:
        place_rows = {p.pk: FigureRow(label=p.name, place=p) for p in places.order_by("name", "id")}
        for found in on_day.values("place_id").annotate(**_sums()).order_by():
            row = place_rows.get(found["place_id"])
            if row is not None:
                row.fill(found)
        figures.places = list(place_rows.values())
    return figures


@dataclass
class HomeCounters:
    scans: int = 0
    entries: int = 0
    people: int = 0
    places_open: int = 0
    places_closed: int = 0
    checkpoints: dict[str, int] | None = None


def home_counters(*, user: Any, day: date) -> HomeCounters:
    """Live counters for the home page, in the user's scope: today's scans and places open or
    closed (manage_places), today's checkpoint figures (manage_checkpoints). Two queries, plus
    checkpoints' own when the user manages them."""
    counters = HomeCounters()
    if user.has_capability(MANAGE):
        found = (
            counted(scoped(Scan.objects.all(), user, MANAGE)).filter(day=day).aggregate(**_sums())
        )
        counters.entries = found["entries"]
        counters.scans = found["entries"] + found["exits"]
        counters.people = found["people"]
        places = scoped(Place.objects.all(), user, MANAGE).aggregate(
            open=Count("id", filter=Q(is_open=True)), closed=Count("id", filter=Q(is_open=False))
        )
        counters.places_open, counters.places_closed = places["open"], places["closed"]
    if user.has_capability(Capability.MANAGE_CHECKPOINTS):
        counters.checkpoints = checkpoint_day_totals(user=user, day=day)
    return counters


def checkpoint_day_totals(*, user: Any, day: date) -> dict[str, int]:
    """Today's checkpoint figures summed over the user's checkpoints, through checkpoints'
    own `checkpoint_figures` (so the home page and the figures page always agree): passages
    registered, people and vehicles (counted-only ones included), turned back, handed over,
    fevers."""
    from fangxian.checkpoints.models import Passage
    from fangxian.checkpoints.selectors import checkpoint_figures, latest_only

    rows, _regions = checkpoint_figures(user=user, day=day)
    totals = {
        "passages": latest_only(scoped(Passage.objects.all(), user, Capability.MANAGE_CHECKPOINTS))
        .filter(day=day)
        .count()
    }
    for name in ("people", "vehicles", "turned_back", "handed_over", "fevers"):
        totals[name] = sum(row.day[name] for row in rows)
    for name in ("people", "vehicles"):
        totals[name] += sum(row.counted_day[name] for row in rows)
    return totals


def place_scan_counts(*, places: list[Place], day: date) -> dict[int, int]:
    """Today's counted scans of a page of places, by place id: one GROUP BY."""
    found = (
        counted(Scan.objects.filter(place__in=places, day=day))
        .values("place_id")
        .annotate(total=Count("id"))
        .order_by()
    )
    return {row["place_id"]: row["total"] for row in found}
