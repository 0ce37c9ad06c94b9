"""`{{ user|sees_enterprises }}` for the menu: staff with view_enterprises over a region, or an
enterprise's own contact (accounts' context processor knows only region roles)."""

from django import template

from fangxian.accounts.roles import Capability
from fangxian.enterprises.scope import has_enterprise_capability

register = template.Library()


@register.filter
def sees_enterprises(user) -> bool:
    if user.has_capability(Capability.VIEW_ENTERPRISES):
        return True
    if user.role_labels:
        # Staff with region roles but not this capability: no membership query on every page
        # (enterprise accounts hold no region role).
        return False
    return has_enterprise_capability(user, Capability.VIEW_ENTERPRISES)
