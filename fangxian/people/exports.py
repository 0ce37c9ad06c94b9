"""The people list as an .xlsx roster (人员台账), the way townships send lists upward.

Masked by default: lists leaked through WeChat groups in 2020 with names, ID numbers and phones.
Full numbers need `export_full_pii` over everything exported, and every export, masked or full,
leaves one audit entry with its filter and row count.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.core.xlsx import Column, write_roster
from fangxian.people import selectors
from fangxian.people.models import Person
from fangxian.people.search import classify
from fangxian.regions.models import Region
from fangxian.regions.scope import scope_roots


@dataclass(frozen=True)
class RosterExport:
    rows: int
    title: str
    filename: str


def ledger_columns() -> list[Column]:
    """The ledger's columns after 序号, in the order of `_person_row`."""
    return [
        Column(_("Village or community"), width=12),
        Column(_("Grid / group"), width=18),
        Column(_("Head of household / address"), width=28),
        Column(_("Name"), width=10),
        Column(_("Sex"), width=6),
        Column(_("Birth date"), width=12, number_format="yyyy-mm-dd"),
        Column(_("Age"), width=6),
        Column(_("Document type"), width=14),
        Column(_("ID number"), width=22, text=True),
        Column(_("Contact phone"), width=15, text=True),
        Column(_("Relation to head of household"), width=12),
    ]


def _village_and_units(region: Region) -> tuple[str, str]:
    """(瓦房村, 第一网格 · 黄包谷地组) from the person's region, through the parents selected with
    the person (region__parent__parent), so it costs no query."""
    units = []
    current: Region | None = region
    while current is not None and current.level > Region.Level.VILLAGE:
        units.append(current.short_name)
        if "parent" not in current._state.fields_cache:
            return "", " · ".join(reversed(units))
        current = current.parent
    return (current.short_name if current is not None else ""), " · ".join(reversed(units))


def _person_row(person: Person, *, full: bool, day: date) -> tuple[Any, ...]:
    village, units = _village_and_units(person.region)
    household = person.household
    home = " / ".join(filter(None, [household.head_name, household.address])) if household else ""
    return (
        village,
        units,
        home,
        person.name,
        person.get_sex_display(),
        person.birth_date,
        person.age(today=day),
        person.get_document_type_display(),
        person.id_number if full else mask_id_number(person.id_number),
        person.phone if full else mask_phone(person.phone),
        person.get_relation_display(),
    )


def _rows(people, *, full: bool, day: date) -> Iterator[tuple[Any, ...]]:
    for person in people.iterator(chunk_size=2000):
        yield _person_row(person, full=full, day=day)


def export_subject(user: Any, region: Region | None) -> Region | None:
    """The region the roster is about: the filter, else the user's one scope root (None when the
    scope has several roots)."""
    if region is not None:
        return region
    roots = list(scope_roots(user).select_related("parent__parent")[:2])
    return roots[0] if len(roots) == 1 else None


def roster_labels(subject: Region | None) -> tuple[str, str]:
    """(short label for the title, official name for 填报单位). Grids and groups are local units
    nobody upstream knows by themselves, so they come after their village: 瓦房村第一网格."""
    if subject is None:
        return "", ""
    local: list[str] = []
    current = subject
    while current.level > Region.Level.VILLAGE and "parent" in current._state.fields_cache:
        if current.parent is None:
            break
        local.insert(0, current.short_name)
        current = current.parent
    if current.level > Region.Level.VILLAGE:  # parents not loaded: the unit alone
        return subject.short_name, subject.name
    return current.short_name + "".join(local), current.name + "".join(local)


def _logged_query(q: str) -> str:
    """The search as the audit log keeps it: a search by a whole ID number or phone is masked,
    as identifiers are everywhere in the log; four digits or fewer are already just a tail."""
    query = classify(q)
    if query.kind != "digits" or len(query.text) <= 4:
        return q
    return mask_id_number(query.text) if len(query.text) >= 15 else mask_phone(query.text)


def person_list_export(
    *,
    actor: Any,
    stream: IO[bytes],
    q: str = "",
    region: Region | None = None,
    full: bool = False,
    day: date,
) -> RosterExport:
    """Write the people `actor` may see (under `region`, matching `q`) to `stream` as an .xlsx
    roster and audit it: one entry with the filter (identifiers in the search masked), the row
    count and whether numbers were full.

    ID numbers and phones are masked unless `full`, which needs `export_full_pii` over everything
    exported (PermissionDenied otherwise; views check first and answer 404). Rows stream from the
    database in chunks of 2,000 into openpyxl's write-only workbook: flat memory, a fixed number of
    queries. The entry is written after the file, when the count is known; the caller hands the
    file out only after this returns.
    """
    if full and not selectors.person_export_full_allowed(user=actor, region=region):
        raise PermissionDenied
    subject = export_subject(actor, region)
    short, official = roster_labels(subject)
    title = _("%(region)s people ledger") % {"region": short} if short else _("People ledger")
    people = selectors.person_export_list(user=actor, q=q, region=region)
    rows = write_roster(
        stream,
        title=title,
        unit=official,
        day=day,
        columns=ledger_columns(),
        rows=_rows(people, full=full, day=day),
        sheet_name=_("People ledger"),
    )
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        region=subject,
        detail={
            "filter": {"q": _logged_query(q), "region": region.code if region is not None else ""},
            "rows": rows,
            "full": full,
        },
    )
    return RosterExport(rows=rows, title=title, filename=f"{title}-{day.isoformat()}.xlsx")
