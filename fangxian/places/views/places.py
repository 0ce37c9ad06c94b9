"""Places for HQ and village cadres (manage_places, region-scoped): the list, registering and
editing a place, closing (暂停营业) and reopening it, withdrawing its code, and its A4 poster."""

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.places import selectors, services
from fangxian.places.forms import CloseForm, PlaceForm
from fangxian.places.models import Place
from fangxian.places.services import PLACE_FIELDS

MANAGE = Capability.MANAGE_PLACES


def scan_url(request: HttpRequest, token: str) -> str:
    """What the poster's QR code holds: https://<host>/p/<token>/ and nothing else."""
    return request.build_absolute_uri(reverse("scan:place", kwargs={"token": token}))


def poster_qr(request: HttpRequest, place: Place) -> str:
    # omitsize: a viewBox and no fixed size, so the print CSS scales it to 120 mm.
    return segno.make(scan_url(request, place.token), error="m").svg_inline(
        scale=10, title=place.name, omitsize=True
    )


@capability_required(MANAGE)
def place_list_view(request: HttpRequest) -> HttpResponse:
    """Places in scope, by id, paged by key; filtered by region (a village or township code),
    kind and part of the name."""
    code = request.GET.get("region", "").strip()
    region = selectors.region_get(user=request.user, code=code) if code else None
    kind = request.GET.get("kind", "")
    kind = kind if kind in Place.Kind.values else ""
    q = request.GET.get("q", "").strip()[:80]
    places = selectors.place_list(user=request.user, region=region, kind=kind, q=q)
    page = keyset_page(places, after=request.GET.get("after"))
    counts = selectors.place_scan_counts(places=page.items, day=timezone.localdate())
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "page": page,
        "rows": [(place, counts.get(place.pk, 0)) for place in page.items],
        "region": region,
        "kind": kind,
        "q": q,
        "kinds": Place.Kind.choices,
        "villages": selectors.place_villages(user=request.user),
        "query": query,
    }
    return render(request, "places/place_list.html", context)


@capability_required(MANAGE)
def place_create_view(request: HttpRequest) -> HttpResponse:
    form = PlaceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            place = services.place_create(
                actor=request.user, **{name: form.cleaned_data[name] for name in PLACE_FIELDS}
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Place registered. Print its poster and put it up."))
            return redirect("places:place-detail", place_id=place.pk)
    return render(request, "places/place_form.html", {"form": form})


@capability_required(MANAGE)
def place_edit_view(request: HttpRequest, place_id: int) -> HttpResponse:
    place = selectors.place_get(user=request.user, place_id=place_id)
    form = PlaceForm(request.POST or None, user=request.user, instance=place)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PLACE_FIELDS}
        place.refresh_from_db()  # the form changed the instance; the service compares
        try:
            services.place_update(actor=request.user, place=place, **fields)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Place saved."))
            return redirect("places:place-detail", place_id=place.pk)
    return render(request, "places/place_form.html", {"form": form, "place": place})


@capability_required(MANAGE)
def place_detail_view(request: HttpRequest, place_id: int) -> HttpResponse:
    place = selectors.place_get(user=request.user, place_id=place_id)
    today = timezone.localdate()
    context = {
        "place": place,
        "today": today,
        "scans_today": selectors.place_scan_counts(places=[place], day=today).get(place.pk, 0),
        "close_form": CloseForm(),
    }
    return render(request, "places/place_detail.html", context)


def _act(request: HttpRequest, place_id: int, action, success: str, **kwargs) -> HttpResponse:
    place = selectors.place_get(user=request.user, place_id=place_id)
    try:
        action(actor=request.user, place=place, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("places:place-detail", place_id=place.pk)


@capability_required(MANAGE)
@require_POST
def place_close_view(request: HttpRequest, place_id: int) -> HttpResponse:
    """暂停营业 with a reason; the scan page then says so and records nothing."""
    reason = request.POST.get("closed_reason", "")
    return _act(request, place_id, services.place_close, _("Place closed."), reason=reason)


@capability_required(MANAGE)
@require_POST
def place_reopen_view(request: HttpRequest, place_id: int) -> HttpResponse:
    return _act(request, place_id, services.place_reopen, _("Place open again."))


@capability_required(MANAGE)
@require_POST
def place_reissue_view(request: HttpRequest, place_id: int) -> HttpResponse:
    """Withdraw the code: posters printed before stop working; print the new one."""
    return _act(
        request,
        place_id,
        services.place_code_reissue,
        _("New code issued: the old posters no longer work. Print the new poster."),
    )


@capability_required(MANAGE)
def place_poster_view(request: HttpRequest, place_id: int) -> HttpResponse:
    """The A4 poster: a big QR code of /p/<token>/, the place's name and village, and how to
    scan. Printed from the browser (print CSS, A4 portrait)."""
    place = selectors.place_get(user=request.user, place_id=place_id)
    posters = [(place, poster_qr(request, place))]
    return render(request, "places/poster.html", {"posters": posters, "title": place.name})


@capability_required(MANAGE)
def village_posters_view(request: HttpRequest, code: str) -> HttpResponse:
    """The posters of every open place of a village (or township), one A4 page each."""
    region = selectors.region_get(user=request.user, code=code)
    places = selectors.place_list(user=request.user, region=region).filter(is_open=True)
    posters = [(place, poster_qr(request, place)) for place in places.order_by("name", "id")]
    return render(request, "places/poster.html", {"posters": posters, "title": region.short_name})
