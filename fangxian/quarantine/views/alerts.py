"""Fever alerts for the doctor and HQ: the list, one alert with its steps and the person's team,
and the next step (seen → visited → fever clinic or closed) with a note."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.quarantine.checks import ALERT_STEPS, alert_advance
from fangxian.quarantine.forms_team import AlertStepForm
from fangxian.quarantine.models import FeverAlert
from fangxian.quarantine.selectors import alert_list, order_team

VIEW = Capability.VIEW_QUARANTINE
RECORD = Capability.RECORD_HEALTH_CHECKS


def _alert(user, alert_id: int) -> FeverAlert:
    """One alert in the user's scope (any status), else 404."""
    alert = (
        alert_list(user=user, unresolved=False)
        .select_related("order__region__parent", "check_record__slot", "check_record__recorded_by")
        .filter(pk=alert_id)
        .first()
    )
    if alert is None:
        raise Http404
    return alert


@capability_required(VIEW)
def alert_list_view(request: HttpRequest) -> HttpResponse:
    """Unresolved alerts, newest first (`?all=1`: every alert), paged by key."""
    show_all = request.GET.get("all") == "1"
    alerts = alert_list(user=request.user, unresolved=not show_all).select_related(
        "order__region__parent", "check_record__slot"
    )
    page = keyset_page(alerts, after=request.GET.get("after"), newest_first=True)
    template = "quarantine/alert_list.html#rows" if request.htmx else "quarantine/alert_list.html"
    return render(request, template, {"page": page, "show_all": show_all})


def _detail(request: HttpRequest, alert: FeverAlert, form: AlertStepForm | None) -> HttpResponse:
    may_advance = request.user.can_at(RECORD, alert.order.region)
    context = {
        "alert": alert,
        "events": alert.events.select_related("actor"),
        "team": order_team(user=request.user, order=alert.order),
        "steps": [FeverAlert.Status(step) for step in ALERT_STEPS.get(alert.status, ())]
        if may_advance
        else [],
        "form": form or AlertStepForm(),
    }
    return render(request, "quarantine/alert_detail.html", context)


@capability_required(VIEW)
def alert_detail_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _detail(request, _alert(request.user, alert_id), None)


@capability_required(RECORD)
def alert_advance_view(request: HttpRequest, alert_id: int) -> HttpResponse:
    """POST: the next step with a note (closing or the fever clinic needs one); errors show
    next to the note on the alert's page."""
    alert = _alert(request.user, alert_id)
    if request.method != "POST":
        return redirect("quarantine:alert-detail", alert_id=alert.pk)
    form = AlertStepForm(request.POST)
    if form.is_valid():
        try:
            alert_advance(actor=request.user, alert=alert, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # {"note": …} lands next to the note
        else:
            messages.success(
                request,
                _("The alert is now: %(status)s.")
                % {"status": FeverAlert.Status(form.cleaned_data["to_status"]).label},
            )
            return redirect("quarantine:alert-detail", alert_id=alert.pk)
    return _detail(request, alert, form)
