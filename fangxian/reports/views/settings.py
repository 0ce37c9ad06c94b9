"""HQ settings: indicators, the daily deadline, the wording of the 日报 and the units."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.reports import computed, selectors
from fangxian.reports.forms import DeadlineForm, IndicatorForm, UnitForm, WordingForm
from fangxian.reports.models import Indicator, ReportingUnit
from fangxian.reports.selectors import MANAGE
from fangxian.reports.services import (
    deadline_set,
    indicator_save,
    unit_save,
    units_generate_villages,
    wording_save,
)


@capability_required(MANAGE)
def settings_view(request: HttpRequest) -> HttpResponse:
    regions = list(selectors.region_choices(user=request.user))
    form = DeadlineForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        region = selectors.report_region(user=request.user, code=form.cleaned_data["region"])
        deadline_set(actor=request.user, region=region, deadline=form.cleaned_data["deadline"])
        messages.success(request, _("The deadline is saved."))
        return redirect("reports:settings")
    deadlines = selectors.deadline_times(regions)
    indicators = list(Indicator.objects.all())
    context = {
        "form": form,
        "deadlines": [(region, deadlines[region.pk]) for region in regions],
        "indicators": [(i, computed.get(i.computation)) for i in indicators],
        "units": selectors.unit_list(user=request.user).prefetch_related("members"),
    }
    return render(request, "reports/settings.html", context)


@capability_required(MANAGE)
def indicator_edit_view(request: HttpRequest) -> HttpResponse:
    """Add an indicator, or change the one named by ?id= (indicators are the deployment's
    settings, like quarantine kinds: not a record of any region)."""
    indicator = None
    if "id" in request.GET:
        wanted = request.GET["id"]
        indicator = Indicator.objects.filter(pk=wanted).first() if wanted.isdigit() else None
        if indicator is None:
            raise Http404
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            indicator_save(actor=request.user, indicator=form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The indicator is saved."))
            return redirect("reports:settings")
    return render(request, "reports/indicator_form.html", {"form": form, "indicator": indicator})


@capability_required(MANAGE)
def wording_view(request: HttpRequest) -> HttpResponse:
    region = selectors.report_region(user=request.user, code=request.GET.get("region", ""))
    wording = selectors.wording_for(region)
    form = WordingForm(request.POST or None, initial={"title": wording.title, "body": wording.body})
    if request.method == "POST" and form.is_valid():
        try:
            wording_save(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The wording is saved."))
            return redirect(f"{request.path}?region={region.code}")
    context = {
        "form": form,
        "region": region,
        "regions": selectors.region_choices(user=request.user),
    }
    return render(request, "reports/wording_form.html", context)


@capability_required(MANAGE)
@require_POST
def units_generate_view(request: HttpRequest) -> HttpResponse:
    region = selectors.report_region(user=request.user, code=request.POST.get("region", ""))
    count = units_generate_villages(actor=request.user, region=region)
    messages.success(request, _("%(count)s village units added.") % {"count": count})
    return redirect("reports:settings")


def _unit_form(request: HttpRequest, unit: ReportingUnit) -> HttpResponse:
    form = UnitForm(
        request.POST or None,
        instance=unit,
        regions=selectors.region_choices(user=request.user),
        people=selectors.possible_members(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        unit = form.save(commit=False)
        unit.region = form.cleaned_data["region_code"]
        try:
            unit_save(actor=request.user, unit=unit, members=list(form.cleaned_data["members"]))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The unit is saved."))
            return redirect("reports:settings")
    return render(request, "reports/unit_edit.html", {"form": form, "unit": unit})


@capability_required(MANAGE)
def unit_create_view(request: HttpRequest) -> HttpResponse:
    return _unit_form(request, ReportingUnit())


@capability_required(MANAGE)
def unit_edit_view(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _unit_form(request, selectors.unit_for_hq(user=request.user, unit_id=unit_id))
