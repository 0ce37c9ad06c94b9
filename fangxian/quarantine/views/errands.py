"""Errands (代购) and care work (关爱服务) for households in quarantine: what a household asks
for, item by item; the open errands, each moved on with one tap (take it → bought → delivered
→ paid); care work recorded per order."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.quarantine.errands import ERRAND_STEPS, care_record, errand_advance, errand_request
from fangxian.quarantine.forms_team import (
    CareForm,
    ErrandItemFormSet,
    ErrandNoteForm,
    ErrandStepForm,
)
from fangxian.quarantine.models import Errand, QuarantineOrder
from fangxian.quarantine.selectors import errand_list
from fangxian.regions.scope import get_scoped_or_404

ERRANDS = Capability.HANDLE_ERRANDS
# The things households asked for most (the seeds: 米、面条、油、盐、打火机 …): one tap fills a line.
QUICK_ITEMS = [
    ("大米", "10", "斤"),
    ("挂面", "2", "包"),
    ("食用油", "1", "桶"),
    ("盐", "1", "包"),
    ("蔬菜", "3", "斤"),
    ("药品", "1", "盒"),
    ("打火机", "1", "个"),
]


def _order(user, order_id: int) -> QuarantineOrder:
    """An order in the user's errand scope (volunteers run errands without seeing the orders'
    lists), else 404."""
    return get_scoped_or_404(
        QuarantineOrder.objects.select_related("person__household", "region__parent"),
        user,
        ERRANDS,
        pk=order_id,
    )


@capability_required(ERRANDS)
def errand_list_view(request: HttpRequest) -> HttpResponse:
    """Open errands, oldest first (`?all=1`: every errand), each with its next step."""
    show_all = request.GET.get("all") == "1"
    errands = errand_list(user=request.user, open_only=not show_all).select_related(
        "order__region__parent"
    )
    page = keyset_page(errands, after=request.GET.get("after"))
    for errand in page.items:
        step = ERRAND_STEPS.get(errand.status)
        errand.next_step = Errand.Status(step[0]) if step else None
    template = "quarantine/errand_list.html#rows" if request.htmx else "quarantine/errand_list.html"
    return render(request, template, {"page": page, "show_all": show_all})


@capability_required(ERRANDS)
def errand_create_view(request: HttpRequest, order_id: int) -> HttpResponse:
    """What the household asks for: lines of item, quantity and unit (empty lines dropped)."""
    order = _order(request.user, order_id)
    data = request.POST if request.method == "POST" else None
    items = ErrandItemFormSet(data, prefix="items")
    form = ErrandNoteForm(data)
    if data is not None and items.is_valid() and form.is_valid():
        lines = [line for line in items.cleaned_data if line.get("name")]
        try:
            errand_request(
                actor=request.user, order=order, items=lines, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Errand for %(person)s recorded.") % {"person": order.person.name}
            )
            return redirect("quarantine:errand-list")
    context = {"order": order, "items": items, "form": form, "quick_items": QUICK_ITEMS}
    return render(request, "quarantine/errand_form.html", context)


@capability_required(ERRANDS)
def errand_advance_view(request: HttpRequest, errand_id: int) -> HttpResponse:
    """POST, one tap: the errand's next step (taking it assigns it to oneself; paid needs the
    amount). Back to the list with what happened."""
    errand = errand_list(user=request.user, open_only=False).filter(pk=errand_id).first()
    if errand is None:
        raise Http404
    if request.method == "POST":
        form = ErrandStepForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(m for found in form.errors.values() for m in found))
        else:
            try:
                errand_advance(
                    actor=request.user,
                    errand=errand,
                    to_status=form.cleaned_data["to_status"],
                    assignee=request.user,
                    amount=form.cleaned_data["amount"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Errand for %(person)s: %(status)s.")
                    % {
                        "person": errand.order.person.name,
                        "status": Errand.Status(form.cleaned_data["to_status"]).label,
                    },
                )
    return redirect("quarantine:errand-list")


@capability_required(ERRANDS)
def care_view(request: HttpRequest, order_id: int) -> HttpResponse:
    """Care work done for the household (livestock, water and power, emotional support), and
    what was recorded before."""
    order = _order(request.user, order_id)
    form = CareForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            care_record(actor=request.user, order=order, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Care work recorded."))
            return redirect("quarantine:care", order_id=order.pk)
    earlier = order.care.select_related("recorded_by").order_by("-done_at", "-id")[:10]
    return render(
        request, "quarantine/care_form.html", {"order": order, "form": form, "earlier": earlier}
    )
