"""Screening lists as .xlsx rosters, laid out as townships send them upward (core.xlsx): the
returnee register (返乡人员排查登记表, DOMAIN §3), a campaign's coverage by unit and the households
it has not yet visited.

As for the people ledger (people.exports): ID numbers and phones masked unless the user may
export full data over everything exported; every export, masked or full, leaves one audit entry
with its filter and row count. Rows stream from the scoped selectors in chunks of 2,000 with their
relations selected, so an export costs the same number of queries for 5 rows or 50,000.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.core.xlsx import Column, write_roster
from fangxian.people.exports import export_subject, roster_labels
from fangxian.people.selectors import person_export_full_allowed
from fangxian.regions.models import Region
from fangxian.screening import selectors
from fangxian.screening.models import Campaign, Trip

CHUNK = 2000


@dataclass(frozen=True)
class RosterExport:
    rows: int
    title: str
    filename: str


def _units(region: Region | None) -> list[str]:
    """Short names from the village down to `region` (瓦房村, 第一网格, 黄包谷地组), through the
    parents selected with the row: no query."""
    names: list[str] = []
    current = region
    while current is not None and current.level >= Region.Level.VILLAGE:
        names.insert(0, current.short_name)
        if current.level == Region.Level.VILLAGE or "parent" not in current._state.fields_cache:
            break
        current = current.parent
    return names


def _filename(title: str, day: date) -> str:
    return f"{title}-{day.isoformat()}.xlsx"


# --- returnees (返乡人员排查登记表) --------------------------------------------------------------


def returnee_columns() -> list[Column]:
    """The register's columns after 序号, in the order of `_returnee_row`."""
    return [
        Column(_("Name"), width=10),
        Column(_("Sex"), width=6),
        Column(_("ID number"), width=22, text=True),
        Column(_("Contact phone"), width=15, text=True),
        Column(_("Current address"), width=28),
        Column(_("Returned from"), width=20),
        Column(_("Returned on"), width=12, number_format="yyyy-mm-dd"),
        Column(_("Means of transport"), width=10),
        Column(_("Train, flight or plate"), width=14),
        Column(_("Places passed through"), width=20),
        Column(_("Travelled with"), width=16),
        Column(_("Category"), width=14),
        Column(_("Why"), width=30),
    ]


def _returnee_row(trip: Trip, *, full: bool) -> tuple[Any, ...]:
    person = trip.person
    return (
        person.name,
        person.get_sex_display(),
        person.id_number if full else mask_id_number(person.id_number),
        person.phone if full else mask_phone(person.phone),
        " · ".join(_units(trip.region)),
        trip.origin_text,
        trip.arrived_on,
        trip.get_transport_display(),
        trip.transport_number,
        trip.via_text,
        trip.companions,
        trip.get_category_display(),
        trip.category_reason,
    )


def _returnee_rows(trips, *, full: bool) -> Iterator[tuple[Any, ...]]:
    for trip in trips.iterator(chunk_size=CHUNK):
        yield _returnee_row(trip, full=full)


def returnee_list_export(
    *,
    actor: Any,
    stream: IO[bytes],
    category: str = "",
    since: date | None = None,
    region: Region | None = None,
    full: bool = False,
    day: date,
) -> RosterExport:
    """Write the returnees `actor` may see (the list's filters: category, arrived since, under
    `region`) to `stream` as the 返乡人员排查登记表 and audit it: one entry with the filter, the
    row count and whether numbers were full. One row per trip, by village, grid and arrival.

    ID numbers and phones are masked unless `full`, which needs `export_full_pii` over everything
    exported (people.selectors.person_export_full_allowed; PermissionDenied otherwise, views
    answer 404 first). The entry is written after the file, when the count is known.
    """
    if full and not person_export_full_allowed(user=actor, region=region):
        raise PermissionDenied
    subject = export_subject(actor, region)
    short, official = roster_labels(subject)
    title = (
        _("%(region)s returnee screening register") % {"region": short}
        if short
        else _("Returnee screening register")
    )
    trips = selectors.returnee_list(
        user=actor, category=category, since=since, region=region
    ).order_by("region__path", "arrived_on", "id")
    rows = write_roster(
        stream,
        title=title,
        unit=official,
        day=day,
        columns=returnee_columns(),
        rows=_returnee_rows(trips, full=full),
        sheet_name=_("Returnee screening register"),
    )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        region=subject,
        detail={
            "filter": {
                "category": category,
                "since": since.isoformat() if since is not None else "",
                "region": region.code if region is not None else "",
            },
            "rows": rows,
            "full": full,
            "list": "returnees",
        },
    )
    return RosterExport(rows=rows, title=title, filename=_filename(title, day))


# --- campaign coverage (走访覆盖) ---------------------------------------------------------------


def coverage_columns() -> list[Column]:
    return [
        Column(_("Unit"), width=16),
        Column(_("Households"), width=10),
        Column(_("Households visited"), width=12),
        Column(_("Coverage"), width=10, number_format="0%"),
    ]


def _coverage_rows(figures: selectors.Coverage) -> Iterable[tuple[Any, ...]]:
    """One row per unit the coverage page lists; a grid, which lists none, is its own row.
    The rate is the page's, rounded down: 199 of 200 households is 99%, never 100%."""
    for row in figures.rows or [figures]:
        percent = row.percent
        yield (
            row.region.short_name,
            row.total,
            row.visited,
            percent / 100 if percent is not None else None,
        )


