"""Imports: upload → check (a preview staged in ImportRow) → commit, all audited.

The check reads the file once, streaming, and stages every row; the commit writes the staged
rows in one transaction (all or nothing) and never re-reads the file; rejected rows can be
downloaded with their errors, fixed and imported again.
"""

from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.audit.services import Action, audit_record, audit_record_many
from fangxian.core.bulk import insert_rows
from fangxian.core.db import refresh_statistics
from fangxian.imports import enterprise_rows, order_rows, people_rows, reading, worker_rows
from fangxian.imports import headers as header_rules
from fangxian.imports.messages import message_for
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.people.models import Person
from fangxian.regions.models import Region
from fangxian.screening.models import Trip
from fangxian.screening.trips import trips_record_many

HEADER_SCAN = 15
# After this many rows written the planner's statistics are refreshed (see core.db).
BIG_IMPORT = 5000
EDIT_PEOPLE = "edit_people"
KEY_FIELDS = ("name", "id_number")
# Targets other than the people ledger: each module has check_rows and commit_rows (and may name
# REQUIRED_FIELDS, the columns without which its check cannot start).
CHECKERS = {
    ImportJob.Target.WORKERS: worker_rows,
    ImportJob.Target.ORDERS: order_rows,
    ImportJob.Target.ENTERPRISES: enterprise_rows,
}


def import_create(
    *,
    actor,
    region: Region,
    path: Path,
    original_name: str,
    year: int | None = None,
    target: str = ImportJob.Target.PEOPLE,
    enterprise=None,
    source_unit: str = "",
) -> ImportJob:
    """Keep the uploaded file and open an import job for it. A worker roster (target WORKERS)
    goes to `enterprise`, in its village (worker_rows.check_import_allowed: those who manage the
    enterprise and edit its village's people, or the enterprise's own contact); a quarantine list
    (target ORDERS) names the unit that sent it (order_rows.check_import_allowed); an enterprise
    list (target ENTERPRISES) needs manage_enterprises, not edit_people, over the region."""
    if target == ImportJob.Target.WORKERS:
        region = worker_rows.check_import_allowed(actor=actor, enterprise=enterprise)
    if target == ImportJob.Target.ORDERS:
        source_unit = order_rows.check_import_allowed(
            actor=actor, region=region, source_unit=source_unit
        )
    if target == ImportJob.Target.ENTERPRISES:
        enterprise_rows.check_import_allowed(actor=actor, region=region)
    elif target != ImportJob.Target.WORKERS and not actor.can_at(EDIT_PEOPLE, region):
        raise ValidationError(_("You cannot import into %(region)s.") % {"region": region})
    job = ImportJob(
        target=target,
        region=region,
        enterprise=enterprise,
        source_unit=source_unit,
        created_by=actor,
        original_name=original_name,
        year=year,
    )
    with path.open("rb") as handle:
        job.file.save(Path(original_name).name, File(handle), save=False)
    job.save()
    audit_record(
        actor=actor,
        action=Action.CREATE,
        obj=job,
        region=region,
        detail={"file": original_name, "target": target, "unit": source_unit},
    )
    return job


def _numbered(rows, first_number: int):
    """Spreadsheet row numbers (1-based, as Excel shows them) with blank and footer rows dropped."""
    from fangxian.imports import cells

    for number, raw in enumerate(rows, start=first_number):
        if cells.is_blank_row(raw):
            continue
        if cells.is_footer_row(raw):
            continue
        yield number, raw


def import_check(
    *, job: ImportJob, actor, mapping: dict[str, int | None] | None = None
) -> ImportJob:
    """Read the file, find its header, check every row and stage the outcome (the preview).

    Can be rerun with a corrected column mapping; earlier staged rows are replaced. Not one
    transaction: the staged rows are committed chunk by chunk so that the progress shows (they
    are a preview, not the ledger); a failure marks the job failed.
    """
    job.rows.all().delete()
    job.counts, job.problem, job.progress = {}, "", 0
    job.status = ImportJob.Status.CHECKING
    job.save()
    try:
        return _check(job=job, actor=actor, mapping=mapping)
    except Exception:
        job.status = ImportJob.Status.FAILED
        job.problem = _("The check stopped on an unexpected error; try again or ask for help.")
        job.save(update_fields=["status", "problem"])
        raise


def _check(*, job: ImportJob, actor, mapping: dict[str, int | None] | None) -> ImportJob:
    try:
        table = reading.read_table(Path(job.file.path), filename=job.original_name)
        head = list(islice(table.rows, HEADER_SCAN))
        match = header_rules.find_header(head)
        if mapping:
            match = header_rules.apply_mapping_override(match, mapping)
    except (reading.ReadError, header_rules.HeaderError) as error:
        job.status, job.problem = ImportJob.Status.FAILED, message_for(error)
        job.save()
        return job
    except OSError:
        job.status = ImportJob.Status.FAILED
        job.problem = _("The uploaded file is no longer on the server; upload it again.")
        job.save()
        return job
    job.file_format, job.encoding, job.sheet_name = (
        table.format,
        table.encoding or "",
        table.sheet_name or "",
    )
    job.header_row = match.header_row + 1
    if job.year is None:
        # 填报日期：2020年2月3日 above the header gives the year of dates written as 1月23日.
        job.year = header_rules.year_from_preamble(match.preamble)
    job.headers = [text for _, text, _ in match.columns]
    job.mapping = dict(match.mapping)
    checker = CHECKERS.get(job.target, people_rows)
    missing = [f for f in getattr(checker, "REQUIRED_FIELDS", KEY_FIELDS) if f not in job.mapping]
    if missing:
        job.status = ImportJob.Status.FAILED
        job.problem = _("No column found for: %(fields)s. Assign the columns below.") % {
            "fields": "、".join(header_rules.FIELD_SYNONYMS[f][0] for f in missing)
        }
        job.save()
        return job
    data = chain(head[match.header_row + 1 :], table.rows)
    job.save()
    job.counts = checker.check_rows(
        job=job,
        rows=_numbered(data, match.header_row + 2),
        user=actor,
        on_progress=lambda done: ImportJob.objects.filter(pk=job.pk).update(progress=done),
    )
    job.progress = sum(job.counts[action] for action in ImportRow.Action.values)
    job.status, job.problem, job.checked_at = ImportJob.Status.CHECKED, "", timezone.now()
    job.save()
    return job


