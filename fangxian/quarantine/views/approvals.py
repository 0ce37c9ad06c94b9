"""Accountable decisions (issue 4, item 8): placing a list in bulk (paste → preview → place,
pending), the second HQ person's approvals, the supervision role's alerts, and appeals."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.quarantine import appeals, approvals, hq, selectors
from fangxian.quarantine.forms_orders import (
    AppealDecisionForm,
    BulkForm,
    NoteForm,
    add_service_error,
)
from fangxian.quarantine.models import Appeal, OrderBatch, SupervisionAlert
from fangxian.quarantine.orders import orders_place_bulk
from fangxian.regions.scope import get_scoped_or_404
from fangxian.screening.models import Trip
from fangxian.screening.selectors import returnee_list

MANAGE = Capability.MANAGE_QUARANTINE
APPROVE = Capability.APPROVE_QUARANTINE
SUPERVISE = Capability.SUPERVISE_QUARANTINE
RETURNEES_SHOWN = 100


def _picked(request: HttpRequest) -> list[int]:
    return [int(value) for value in request.POST.getlist("person") if value.isdigit()]


@capability_required(MANAGE)
def bulk_place_view(request: HttpRequest) -> HttpResponse:
    """GET: the list form (paste numbers or pick returnees from key areas). POST: the preview;
    POST with `confirm`: place the people of the preview, pending a second approver."""
    form = BulkForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        preview = hq.bulk_preview(
            user=request.user, lines=form.lines(), person_ids=_picked(request)
        )
        terms = {key: value for key, value in form.cleaned_data.items() if key != "numbers"}
        if request.POST.get("confirm") and preview.found and not preview.already:
            try:
                batch = orders_place_bulk(
                    actor=request.user,
                    people=hq.bulk_people(user=request.user, person_ids=preview.ids),
                    **terms,
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(count)s orders placed as one list: they start once a second HQ person approves it."
                    )
                    % {"count": batch.size},
                )
                return redirect("quarantine:batch-detail", batch_id=batch.pk)
        context["preview"] = preview
    if "preview" not in context:
        trips = returnee_list(user=request.user, category=Trip.Category.KEY_AREA)
        context["returnees"] = list(trips.order_by("-arrived_on", "-id")[:RETURNEES_SHOWN])
    return render(request, "quarantine/batch_form.html", context)


def _batch(request: HttpRequest, batch_id: int, capability: str = Capability.VIEW_QUARANTINE):
    return get_scoped_or_404(
        OrderBatch.objects.select_related("placed_by", "decided_by", "region"),
        request.user,
        capability,
        pk=batch_id,
    )


def _batch_page(request: HttpRequest, batch: OrderBatch, form: NoteForm | None = None):
    orders = selectors.order_list(user=request.user).filter(batch=batch)
    context = {
        "batch": batch,
        "page": keyset_page(orders, after=request.GET.get("after")),
        "form": form or NoteForm(),
        "can_decide": (
            batch.status == OrderBatch.Status.PENDING
            and batch.placed_by_id != request.user.pk
            and request.user.can_at(APPROVE, batch.region)
        ),
    }
    return render(request, "quarantine/batch_detail.html", context)


@capability_required(Capability.VIEW_QUARANTINE)
def batch_detail_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _batch_page(request, _batch(request, batch_id))


def _decide(request: HttpRequest, batch_id: int, decide, done: str) -> HttpResponse:
    batch = _batch(request, batch_id, APPROVE)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            decide(actor=request.user, batch=batch, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect("quarantine:approval-list")
    return _batch_page(request, batch, form)


@capability_required(APPROVE)
@require_POST
def batch_approve_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    return _decide(request, batch_id, approvals.order_batch_approve, _("List approved."))


@capability_required(APPROVE)
@require_POST
def batch_reject_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    done = _("List refused: its orders are cancelled.")
    return _decide(request, batch_id, approvals.order_batch_reject, done)


@capability_required(APPROVE)
def approval_list_view(request: HttpRequest) -> HttpResponse:
    context = {
        "batches": selectors.batches_to_approve(user=request.user)[:100],
        "orders": selectors.orders_to_approve(user=request.user).order_by("placed_at", "id")[:100],
    }
    return render(request, "quarantine/batch_approvals.html", context)


@capability_required(SUPERVISE)
def supervision_list_view(request: HttpRequest) -> HttpResponse:
    unseen = request.GET.get("all") != "1"
    alerts = selectors.supervision_alerts(user=request.user, unseen_only=unseen)
    context = {
        "page": keyset_page(alerts, after=request.GET.get("after"), newest_first=True),
        "unseen": unseen,
    }
    return render(request, "quarantine/batch_supervision.html", context)


@capability_required(SUPERVISE)
@require_POST
def supervision_seen_view(request: HttpRequest, supervision_alert_id: int) -> HttpResponse:
    alert = get_scoped_or_404(
        SupervisionAlert.objects, request.user, SUPERVISE, pk=supervision_alert_id
    )
    appeals.supervision_alert_mark_seen(actor=request.user, alert=alert)
    messages.success(request, _("Marked as seen; the alert stays on record."))
    return redirect("quarantine:supervision-list")


def _appeal_page(request: HttpRequest, bound: tuple[int, AppealDecisionForm] | None = None):
    open_only = request.GET.get("all") != "1"
    page = keyset_page(
        selectors.appeal_list(user=request.user, open_only=open_only).select_related(
            "recorded_by", "decided_by", "order__placed_by"
        ),
        after=request.GET.get("after"),
    )
    rows = [
        {
            "appeal": appeal,
            "form": bound[1] if bound and bound[0] == appeal.pk else AppealDecisionForm(),
            "can_decide": (
                appeal.status == Appeal.Status.OPEN
                and appeal.order.placed_by_id != request.user.pk
                and request.user.can_at(APPROVE, appeal.region)
            ),
        }
        for appeal in page.items
    ]
    context = {"page": page, "rows": rows, "open_only": open_only}
    return render(request, "quarantine/appeal_list.html", context)


@capability_required(Capability.VIEW_QUARANTINE)
def appeal_list_view(request: HttpRequest) -> HttpResponse:
    return _appeal_page(request)


@capability_required(APPROVE)
@require_POST
def appeal_decide_view(request: HttpRequest, appeal_id: int) -> HttpResponse:
    appeal = get_scoped_or_404(Appeal.objects, request.user, APPROVE, pk=appeal_id)
    form = AppealDecisionForm(request.POST)
    if form.is_valid():
        try:
            appeals.appeal_decide(actor=request.user, appeal=appeal, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Appeal decided; it stays on record."))
            return redirect("quarantine:appeal-list")
    return _appeal_page(request, (appeal.pk, form))
