"""Reads of users and roles, limited to the reader's scope."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Capability
from fangxian.regions.scope import paths_q, scoped


def users_in_scope(*, user: User, capability: str = Capability.MANAGE_USERS) -> QuerySet[User]:
    """Users holding a role inside the regions where `user` has `capability`, or whose home
    region lies there (so an account without roles stays reachable)."""
    paths = user.region_paths_for(capability)
    if paths is None:
        return User.objects.all()
    assignments = scoped(RoleAssignment.objects.all(), user, capability)
    return User.objects.filter(
        Exists(assignments.filter(user_id=OuterRef("pk")))
        | Q(paths_q(paths, prefix="home_region__"))
    )


def user_assignments(*, user: User, viewer: User) -> tuple[QuerySet[RoleAssignment], int]:
    """The roles of `user` that `viewer` may see and manage, and how many others they hold."""
    mine = user.role_assignments.select_related("region").order_by("region__path", "role")
    visible = scoped(mine, viewer, Capability.MANAGE_USERS)
    return visible, mine.count() - visible.count()


def user_is_manageable(*, actor: User, user: User) -> bool:
    """May `actor` change this account (details, password, activation)? Only when everything the
    account may do lies inside the actor's scope: a township HQ must not take over a county
    account that also holds a village role, nor any staff or superuser account."""
    if actor.is_superuser:
        return True
    if user.is_superuser or user.is_staff:
        return False
    return all(actor.can_at(Capability.MANAGE_USERS, region) for region in _user_regions(user))


def _user_regions(user: User) -> list:
    regions = [a.region for a in user.role_assignments.select_related("region")]
    return [*regions, user.home_region] if user.home_region_id else regions
