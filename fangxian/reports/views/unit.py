"""A unit's daily form on a phone (big inputs; computed figures read-only, live beside the
snapshot) and a sent report with its history."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.reports import selectors
from fangxian.reports.forms import DailyReportForm
from fangxian.reports.models import DailyReport
from fangxian.reports.selectors import SUBMIT
from fangxian.reports.services import computed_values, report_submit


def requested_day(request: HttpRequest, name: str = "day", default: date | None = None) -> date:
    """A day from the query string (YYYY-MM-DD), default today; 404 when unreadable."""
    raw = request.GET.get(name, "")
    if not raw:
        return default or timezone.localdate()
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise Http404
    return day


@capability_required(SUBMIT)
def unit_form_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = selectors.unit_for_submitter(user=request.user, unit_id=unit_id)
    day = requested_day(request)
    indicators = selectors.indicators_for(unit, selectors.active_indicators())
    report = DailyReport.objects.filter(unit=unit, day=day).first()
    sent = selectors.report_values(report)
    form = DailyReportForm(
        request.POST or None,
        indicators=indicators,
        correcting=report is not None,
        initial={f"i{pk}": value for pk, value in sent.items()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            submitted = report_submit(
                actor=request.user,
                unit=unit,
                day=day,
                values=form.values(),
                reason=form.cleaned_data.get("reason", ""),
                refresh_computed=form.cleaned_data.get("refresh_computed", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The report is sent.") if submitted.created else _("The report is corrected."),
            )
            return redirect("reports:unit-report", unit_report_id=submitted.report.pk)
    live = computed_values(unit=unit, day=day, indicators=indicators)
    context = {
        "unit": unit,
        "day": day,
        "report": report,
        "form": form,
        "computed": [(i, live[i.pk], sent.get(i.pk)) for i in indicators if i.is_computed],
        "deadline": selectors.deadline_at(unit.region, day),
    }
    return render(request, "reports/unit_form.html", context)


@capability_required(SUBMIT)
def unit_report_view(request: HttpRequest, unit_report_id: int) -> HttpResponse:
    report = selectors.report_for_viewer(user=request.user, report_id=unit_report_id)
    values = selectors.report_values(report)
    indicators = selectors.indicators_for(report.unit, selectors.active_indicators())
    context = {
        "report": report,
        "rows": [(i, values.get(i.pk)) for i in indicators],
        "revisions": list(report.revisions.select_related("by")),
    }
    return render(request, "reports/unit_report.html", context)
