from django import template

from fangxian.accounts.roles import Capability

register = template.Library()


@register.filter
def traces(user) -> bool:
    """Whether the menu shows the exposure search (流调): trace_exposure anywhere."""
    return bool(user.is_authenticated and user.has_capability(Capability.TRACE_EXPOSURE))