def import_commit(*, job: ImportJob, actor) -> ImportJob:
    """Write the staged new and changed people in one transaction (all or nothing), with their
    audit entries. The job shows "saving" meanwhile; a failure leaves the ledger untouched and
    the job checked, with the problem said."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportJob.Status.CHECKED:
            raise ValidationError(_("Only a checked import can be committed."))
        job.status = ImportJob.Status.COMMITTING
        job.save(update_fields=["status"])
    try:
        job = _commit(job=job, actor=actor)
    except Exception:
        job.status = ImportJob.Status.CHECKED
        job.problem = _("Saving failed and nothing was saved; try again or ask for help.")
        job.save(update_fields=["status", "problem"])
        raise
    if job.counts.get("created", 0) + job.counts.get("updated", 0) >= BIG_IMPORT:
        refresh_statistics("people_person", "screening_trip", "audit_auditentry")
    return job


@transaction.atomic
def _commit(*, job: ImportJob, actor) -> ImportJob:
    # The job's row is written first: on SQLite that takes the write lock for the whole
    # transaction, which the bulk inserts rely on (see core.bulk).
    job.status, job.committed_at = ImportJob.Status.COMMITTED, timezone.now()
    job.save(update_fields=["status", "committed_at"])
    if job.target in CHECKERS:
        return CHECKERS[job.target].commit_rows(job=job, actor=actor)
    created = updated = trips = 0
    detail = {"import": job.pk}
    staged = job.rows.order_by("row_number").values_list("row_number", "values", "person_id")
    for chunk in _chunks(staged.filter(action=ImportRow.Action.CREATE)):
        rows = [people_rows.person_row(values) for _, values, _ in chunk]
        ids = insert_rows(Person, people_rows.PERSON_FIELDS, rows)
        region_of = people_rows.PERSON_FIELDS.index("region_id")
        audit_record_many(
            actor=actor,
            action=Action.CREATE,
            object_type=Person._meta.label_lower,
            entries=(
                (person_id, values["name"], person_id, row[region_of])
                for person_id, (_number, values, _person), row in zip(ids, chunk, rows, strict=True)
            ),
            detail=detail,
            at=job.committed_at,
        )
        trips += _record_trips(actor, zip(ids, chunk, strict=True), detail)
        created += len(ids)
    for chunk in _chunks(staged.filter(action=ImportRow.Action.UPDATE)):
        by_id = Person.objects.in_bulk([row[2] for row in chunk])
        changed = []
        for _number, values, person_id in chunk:
            person = by_id[person_id]
            for name in people_rows.UPDATABLE:
                if values.get(name) not in (None, ""):
                    setattr(person, name, values[name])
            changed.append(person)
        Person.objects.bulk_update(changed, list(people_rows.UPDATABLE))
        audit_record_many(
            actor=actor,
            action=Action.UPDATE,
            object_type=Person._meta.label_lower,
            entries=((p.pk, p.name, p.pk, p.region_id) for p in changed),
            detail=detail,
            at=job.committed_at,
        )
        trips += _record_trips(actor, zip([p.pk for p in changed], chunk, strict=True), detail)
        updated += len(changed)
    job.counts = job.counts | {"created": created, "updated": updated, "trips_recorded": trips}
    job.save(update_fields=["counts"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=job,
        region=job.region,
        detail={"committed": True, "created": created, "updated": updated, "trips": trips},
    )
    return job


def _record_trips(actor, pairs, detail: dict) -> int:
    """The travel columns of committed rows become trips (classified against the key areas).
    `pairs` are (person id, staged (row number, values, person id))."""
    items = []
    for person_id, (_number, values, _person) in pairs:
        trip = values.get("trip")
        if trip:
            fields = dict(trip)
            if fields.get("arrived_on"):
                fields["arrived_on"] = date.fromisoformat(fields["arrived_on"])
            items.append((person_id, values["region_id"], fields))
    if not items:
        return 0
    return trips_record_many(actor=actor, items=items, source=Trip.Source.IMPORT, detail=detail)


def _chunks(rows, size: int = people_rows.CHUNK):
    iterator = rows.iterator(chunk_size=size)
    while chunk := list(islice(iterator, size)):
        yield chunk


def import_preview(*, job: ImportJob, action: str, limit: int = 200) -> list[dict[str, Any]]:
    """Staged rows of one kind for the preview, identifiers masked."""
    rows = job.rows.filter(action=action).order_by("row_number")[:limit]
    return [
        {
            "row": r.row_number,
            "values": people_rows.masked(r.values),
            "changes": r.changes,
            "errors": r.errors,
        }
        for r in rows
    ]


def import_errors(*, job: ImportJob) -> list[dict[str, Any]]:
    """Every rejected row's problems, flat: {"row", "column", "message"}."""
    rows = job.rows.filter(action__in=[ImportRow.Action.ERROR, ImportRow.Action.DUPLICATE])
    return [
        {"row": r.row_number, "column": e["column"], "message": e["message"]}
        for r in rows.order_by("row_number").iterator(chunk_size=2000)
        for e in r.errors
    ]
