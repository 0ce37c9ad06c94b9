"""Check and commit a county's quarantine list (隔离名单) imported from Excel.

A county (县疾控中心, 县指挥部) sends the people to place under 居家隔离, 集中隔离 or 居家健康监测.
The parsing layer is the people import's (reading, headers, cells); each row must name a person
already in the ledger within the uploader's scope (a list from outside cannot create people
silently), a kind of quarantine and a reason from HQ's lists, and a start date. Rows are staged
as ImportRow: CREATE (an order to place), UNCHANGED (the person already holds an open order of
the same kind: a list sent twice adds nothing), ERROR or DUPLICATE. Each chunk of 1,000 rows
costs a fixed number of queries (the chunk's people, those in scope, their open orders).

The commit places the CREATE rows through `quarantine.orders.orders_place_bulk`, one pending
`OrderBatch` per (kind, reason, start, period), with source "another unit's list" and the
sending unit: a second HQ person must approve each batch, and each raises a supervision alert.
"""

import contextlib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.core.bulk import insert_rows
from fangxian.imports import cells
from fangxian.imports.messages import message_for
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.people_rows import STAGED_FIELDS
from fangxian.people import idnumber
from fangxian.people.models import Person
from fangxian.people.validators import id_number_validation_error
from fangxian.quarantine.models import OrderReason, QuarantineKind, QuarantineOrder
from fangxian.quarantine.orders import orders_place_bulk
from fangxian.regions.models import Region
from fangxian.regions.scope import scoped

CHUNK = 1000
REQUIRED_FIELDS = ("name", "id_number", "quarantine_kind", "order_reason", "starts_on")
MAX_DAYS = 90  # as QuarantineKind.default_days
OPEN = (QuarantineOrder.Status.PENDING, QuarantineOrder.Status.ACTIVE)

# Official long names of the kinds (国家卫健委 wording) → the short names HQ's list uses. Only
# spellings that cannot mean anything else: 居家观察 may be 居家隔离 or 居家健康监测, so it is
# refused with the allowed values rather than guessed.
KIND_SYNONYMS = {
    "居家隔离医学观察": "居家隔离",
    "居家医学隔离": "居家隔离",
    "集中隔离医学观察": "集中隔离",
    "集中医学观察": "集中隔离",
    "集中医学隔离观察": "集中隔离",
    "居家健康监测": "居家健康监测",
}
REASON_SYNONYMS = {"密接": "密切接触者", "密切接触": "密切接触者", "次密接": "次密切接触者"}
_DAYS = re.compile(r"(\d{1,3})\s*天?")


def check_import_allowed(*, actor: Any, region: Region, source_unit: str) -> str:
    """A quarantine list names the unit that sent it, and the uploader places orders over the
    region (`manage_quarantine`). Returns the unit's name, trimmed."""
    source_unit = (source_unit or "").strip()
    if not source_unit:
        raise ValidationError(_("Name the unit that sent the list."))
    if not actor.can_at(Capability.MANAGE_QUARANTINE, region):
        raise PermissionDenied
    return source_unit[:100]


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
        return [v.isoformat() if isinstance(v, date) else cells.text(v) for v in self.raw]


@dataclass(frozen=True)
class Choices:
    """HQ's active kinds and reasons, by the names a list may use."""

    kinds: dict[str, tuple[int, str]]  # spelling → (id, name)
    reasons: dict[str, tuple[int, str]]
    kind_names: str  # 居家隔离、集中隔离、居家健康监测, for the messages
    reason_names: str

    @classmethod
    def load(cls) -> "Choices":
        kinds = {k.name: (k.pk, k.name) for k in QuarantineKind.objects.filter(is_active=True)}
        reasons = {r.name: (r.pk, r.name) for r in OrderReason.objects.filter(is_active=True)}
        return cls(
            kinds=_with_synonyms(kinds, KIND_SYNONYMS),
            reasons=_with_synonyms(reasons, REASON_SYNONYMS),
            kind_names="、".join(kinds),
            reason_names="、".join(reasons),
        )


def _key(value: str) -> str:
    return re.sub(r"\s+", "", cells.text(value))


def _with_synonyms(named: dict[str, tuple[int, str]], synonyms: dict[str, str]) -> dict:
    found = {_key(name): pair for name, pair in named.items()}
    for spelling, name in synonyms.items():
        if _key(name) in found:
            found.setdefault(_key(spelling), found[_key(name)])
    return found


