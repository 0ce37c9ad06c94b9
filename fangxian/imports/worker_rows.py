"""Check and commit an enterprise's worker roster (返岗人员花名册, 一人一档) imported from Excel.

The parsing layer (reading, headers, cells) is the people import's: the header row is found and
the shared columns (姓名, 身份证号, 联系电话, 返回时间, 交通工具, 途经地 …) mapped by
`headers.find_header`; the roster's own columns (部门, 岗位, 所赴城市, 预计返岗日期, 是否去过或
经停湖北, 接触湖北人员, 是否发热, 同返家属, 是否已向社区报到) are mapped here over the same
normalised headers. Each row is checked with the ledger's rules and staged as an ImportRow:
CREATE (a worker new to this roster, the person found in the ledger or new to it), UPDATE (a
worker already on the roster), ERROR or DUPLICATE. Each chunk of 1,000 rows costs a fixed number
of queries (the ledger's people with the chunk's numbers, the roster's workers, one insert).

The commit writes, per chunk and inside the import's one transaction: the new people
(`core.bulk.insert_rows`, as the people import does), the trips of those who travelled
(`screening.trips.trips_record_many`: classified against the key areas), the workers
(`bulk_create` / `bulk_update`) and one audit entry per person, trip and worker.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record, audit_record_many
from fangxian.core.bulk import insert_rows
from fangxian.enterprises.models import Enterprise, Worker
from fangxian.enterprises.scope import can_on
from fangxian.imports import cells
from fangxian.imports.headers import normalize_header
from fangxian.imports.messages import message_for
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.people_rows import (
    PERSON_FIELDS,
    STAGED_FIELDS,
    person_row,
    transport_kind,
)
from fangxian.people import idnumber
from fangxian.people.models import Person
from fangxian.people.validators import id_number_validation_error
from fangxian.regions.models import Region
from fangxian.screening.models import Trip
from fangxian.screening.trips import trips_record_many

CHUNK = 1000
SAVED = (ImportRow.Action.CREATE, ImportRow.Action.UPDATE)

# The roster's own columns and how rosters spell them (compared after normalize_header).
WORKER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "department": ("部门", "所在部门", "车间", "班组", "所在车间"),
    "post": ("岗位", "职务", "工种", "职位"),
    "whereabouts": (
        "所赴城市",
        "假期所在地",
        "春节去向",
        "节假日去向",
        "春节期间所在地",
        "去向",
        "外出地点",
        "返乡地",
    ),
    "planned_return_on": (
        "预计返岗日期",
        "预计返岗时间",
        "计划返岗日期",
        "拟返岗日期",
        "拟返岗时间",
        "预计返回日期",
    ),
    "returned_on": ("实际返岗日期", "返岗日期", "返岗时间", "实际返回日期"),
    "passed_key_area": (
        "是否去过或经停湖北",
        "是否途经重点地区",
        "是否去过或途经重点地区",
        "是否经停湖北",
        "是否去过湖北",
    ),
    "met_key_area_people": ("接触湖北人员", "是否接触湖北人员", "是否接触重点地区人员"),
    "fever": ("是否发热", "有无发热", "发热"),
    "family_returning": ("同返家属", "随行家属", "同返人员", "同行家属"),
    "reported_to_village": (
        "是否已向社区报到",
        "是否已向村(社区)报到",
        "是否向社区报到",
        "是否报到",
        "是否已报到",
    ),
}
_WORKER_INDEX = {
    normalize_header(s): f for f, spellings in WORKER_SYNONYMS.items() for s in spellings
}
WORKER_FIELDS = (
    "department",
    "post",
    "whereabouts",
    "planned_return_on",
    "returned_on",
    "transport",
    "via_text",
    "passed_key_area",
    "met_key_area_people",
    "contact_notes",
    "health",
    "family_returning",
    "reported_to_village",
)
DATE_FIELDS = ("planned_return_on", "returned_on")
# The columns a roster should have, as the upload page lists them for an enterprise's contact
# (any spelling of WORKER_SYNONYMS and headers.FIELD_SYNONYMS is understood; 姓名 and 身份证号
# are required, the rest may be missing).
TEMPLATE_COLUMNS = (
    "姓名",
    "身份证号",
    "联系电话",
    "部门",
    "岗位",
    "所赴城市",
    "返回时间",
    "交通工具",
    "预计返岗日期",
    "是否去过或经停湖北",
    "接触湖北人员",
    "是否发热",
    "同返家属",
    "是否已向社区报到",
)


def import_allowed(*, actor: Any, enterprise: Enterprise) -> bool:
    """Who may import an enterprise's roster: whoever keeps its records (its own contact, 企业联络员,
    through their membership; HQ), as they may add workers one by one on the phone form, which
    registers new people in the ledger too (enterprises.workers.worker_add); or township staff
    who manage the enterprise and edit the people of its village."""
    if can_on(actor, Capability.KEEP_ENTERPRISE_RECORDS, enterprise):
        return True
    return can_on(actor, Capability.MANAGE_ENTERPRISES, enterprise) and actor.can_at(
        Capability.EDIT_PEOPLE, enterprise.region
    )


def check_import_allowed(*, actor: Any, enterprise: Enterprise | None) -> Region:
    """A worker roster goes to an enterprise whose roster the actor may import (import_allowed);
    its village is the job's region."""
    if enterprise is None:
        raise ValidationError(_("Choose the enterprise whose roster this is."))
    if can_on(actor, Capability.KEEP_ENTERPRISE_RECORDS, enterprise):
        return enterprise.region
    if not can_on(actor, Capability.MANAGE_ENTERPRISES, enterprise):
        raise PermissionDenied
    if not actor.can_at(Capability.EDIT_PEOPLE, enterprise.region):
        raise ValidationError(
            _("You cannot import into %(region)s.") % {"region": enterprise.region}
        )
    return enterprise.region


