"""The one place enterprise scope is applied (企业的数据范围).

An enterprise is reached two ways, and only these:

- through the region scope (regions.scope): a role over the enterprise's village, its township
  or above grants a capability there, as for every other record;
- through an `EnterpriseMembership`: the enterprise's own contact holds a role over that one
  enterprise (accounts.roles.ENTERPRISE_ROLE_CAPABILITIES) and nothing else. Such a user has no
  region role, so every people page and selector (scoped by region) gives them nothing: the
  residents they see are their roster's workers, read here through their enterprise.

Everything in this app that reads an enterprise, or a row hanging from one, goes through
`enterprises_q` (a Q usable from any model through a prefix): out of scope is a 404.
"""

from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from fangxian.accounts.roles import ENTERPRISE_ROLE_CAPABILITIES
from fangxian.regions.scope import paths_q

M = TypeVar("M", bound=Model)


def _member_roles(capability: str) -> list[str]:
    return [role for role, caps in ENTERPRISE_ROLE_CAPABILITIES.items() if capability in caps]


def member_enterprise_ids(user: Any, capability: str) -> list[int]:
    """Ids of the enterprises whose membership grants `user` the capability (cached per user
    object, like the region assignments: scope is asked many times in a request)."""
    cache = getattr(user, "_enterprise_membership_cache", None)
    if cache is None:
        from fangxian.enterprises.models import EnterpriseMembership

        cache = list(
            EnterpriseMembership.objects.filter(user=user).values_list("enterprise_id", "role")
        )
        user._enterprise_membership_cache = cache
    roles = set(_member_roles(capability))
    return [enterprise_id for enterprise_id, role in cache if role in roles]


def enterprises_q(user: Any, capability: str, prefix: str = "") -> Q | None:
    """Rows (an Enterprise, or through `prefix`, e.g. "enterprise__") that `user` may reach
    with `capability`; None means everything (superusers)."""
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    paths = user.region_paths_for(capability)
    if paths is None:
        return None
    q = paths_q(paths, prefix=f"{prefix}region__")
    members = member_enterprise_ids(user, capability)
    if members:
        q |= Q(**{f"{prefix}pk__in" if not prefix else f"{prefix}id__in": members})
    return q


def enterprise_scoped(
    queryset: QuerySet[M], user: Any, capability: str, prefix: str = ""
) -> QuerySet[M]:
    """Limit `queryset` to the enterprises (through `prefix`) within the user's scope."""
    q = enterprises_q(user, capability, prefix)
    return queryset if q is None else queryset.filter(q)


def get_enterprise_scoped_or_404(
    queryset: QuerySet[M], user: Any, capability: str, prefix: str = "", **lookup: Any
) -> M:
    try:
        return enterprise_scoped(queryset, user, capability, prefix).get(**lookup)
    except queryset.model.DoesNotExist as missing:
        raise Http404 from missing


def has_enterprise_capability(user: Any, capability: str) -> bool:
    """Whether `user` holds the capability anywhere: over a region or over an enterprise."""
    if user is None or not user.is_authenticated:
        return False
    return user.has_capability(capability) or bool(member_enterprise_ids(user, capability))


def can_on(user: Any, capability: str, enterprise: Any) -> bool:
    """Whether `user` holds the capability over this enterprise (no query after the first)."""
    if user is None or not user.is_authenticated:
        return False
    return user.can_at(capability, enterprise.region) or enterprise.pk in member_enterprise_ids(
        user, capability
    )


def enterprise_capability_required(capability: str):
    """Log in first; without the capability over any region or enterprise: 404."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not has_enterprise_capability(request.user, capability):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