def check_row(
    raw: list[Any],
    *,
    row_number: int,
    mapping: dict[str, int],
    headers: list[str],
    year: int | None,
    choices: Choices,
) -> CheckedRow:
    """Validate one data row against the parsing rules and HQ's lists; no database access."""
    row = CheckedRow(row_number=row_number, raw=raw)

    def value(name: str) -> Any:
        index = mapping.get(name)
        return raw[index] if index is not None and index < len(raw) else None

    def header(name: str) -> str:
        return headers[mapping[name]] if name in mapping else name

    row.values["name"] = cells.text(value("name"))
    if not row.values["name"]:
        row.fail(header("name"), _("The name is missing."))
    try:
        number = cells.id_number_cell(value("id_number"))
        if number:
            parsed = idnumber.parse(number)
            row.values.update(id_number=parsed.number, sex=parsed.sex)
        else:
            row.fail(header("id_number"), _("The ID number is missing."))
    except cells.CellError as error:
        row.fail(header("id_number"), message_for(error))
    except idnumber.IdNumberError as error:
        row.fail(header("id_number"), " ".join(id_number_validation_error(error).messages))
    if "sex" in mapping:
        try:
            stated = cells.sex_cell(value("sex"))
        except cells.CellError as error:
            row.fail(header("sex"), message_for(error))
        else:
            if stated and row.values.get("sex") and stated != row.values["sex"]:
                row.fail(header("sex"), _("The sex does not match the ID number."))
    if value("phone") not in (None, ""):
        # Shown in the preview to tell people apart; an order does not rest on the phone, so a
        # phone we cannot read does not hold the row back.
        with contextlib.suppress(cells.CellError):
            row.values["phone"] = cells.phone_cell(value("phone"))
    _check_terms(row, value=value, header=header, year=year, choices=choices)
    row.values["notes"] = cells.text(value("notes"))[:200]
    return row


def _check_terms(row: CheckedRow, *, value, header, year: int | None, choices: Choices) -> None:
    """The order's kind, reason, start and period."""
    kind = _key(value("quarantine_kind"))
    if not kind:
        row.fail(header("quarantine_kind"), _("The kind of quarantine is missing."))
    elif kind not in choices.kinds:
        row.fail(
            header("quarantine_kind"),
            _("“%(value)s” is not a kind of quarantine in use. Write one of: %(allowed)s.")
            % {"value": kind, "allowed": choices.kind_names},
        )
    else:
        row.values["kind_id"], row.values["kind"] = choices.kinds[kind]
    reason = _key(value("order_reason"))
    if not reason:
        row.fail(header("order_reason"), _("The reason is missing."))
    elif reason not in choices.reasons:
        row.fail(
            header("order_reason"),
            _("“%(value)s” is not a reason on HQ's list. Write one of: %(allowed)s.")
            % {"value": reason, "allowed": choices.reason_names},
        )
    else:
        row.values["reason_id"], row.values["reason"] = choices.reasons[reason]
    try:
        starts_on = cells.date_cell(value("starts_on"), year=year)
    except cells.CellError as error:
        row.fail(header("starts_on"), message_for(error))
    else:
        if starts_on is None:
            row.fail(header("starts_on"), _("The start date is missing."))
        else:
            row.values["starts_on"] = starts_on.isoformat()
    days = cells.text(value("days"))
    row.values["days"] = None
    if days:
        found = _DAYS.fullmatch(days)
        if found and 1 <= int(found[1]) <= MAX_DAYS:
            row.values["days"] = int(found[1])
        else:
            row.fail(
                header("days"),
                _(
                    "“%(value)s” is not a number of days from 1 to %(max)s; leave it empty for "
                    "the kind's usual period."
                )
                % {"value": days, "max": MAX_DAYS},
            )


