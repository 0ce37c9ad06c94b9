"""Writes to the region tree: bootstrapping official units from the NBS tables, adding local units."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangxian.regions import codes
from fangxian.regions.models import Region


@dataclass(frozen=True)
class DivisionRow:
    path: str
    name: str


@dataclass(frozen=True)
class BootstrapResult:
    created: int
    updated: int
    total: int
    root: Region


def _read_small_table(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


def _scan(path: Path, prefix: str) -> list[DivisionRow]:
    """Rows whose code starts with `prefix`, in file order. villages.csv has ~620,000 lines; a
    plain line scan with startswith is fast (well under a second) and needs no index file."""
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        handle.readline()
        for line in handle:
            if line.startswith(prefix):
                rows.extend(DivisionRow(path=r[0], name=r[1]) for r in csv.reader([line]))
    return rows


def load_division_rows(code: str, *, source_dir: Path | None = None) -> list[DivisionRow]:
    """The unit named by a 6-digit county or 9-digit township code, its ancestors and its
    descendants down to village level, ordered parents first."""
    source_dir = source_dir or settings.DIVISIONS_DIR
    path = codes.normalize_code(code)
    level = codes.level_of(path)
    if level not in (3, 4):
        raise codes.DivisionCodeError(code)
    if not (source_dir / "streets.csv").exists():
        raise FileNotFoundError(source_dir / "streets.csv")
    provinces = _read_small_table(source_dir / "provinces.csv")
    cities = _read_small_table(source_dir / "cities.csv")
    counties = _read_small_table(source_dir / "areas.csv")
    townships = _scan(source_dir / "streets.csv", path)
    if path[:6] not in counties or (level == 4 and not any(t.path == path for t in townships)):
        raise codes.DivisionCodeError(code)
    rows = [
        DivisionRow(path[:2], provinces[path[:2]]),
        DivisionRow(path[:4], cities[path[:4]]),
        DivisionRow(path[:6], counties[path[:6]]),
    ]
    rows += sorted(townships, key=lambda row: row.path)
    rows += sorted(_scan(source_dir / "villages.csv", path), key=lambda row: row.path)
    return rows


def _region_from_row(row: DivisionRow, vintage: int) -> Region:
    level = codes.level_of(row.path)
    short_name, kind = row.name, ""
    if level == Region.Level.TOWNSHIP:
        kind = codes.township_kind(row.path, row.name)
    elif level == Region.Level.VILLAGE:
        short_name, kind = codes.village_short_name(row.name), codes.village_kind(row.name)
    return Region(
        code=codes.full_code(row.path),
        name=row.name,
        short_name=short_name,
        level=level,
        kind=kind,
        path=row.path,
        vintage=vintage,
    )


@transaction.atomic
def region_bootstrap(
    *, code: str, source_dir: Path | None = None, vintage: int | None = None
) -> BootstrapResult:
    """Create or update a county or township and every unit under it down to villages.

    Idempotent: rerunning changes nothing unless the source changed. Two bulk queries for the
    units and one bulk update for their parents, whatever the size of the county.
    """
    vintage = vintage or settings.DIVISIONS_VINTAGE
    rows = load_division_rows(code, source_dir=source_dir)
    wanted = {row.path: _region_from_row(row, vintage) for row in rows}
    existing = {region.path: region for region in Region.objects.filter(path__in=wanted)}
    fields = ["code", "name", "short_name", "level", "kind", "vintage"]
    to_create = [region for path, region in wanted.items() if path not in existing]
    to_update = []
    for path, region in wanted.items():
        current = existing.get(path)
        if current and any(getattr(current, f) != getattr(region, f) for f in fields):
            for field in fields:
                setattr(current, field, getattr(region, field))
            to_update.append(current)
    Region.objects.bulk_create(to_create, batch_size=2000)
    Region.objects.bulk_update(to_update, fields, batch_size=2000)

    by_path = {region.path: region for region in Region.objects.filter(path__in=wanted)}
    parents_changed = []
    for path, region in by_path.items():
        parent_path = _parent_path(path)
        parent_id = by_path[parent_path].id if parent_path else None
        if region.parent_id != parent_id:
            region.parent_id = parent_id
            parents_changed.append(region)
    Region.objects.bulk_update(parents_changed, ["parent"], batch_size=2000)
    root = by_path[codes.normalize_code(code)]
    return BootstrapResult(
        created=len(to_create), updated=len(to_update), total=len(by_path), root=root
    )


def _parent_path(path: str) -> str | None:
    shorter = [length for length in Region.PATH_LENGTH.values() if length < len(path)]
    return path[: max(shorter)] if shorter else None


LOCAL_LEVELS = {Region.Level.VILLAGE: Region.Level.GRID, Region.Level.GRID: Region.Level.GROUP}


@transaction.atomic
def region_create_local(*, parent: Region, name: str, number: int | None = None) -> Region:
    """Add a grid under a village or a villager group under a grid, with a code extending the
    parent's. `number` defaults to the next free one."""
    level = LOCAL_LEVELS.get(parent.level)
    if level is None:
        raise ValidationError(_("Grids can only be added to a village and groups only to a grid."))
    if number is None:
        taken = Region.objects.filter(parent=parent).values_list("path", flat=True)
        used = {int(path[-2:]) for path in taken}
        number = next((n for n in range(1, 100) if n not in used), None)
        if number is None:
            raise ValidationError(_("This unit already has 99 sub-units; no code is free."))
    path = codes.local_child_path(parent.path, number)
    region = Region(
        code=path,
        name=name,
        short_name=name,
        level=level,
        kind=str(Region.Level(level).label),
        parent=parent,
        path=path,
        vintage=parent.vintage,
        is_local=True,
    )
    region.full_clean()
    region.save()
    return region
