"""Reads of the region tree."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from fangxian.regions.models import Region
from fangxian.regions.scope import scoped


def region_children(*, region: Region, user) -> QuerySet[Region]:
    return scoped(Region.objects.filter(parent=region), user).order_by("path")


def region_ancestors(*, region: Region, user) -> list[Region]:
    """Ancestors the user may see, outermost first (for breadcrumbs)."""
    paths = [
        region.path[:length] for length in Region.PATH_LENGTH.values() if length < len(region.path)
    ]
    return list(scoped(Region.objects.filter(path__in=paths), user).order_by("level"))


@dataclass
class ChildRow:
    region: Region
    counts: dict[str, int]


@dataclass
class RegionFigures:
    rows: list[ChildRow]  # one per visible child, with the counts of its subtree
    totals: dict[str, int]  # the whole visible subtree


def region_figures(*, region: Region, user, counters: dict[str, QuerySet]) -> RegionFigures:
    """Grids, villager groups and the rows of each counter under a region and under each child.

    One query for the units under the region (bounded by the number of units, not of people),
    then one `GROUP BY region_id` per counter; the per-unit counts are summed up the tree here,
    which touches each unit once. `counters` maps a name to an already scoped queryset of a
    model with a `region` foreign key.
    """
    units = list(
        scoped(Region.objects.filter(path__startswith=region.path), user)
        .order_by("path")
        .values("id", "path", "level")
    )
    child_length = Region.PATH_LENGTH.get(region.level + 1)
    child_of = {unit["id"]: unit["path"][:child_length] if child_length else None for unit in units}
    children = list(scoped(Region.objects.filter(parent=region), user).order_by("path"))
    names = ["grids", "groups", *counters]
    by_child = {child.path: dict.fromkeys(names, 0) for child in children}
    totals = dict.fromkeys(names, 0)
    for unit in units:
        kind = {Region.Level.GRID: "grids", Region.Level.GROUP: "groups"}.get(unit["level"])
        if kind and unit["path"] != region.path:
            totals[kind] += 1
            if child_of[unit["id"]] in by_child:
                by_child[child_of[unit["id"]]][kind] += 1
    subtree = Region.objects.filter(path__startswith=region.path).values("id")
    for name, queryset in counters.items():
        grouped = (
            queryset.filter(region__in=subtree)
            .values("region_id")
            .annotate(total=Count("id"))
            .order_by()
        )
        for row in grouped:
            totals[name] += row["total"]
            child_path = child_of.get(row["region_id"])
            if child_path in by_child:
                by_child[child_path][name] += row["total"]
    rows = [ChildRow(region=child, counts=by_child[child.path]) for child in children]
    return RegionFigures(rows=rows, totals=totals)


def region_children_with_counts(
    *, region: Region, user, counters: dict[str, QuerySet]
) -> list[ChildRow]:
    """The children of a region, each with the counts of its subtree (see `region_figures`)."""
    return region_figures(region=region, user=user, counters=counters).rows


def indented_region_choices(
    *, user, capability: str, min_level: int = 1, max_level: int = 7
) -> list[tuple[str, str]]:
    """(code, name indented by depth below the township) for a region <select>: the regions
    between two levels where `user` holds `capability`, in tree order. One query."""
    regions = scoped(
        Region.objects.filter(level__gte=min_level, level__lte=max_level), user, capability
    )
    return [
        (r.code, f"{'　' * max(0, r.level - Region.Level.TOWNSHIP)}{r.short_name}")
        for r in regions.order_by("path")
    ]