def check_rows(
    *,
    job: ImportJob,
    rows: Iterable[tuple[int, list[Any]]],
    user,
    on_progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Check every row and stage it as an ImportRow; returns the counts per action."""
    check_import_allowed(actor=user, region=job.region, source_unit=job.source_unit)
    choices = Choices.load()
    counts = dict.fromkeys(ImportRow.Action.values, 0)
    seen: dict[str, int] = {}
    iterator: Iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        checked = [
            check_row(
                raw,
                row_number=number,
                mapping=job.mapping,
                headers=job.headers,
                year=job.year,
                choices=choices,
            )
            for number, raw in chunk
        ]
        with transaction.atomic():
            staged = _classify(job=job, checked=checked, seen=seen, user=user)
            insert_rows(ImportRow, STAGED_FIELDS, staged)
        for row in staged:
            counts[row[2]] += 1
        if on_progress is not None:
            on_progress(sum(counts.values()))
    return counts


def _classify(*, job: ImportJob, checked: list[CheckedRow], seen: dict, user) -> list[tuple]:
    """Each checked row as a tuple of STAGED_FIELDS: three reads for the whole chunk."""
    numbers = {r.values["id_number"] for r in checked if r.values.get("id_number")}
    people = {
        p.id_number: p
        for p in scoped(
            Person.objects.filter(
                id_number__in=numbers,
                document_type=Person.DocumentType.RESIDENT_ID,
                region__path__startswith=job.region.path,
            ),
            user,
            Capability.MANAGE_QUARANTINE,
        ).only("id", "id_number", "name", "merged_into_id", "region_id")
    }
    open_orders = {
        order.person_id: order
        for order in QuarantineOrder.objects.filter(
            person_id__in=[p.id for p in people.values()], status__in=OPEN
        ).select_related("kind")
    }
    staged = []
    for row in checked:
        number = row.values.get("id_number")
        person = people.get(number)
        action, person_id = ImportRow.Action.CREATE, None
        if row.errors:
            action = ImportRow.Action.ERROR
        elif number in seen:
            action = ImportRow.Action.DUPLICATE
            row.fail("", _("Same ID number as row %(row)s.") % {"row": seen[number]})
        elif person is None:
            action = ImportRow.Action.ERROR
            row.fail(
                "",
                _(
                    "No person with this ID number is registered in %(region)s. A list cannot "
                    "add people: register them in the ledger first, then import the list again."
                )
                % {"region": job.region.short_name},
            )
        elif person.merged_into_id:
            action = ImportRow.Action.ERROR
            row.fail("", _("This record was merged into another one; ask HQ."))
        elif person.name != row.values["name"]:
            action = ImportRow.Action.ERROR
            row.fail("", _("The name does not match the ledger's record of this ID number."))
        else:
            person_id = person.id
            order = open_orders.get(person.id)
            if order is not None and order.kind_id == row.values["kind_id"]:
                action = ImportRow.Action.UNCHANGED  # the list sent again: nothing new
            elif order is not None:
                action = ImportRow.Action.ERROR
                row.fail(
                    "",
                    _(
                        "Already under an open order (%(kind)s from %(day)s): change or end "
                        "that order instead."
                    )
                    % {"kind": order.kind.name, "day": order.starts_on.isoformat()},
                )
        if number and number not in seen:
            seen[number] = row.row_number
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


def commit_rows(*, job: ImportJob, actor) -> ImportJob:
    """Place the staged orders (inside import_commit's transaction): one pending batch per
    (kind, reason, start, period) through `orders_place_bulk`, which locks the people, checks
    the scope and the one-open-order rule again and refuses the whole list on any failure."""
    check_import_allowed(actor=actor, region=job.region, source_unit=job.source_unit)
    groups: dict[tuple, list[int]] = {}
    staged = job.rows.filter(action=ImportRow.Action.CREATE).order_by("row_number")
    for values, person_id in staged.values_list("values", "person_id").iterator(chunk_size=CHUNK):
        key = (values["kind_id"], values["reason_id"], values["starts_on"], values["days"])
        groups.setdefault(key, []).append(person_id)
    kinds = QuarantineKind.objects.in_bulk({key[0] for key in groups})
    reasons = OrderReason.objects.in_bulk({key[1] for key in groups})
    batches = []
    for (kind_id, reason_id, starts_on, days), person_ids in groups.items():
        batch = orders_place_bulk(
            actor=actor,
            people=list(Person.objects.filter(pk__in=person_ids).only("id")),
            kind=kinds[kind_id],
            reason=reasons[reason_id],
            basis=_("List from %(unit)s, file %(file)s (import no. %(import)s).")
            % {"unit": job.source_unit, "file": job.original_name, "import": job.pk},
            source=QuarantineOrder.Source.OUTSIDE_LIST,
            source_unit=job.source_unit,
            starts_on=date.fromisoformat(starts_on),
            days=days,
            now=job.committed_at,
        )
        batches.append(batch.pk)
    placed = sum(len(ids) for ids in groups.values())
    job.counts = job.counts | {"created": placed, "updated": 0, "batches": batches}
    job.save(update_fields=["counts"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=job,
        region=job.region,
        detail={"committed": True, "orders": placed, "batches": batches, "unit": job.source_unit},
    )
    return job
