"""The reports home (a member's units and today's state) and the home-page sections: a report
due today and not sent, and the open instructions of one's units."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.reports import selectors
from fangxian.reports.models import DailyReport
from fangxian.reports.selectors import MANAGE, SUBMIT


@capability_required(SUBMIT)
def reports_home_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    units = list(selectors.my_units(user=request.user))
    sent = dict(DailyReport.objects.filter(unit__in=units, day=today).values_list("unit_id", "pk"))
    context = {
        "today": today,
        "units": [(unit, sent.get(unit.pk)) for unit in units],
        "is_hq": request.user.has_capability(MANAGE),
        "open_tasks": selectors.open_receipts(user=request.user).count(),
    }
    return render(request, "reports/home.html", context)


def reports_home_section(request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    """ "Today's report of 瓦房村 is due by 16:00" for each of the member's units not yet sent."""
    user = request.user
    if not user.has_capability(SUBMIT):
        return None
    today = timezone.localdate()
    due = list(selectors.units_due(user=user, day=today))
    if not due:
        return None
    deadlines = selectors.deadline_times([unit.region for unit in due])
    items = [
        (
            _("Daily report of %(unit)s: due by %(deadline)s")
            % {"unit": unit.name, "deadline": f"{deadlines[unit.region.pk]:%H:%M}"},
            reverse("reports:unit-form", kwargs={"unit_id": unit.pk}),
        )
        for unit in due
    ]
    return "people/_home_section.html", {"title": _("Daily reports to send today"), "items": items}


def instructions_home_section(request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    user = request.user
    if not user.has_capability(SUBMIT):
        return None
    receipts = list(selectors.open_receipts(user=user)[:5])
    if not receipts:
        return None
    items = [
        (
            _("%(unit)s: %(title)s (due %(due)s)")
            % {
                "unit": r.unit.name,
                "title": r.instruction.title,
                "due": f"{r.instruction.due_on:%m-%d}",
            },
            reverse("reports:receipt-respond", kwargs={"receipt_id": r.pk}),
        )
        for r in receipts
    ]
    return "people/_home_section.html", {
        "title": _("Open instructions"),
        "items": items,
        "more_url": reverse("reports:receipt-list"),
    }
