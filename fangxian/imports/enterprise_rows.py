"""Check and commit a township's enterprise list (企业台账) imported from Excel.

The parsing layer is the people import's (reading, headers, cells). Each row names an
enterprise; its unified social credit code (统一社会信用代码) is checked with its check character
(enterprises/uscc.py), its village or community is found in the village and address columns with
placing.py under the import's region and within the uploader's scope (manage_enterprises), and
its industry is mapped to Enterprise.Industry (see `industry_of`). Rows are staged as ImportRow:
CREATE (a new enterprise), UPDATE (a registered enterprise with the same code, in scope, whose
record changes: the changed fields are kept), UNCHANGED, ERROR or DUPLICATE (the same code as an
earlier row). Each chunk of 1,000 rows costs a fixed number of queries.

The commit writes every staged row in import_commit's transaction with the enterprise services'
own checks (`enterprise_fields_normalized`, `enterprise_rules_check`, `full_clean`) and one audit entry per enterprise naming the
import; any failure refuses the whole list.
"""

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
from fangxian.enterprises import uscc
from fangxian.enterprises.models import Enterprise
from fangxian.enterprises.services import enterprise_fields_normalized, enterprise_rules_check
from fangxian.enterprises.validators import uscc_error
from fangxian.imports import cells
from fangxian.imports.messages import message_for
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.imports.people_rows import STAGED_FIELDS
from fangxian.imports.placing import Placer, Unit
from fangxian.regions.models import Region
from fangxian.regions.scope import scoped

CHUNK = 1000
MANAGE = Capability.MANAGE_ENTERPRISES
REQUIRED_FIELDS = ("enterprise_name",)
# Sheet field → Enterprise field. The contact's phone is the sheet's plain 联系电话 ("phone").
FIELD_MAP = {
    "name": "name",
    "uscc": "uscc",
    "address": "address",
    "industry": "industry",
    "workers_count": "workers_count",
    "contact_name": "contact_name",
    "phone": "contact_phone",
    "lead_name": "prevention_lead_name",
    "lead_phone": "prevention_lead_phone",
}
# What the model requires of a new enterprise, by the sheet field that fills it.
REQUIRED_FOR_NEW = ("address", "contact_name", "phone", "lead_name", "lead_phone")
_INDUSTRY_WORDS = (
    (Enterprise.Industry.CATERING, ("餐饮", "饭店", "餐馆", "餐厅", "酒店", "食堂")),
    (Enterprise.Industry.CONSTRUCTION, ("建筑", "施工", "工程")),
    (Enterprise.Industry.FARMING, ("种养殖", "种植", "养殖", "农业", "畜牧", "合作社")),
    (Enterprise.Industry.LOGISTICS, ("物流", "运输", "快递")),
    (Enterprise.Industry.INDUSTRY, ("工业", "制造", "加工", "工厂", "厂")),
    (Enterprise.Industry.COMMERCE, ("商贸", "超市", "零售", "批发", "商店", "商铺", "贸易")),
    (Enterprise.Industry.SERVICES, ("服务",)),
)
_COUNT = re.compile(r"([0-9]+)\s*(?:人|名)?")


def check_import_allowed(*, actor: Any, region: Region) -> None:
    """An enterprise list goes to a township or a village the uploader manages enterprises of."""
    if region.level not in (Region.Level.TOWNSHIP, Region.Level.VILLAGE):
        raise ValidationError(_("Import an enterprise list into a township or a village."))
    if not actor.can_at(MANAGE, region):
        raise PermissionDenied


def industry_of(value: str) -> str:
    """The Industry for what the sheet says: the choice's own label (工业, 商贸 … in the user's
    language) or its code, else the first group of common words the text contains: 餐饮/饭店 →
    catering, 建筑/施工 → construction, 种植/养殖/种养殖/农业 → farming, 物流/运输 → logistics,
    工业/制造/加工/厂 → industry, 商贸/超市/零售/批发 → commerce, 服务 → services; anything else,
    empty included, is 其他 (other)."""
    key = re.sub(r"\s+", "", cells.text(value)).casefold()
    if not key:
        return Enterprise.Industry.OTHER
    for choice in Enterprise.Industry:
        if key in (choice.value, str(choice.label).casefold()):
            return choice.value
    for choice, words in _INDUSTRY_WORDS:
        if any(word in key for word in words):
            return choice.value
    return Enterprise.Industry.OTHER


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


def _uscc(row: CheckedRow, value: Any, column: str) -> None:
    if value is None or value == "":
        row.values["uscc"] = ""
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        row.fail(
            column,
            _(
                "Excel turned the unified social credit code into a number (%(value)s) and "
                "lost characters: format the column as text and type the code again."
            )
            % {"value": f"{value:.15g}"},
        )
        return
    try:
        row.values["uscc"] = uscc.validate(cells.text(value))
    except uscc.UsccError as error:
        row.fail(column, " ".join(uscc_error(error).messages))


