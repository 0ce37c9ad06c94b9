"""Reads of users and roles, limited to the reader's scope."""

from django.db.models import Exists, OuterRef, QuerySet

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Capability
from fangxian.regions.scope import scoped


def users_in_scope(*, user: User, capability: str = Capability.MANAGE_USERS) -> QuerySet[User]:
    """Users holding at least one role inside the regions where `user` has `capability`."""
    assignments = scoped(RoleAssignment.objects.all(), user, capability)
    if user.region_paths_for(capability) is None:
        return User.objects.all()
    return User.objects.filter(Exists(assignments.filter(user_id=OuterRef("pk"))))


def user_assignments(*, user: User) -> QuerySet[RoleAssignment]:
    return user.role_assignments.select_related("region").order_by("region__path", "role")
