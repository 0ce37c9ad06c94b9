"""The exposure search pages (流调): list, new search, results with the second ring's progress,
export, one-step placement under monitoring, revealing a contact."""

import tempfile

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.people.selectors import person_get, person_list
from fangxian.tracing import exports, selectors, services, tasks
from fangxian.tracing.forms import PlacementForm, SearchForm, SecondRingForm
from fangxian.tracing.models import DEFAULT_RING2_CAP

TRACE = Capability.TRACE_EXPOSURE
SPOOL_BYTES = 4 * 1024 * 1024


@capability_required(TRACE)
def search_list_view(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        selectors.search_list(user=request.user), after=request.GET.get("after"), newest_first=True
    )
    return render(request, "tracing/search_list.html", {"page": page})


@capability_required(TRACE)
def search_create_view(request: HttpRequest) -> HttpResponse:
    """Pick the subject (live search of the ledger in scope, or a phone), state the purpose."""
    q = (request.POST.get("q") or request.GET.get("q", "")).strip()
    candidates = list(person_list(user=request.user, q=q).order_by("id")[:10]) if q else []
    chosen_id = request.GET.get("person", "")
    if not q and chosen_id.isdigit():  # from the person's page
        candidates = list(person_list(user=request.user).filter(pk=int(chosen_id)))
    if request.htmx and request.method == "GET":
        return render(request, "tracing/search_form.html#candidates", {"candidates": candidates})
    form = SearchForm(request.POST or None, initial={"person": chosen_id})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = (
                person_get(user=request.user, person_id=data["person"]) if data["person"] else None
            )
            search = services.search_run(
                actor=request.user,
                purpose=data["purpose"],
                person=person,
                phone=data["phone"],
                window=form.window,
                days=data["days"],
            )
            return redirect("tracing:search-detail", search_id=search.pk)
        except ValidationError as error:
            form.add_error(None, error)
        except (PermissionDenied, Http404):
            form.add_error(None, _("This person is outside the regions where you trace."))
    chosen = str(form["person"].value() or "")
    context = {"form": form, "q": q, "candidates": candidates, "chosen": chosen}
    return render(request, "tracing/search_form.html", context)


@capability_required(TRACE)
def search_detail_view(request: HttpRequest, search_id: int) -> HttpResponse:
    search = selectors.search_get(user=request.user, search_id=search_id)
    if request.htmx and request.GET.get("progress"):
        # The second ring's progress poll: the figures while it works, a reload once done.
        if not search.ring2_working:
            return HttpResponseClientRefresh()
        return render(request, "tracing/search_detail.html#progress", {"search": search})
    ring = request.GET.get("ring") if request.GET.get("ring") in ("1", "2") else ""
    contacts = selectors.contact_list(search=search, ring=int(ring) if ring else None)
    page = keyset_page(contacts, after=request.GET.get("after"))
    kinds, reasons = selectors.monitoring_choices()
    context = {
        "search": search,
        "page": page,
        "ring": ring,
        "quarantined": selectors.under_quarantine(user=request.user, contacts=page.items),
        "can_reveal": request.user.can_at(Capability.VIEW_FULL_PII, search.region),
        "can_export_full": exports.contacts_export_full_allowed(user=request.user, search=search),
        "kinds": kinds,
        "reasons": reasons,
        "default_kind": selectors.MONITORING_KIND,
        "default_cap": DEFAULT_RING2_CAP,
    }
    return render(request, "tracing/search_detail.html", context)


@capability_required(TRACE)
@require_POST
def search_second_ring_view(request: HttpRequest, search_id: int) -> HttpResponse:
    search = selectors.search_get(user=request.user, search_id=search_id)
    form = SecondRingForm(request.POST)
    cap = form.cleaned_data["cap"] if form.is_valid() else DEFAULT_RING2_CAP
    if services.search_second_ring_request(actor=request.user, search=search, cap=cap):
        tasks.search_second_ring_task.enqueue(search_id=search.pk, actor_id=request.user.pk)
    return redirect("tracing:search-detail", search_id=search.pk)


@never_cache
@capability_required(TRACE)
def search_export_view(request: HttpRequest, search_id: int) -> FileResponse:
    search = selectors.search_get(user=request.user, search_id=search_id)
    full = request.GET.get("full") == "1"
    if full and not exports.contacts_export_full_allowed(user=request.user, search=search):
        raise Http404
    stream = tempfile.SpooledTemporaryFile(SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    try:
        exports.contacts_export(
            actor=request.user, search=search, stream=stream, full=full, day=timezone.localdate()
        )
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    filename = _("contacts-%(id)s.xlsx") % {"id": search.pk}
    return FileResponse(stream, as_attachment=True, filename=filename, content_type=CONTENT_TYPE)


@capability_required(TRACE)
@require_POST
def search_place_view(request: HttpRequest, search_id: int) -> HttpResponse:
    """Everyone found, in one pending batch for HQ's second person."""
    search = selectors.search_get(user=request.user, search_id=search_id)
    form = PlacementForm(request.POST)
    kinds, reasons = selectors.monitoring_choices()
    if not form.is_valid():
        messages.error(request, _("Choose the kind of monitoring and the reason."))
        return redirect("tracing:search-detail", search_id=search.pk)
    kind = kinds.filter(pk=form.cleaned_data["kind"]).first()
    reason = reasons.filter(pk=form.cleaned_data["reason"]).first()
    if kind is None or reason is None:
        messages.error(request, _("Choose the kind of monitoring and the reason."))
        return redirect("tracing:search-detail", search_id=search.pk)
    try:
        placed = services.search_place_under_monitoring(
            actor=request.user,
            search=search,
            kind=kind,
            reason=reason,
            rings=form.cleaned_data["rings"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied:
        messages.error(request, _("You cannot place these people under monitoring."))
    else:
        messages.success(
            request,
            _(
                "%(placed)s people placed in one list, pending approval by HQ "
                "(%(held)s already under an order, %(outside)s outside your regions)."
            )
            % {
                "placed": placed.placed,
                "held": placed.already_under_order,
                "outside": placed.outside_scope,
            },
        )
    return redirect("tracing:search-detail", search_id=search.pk)


@capability_required(Capability.VIEW_FULL_PII)
@require_POST
def contact_reveal_view(request: HttpRequest, contact_id: int) -> HttpResponse:
    """The contact's full ID number and phone, swapped in by htmx; audited."""
    if not request.user.has_capability(TRACE):
        raise Http404
    contact = selectors.contact_get(user=request.user, contact_id=contact_id)
    try:
        full = services.contact_reveal(actor=request.user, contact=contact)
    except PermissionDenied as denied:
        raise Http404 from denied
    return render(request, "tracing/_reveal.html", {"contact": contact, "full": full})


def person_tracing_panel(request: HttpRequest, person) -> tuple[str, dict] | None:
    """On the person's page, for tracers over the person's region: start a search for them, and
    the tracer's own searches that found them (registered in TracingConfig.ready)."""
    if not request.user.can_at(TRACE, person.region):
        return None
    found_in = selectors.search_list(user=request.user).filter(contacts__person=person)
    context = {"person": person, "searches": list(found_in.distinct().order_by("-id")[:5])}
    return "tracing/person_panel.html", context
