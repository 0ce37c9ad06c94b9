"""Daily online reports (每日线上上报): the enterprise's form (phone first), the township's list,
late and missing reports, and the supervisor's confirmation."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.enterprises import reports, selectors
from fangxian.enterprises.forms import DailyReportForm, SupervisorReviewForm
from fangxian.enterprises.models import Enterprise
from fangxian.enterprises.scope import can_on, enterprise_capability_required
from fangxian.enterprises.views import add_service_error
from fangxian.enterprises.views.registry import _region_filter

VIEW = Capability.VIEW_ENTERPRISES
KEEP = Capability.KEEP_ENTERPRISE_RECORDS
SUPERVISE = Capability.SUPERVISE_ENTERPRISES


def _day(request: HttpRequest, default=None):
    return parse_date(request.GET.get("day", "") or "") or default


@enterprise_capability_required(KEEP)
def report_form_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """Today's report (or a recent day's): the form opens with the day's report when there is
    one, so that submitting again corrects it (its earlier figures are kept)."""
    enterprise = selectors.enterprise_get(
        user=request.user, enterprise_id=enterprise_id, capability=KEEP
    )
    today = timezone.localdate()
    day = _day(request, today)
    existing = selectors.report_of(enterprise=enterprise, day=day)
    form = DailyReportForm(request.POST or None, instance=existing, initial={"day": day})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            report = reports.daily_report_submit(
                actor=request.user, enterprise=enterprise, day=data.pop("day"), **data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            text = _("Report for %(day)s received.") % {"day": report.day.isoformat()}
            if report.late:
                text = _("Report for %(day)s received after the deadline.") % {
                    "day": report.day.isoformat()
                }
            messages.success(request, text)
            return redirect("enterprises:enterprise-detail", enterprise_id=enterprise.pk)
    context = {
        "form": form,
        "enterprise": enterprise,
        "existing": existing,
        "deadline": reports.deadline_at(enterprise, day),
    }
    return render(request, "enterprises/report_form.html", context)


@enterprise_capability_required(VIEW)
def report_list_view(request: HttpRequest) -> HttpResponse:
    enterprise_id = request.GET.get("enterprise", "")
    enterprise = (
        selectors.enterprise_get(user=request.user, enterprise_id=int(enterprise_id))
        if enterprise_id.isdigit()
        else None
    )
    rows = selectors.report_list(
        user=request.user,
        enterprise=enterprise,
        day=_day(request),
        region=_region_filter(request),
        industry=request.GET.get("industry", ""),
        late=request.GET.get("late") == "1",
        abnormal=request.GET.get("abnormal") == "1",
    )
    context = {
        "page": keyset_page(rows, after=request.GET.get("after"), newest_first=True),
        "day": _day(request),
        "enterprise": enterprise,
        "industries": Enterprise.Industry.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "enterprises/report_list.html", context)


@enterprise_capability_required(VIEW)
def report_status_view(request: HttpRequest) -> HttpResponse:
    """Who has not reported today (or on `day`), and who reported late: to chase them."""
    day = _day(request, timezone.localdate())
    region = _region_filter(request)
    context = {
        "day": day,
        "missing": keyset_page(
            selectors.enterprise_list(user=request.user, region=region, missing_on=day),
            after=request.GET.get("after"),
        ),
        "late": selectors.report_list(
            user=request.user, day=day, region=region, late=True
        ).order_by("id")[:200],
    }
    return render(request, "enterprises/report_status.html", context)


@enterprise_capability_required(VIEW)
def report_detail_view(request: HttpRequest, daily_report_id: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, report_id=daily_report_id)
    context = {
        "report": report,
        "enterprise": report.enterprise,
        "revisions": report.revisions.select_related("submitted_by"),
        "review_form": SupervisorReviewForm()
        if can_on(request.user, SUPERVISE, report.enterprise)
        else None,
    }
    return render(request, "enterprises/report_detail.html", context)


@enterprise_capability_required(SUPERVISE)
@require_POST
def report_review_view(request: HttpRequest, daily_report_id: int) -> HttpResponse:
    report = selectors.report_get(
        user=request.user, report_id=daily_report_id, capability=SUPERVISE
    )
    form = SupervisorReviewForm(request.POST)
    form.is_valid()
    try:
        reports.daily_report_review(
            actor=request.user,
            report=report,
            confirm=form.cleaned_data.get("confirm", False),
            comment=form.cleaned_data.get("comment", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("enterprises:report-detail", daily_report_id=report.pk)
