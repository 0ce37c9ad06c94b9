"""Returnees' self-reports: the public form a village's poster points to (no login), and the
staff side (the pending list, review, verify or reject, and the poster with its QR code)."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.audit.middleware import client_address
from fangxian.core.paging import keyset_page
from fangxian.screening import self_reports
from fangxian.screening.self_report_forms import RejectForm, SelfReportForm

# --- public -------------------------------------------------------------------------------


def _form_page(request, village, form, status=200) -> HttpResponse:
    question, token = self_reports.challenge_new()
    form.data = form.data.copy() if form.is_bound else form.data
    if form.is_bound:
        form.data["challenge"], form.data["answer"] = token, ""
    else:
        form.initial["challenge"] = token
    context = {
        "form": form,
        "village": village,
        "question": question,
        "retention_days": self_reports.RETENTION_DAYS,
    }
    return render(request, "screening/self_report_form.html", context, status=status)


def self_report_form_view(request: HttpRequest, code: str) -> HttpResponse:
    """The public form of one village: no login, guarded by a sum, a honeypot and rate limits."""
    village = self_reports.village_for_form(code)
    if request.method != "POST":
        return _form_page(request, village, SelfReportForm(village=village))
    client = self_reports.client_hash(client_address(request))
    if self_reports.self_report_rate_limited(village=village, client=client):
        return render(
            request, "screening/self_report_limited.html", {"village": village}, status=429
        )
    form = SelfReportForm(request.POST, village=village)
    if form.is_valid():
        fields = {
            k: v
            for k, v in form.cleaned_data.items()
            if k not in {"website", "challenge", "answer"}
        }
        try:
            report = self_reports.self_report_submit(village=village, client=client, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            thanks = reverse("report:thanks", kwargs={"code": village.code})
            return redirect(f"{thanks}?r={self_reports.thanks_token(report)}")
    return _form_page(request, village, form, status=400)


def self_report_thanks_view(request: HttpRequest, code: str) -> HttpResponse:
    village = self_reports.village_for_form(code)
    name = self_reports.thanks_name(request.GET.get("r", ""))
    return render(request, "screening/self_report_thanks.html", {"village": village, "name": name})


# --- staff --------------------------------------------------------------------------------


@capability_required(Capability.EDIT_PEOPLE)
def self_report_list_view(request: HttpRequest) -> HttpResponse:
    reports = self_reports.self_report_list(user=request.user)
    page = keyset_page(reports, after=request.GET.get("after"), newest_first=True)
    context = {
        "page": page,
        "rows": [(report, self_reports.masked(report)) for report in page.items],
        "villages": self_reports.poster_villages(user=request.user),
    }
    return render(request, "screening/self_report_list.html", context)


@capability_required(Capability.EDIT_PEOPLE)
def self_report_detail_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report, full = self_reports.self_report_full(user=request.user, report_id=report_id)
    context = {
        "report": report,
        "shown": {"id_number": report.id_number, "phone": report.phone}
        if full
        else self_reports.masked(report),
        "reject_form": RejectForm(),
    }
    return render(request, "screening/self_report_detail.html", context)


@capability_required(Capability.EDIT_PEOPLE)
@require_POST
def self_report_verify_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = self_reports.self_report_get(user=request.user, report_id=report_id)
    try:
        report = self_reports.self_report_verify(actor=request.user, report=report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("screening:self-report-detail", report_id=report.pk)
    messages.success(
        request,
        _("Verified: %(name)s's trip is recorded (%(category)s).")
        % {"name": report.name, "category": report.trip.get_category_display()},
    )
    return redirect("screening:self-report-list")


@capability_required(Capability.EDIT_PEOPLE)
@require_POST
def self_report_reject_view(request: HttpRequest, report_id: int) -> HttpResponse:
    report = self_reports.self_report_get(user=request.user, report_id=report_id)
    form = RejectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say why the report is rejected."))
        self_reports.self_report_reject(
            actor=request.user, report=report, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("screening:self-report-detail", report_id=report.pk)
    messages.success(request, _("The report is rejected."))
    return redirect("screening:self-report-list")


@capability_required(Capability.EDIT_PEOPLE)
def self_report_poster_view(request: HttpRequest, code: str) -> HttpResponse:
    """An A4 poster for a village (given its code or that of a grid or group in it): the notice
    and a QR code of the village's form."""
    village = self_reports.poster_village(user=request.user, code=code)
    url = request.build_absolute_uri(reverse("report:form", kwargs={"code": village.code}))
    qr = segno.make(url, error="m").svg_inline(scale=8, title=village.name)
    context = {
        "village": village,
        "url": url,
        "qr": qr,
        "retention_days": self_reports.RETENTION_DAYS,
    }
    return render(request, "screening/self_report_poster.html", context)
