"""The roster (返岗人员花名册): list, add and change workers (phone first), and the township's
one-step placement under quarantine or health monitoring."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.enterprises import selectors, workers
from fangxian.enterprises.forms import PlacementForm, WorkerForm
from fangxian.enterprises.models import WorkerPlacement
from fangxian.enterprises.scope import can_on, enterprise_capability_required
from fangxian.enterprises.views import add_service_error
from fangxian.screening.models import Trip

VIEW = Capability.VIEW_ENTERPRISES
KEEP = Capability.KEEP_ENTERPRISE_RECORDS
MANAGE = Capability.MANAGE_ENTERPRISES


@enterprise_capability_required(VIEW)
def worker_list_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(user=request.user, enterprise_id=enterprise_id)
    flagged = request.GET.get("flagged") == "1"
    rows = selectors.worker_list(user=request.user, enterprise=enterprise, flagged=flagged)
    context = {
        "enterprise": enterprise,
        "page": keyset_page(rows, after=request.GET.get("after")),
        "flagged": flagged,
        "flagged_categories": selectors.FLAGGED_CATEGORIES,
        "categories": Trip.Category.choices,
        "can_keep": can_on(request.user, KEEP, enterprise),
        "can_manage": can_on(request.user, MANAGE, enterprise),
    }
    template = "enterprises/worker_list.html"
    return render(request, f"{template}#rows" if request.htmx else template, context)


@enterprise_capability_required(KEEP)
def worker_create_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = selectors.enterprise_get(
        user=request.user, enterprise_id=enterprise_id, capability=KEEP
    )
    form = WorkerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            worker = workers.worker_add(
                actor=request.user, enterprise=enterprise, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request, _("%(name)s is on the roster.") % {"name": worker.person.name}
            )
            return redirect("enterprises:worker-list", enterprise_id=enterprise.pk)
    return render(request, "enterprises/worker_form.html", {"form": form, "enterprise": enterprise})


@enterprise_capability_required(VIEW)
def worker_detail_view(request: HttpRequest, worker_id: int) -> HttpResponse:
    """A worker's file (一人一档): the roster entry, the trip's classification and, for those who
    keep the roster, the form to change it."""
    worker = selectors.worker_get(user=request.user, worker_id=worker_id)
    can_keep = can_on(request.user, KEEP, worker.enterprise)
    form = WorkerForm(request.POST or None, instance=worker, adding=False) if can_keep else None
    if request.method == "POST":
        if form is None:
            return redirect("enterprises:worker-detail", worker_id=worker.pk)
        if form.is_valid():
            try:
                workers.worker_update(actor=request.user, worker=worker, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("enterprises:worker-detail", worker_id=worker.pk)
    context = {
        "worker": worker,
        "enterprise": worker.enterprise,
        "form": form,
        "placements": selectors.worker_placements(worker=worker),
        "placement_form": PlacementForm()
        if can_on(request.user, MANAGE, worker.enterprise)
        else None,
    }
    return render(request, "enterprises/worker_detail.html", context)


@enterprise_capability_required(MANAGE)
@require_POST
def worker_place_view(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = selectors.worker_get(user=request.user, worker_id=worker_id, capability=MANAGE)
    form = PlacementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the kind of placement and give the reason."))
        return redirect("enterprises:worker-detail", worker_id=worker.pk)
    try:
        placement = workers.worker_place(actor=request.user, worker=worker, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if placement.status == WorkerPlacement.Status.PLACED:
            messages.success(request, _("Placed: %(order)s.") % {"order": placement.reference})
        else:
            messages.info(
                request,
                _("Recorded as a request: the quarantine team will place the worker."),
            )
    return redirect("enterprises:worker-detail", worker_id=worker.pk)
