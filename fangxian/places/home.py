"""The home page's live counters (registered in PlacesConfig.ready): today's scans and places
open or closed, and today's checkpoint figures, in the user's scope."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from fangxian.accounts.roles import Capability
from fangxian.places.selectors import home_counters


def counters_home_section(request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    user = request.user
    if not (
        user.has_capability(Capability.MANAGE_PLACES)
        or user.has_capability(Capability.MANAGE_CHECKPOINTS)
    ):
        return None
    today = timezone.localdate()
    context = {
        "counters": home_counters(user=user, day=today),
        "day": today,
        "places": user.has_capability(Capability.MANAGE_PLACES),
    }
    return "places/_home_counters.html", context
