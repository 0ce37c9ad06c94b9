"""Reads of the region tree."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import Substr

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


def subtree_counts_by_child(
    *, queryset: QuerySet, parent: Region, region_field: str = "region"
) -> dict[str, int]:
    """Count rows of `queryset` under each child of `parent`, in one grouped query.

    Children of one parent all have paths of the same length, so the first N characters of a
    row's region path name the child it belongs to.
    """
    child_length = Region.PATH_LENGTH.get(parent.level + 1)
    if child_length is None:
        return {}
    path_field = f"{region_field}__path" if region_field else "path"
    rows = (
        queryset.filter(**{f"{path_field}__startswith": parent.path})
        .annotate(child_path=Substr(path_field, 1, child_length))
        .values("child_path")
        .annotate(total=Count("id"))
        .order_by()
    )
    return {row["child_path"]: row["total"] for row in rows}


@dataclass
class ChildRow:
    region: Region
    counts: dict[str, int]


def region_children_with_counts(
    *, region: Region, user, counters: dict[str, QuerySet]
) -> list[ChildRow]:
    """The children of a region, each with counts from `counters` (name -> scoped queryset).

    One query for the children and one grouped query per counter, however many children there are.
    """
    children = list(region_children(region=region, user=user))
    region_totals = {
        "grids": subtree_counts_by_child(
            queryset=Region.objects.filter(level=Region.Level.GRID), parent=region, region_field=""
        ),
        "groups": subtree_counts_by_child(
            queryset=Region.objects.filter(level=Region.Level.GROUP), parent=region, region_field=""
        ),
    }
    for name, queryset in counters.items():
        region_totals[name] = subtree_counts_by_child(queryset=queryset, parent=region)
    return [
        ChildRow(
            region=child,
            counts={name: totals.get(child.path, 0) for name, totals in region_totals.items()},
        )
        for child in children
    ]