def _workers(row: CheckedRow, value: Any, column: str) -> None:
    shown = cells.text(value)
    if not shown:
        row.values["workers_count"] = None
        return
    if isinstance(value, float) and value.is_integer():
        shown = str(int(value))
    found = _COUNT.fullmatch(shown)
    if found is None:
        row.fail(
            column,
            _("“%(value)s” is not a number of workers; write a whole number such as 35.")
            % {"value": shown},
        )
        return
    row.values["workers_count"] = int(found[1])


def check_row(
    raw: list[Any],
    *,
    row_number: int,
    mapping: dict[str, int],
    headers: list[str],
    placer: "VillagePlacer",
) -> CheckedRow:
    """Validate one data row and place it in a village; no database access."""
    row = CheckedRow(row_number=row_number, raw=raw)

    def value(name: str) -> Any:
        index = mapping.get(name)
        return raw[index] if index is not None and index < len(raw) else None

    def header(name: str) -> str:
        return headers[mapping[name]] if name in mapping else name

    row.values["name"] = cells.text(value("enterprise_name"))[:100]
    if not row.values["name"]:
        row.fail(header("enterprise_name"), _("The enterprise name is missing."))
    _uscc(row, value("uscc"), header("uscc"))
    row.values["address"] = cells.text(value("address"))[:200]
    row.values["industry"] = industry_of(value("industry"))
    _workers(row, value("workers_count"), header("workers_count"))
    for name in ("contact_name", "lead_name"):
        row.values[name] = cells.text(value(name))[:50]
    for name in ("phone", "lead_phone"):
        row.values[name] = ""
        if value(name) not in (None, ""):
            try:
                row.values[name] = cells.phone_cell(value(name))
            except cells.CellError as error:
                row.fail(header(name), message_for(error))
    village = cells.text(value("village"))
    placement = placer.place([village, row.values["address"]])
    column = header("village") if "village" in mapping else header("address")
    unit = placement.unit
    if unit is not None and unit.level < Region.Level.VILLAGE and placer.default is not None:
        unit = placer.default  # a village's own list need not name the village on every row
    if placement.ambiguous:
        row.fail(
            column,
            _("The address could be in %(units)s; write the village or community.")
            % {"units": "、".join(u.name for u in placement.ambiguous)},
        )
    elif unit is None or unit.level != Region.Level.VILLAGE:
        row.fail(
            column,
            _(
                "No village or community of %(region)s is named here; write the village or "
                "community the enterprise is in."
            )
            % {"region": placer.region_name},
        )
    elif unit.id not in placer.allowed:
        row.fail(
            column,
            _("%(village)s is not in %(region)s or you do not manage its enterprises.")
            % {"village": unit.name, "region": placer.region_name},
        )
    else:
        row.values["region_id"] = unit.id
        row.values["village"] = unit.name
    return row


class VillagePlacer(Placer):
    """Places rows among all the villages and communities of the import's township, so that a
    row naming a village outside the import's region is refused rather than kept in the region;
    `allowed` are the ids of those under the region that the user manages."""

    def __init__(self, region: Region, user) -> None:
        township_path = region.path[: Region.PATH_LENGTH[Region.Level.TOWNSHIP]]
        regions = Region.objects.filter(
            path__startswith=township_path, level__lte=Region.Level.VILLAGE
        ).only("id", "path", "short_name", "level")
        units = [Unit(r.id, r.path, r.short_name, r.level) for r in regions]
        root = next(u for u in units if u.path == township_path)
        super().__init__(units, root=root)
        self.region_name = region.short_name
        self.allowed = set(
            scoped(
                Region.objects.filter(path__startswith=region.path, level=Region.Level.VILLAGE),
                user,
                MANAGE,
            ).values_list("id", flat=True)
        )
        own = next((u for u in units if u.path == region.path), None)
        self.default = own if own is not None and own.level == Region.Level.VILLAGE else None