def _campaign_audit(
    *, actor: Any, campaign: Campaign, region: Region, rows: int, kind: str
) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        region=region,
        detail={
            "filter": {"campaign": campaign.pk, "region": region.code},
            "rows": rows,
            "full": False,
            "list": kind,
        },
    )


def coverage_export(
    *, actor: Any, stream: IO[bytes], campaign: Campaign, region: Region, day: date
) -> RosterExport:
    """Write a campaign's coverage under `region` to `stream`, one row per unit as the coverage
    page shows it (villages of a township, grids of a village, the grid itself), and audit it.
    Figures only: no person. `region` must already be checked against scope and campaign; its
    parents up to the village should be selected (for the 填报单位)."""
    short, official = roster_labels(region)
    title = _("%(region)s coverage of %(campaign)s") % {"region": short, "campaign": campaign.name}
    figures = selectors.coverage(campaign=campaign, user=actor, region=region)
    rows = write_roster(
        stream,
        title=title,
        unit=official,
        day=day,
        columns=coverage_columns(),
        rows=_coverage_rows(figures),
        sheet_name=_("Coverage"),
    )
    _campaign_audit(actor=actor, campaign=campaign, region=region, rows=rows, kind="coverage")
    return RosterExport(rows=rows, title=title, filename=_filename(title, day))


def to_visit_columns() -> list[Column]:
    return [
        Column(_("Head of household"), width=10),
        Column(_("Address"), width=30),
        Column(_("Grid"), width=12),
        Column(_("Visit again"), width=8),
    ]


def _grid_name(region: Region) -> str:
    """The household's grid: its region, or the grid above its villager group."""
    if region.level == Region.Level.GROUP and "parent" in region._state.fields_cache:
        region = region.parent
    return region.short_name if region.level == Region.Level.GRID else ""


def _to_visit_rows(households) -> Iterator[tuple[Any, ...]]:
    for household in households.iterator(chunk_size=CHUNK):
        yield (
            household.head_name,
            household.address,
            _grid_name(household.region),
            _("Yes") if household.visit_again else "",
        )


def to_visit_export(
    *, actor: Any, stream: IO[bytes], campaign: Campaign, region: Region, day: date
) -> RosterExport:
    """Write the households under `region` the campaign has not yet visited (head, address,
    grid; those where nobody was home marked) to `stream` and audit it. No ID numbers at all:
    this is the list a grid worker carries from door to door."""
    short, official = roster_labels(region)
    title = _("%(region)s households not yet visited in %(campaign)s") % {
        "region": short,
        "campaign": campaign.name,
    }
    households: Any = selectors.households_to_visit(user=actor, campaign=campaign, region=region)
    households = households.order_by("region__path", "id")
    rows = write_roster(
        stream,
        title=title,
        unit=official,
        day=day,
        columns=to_visit_columns(),
        rows=_to_visit_rows(households),
        sheet_name=_("Households not yet visited"),
    )
    _campaign_audit(actor=actor, campaign=campaign, region=region, rows=rows, kind="to_visit")
    return RosterExport(rows=rows, title=title, filename=_filename(title, day))


# --- visits of a campaign (走访记录) ------------------------------------------------------------


def visit_columns() -> list[Column]:
    return [
        Column(_("Head of household / address"), width=28),
        Column(_("Visited at"), width=17, number_format="yyyy-mm-dd hh:mm"),
        Column(_("Visited by"), width=10),
        Column(_("Outcome"), width=14),
        Column(_("People at home"), width=10),
        Column(_("People away"), width=10),
        Column(_("People back from elsewhere"), width=10),
        Column(_("People with fever"), width=10),
    ]


def _visit_rows(visits) -> Iterator[tuple[Any, ...]]:
    for visit in visits.iterator(chunk_size=CHUNK):
        household = visit.household
        yield (
            " / ".join(filter(None, [household.head_name, household.address])),
            # Excel has no time zones: the local wall-clock time, as the page shows it.
            timezone.localtime(visit.visited_at).replace(tzinfo=None),
            str(visit.visited_by),
            visit.get_outcome_display(),
            visit.home,
            visit.away,
            visit.returned,
            visit.fever,
        )


def visit_list_export(
    *, actor: Any, stream: IO[bytes], campaign: Campaign, region: Region, day: date
) -> RosterExport:
    """Write the campaign's visits under `region` (oldest first; people at home, away, back
    and with fever counted per visit) to `stream` and audit it. No ID numbers."""
    short, official = roster_labels(region)
    title = _("%(region)s visits of %(campaign)s") % {"region": short, "campaign": campaign.name}
    visits = selectors.campaign_visits(user=actor, campaign=campaign, region=region)
    rows = write_roster(
        stream,
        title=title,
        unit=official,
        day=day,
        columns=visit_columns(),
        rows=_visit_rows(visits),
        sheet_name=_("Visits"),
    )
    _campaign_audit(actor=actor, campaign=campaign, region=region, rows=rows, kind="visits")
    return RosterExport(rows=rows, title=title, filename=_filename(title, day))
