"""Campaign pages: the list, opening a campaign (HQ), and coverage drilled down from the
township to villages, grids and the households not yet visited (the grid worker's list)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped
from fangxian.screening import selectors
from fangxian.screening.campaign_forms import CampaignForm
from fangxian.screening.campaigns import campaign_create
from fangxian.screening.models import Campaign

SCREENING = selectors.SCREENING


@capability_required(SCREENING)
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.campaign_list(user=request.user, today=timezone.localdate())
    context = {
        "page": keyset_page(campaigns, after=request.GET.get("after"), newest_first=True),
        "can_create": request.user.has_capability(Capability.MANAGE_CAMPAIGNS),
    }
    return render(request, "screening/campaign_list.html", context)


def _region_choices(user) -> list[tuple[str, str]]:
    """Townships and villages where the user may open a campaign and grids exist below."""
    grids = Region.objects.filter(level=Region.Level.GRID)
    regions = scoped(
        Region.objects.filter(
            Q(level=Region.Level.VILLAGE, pk__in=grids.values("parent"))
            | Q(level=Region.Level.TOWNSHIP, pk__in=grids.values("parent__parent"))
        ),
        user,
        Capability.MANAGE_CAMPAIGNS,
    ).order_by("path")
    return [
        (
            region.code,
            _("%(name)s (the whole township)") % {"name": region.short_name}
            if region.level == Region.Level.TOWNSHIP
            else region.short_name,
        )
        for region in regions
    ]


@capability_required(Capability.MANAGE_CAMPAIGNS)
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CampaignForm(
        request.POST or None,
        regions=_region_choices(request.user),
        initial={"starts_on": today, "ends_on": today + timedelta(days=6)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        regions = scoped(
            Region.objects.filter(code__in=data["regions"]),
            request.user,
            Capability.MANAGE_CAMPAIGNS,
        ).select_related("parent")
        try:
            campaign = campaign_create(
                actor=request.user,
                name=data["name"],
                regions=list(regions),
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Campaign opened."))
            return redirect("screening:campaign-detail", campaign_id=campaign.pk)
    return render(request, "screening/campaign_form.html", {"form": form})


@capability_required(SCREENING)
def campaign_detail_view(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Coverage where the user's view starts: the township for HQ, the grid worker's own grid
    (its households still to visit); a user with several separate areas picks one."""
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    roots = selectors.coverage_roots(campaign=campaign, user=request.user)
    if len(roots) == 1:
        return _coverage_page(request, campaign, roots[0], roots)
    return render(request, "screening/campaign_roots.html", {"campaign": campaign, "roots": roots})


@capability_required(SCREENING)
def campaign_region_view(request: HttpRequest, campaign_id: int, code: str) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    region = get_scoped_or_404(
        Region.objects.select_related("parent"), request.user, SCREENING, code=code
    )
    if not selectors.campaign_covers(campaign=campaign, region=region):
        raise Http404
    roots = selectors.coverage_roots(campaign=campaign, user=request.user)
    return _coverage_page(request, campaign, region, roots)


def _coverage_page(
    request: HttpRequest, campaign: Campaign, region: Region, roots: list[Region]
) -> HttpResponse:
    households = None
    if region.level >= Region.Level.GRID:
        households = keyset_page(
            selectors.households_to_visit(user=request.user, campaign=campaign, region=region),
            after=request.GET.get("after"),
        )
        if request.htmx:  # the next page, appended under the first
            context = {"campaign": campaign, "region": region, "households": households}
            return render(request, "screening/coverage.html#households", context)
    context = {
        "campaign": campaign,
        "region": region,
        "coverage": selectors.coverage(campaign=campaign, user=request.user, region=region),
        "trail": selectors.coverage_trail(region=region, roots=roots, user=request.user),
        "households": households,
        # The visit form's draft of this household is cleared: its visit was just saved.
        "draft_sent": _int_or_none(request.GET.get("saved")),
    }
    return render(request, "screening/coverage.html", context)


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None
