"""The registry (企业台账): list, register, edit, the enterprise page, its accounts, and the
township's reporting deadline."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.enterprises import selectors, services
from fangxian.enterprises.forms import AccountForm, DeadlineForm, EnterpriseForm
from fangxian.enterprises.models import Enterprise, ResumptionApplication
from fangxian.enterprises.reports import deadline_at
from fangxian.enterprises.scope import (
    can_on,
    enterprise_capability_required,
    member_enterprise_ids,
)
from fangxian.enterprises.views import add_service_error
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped

VIEW = Capability.VIEW_ENTERPRISES
MANAGE = Capability.MANAGE_ENTERPRISES


def _region_filter(request: HttpRequest) -> Region | None:
    code = request.GET.get("region", "").strip()
    return selectors.region_in_enterprise_scope(user=request.user, code=code) if code else None


@enterprise_capability_required(VIEW)
def enterprise_list_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    region = _region_filter(request)
    if not user.has_capability(VIEW):
        # An enterprise's own contact: straight to their enterprise.
        own = member_enterprise_ids(user, VIEW)
        if len(own) == 1:
            return redirect("enterprises:enterprise-detail", enterprise_id=own[0])
    missing_on = parse_date(request.GET.get("missing", "") or "")
    status = request.GET.get("status", "")
    rows = selectors.enterprise_list(
        user=user,
        q=request.GET.get("q", ""),
        region=region,
        industry=request.GET.get("industry", ""),
        missing_on=missing_on,
        status=status if status in ResumptionApplication.Status.values else "",
    )
    page = keyset_page(rows, after=request.GET.get("after"))
    context = {
        "page": page,
        "industries": Enterprise.Industry.choices,
        "missing_on": missing_on,
        "can_manage": user.has_capability(MANAGE),
        "query": request.GET.urlencode(),
    }
    template = "enterprises/enterprise_list.html"
    return render(request, f"{template}#rows" if request.htmx else template, context)


def _form(request: HttpRequest, **kwargs) -> EnterpriseForm:
    regions = selectors.enterprise_villages(user=request.user, capability=MANAGE)
    supervisors = selectors.supervisor_candidates(user=request.user)
    return EnterpriseForm(
        request.POST or None,
        regions=[(r.code, r.short_name) for r in regions],
        supervisors=[(str(u.pk), str(u)) for u in supervisors],
        **kwargs,
    )


def _fields(request: HttpRequest, form: EnterpriseForm) -> dict:
    data = dict(form.cleaned_data)
    data.pop("region")
    supervisor_id = data.pop("supervisor")
    data["supervisor"] = (
        selectors.supervisor_candidates(user=request.user).filter(pk=supervisor_id).first()
        if supervisor_id
        else None
    )
    return data


@enterprise_capability_required(MANAGE)
def enterprise_create_view(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        region = get_scoped_or_404(
            Region.objects, request.user, MANAGE, code=form.cleaned_data["region"]
        )
        try:
            enterprise = services.enterprise_create(
                actor=request.user, region=region, **_fields(request, form)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The enterprise is registered."))
            return redirect(enterprise)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


@enterprise_capability_required(MANAGE)
def enterprise_edit_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(
        user=request.user, enterprise_id=enterprise_id, capability=MANAGE
    )
    initial = {"region": enterprise.region.code, "supervisor": enterprise.supervisor_id or ""}
    form = _form(request, instance=enterprise, initial=initial)
    form.fields["region"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.enterprise_update(
                actor=request.user, enterprise=enterprise, **_fields(request, form)
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(enterprise)
    context = {"form": form, "enterprise": enterprise}
    return render(request, "enterprises/enterprise_form.html", context)


@enterprise_capability_required(VIEW)
def enterprise_detail_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    user = request.user
    enterprise = selectors.enterprise_get(user=user, enterprise_id=enterprise_id)
    today = timezone.localdate()
    context = {
        "enterprise": enterprise,
        "application": selectors.application_of(enterprise=enterprise),
        "today_report": selectors.report_of(enterprise=enterprise, day=today),
        "deadline": deadline_at(enterprise, today),
        "accounts": selectors.enterprise_accounts(enterprise=enterprise)
        if can_on(user, MANAGE, enterprise)
        else None,
        "can_manage": can_on(user, MANAGE, enterprise),
        "can_keep": can_on(user, Capability.KEEP_ENTERPRISE_RECORDS, enterprise),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


@enterprise_capability_required(MANAGE)
def account_create_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """HQ makes the enterprise contact's login; a generated password is shown once, here."""
    enterprise = selectors.enterprise_get(
        user=request.user, enterprise_id=enterprise_id, capability=MANAGE
    )
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, generated = services.enterprise_account_create(
                actor=request.user, enterprise=enterprise, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            context = {"enterprise": enterprise, "account": account, "password": generated}
            response = render(request, "enterprises/account_created.html", context)
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request, "enterprises/account_form.html", {"form": form, "enterprise": enterprise}
    )


@enterprise_capability_required(MANAGE)
def deadline_view(request: HttpRequest) -> HttpResponse:
    """The townships' daily deadlines (HQ: manage_enterprises over a whole township)."""
    township_choices = list(
        scoped(Region.objects.filter(level=Region.Level.TOWNSHIP), request.user, MANAGE).order_by(
            "path"
        )
    )
    code = request.POST.get("township") or request.GET.get("township", "")
    township = next((t for t in township_choices if t.code == code), None) or next(
        iter(township_choices), None
    )
    if township is None:
        return render(request, "enterprises/deadline_form.html", {"township": None})
    form = DeadlineForm(request.POST or None, initial={"deadline": services.deadline_for(township)})
    if request.method == "POST" and form.is_valid():
        services.reporting_rules_set(
            actor=request.user, township=township, deadline=form.cleaned_data["deadline"]
        )
        messages.success(request, _("Saved."))
        return redirect("enterprises:deadline")
    context = {"form": form, "township": township, "townships": township_choices}
    return render(request, "enterprises/deadline_form.html", context)
