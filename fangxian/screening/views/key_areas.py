"""The key-area list (重点地区) kept by HQ: add, change, end, remove. Each change re-classifies
the returnees under the list's region; the page says how many trips changed category or reason."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scope_roots
from fangxian.screening import selectors, trips
from fangxian.screening.trip_forms import KeyAreaForm

MANAGE = Capability.MANAGE_KEY_AREAS


def _announce(request: HttpRequest, change: trips.KeyAreaChange) -> None:
    if change.reclassified is None:
        text = _("Saved. The returnees will be re-classified in a moment.")
    else:
        text = ngettext(
            "Saved. %(count)s trip changed category or reason.",
            "Saved. %(count)s trips changed category or reason.",
            change.reclassified,
        ) % {"count": change.reclassified}
    messages.success(request, text)


def _regions(user) -> list[tuple[str, str]]:
    return [(region.code, region.short_name) for region in scope_roots(user, MANAGE)]


@capability_required(MANAGE)
def key_area_list_view(request: HttpRequest) -> HttpResponse:
    context = {
        "key_areas": selectors.key_area_list(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "screening/key_area_list.html", context)


@capability_required(MANAGE)
def key_area_create_view(request: HttpRequest) -> HttpResponse:
    regions = _regions(request.user)
    form = KeyAreaForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data.get("region") or (regions[0][0] if regions else "")
        region = get_scoped_or_404(Region.objects, request.user, MANAGE, code=code)
        try:
            change = trips.key_area_create(
                actor=request.user,
                region=region,
                division_code=data["division_code"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                label=data["label"],
                notes=data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _announce(request, change)
            return redirect("screening:key-area-list")
    return render(request, "screening/key_area_form.html", {"form": form})


@capability_required(MANAGE)
def key_area_edit_view(request: HttpRequest, key_area_id: int) -> HttpResponse:
    key_area = selectors.key_area_get(user=request.user, key_area_id=key_area_id)
    form = KeyAreaForm(request.POST or None, initial=KeyAreaForm.initial_for(key_area))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            change = trips.key_area_update(
                actor=request.user,
                key_area=key_area,
                **{name: data[name] for name in trips.KEY_AREA_FIELDS},
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _announce(request, change)
            return redirect("screening:key-area-list")
    return render(request, "screening/key_area_form.html", {"form": form, "key_area": key_area})


@capability_required(MANAGE)
@require_POST
def key_area_end_view(request: HttpRequest, key_area_id: int) -> HttpResponse:
    """Stop counting a key area from tomorrow: today is its last day."""
    key_area = selectors.key_area_get(user=request.user, key_area_id=key_area_id)
    try:
        _announce(request, trips.key_area_end(actor=request.user, key_area=key_area))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("screening:key-area-list")


@capability_required(MANAGE)
@require_POST
def key_area_delete_view(request: HttpRequest, key_area_id: int) -> HttpResponse:
    key_area = selectors.key_area_get(user=request.user, key_area_id=key_area_id)
    _announce(request, trips.key_area_delete(actor=request.user, key_area=key_area))
    return redirect("screening:key-area-list")
