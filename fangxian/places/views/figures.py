"""Place figures (issue 5, item 6): scans per village and township for a day (per place within
a village) and over the week before; each figure opens the scans behind it, masked."""

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.places import selectors

MANAGE = Capability.MANAGE_PLACES


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@capability_required(MANAGE)
def figures_view(request: HttpRequest) -> HttpResponse:
    day = _parse_day(request.GET.get("day", "")) or timezone.localdate()
    code = request.GET.get("region", "").strip()
    area = selectors.region_get(user=request.user, code=code) if code else None
    figures = selectors.place_figures(user=request.user, day=day, area=area)
    return render(request, "places/figures.html", {"figures": figures, "day": day, "area": area})


@capability_required(MANAGE)
def scan_list_view(request: HttpRequest) -> HttpResponse:
    """The scans behind a figure (place or region, day, figure), newest first, paged by key and
    never counted; phones masked, people never named."""
    place = None
    if request.GET.get("place"):
        try:
            place_id = int(request.GET["place"])
        except ValueError:
            place_id = 0
        place = selectors.place_get(user=request.user, place_id=place_id)
    code = request.GET.get("region", "").strip()
    region = selectors.region_get(user=request.user, code=code) if code else None
    day = _parse_day(request.GET.get("day", ""))
    figure = request.GET.get("figure", "")
    figure = figure if figure in selectors.FIGURES else ""
    scans = selectors.scan_list(
        user=request.user, place=place, region=region, day=day, figure=figure
    )
    query = request.GET.copy()
    query.pop("after", None)
    context = {
        "page": keyset_page(scans, after=request.GET.get("after"), size=50, newest_first=True),
        "place": place,
        "region": region,
        "day": day,
        "figure": figure,
        "query": query,
    }
    return render(request, "places/scan_list.html", context)
