"""The enterprise contact's home page: today's daily report, until it is sent (催报). The same
reminder the reporting units get from the reports app, for the enterprises a user keeps."""

from typing import Any

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.enterprises.models import DailyReport, Enterprise
from fangxian.enterprises.scope import member_enterprise_ids
from fangxian.enterprises.services import deadline_for


def report_due_section(request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    """(template, context) listing the user's enterprises without today's report, or None."""
    ids = member_enterprise_ids(request.user, Capability.KEEP_ENTERPRISE_RECORDS)
    if not ids:
        return None
    today = timezone.localdate()
    sent = DailyReport.objects.filter(enterprise=OuterRef("pk"), day=today)
    missing = (
        Enterprise.objects.filter(pk__in=ids)
        .exclude(Exists(sent))
        .select_related("region")
        .order_by("name")
    )
    items = [
        (
            _("%(enterprise)s: today's report is due at %(time)s")
            % {"enterprise": e.name, "time": deadline_for(e.region).strftime("%H:%M")},
            reverse("enterprises:report-form", kwargs={"enterprise_id": e.pk}),
        )
        for e in missing
    ]
    if not items:
        return None
    return "people/_home_section.html", {"title": _("Enterprise daily report"), "items": items}
