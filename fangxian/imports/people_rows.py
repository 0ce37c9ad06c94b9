"""Check roster rows against the people ledger: what each row would create, update or reject.

Rows arrive from the pure parsing layer (reading, headers, cells) and leave as ImportRow
records, written in chunks so memory stays flat however long the file is. Each chunk costs a
fixed number of queries (one lookup of the chunk's ID numbers, one bulk insert).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangxian.core.bulk import insert_rows
from fangxian.core.masking import mask_id_number, mask_phone
from fangxian.imports import cells
from fangxian.imports.messages import message_for
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.placing import Placer, Unit
from fangxian.people import idnumber, names
from fangxian.people.models import Person
from fangxian.people.validators import id_number_validation_error
from fangxian.regions.models import Region
from fangxian.regions.scope import scoped
from fangxian.screening.models import Trip

CHUNK = 1000
EDIT_PEOPLE = "edit_people"
# Fields of the ledger an import may set; the rest of a returnee roster (trips, temperatures …)
# is kept in the row's cells for the screening records that will read it.
LEDGER_FIELDS = (
    "name",
    "sex",
    "id_number",
    "document_type",
    "phone",
    "address",
    "village",
    "group",
)
UPDATABLE = ("name", "phone", "region_id")
SAVED = (ImportRow.Action.CREATE, ImportRow.Action.UPDATE)
STAGED_FIELDS = (
    "job_id",
    "row_number",
    "action",
    "cells",
    "values",
    "changes",
    "errors",
    "person_id",
)


@dataclass
class CheckedRow:
    row_number: int
    raw: list[Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def cells(self) -> list[str]:
        """The cells as text, as the download of rejected rows gives them back."""
        return [_cell_text(value) for value in self.raw]

    def fail(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})


def _cell_text(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return cells.text(value)


def check_row(
    raw: list[Any],
    *,
    row_number: int,
    mapping: dict[str, int],
    headers: list[str],
    year: int | None,
    placer: Placer,
) -> CheckedRow:
    """Validate one data row; no database access."""
    row = CheckedRow(row_number=row_number, raw=raw)

    def value(name: str) -> Any:
        index = mapping.get(name)
        return raw[index] if index is not None and index < len(raw) else None

    def header(name: str) -> str:
        return headers[mapping[name]] if name in mapping else name

    name = cells.text(value("name"))
    if not name:
        row.fail(header("name"), _("The name is missing."))
    row.values["name"] = name

    document_type = Person.DocumentType.RESIDENT_ID
    kind = cells.text(value("document_type"))
    if kind and "身份证" not in kind:
        document_type = (
            Person.DocumentType.PASSPORT if "护照" in kind else Person.DocumentType.OTHER
        )
    row.values["document_type"] = document_type
    try:
        number = cells.id_number_cell(value("id_number"))
        if document_type == Person.DocumentType.RESIDENT_ID:
            parsed = idnumber.parse(number)
            row.values.update(
                id_number=parsed.number, birth_date=parsed.birth_date.isoformat(), sex=parsed.sex
            )
        else:
            row.values["id_number"] = number
    except cells.CellError as error:
        row.fail(header("id_number"), message_for(error))
    except idnumber.IdNumberError as error:
        row.fail(header("id_number"), " ".join(id_number_validation_error(error).messages))
    if not row.values.get("id_number") and not any(
        e["column"] == header("id_number") for e in row.errors
    ):
        row.fail(header("id_number"), _("The ID number is missing."))

    if "sex" in mapping:
        try:
            stated = cells.sex_cell(value("sex"))
        except cells.CellError as error:
            row.fail(header("sex"), message_for(error))
        else:
            derived = row.values.get("sex")
            if stated and derived and stated != derived:
                row.fail(header("sex"), _("The sex does not match the ID number."))
            elif stated and not derived:
                row.values["sex"] = stated
    if value("phone") not in (None, ""):
        try:
            row.values["phone"] = cells.phone_cell(value("phone"))
        except cells.CellError as error:
            row.fail(header("phone"), message_for(error))

    _check_trip(row, value=value, header=header, year=year)
    placement = placer.place([cells.text(value(f)) for f in ("village", "group", "address")])
    if placement.ambiguous:
        row.fail(
            header("address"),
            _("The address fits several units (%(names)s); name the village and group.")
            % {"names": "、".join(u.name for u in placement.ambiguous)},
        )
    elif placement.unit is None or placement.unit.level < Region.Level.VILLAGE:
        row.fail(
            header("address"),
            _("No village or community of %(region)s is named in the address.")
            % {"region": placer.root.name},
        )
    else:
        row.values["region_id"] = placement.unit.id
    return row


# How rosters name the means of travel; anything else is "other" (the text is kept as typed).
TRANSPORT_WORDS = (
    ("plane", ("飞机", "航班", "飞")),
    ("train", ("火车", "高铁", "动车", "列车", "铁路")),
    ("bus", ("大巴", "客车", "汽车站", "公交", "班车", "长途")),
    ("car", ("自驾", "私家车", "小汽车", "小车", "驾车", "开车", "包车")),
)


def transport_kind(text: str) -> str:
    for kind, words in TRANSPORT_WORDS:
        if any(word in text for word in words):
            return kind
    return "other" if text else ""


def _check_trip(row: CheckedRow, *, value, header, year: int | None) -> None:
    """The travel columns of a returnee roster, kept for a trip when the row says where from."""
    origin = cells.text(value("origin"))
    if not origin:
        return
    trip = {"origin_text": origin}
    try:
        arrived = cells.date_cell(value("returned_on"), year=year)
    except cells.CellError as error:
        row.fail(header("returned_on"), message_for(error))
        arrived = None
    if arrived:
        trip["arrived_on"] = arrived.isoformat()
    transport = cells.text(value("transport"))
    trip["transport"] = transport_kind(transport)
    number = cells.text(value("transport_number"))
    trip["transport_number"] = number or (transport if trip["transport"] == "other" else "")
    trip["via_text"] = cells.text(value("via"))
    trip["companions"] = cells.text(value("companions"))
    row.values["trip"] = trip


def _units_under(region: Region, user) -> tuple[list[Unit], Unit]:
    regions = scoped(Region.objects.filter(path__startswith=region.path), user, EDIT_PEOPLE)
    units = [
        Unit(r.id, r.path, r.short_name, r.level)
        for r in regions.only("id", "path", "short_name", "level")
    ]
    root = next(u for u in units if u.path == region.path)
    return units, root


def check_rows(
    *,
    job: ImportJob,
    rows: Iterable[tuple[int, list[Any]]],
    user,
    on_progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Check every row and stage it as an ImportRow; returns the counts per action.
    `on_progress(rows_done)` is called after each chunk."""
    units, root = _units_under(job.region, user)
    placer = Placer(units, root=root)
    headers = job.headers
    counts = dict.fromkeys(ImportRow.Action.values, 0) | {"trips": 0}
    seen: dict[tuple[str, str], int] = {}
    iterator: Iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        checked = [
            check_row(
                raw,
                row_number=number,
                mapping=job.mapping,
                headers=headers,
                year=job.year,
                placer=placer,
            )
            for number, raw in chunk
        ]
        with transaction.atomic():
            staged = _classify(job=job, checked=checked, seen=seen, user=user)
            insert_rows(ImportRow, STAGED_FIELDS, staged)
        for row in staged:
            counts[row[2]] += 1
            if "trip" in row[4] and row[2] in SAVED:
                counts["trips"] += 1
        if on_progress is not None:
            on_progress(sum(counts[action] for action in ImportRow.Action.values))
    return counts


