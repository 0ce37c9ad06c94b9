"""Resumption applications (复工复产): the enterprise's plan, the township's review and the
reopening date, with the whole history; HQ's figures by village and industry."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.roles import Capability
from fangxian.audit.services import Action, audit_record
from fangxian.core.paging import keyset_page
from fangxian.enterprises import figures, resumption, selectors
from fangxian.enterprises.forms import ApplicationForm, ReopenForm, ReviewForm
from fangxian.enterprises.models import Enterprise, ResumptionApplication
from fangxian.enterprises.scope import can_on, enterprise_capability_required
from fangxian.enterprises.views import add_service_error
from fangxian.enterprises.views.registry import _region_filter

VIEW = Capability.VIEW_ENTERPRISES
KEEP = Capability.KEEP_ENTERPRISE_RECORDS
APPROVE = Capability.APPROVE_RESUMPTION
MANAGE = Capability.MANAGE_ENTERPRISES


@enterprise_capability_required(VIEW)
def application_list_view(request: HttpRequest) -> HttpResponse:
    region = _region_filter(request)
    status = request.GET.get("status", "")
    rows = selectors.application_list(
        user=request.user,
        status=status if status in ResumptionApplication.Status.values else "",
        region=region,
        industry=request.GET.get("industry", ""),
    )
    context = {
        "page": keyset_page(rows, after=request.GET.get("after"), newest_first=True),
        "figures": figures.application_figures(user=request.user, region=region),
        "statuses": ResumptionApplication.Status.choices,
        "industries": Enterprise.Industry.choices,
        "query": request.GET.urlencode(),
    }
    return render(request, "enterprises/application_list.html", context)


@enterprise_capability_required(VIEW)
def application_detail_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
    application = selectors.application_of(enterprise=enterprise)
    user = request.user
    context = {
        "enterprise": enterprise,
        "application": application,
        "events": selectors.application_events(application=application) if application else [],
        "can_keep": can_on(user, KEEP, enterprise),
        "review_form": ReviewForm() if can_on(user, APPROVE, enterprise) else None,
        "reopen_form": ReopenForm() if can_on(user, MANAGE, enterprise) else None,
    }
    return render(request, "enterprises/application_detail.html", context)


@enterprise_capability_required(KEEP)
def application_edit_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(
        user=request.user, enterprise_id=enterprise_id, capability=KEEP
    )
    application = selectors.application_of(enterprise=enterprise)
    if application is not None and not application.editable:
        messages.info(request, _("The application is with the township or decided."))
        return redirect("enterprises:application-detail", enterprise_id=enterprise.pk)
    form = ApplicationForm(request.POST or None, request.FILES or None, instance=application)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        document = data.pop("plan_document", None)
        try:
            resumption.application_save(
                actor=request.user,
                enterprise=enterprise,
                plan_document=document if isinstance(document, UploadedFile) else None,
                **data,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The application is saved as a draft."))
            return redirect("enterprises:application-detail", enterprise_id=enterprise.pk)
    context = {"form": form, "enterprise": enterprise, "application": application}
    return render(request, "enterprises/application_form.html", context)


def _application(request: HttpRequest, enterprise_id: int, capability: str):
    enterprise = selectors.enterprise_get(
        user=request.user, enterprise_id=enterprise_id, capability=capability
    )
    application = selectors.application_of(enterprise=enterprise)
    if application is None:
        raise Http404
    return application


def _done(request: HttpRequest, application: ResumptionApplication, step) -> HttpResponse:
    try:
        step()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Saved."))
    return redirect("enterprises:application-detail", enterprise_id=application.enterprise_id)


@enterprise_capability_required(KEEP)
@require_POST
def application_submit_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    application = _application(request, enterprise_id, KEEP)
    return _done(
        request,
        application,
        lambda: resumption.application_submit(actor=request.user, application=application),
    )


@enterprise_capability_required(APPROVE)
@require_POST
def application_review_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    application = _application(request, enterprise_id, APPROVE)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("enterprises:application-detail", enterprise_id=enterprise_id)
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == "approve":
        return _done(
            request,
            application,
            lambda: resumption.application_approve(
                actor=request.user, application=application, conditions=comment
            ),
        )
    return _done(
        request,
        application,
        lambda: resumption.application_request_changes(
            actor=request.user, application=application, comment=comment
        ),
    )


@enterprise_capability_required(MANAGE)
@require_POST
def application_reopen_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    application = _application(request, enterprise_id, MANAGE)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reopening date."))
        return redirect("enterprises:application-detail", enterprise_id=enterprise_id)
    return _done(
        request,
        application,
        lambda: resumption.application_reopen(
            actor=request.user,
            application=application,
            reopened_on=form.cleaned_data["reopened_on"],
        ),
    )


@enterprise_capability_required(VIEW)
def application_document_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """The plan document, served through the scope (media files are not public). Audited."""
    application = _application(request, enterprise_id, VIEW)
    if not application.plan_document:
        raise Http404
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        obj=application,
        region=application.enterprise.region,
        detail={"file": "plan_document"},
    )
    name = application.plan_document.name.rsplit("/", 1)[-1]
    return FileResponse(application.plan_document.open("rb"), as_attachment=True, filename=name)