def worker_mapping(headers: list[str], mapping: dict[str, int]) -> dict[str, int]:
    """Roster fields → column index: the roster's own columns by WORKER_SYNONYMS, then the
    shared columns that stand in for those still missing."""
    found: dict[str, int] = {}
    taken = set(mapping.values())
    for index, header in enumerate(headers):
        name = _WORKER_INDEX.get(normalize_header(header))
        if name and name not in found and index not in taken:
            found[name] = index
    # Shared columns (headers.FIELD_SYNONYMS) standing in for the roster's: 从何地返回 for where
    # they spent the holiday, 同行人员 for family, 健康状况 for health, 接触史 for contacts.
    stand_ins = {
        "whereabouts": "origin",
        "returned_on": "returned_on",
        "transport": "transport",
        "via_text": "via",
        "family_returning": "companions",
        "symptoms": "symptoms",
        "met_key_area_people": "contact_history",
    }
    for name, shared in stand_ins.items():
        if name not in found and shared in mapping:
            found[name] = mapping[shared]
    return found


@dataclass
class CheckedRow:
    row_number: int
    raw: list[Any]
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.errors.append({"column": column, "message": message})

    @property
    def cells(self) -> list[str]:
        return [cells.text(value) for value in self.raw]


def _yes_no(row: CheckedRow, raw: Any, column: str) -> bool:
    try:
        return bool(cells.yes_no_cell(raw))
    except cells.CellError as error:
        row.fail(column, message_for(error))
        return False


def check_row(
    raw: list[Any],
    *,
    row_number: int,
    mapping: dict[str, int],
    roster: dict[str, int],
    headers: list[str],
    year: int | None,
) -> CheckedRow:
    """Validate one data row; no database access."""
    row = CheckedRow(row_number=row_number, raw=raw)

    def value(name: str, columns: dict[str, int] = mapping) -> Any:
        index = columns.get(name)
        return raw[index] if index is not None and index < len(raw) else None

    def header(name: str, columns: dict[str, int] = mapping) -> str:
        return headers[columns[name]] if name in columns else name

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
    if not row.values.get("id_number") and not row.errors:
        row.fail(header("id_number"), _("The ID number is missing."))
    if value("phone") not in (None, ""):
        try:
            row.values["phone"] = cells.phone_cell(value("phone"))
        except cells.CellError as error:
            row.fail(header("phone"), message_for(error))

    worker: dict[str, Any] = {}
    for text_field in ("department", "post", "whereabouts", "family_returning", "via_text"):
        worker[text_field] = cells.text(value(text_field, roster))[:200]
    worker["department"], worker["post"] = worker["department"][:50], worker["post"][:50]
    worker["whereabouts"] = worker["whereabouts"][:100]
    for date_field in DATE_FIELDS:
        try:
            day = cells.date_cell(value(date_field, roster), year=year)
        except cells.CellError as error:
            row.fail(header(date_field, roster), message_for(error))
            day = None
        worker[date_field] = day.isoformat() if day else None
    transport = cells.text(value("transport", roster))
    worker["transport"] = transport_kind(transport) if transport else ""
    for flag in ("passed_key_area", "met_key_area_people", "reported_to_village"):
        worker[flag] = _yes_no(row, value(flag, roster), header(flag, roster))
    fever = _yes_no(row, value("fever", roster), header("fever", roster))
    symptoms = cells.text(value("symptoms", roster))
    worker["health"] = (
        Worker.Health.FEVER
        if fever or "发热" in symptoms or "发烧" in symptoms
        else Worker.Health.SYMPTOMS
        if symptoms and symptoms not in ("无", "正常", "健康", "良好")
        else Worker.Health.WELL
    )
    worker["contact_notes"] = ""
    row.values["worker"] = worker
    if worker["whereabouts"] and worker["transport"] != Worker.Transport.LOCAL:
        row.values["trip"] = {
            "origin_text": worker["whereabouts"],
            "arrived_on": worker["returned_on"],
            "transport": worker["transport"]
            if worker["transport"] in Trip.Transport.values
            else "",
            "via_text": worker["via_text"],
            "companions": worker["family_returning"],
        }
    return row


