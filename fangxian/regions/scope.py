"""The one place where region scope is applied.

Every list, detail, search, export and API reads through `scoped()` or `get_scoped_or_404()`.
A record outside the user's scope does not exist for them: the answer is 404, never 403.

A user's scope is the set of region paths where one of their roles grants the capability asked
for; the user model answers `region_paths_for(capability)` (None means unrestricted, for
superusers). Regions do not import accounts: the user is asked, not looked up.
"""

from functools import reduce
from operator import or_
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)

VIEW_PEOPLE = "view_people"


def region_field_of(model: type[Model]) -> str:
    """The lookup from a model to its Region; models declare `scope_region_field` when not 'region'."""
    if model._meta.label == "regions.Region":
        return ""
    return getattr(model, "scope_region_field", "region")


def paths_q(paths: list[str], prefix: str = "") -> Q:
    """`path LIKE 'p1%' OR path LIKE 'p2%' …` on Region (or through `prefix`)."""
    if not paths:
        return Q(pk__in=[])
    lookup = f"{prefix}path__startswith"
    return reduce(or_, (Q(**{lookup: path}) for path in _outermost(paths)))


def scope_q(model: type[Model], paths: list[str]) -> Q:
    """Rows whose region lies under one of `paths`: a join to the region table filtered by the
    indexed path prefix. (An `IN (SELECT id …)` form was measured slower for first pages on SQLite,
    whose planner then sorts the whole subtree; see bench/.)"""
    field = region_field_of(model)
    return paths_q(paths, prefix=f"{field}__" if field else "")


def _outermost(paths: list[str]) -> list[str]:
    """Drop paths already covered by a shorter one (a township covers its villages)."""
    kept: list[str] = []
    for path in sorted(set(paths), key=len):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return kept


def scoped(queryset: QuerySet[M], user: Any, capability: str = VIEW_PEOPLE) -> QuerySet[M]:
    """Limit a queryset to the regions where `user` holds `capability`."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    paths = user.region_paths_for(capability)
    if paths is None:
        return queryset
    return queryset.filter(scope_q(queryset.model, paths))


def overlap_q(paths: list[str], prefix: str = "") -> Q:
    """Regions under one of `paths` or above one of them: those that share ground with a scope.
    "Above" is an exact match on the ancestors' paths (each path's prefixes at the tree's
    lengths), so both halves use the path index."""
    from fangxian.regions.models import Region

    if not paths:
        return Q(pk__in=[])
    ancestors = {
        path[:length]
        for path in paths
        for length in Region.PATH_LENGTH.values()
        if length < len(path)
    }
    return paths_q(paths, prefix) | Q(**{f"{prefix}path__in": sorted(ancestors)})


def scoped_by_overlap(
    queryset: QuerySet[M], user: Any, capability: str = VIEW_PEOPLE, *, field: str
) -> QuerySet[M]:
    """Limit to rows whose regions (through `field`, e.g. a many-to-many) share ground with the
    user's scope: a region inside the scope, or one that contains part of it. A screening
    campaign over the township is the grid worker's too; one over another village is not.
    The match runs in a subquery, so a row with several matching regions comes once."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    paths = user.region_paths_for(capability)
    if paths is None:
        return queryset
    matching = queryset.model._default_manager.filter(overlap_q(paths, prefix=f"{field}__"))
    return queryset.filter(pk__in=matching.values("pk"))


def get_scoped_or_404(
    queryset: QuerySet[M], user: Any, capability: str = VIEW_PEOPLE, **lookup: Any
) -> M:
    try:
        return scoped(queryset, user, capability).get(**lookup)
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing


def region_in_scope(region: Any, user: Any, capability: str = VIEW_PEOPLE) -> bool:
    if user is None or not user.is_authenticated:
        return False
    paths = user.region_paths_for(capability)
    if paths is None:
        return True
    return any(region.path.startswith(path) for path in paths)


def scope_roots(user: Any, capability: str = VIEW_PEOPLE) -> QuerySet:
    """The outermost regions of a user's scope: where their navigation starts."""
    from fangxian.regions.models import Region

    paths = user.region_paths_for(capability)
    if paths is None:
        return Region.objects.filter(parent__isnull=True)
    return Region.objects.filter(path__in=_outermost(paths))
