"""`{{ user|sees_reports }}` for the menu: HQ who manage reports, or members of a unit."""

from django import template

from fangxian.accounts.roles import Capability

register = template.Library()


@register.filter
def sees_reports(user) -> bool:
    return user.has_capability(Capability.MANAGE_REPORTS) or user.has_capability(
        Capability.SUBMIT_REPORTS
    )