def check_rows(
    *,
    job: ImportJob,
    rows: Iterable[tuple[int, list[Any]]],
    user,
    on_progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Check every row and stage it as an ImportRow; returns the counts per action."""
    check_import_allowed(actor=user, enterprise=job.enterprise)
    roster = worker_mapping(job.headers, job.mapping)
    counts = dict.fromkeys(ImportRow.Action.values, 0) | {"trips": 0}
    seen: dict[tuple[str, str], int] = {}
    iterator: Iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        checked = [
            check_row(
                raw,
                row_number=number,
                mapping=job.mapping,
                roster=roster,
                headers=job.headers,
                year=job.year,
            )
            for number, raw in chunk
        ]
        with transaction.atomic():
            staged = _classify(job=job, checked=checked, seen=seen)
            insert_rows(ImportRow, STAGED_FIELDS, staged)
        for row in staged:
            counts[row[2]] += 1
            if "trip" in row[4] and row[2] in SAVED:
                counts["trips"] += 1
        if on_progress is not None:
            on_progress(sum(counts[action] for action in ImportRow.Action.values))
    return counts


def _classify(*, job: ImportJob, checked: list[CheckedRow], seen: dict) -> list[tuple]:
    """Each checked row as a tuple of STAGED_FIELDS: two reads for the whole chunk."""
    numbers = {r.values["id_number"] for r in checked if r.values.get("id_number")}
    existing = {
        (p.document_type, p.id_number): p
        for p in Person.objects.filter(id_number__in=numbers).only(
            "id", "document_type", "id_number", "name", "merged_into_id", "region_id"
        )
    }
    on_roster = set(
        Worker.objects.filter(
            enterprise_id=job.enterprise_id, person_id__in=[p.id for p in existing.values()]
        ).values_list("person_id", flat=True)
    )
    staged = []
    for row in checked:
        key = (row.values.get("document_type"), row.values.get("id_number"))
        action, person_id = ImportRow.Action.CREATE, None
        person = existing.get(key)
        if row.errors:
            action = ImportRow.Action.ERROR
        elif key in seen:
            action = ImportRow.Action.DUPLICATE
            row.fail("", _("Same ID number as row %(row)s.") % {"row": seen[key]})
        elif person is not None and person.merged_into_id:
            action = ImportRow.Action.ERROR
            row.fail("", _("This record was merged into another one; ask HQ."))
        elif person is not None and person.name != row.values["name"]:
            action = ImportRow.Action.ERROR
            row.fail("", _("The name does not match the ledger's record of this ID number."))
        elif person is not None:
            person_id = person.id
            row.values["person_region_id"] = person.region_id  # a trip is in the person's region
            if person.id in on_roster:
                action = ImportRow.Action.UPDATE
        if key[1] and key not in seen:
            seen[key] = row.row_number
        if action in SAVED:
            row.values["region_id"] = job.region_id  # a new person lives in the village
        rejected = action in (ImportRow.Action.ERROR, ImportRow.Action.DUPLICATE)
        staged.append(
            (
                job.pk,
                row.row_number,
                action,
                row.cells if rejected else [],
                row.values,
                {},
                row.errors,
                person_id,
            )
        )
    return staged


def _worker_fields(values: dict[str, Any]) -> dict[str, Any]:
    fields = dict(values["worker"])
    for name in DATE_FIELDS:
        fields[name] = date.fromisoformat(fields[name]) if fields[name] else None
    return {name: fields[name] for name in WORKER_FIELDS}


def _chunks(rows, size: int = CHUNK):
    iterator = rows.iterator(chunk_size=size)
    while chunk := list(islice(iterator, size)):
        yield chunk


def commit_rows(*, job: ImportJob, actor) -> ImportJob:
    """Write the staged rows (inside import_commit's transaction): new people, trips, workers,
    each audited with the import's number."""
    detail = {"import": job.pk}
    people = trips = created = updated = 0
    staged = job.rows.filter(action__in=SAVED).order_by("row_number")
    for chunk in _chunks(staged.values_list("action", "values", "person_id")):
        new = [(i, values) for i, (_a, values, person_id) in enumerate(chunk) if not person_id]
        person_of = {i: person_id for i, (_a, _v, person_id) in enumerate(chunk) if person_id}
        if new:
            rows = [person_row(values) for _i, values in new]
            ids = insert_rows(Person, PERSON_FIELDS, rows)
            person_of |= {i: pk for (i, _v), pk in zip(new, ids, strict=True)}
            audit_record_many(
                actor=actor,
                action=Action.CREATE,
                object_type=Person._meta.label_lower,
                entries=(
                    (pk, values["name"], pk, job.region_id)
                    for (_i, values), pk in zip(new, ids, strict=True)
                ),
                detail=detail | {"from": "enterprise_roster"},
                at=job.committed_at,
            )
            people += len(ids)
        items = []
        for i, (_a, values, _p) in enumerate(chunk):
            trip = values.get("trip")
            if trip:
                arrived = trip.get("arrived_on")
                items.append(
                    (
                        person_of[i],
                        values.get("person_region_id") or values["region_id"],
                        trip | {"arrived_on": date.fromisoformat(arrived) if arrived else None},
                    )
                )
        trip_of: dict[int, int] = {}
        if items:
            trips += trips_record_many(
                actor=actor, items=items, source=Trip.Source.IMPORT, detail=detail
            )
            trip_of = dict(
                Trip.objects.filter(person_id__in=[p for p, _r, _f in items], source="import")
                .values("person_id")
                .annotate(last=Max("id"))
                .values_list("person_id", "last")
            )
        created += _save_workers(job, actor, chunk, person_of, trip_of, detail)
        updated += sum(1 for action, _v, _p in chunk if action == ImportRow.Action.UPDATE)
    job.counts = job.counts | {
        "created": created,
        "updated": updated,
        "people_created": people,
        "trips_recorded": trips,
    }
    job.save(update_fields=["counts"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=job,
        region=job.region,
        detail={"committed": True, "workers": created, "updated": updated, "trips": trips},
    )
    return job


def _save_workers(job, actor, chunk, person_of, trip_of, detail) -> int:
    """The chunk's workers: new ones created, those already on the roster updated."""
    new, changed = [], []
    existing = {
        w.person_id: w
        for w in Worker.objects.filter(
            enterprise_id=job.enterprise_id,
            person_id__in=[person_of[i] for i, row in enumerate(chunk) if row[0] == "update"],
        )
    }
    for i, (action, values, _p) in enumerate(chunk):
        fields = _worker_fields(values)
        trip_id = trip_of.get(person_of[i]) if values.get("trip") else None
        if action == ImportRow.Action.UPDATE:
            worker = existing[person_of[i]]
            for name, value in fields.items():
                setattr(worker, name, value)
            worker.trip_id = trip_id or worker.trip_id
            changed.append(worker)
        else:
            new.append(
                Worker(
                    enterprise_id=job.enterprise_id,
                    person_id=person_of[i],
                    trip_id=trip_id,
                    created_by=actor,
                    **fields,
                )
            )
    Worker.objects.bulk_create(new, batch_size=CHUNK)
    if changed:
        Worker.objects.bulk_update(changed, [*WORKER_FIELDS, "trip"], batch_size=CHUNK)
    audit_record_many(
        actor=actor,
        action=Action.CREATE,
        object_type=Worker._meta.label_lower,
        entries=((w.pk, str(w.person_id), w.person_id, job.region_id) for w in new),
        detail=detail,
        at=job.committed_at,
    )
    audit_record_many(
        actor=actor,
        action=Action.UPDATE,
        object_type=Worker._meta.label_lower,
        entries=((w.pk, str(w.person_id), w.person_id, job.region_id) for w in changed),
        detail=detail,
        at=job.committed_at,
    )
    return len(new)
