"""`{{ user|quarantine_can:"manage" }}` for the menu and the quarantine pages' tabs: whether the
user holds a quarantine capability anywhere (the roles are cached on the user: no query)."""

from django import template

from fangxian.accounts.roles import Capability

register = template.Library()

CAPABILITIES = {
    "view": Capability.VIEW_QUARANTINE,
    "manage": Capability.MANAGE_QUARANTINE,
    "approve": Capability.APPROVE_QUARANTINE,
    "supervise": Capability.SUPERVISE_QUARANTINE,
    "release": Capability.SIGN_RELEASE,
}


@register.filter
def quarantine_can(user, name: str) -> bool:
    return bool(user and user.is_authenticated and user.has_capability(CAPABILITIES[name]))