def check_rows(
    *,
    job: ImportJob,
    rows: Iterable[tuple[int, list[Any]]],
    user,
    on_progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Check every row and stage it as an ImportRow; returns the counts per action."""
    check_import_allowed(actor=user, region=job.region)
    placer = VillagePlacer(job.region, user)
    counts = dict.fromkeys(ImportRow.Action.values, 0)
    seen: dict[str, int] = {}
    iterator: Iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        checked = [
            check_row(
                raw, row_number=number, mapping=job.mapping, headers=job.headers, placer=placer
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


def _changes(enterprise: Enterprise, values: dict[str, Any]) -> dict[str, list]:
    """The fields a row changes on a registered enterprise: [old, new]; empty cells keep the
    record's value."""
    changes: dict[str, list] = {}
    for sheet_name, model_name in FIELD_MAP.items():
        new = values.get(sheet_name)
        if new in (None, ""):
            continue
        if sheet_name == "industry" and new == Enterprise.Industry.OTHER:
            continue  # an unknown or empty industry does not overwrite a known one
        old = getattr(enterprise, model_name)
        if old != new:
            changes[model_name] = [old, new]
    if values.get("region_id") and values["region_id"] != enterprise.region_id:
        changes["region"] = [enterprise.region.short_name, values["village"]]
    return changes


def _classify(*, job: ImportJob, checked: list[CheckedRow], seen: dict, user) -> list[tuple]:
    """Each checked row as a tuple of STAGED_FIELDS: two reads for the whole chunk."""
    codes = {r.values["uscc"] for r in checked if r.values.get("uscc")}
    registered = {
        e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes).select_related("region")
    }
    in_scope = set(
        scoped(
            Enterprise.objects.filter(
                pk__in=[e.pk for e in registered.values()],
                region__path__startswith=job.region.path,
            ),
            user,
            MANAGE,
        ).values_list("pk", flat=True)
    )
    staged = []
    for row in checked:
        code = row.values.get("uscc")
        enterprise = registered.get(code) if code else None
        action, changes = ImportRow.Action.CREATE, {}
        if code and code in seen:
            action = ImportRow.Action.DUPLICATE
            row.fail("", _("Same unified social credit code as row %(row)s.") % {"row": seen[code]})
        elif row.errors:
            action = ImportRow.Action.ERROR
        elif enterprise is not None and enterprise.pk not in in_scope:
            action = ImportRow.Action.ERROR
            row.fail(
                "",
                _(
                    "An enterprise with this unified social credit code is registered in "
                    "%(region)s, which you do not manage from this import."
                )
                % {"region": enterprise.region.short_name},
            )
        elif enterprise is not None:
            row.values["enterprise_id"] = enterprise.pk
            changes = _changes(enterprise, row.values)
            action = ImportRow.Action.UPDATE if changes else ImportRow.Action.UNCHANGED
        else:
            missing = [name for name in REQUIRED_FOR_NEW if not row.values.get(name)]
            for name in missing:
                row.fail(
                    job.headers[job.mapping[name]] if name in job.mapping else "",
                    _("%(field)s is missing; a new enterprise needs it.")
                    % {"field": _field_labels()[name]},
                )
            if missing:
                action = ImportRow.Action.ERROR
        if code and code not in seen:
            seen[code] = row.row_number
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
                None,
            )
        )
    return staged


def _field_labels() -> dict[str, str]:
    """Names of the fields a new enterprise needs, translated when called."""
    return {
        "address": _("The address"),
        "contact_name": _("The contact person"),
        "phone": _("The contact phone"),
        "lead_name": _("The person in charge of prevention"),
        "lead_phone": _("The phone of the person in charge of prevention"),
    }


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """The Enterprise fields a staged row sets (empty cells left out)."""
    out = {
        model_name: values[sheet_name]
        for sheet_name, model_name in FIELD_MAP.items()
        if values.get(sheet_name) not in (None, "")
    }
    return out


def commit_rows(*, job: ImportJob, actor) -> ImportJob:
    """Create and update the staged enterprises (inside import_commit's transaction) with the
    enterprise services' normalisation and checks, scope checked again for every enterprise;
    one audit entry per enterprise names the import. A failing row refuses the whole list."""
    check_import_allowed(actor=actor, region=job.region)
    detail = {"import": job.pk, "file": job.original_name}
    created = updated = 0
    staged = job.rows.filter(action__in=[ImportRow.Action.CREATE, ImportRow.Action.UPDATE])
    rows = list(staged.order_by("row_number").values_list("action", "values"))
    regions = Region.objects.in_bulk({values["region_id"] for _action, values in rows})
    existing = Enterprise.objects.select_for_update().in_bulk(
        [values["enterprise_id"] for action, values in rows if action == ImportRow.Action.UPDATE]
    )
    for action, values in rows:
        region = regions[values["region_id"]]
        if not actor.can_at(MANAGE, region):
            raise PermissionDenied
        fields = enterprise_fields_normalized(_fields(values))
        if action == ImportRow.Action.CREATE:
            enterprise = Enterprise(region=region, created_by=actor, **fields)
            if values.get("workers_count") is None:
                enterprise.workers_count = 0
            changed: list[str] = []
        else:
            enterprise = existing[values["enterprise_id"]]
            if not actor.can_at(MANAGE, enterprise.region):
                raise PermissionDenied
            if values.get("industry") == Enterprise.Industry.OTHER:
                fields.pop("industry", None)
            changed = [name for name, new in fields.items() if getattr(enterprise, name) != new]
            for name in changed:
                setattr(enterprise, name, fields[name])
            if enterprise.region_id != region.pk:
                enterprise.region = region
                changed.append("region")
        enterprise_rules_check(enterprise)
        enterprise.full_clean()
        if action == ImportRow.Action.CREATE:
            enterprise.save()
            audit_record(actor=actor, action=Action.CREATE, obj=enterprise, detail=detail)
            created += 1
        elif changed:
            enterprise.save(update_fields=[*changed, "updated_at"])
            audit_record(
                actor=actor,
                action=Action.UPDATE,
                obj=enterprise,
                changes={"fields": sorted(changed)},
                detail=detail,
            )
            updated += 1
    job.counts = job.counts | {"created": created, "updated": updated}
    job.save(update_fields=["counts"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        obj=job,
        region=job.region,
        detail={"committed": True, "created": created, "updated": updated},
    )
    return job
