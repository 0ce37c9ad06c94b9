"""`{{ user|records_checks }}` for the menu: the team's pages (the day's round) are for those
who record health checks (accounts' context processor does not know quarantine)."""

from django import template

from fangxian.accounts.roles import Capability

register = template.Library()


@register.filter
def records_checks(user) -> bool:
    return user.is_authenticated and user.has_capability(Capability.RECORD_HEALTH_CHECKS)
