"""Centralised sites (集中隔离点): the list with occupancy and free rooms, a new site with its
rooms, a site's rooms and adding more."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.quarantine import errands, hq, selectors
from fangxian.quarantine.forms_orders import RoomsForm, SiteForm, add_service_error
from fangxian.quarantine.models import Site
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped

VIEW = Capability.VIEW_QUARANTINE
MANAGE = Capability.MANAGE_QUARANTINE


@capability_required(VIEW)
def site_list_view(request: HttpRequest) -> HttpResponse:
    context = {
        "sites": selectors.site_occupancy(user=request.user),
        "can_manage": request.user.has_capability(MANAGE),
    }
    return render(request, "quarantine/site_list.html", context)


def _site_regions(request: HttpRequest):
    """Townships and villages where the user manages quarantine."""
    levels = (Region.Level.TOWNSHIP, Region.Level.VILLAGE)
    return scoped(Region.objects.filter(level__in=levels), request.user, MANAGE).order_by("path")


@capability_required(MANAGE)
def site_create_view(request: HttpRequest) -> HttpResponse:
    form = SiteForm(request.POST or None, regions=_site_regions(request))
    if request.method == "POST" and form.is_valid():
        try:
            site = errands.site_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Site %(site)s opened.") % {"site": site.name})
            return redirect("quarantine:site-detail", site_id=site.pk)
    return render(request, "quarantine/site_form.html", {"form": form})


def _site_page(request: HttpRequest, site: Site, form: RoomsForm | None = None) -> HttpResponse:
    context = {
        "site": site,
        "rooms": hq.site_rooms(user=request.user, site=site),
        "form": form or RoomsForm(),
        "can_manage": request.user.can_at(MANAGE, site.region),
    }
    return render(request, "quarantine/site_detail.html", context)


@capability_required(VIEW)
def site_detail_view(request: HttpRequest, site_id: int) -> HttpResponse:
    site = get_scoped_or_404(Site.objects.select_related("region"), request.user, VIEW, pk=site_id)
    return _site_page(request, site)


@capability_required(MANAGE)
@require_POST
def site_rooms_add_view(request: HttpRequest, site_id: int) -> HttpResponse:
    site = get_scoped_or_404(
        Site.objects.select_related("region"), request.user, MANAGE, pk=site_id
    )
    form = RoomsForm(request.POST)
    if form.is_valid():
        try:
            rooms = errands.rooms_add(
                actor=request.user,
                site=site,
                numbers=form.cleaned_data["rooms"],
                beds=form.cleaned_data["beds"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("%(count)s rooms added.") % {"count": len(rooms)})
            return redirect("quarantine:site-detail", site_id=site.pk)
    return _site_page(request, site, form)
