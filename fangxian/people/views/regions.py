"""Browsing the region tree with the ledger's counts: township -> villages -> grids -> groups."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fangxian.core.paging import keyset_page
from fangxian.people.home import home_sections
from fangxian.people.selectors import household_list, ledger_counters
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scope_roots
from fangxian.regions.selectors import region_ancestors, region_figures


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    roots = list(scope_roots(request.user))
    sections = home_sections(request)
    if len(roots) == 1 and not sections:
        return redirect(roots[0])
    return render(request, "people/home.html", {"roots": roots, "sections": sections})


@login_required
def region_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    region = get_scoped_or_404(Region.objects.select_related("parent"), request.user, code=code)
    figures = region_figures(
        region=region, user=request.user, counters=ledger_counters(user=request.user)
    )
    households = None
    if region.level >= Region.Level.GRID:
        households = keyset_page(
            household_list(user=request.user, region=region), after=request.GET.get("after")
        )
    context = {
        "region": region,
        "ancestors": region_ancestors(region=region, user=request.user),
        "rows": figures.rows,
        "totals": figures.totals,
        "households": households,
        "can_edit": request.user.can_at("edit_people", region),
    }
    return render(request, "people/region_detail.html", context)