def _classify(*, job: ImportJob, checked: list[CheckedRow], seen: dict, user) -> list[tuple]:
    """Each checked row as a tuple of STAGED_FIELDS, with its action."""
    keys = {
        (r.values["document_type"], r.values["id_number"])
        for r in checked
        if r.values.get("id_number")
    }
    numbers = {number for _, number in keys}
    existing = {
        (p.document_type, p.id_number): p
        for p in Person.objects.filter(id_number__in=numbers).only(
            *("id", "document_type", "id_number", *("name", "phone", "region_id"))
        )
    }
    # Most rows of a roster are new people: the two follow-up reads only run for known ones.
    known_ids = [p.id for p in existing.values()]
    editable = (
        set(
            scoped(Person.objects.filter(id__in=known_ids), user, EDIT_PEOPLE).values_list(
                "id", flat=True
            )
        )
        if known_ids
        else set()
    )
    # Trips already on record (a roster imported twice must not record its trips twice).
    known_trips = (
        set(
            Trip.objects.filter(person_id__in=known_ids).values_list(
                "person_id", "origin_text", "arrived_on"
            )
        )
        if known_ids
        else set()
    )
    staged = []
    for row in checked:
        key = (row.values.get("document_type"), row.values.get("id_number"))
        action, changes, person_id = ImportRow.Action.CREATE, {}, None
        if row.errors:
            action = ImportRow.Action.ERROR
        elif key in seen:
            action = ImportRow.Action.DUPLICATE
            row.errors.append(
                {"column": "", "message": _("Same ID number as row %(row)s.") % {"row": seen[key]}}
            )
        elif key in existing:
            person = existing[key]
            person_id = person.id
            if person.id not in editable:
                action = ImportRow.Action.ERROR
                row.fail("", _("This person is registered in a region you cannot edit; ask HQ."))
            else:
                changes = _changes(person, row.values)
                trip = row.values.get("trip")
                if (
                    trip
                    and (person.id, trip["origin_text"], _day(trip.get("arrived_on")))
                    in known_trips
                ):
                    del row.values["trip"]
                    trip = None
                action = ImportRow.Action.UPDATE if changes or trip else ImportRow.Action.UNCHANGED
                if trip:
                    changes = changes | {"trip": ["", trip["origin_text"]]}
        if key[1] and key not in seen:
            seen[key] = row.row_number
        # The cells as read are kept for rejected rows only: they go back to the user in the
        # download of rejected rows; saved rows are in the ledger (and the file is kept).
        rejected = action in (ImportRow.Action.ERROR, ImportRow.Action.DUPLICATE)
        staged.append(
            (
                job.pk,
                row.row_number,
                action,
                row.cells if rejected else [],
                row.values,
                changes,
                row.errors,
                person_id,
            )
        )
    return staged


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _changes(person: Person, values: dict[str, Any]) -> dict[str, list]:
    """Changed fields, values masked for the preview (the staged values keep the full ones)."""
    changes = {}
    for name in UPDATABLE:
        new = values.get(name)
        old = getattr(person, name)
        if new not in (None, "") and new != old:
            if name == "phone":
                old, new = mask_phone(old), mask_phone(new)
            changes[name] = [old, new]
    return changes


# The columns of a new person an import sets (the rest take their defaults).
PERSON_FIELDS = (
    "region_id",
    "name",
    "name_pinyin",
    "name_initials",
    "document_type",
    "id_number",
    "id_tail",
    "birth_date",
    "sex",
    "phone",
)


def person_row(values: dict[str, Any]) -> tuple:
    """A new person from a checked row, as PERSON_FIELDS (derived columns filled as the people
    services fill them)."""
    full, initials = names.pinyin_keys(values["name"])
    birth = values.get("birth_date")
    return (
        values["region_id"],
        values["name"],
        full,
        initials,
        values["document_type"],
        values["id_number"],
        values["id_number"][-4:],
        date.fromisoformat(birth) if birth else None,
        values.get("sex", ""),
        values.get("phone", ""),
    )


def masked(values: dict[str, Any]) -> dict[str, Any]:
    return values | {
        "id_number": mask_id_number(values.get("id_number", "")),
        "phone": mask_phone(values.get("phone", "")),
    }
