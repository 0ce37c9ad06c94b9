"""`{{ user|manages_places }}` for the menu (accounts' context processor does not know this
app)."""

from django import template

from fangxian.accounts.roles import Capability

register = template.Library()


@register.filter
def manages_places(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.MANAGE_PLACES)
