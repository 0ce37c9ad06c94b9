"""Reads for screening, always through the region scope."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangxian.accounts.roles import Capability
from fangxian.people.models import Household
from fangxian.people.selectors import household_members
from fangxian.regions.models import Region
from fangxian.regions.scope import (
    get_scoped_or_404,
    overlap_q,
    paths_q,
    region_in_scope,
    scope_roots,
    scoped,
    scoped_by_overlap,
)
from fangxian.regions.selectors import region_ancestors
from fangxian.screening import classify
from fangxian.screening.campaigns import campaign_bounds
from fangxian.screening.models import Campaign, KeyArea, Trip, Visit, VisitPerson

# --- returnees and trips (返乡人员) ------------------------------------------------------------


def returnee_list(
    *, user: Any, category: str = "", since: date | None = None, region: Region | None = None
) -> QuerySet[Trip]:
    """Trips the user may see, one row per return, with the person and their region up to the
    village in the same query; optionally of one category, arrived on or after `since`, under
    one region. Page it by id (keyset)."""
    trips = scoped(
        Trip.objects.select_related("person", "region__parent__parent"),
        user,
        Capability.VIEW_PEOPLE,
    )
    if category:
        trips = trips.filter(category=category)
    if since is not None:
        trips = trips.filter(arrived_on__gte=since)
    if region is not None:
        trips = trips.filter(region__path__startswith=region.path)
    return trips


def person_trips(*, user: Any, person: Any) -> QuerySet[Trip]:
    """A person's trips, latest arrival first (trips without a date last)."""
    trips = scoped(Trip.objects.filter(person=person), user, Capability.VIEW_PEOPLE)
    return trips.order_by("-arrived_on", "-id")


def category_counts(
    *, user: Any, region: Region | None = None, since: date | None = None
) -> list[dict[str, Any]]:
    """For each category, most pressing first: its trips and the people they belong to, counted
    in the database (one GROUP BY). A person with trips in two categories counts in each."""
    trips = returnee_list(user=user, since=since, region=region)
    grouped = {
        row["category"]: row
        for row in trips.values("category")
        .annotate(trips=Count("id"), people=Count("person", distinct=True))
        .order_by()
    }
    return [
        {
            "category": category,
            "label": Trip.Category(category).label,
            "trips": grouped.get(category, {}).get("trips", 0),
            "people": grouped.get(category, {}).get("people", 0),
        }
        for category in classify.CATEGORIES
    ]


def person_category(*, user: Any, person: Any) -> str:
    """The person's category: that of their most pressing trip ("" without trips). One query."""
    categories = person_trips(user=user, person=person).values_list("category", flat=True)
    return classify.most_pressing(categories.distinct().order_by())


# --- key areas (重点地区) ---------------------------------------------------------------------


def key_area_list(*, user: Any) -> QuerySet[KeyArea]:
    """The key areas on the lists the user may keep (HQ), by list, latest start first."""
    areas = scoped(KeyArea.objects.select_related("region"), user, Capability.MANAGE_KEY_AREAS)
    return areas.order_by("region__path", "-starts_on", "division_code")


def key_area_get(*, user: Any, key_area_id: int) -> KeyArea:
    return get_scoped_or_404(
        KeyArea.objects.select_related("region"),
        user,
        Capability.MANAGE_KEY_AREAS,
        pk=key_area_id,
    )


# --- Campaigns, visits and coverage (拉网式排查) --------------------------------------------------
# Reads for campaigns.py and views/campaigns.py, views/visits.py. Campaigns are read and visits
# recorded by those who may edit people (SCREENING); a campaign is visible where its regions share
# ground with the user's scope (regions.scope.scoped_by_overlap).

SCREENING = Capability.EDIT_PEOPLE


class CampaignStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Not started yet")
    ACTIVE = "active", _("Under way")
    ENDED = "ended", _("Ended")


def campaign_list(*, user: Any, today: date | None = None) -> QuerySet[Campaign]:
    """Campaigns the user takes part in: one of the campaign's regions lies in the user's scope,
    or the user's scope lies inside one of them. Each carries its `status` on `today`; regions
    come prefetched, ordered by path."""
    today = today or timezone.localdate()
    campaigns = Campaign.objects.prefetch_related(
        Prefetch("regions", queryset=Region.objects.select_related("parent").order_by("path"))
    ).annotate(
        status=Case(
            When(starts_on__gt=today, then=Value(CampaignStatus.UPCOMING)),
            When(ends_on__lt=today, then=Value(CampaignStatus.ENDED)),
            default=Value(CampaignStatus.ACTIVE),
        )
    )
    return scoped_by_overlap(campaigns, user, SCREENING, field="regions")


def campaign_get(*, user: Any, campaign_id: int) -> Campaign:
    """One visible campaign (with its `status` today), else 404."""
    campaign = campaign_list(user=user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def campaign_region_paths(*, campaign: Campaign) -> list[str]:
    """The paths of the campaign's regions (no query when they were prefetched)."""
    return [region.path for region in campaign.regions.all()]


def campaign_area(*, campaign: Campaign) -> Region:
    """The campaign's region, or the nearest unit its regions share (the township of its
    villages): where its coverage starts for those who see all of it. At most one query."""
    regions = list(campaign.regions.all())
    if len(regions) == 1:
        return regions[0]
    paths = [region.path for region in regions]
    shared = [
        paths[0][:length]
        for length in Region.PATH_LENGTH.values()
        if all(path[:length] == paths[0][:length] for path in paths)
    ]
    return Region.objects.filter(path__in=shared).order_by("-level").first()


def campaign_covers(*, campaign: Campaign, region: Region) -> bool:
    """Whether a region shares ground with the campaign (inside one of its regions or above)."""
    return any(
        region.path.startswith(path) or path.startswith(region.path)
        for path in campaign_region_paths(campaign=campaign)
    )


def coverage_roots(*, campaign: Campaign, user: Any) -> list[Region]:
    """Where the user's view of a campaign starts: the campaign's area when the user's scope
    covers it, else each root of the user's scope that shares ground with the campaign (the grid
    worker's grid, the village cadre's village)."""
    area = campaign_area(campaign=campaign)
    if region_in_scope(area, user, SCREENING):
        return [area]
    paths = campaign_region_paths(campaign=campaign)
    return list(
        scope_roots(user, SCREENING)
        .filter(overlap_q(paths))
        .select_related("parent")
        .order_by("path")
    )


def _visits_in_period(campaign: Campaign, outcome: str) -> QuerySet[Visit]:
    start, end = campaign_bounds(campaign)
    return Visit.objects.filter(
        campaign=campaign,
        household=OuterRef("pk"),
        outcome=outcome,
        visited_at__gte=start,
        visited_at__lt=end,
    )


def campaign_households(
    *, user: Any, campaign: Campaign, region: Region | None = None
) -> QuerySet[Household]:
    """Households in the campaign's regions (and under `region`) within the user's scope."""
    households = scoped(Household.objects.all(), user, SCREENING).filter(
        paths_q(campaign_region_paths(campaign=campaign), prefix="region__")
    )
    if region is not None:
        households = households.filter(region__path__startswith=region.path)
    return households


def households_to_visit(
    *, user: Any, campaign: Campaign, region: Region | None = None
) -> QuerySet[Household]:
    """Households still to visit: in the campaign's regions and the user's scope, with no SEEN
    visit inside the campaign's period (NOT EXISTS, on the campaign-household index).
    `visit_again` marks those where nobody was at home. Page it by keyset; never count it."""
    return (
        campaign_households(user=user, campaign=campaign, region=region)
        .filter(~Exists(_visits_in_period(campaign, Visit.Outcome.SEEN)))
        .annotate(visit_again=Exists(_visits_in_period(campaign, Visit.Outcome.NOBODY_HOME)))
        .select_related("region__parent")
    )


def household_for_visit(*, user: Any, campaign: Campaign, household_id: int) -> Household:
    """A household the user may record a visit for in this campaign, else 404."""
    household = (
        campaign_households(user=user, campaign=campaign)
        .select_related("region__parent")
        .filter(pk=household_id)
        .first()
    )
    if household is None:
        raise Http404
    return household


def _percent(visited: int, total: int) -> int | None:
    """Rounded down: 199 of 200 households is 99%, never a premature 100%."""
    return visited * 100 // total if total else None


@dataclass
class CoverageRow:
    region: Region
    total: int = 0
    visited: int = 0

    @property
    def percent(self) -> int | None:
        return _percent(self.visited, self.total)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.visited == self.total


@dataclass
class Coverage:
    region: Region
    rows: list[CoverageRow]  # one per child unit sharing ground with the campaign
    total: int
    visited: int

    @property
    def percent(self) -> int | None:
        return _percent(self.visited, self.total)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.visited == self.total


def coverage(*, campaign: Campaign, user: Any, region: Region) -> Coverage:
    """Households visited / total under `region`, and per child unit (villages of a township,
    grids of a village; none below a grid), within the user's scope.

    Two queries whatever the number of units and households: the child units, and one
    `GROUP BY` over the households' region paths counting all and those with a SEEN visit in the
    period; each group is added to the child whose path it extends (as region_figures does).
    """
    children: list[Region] = []
    if region.level < Region.Level.GRID:
        children = list(
            scoped(Region.objects.filter(parent=region), user, SCREENING)
            .filter(overlap_q(campaign_region_paths(campaign=campaign)))
            .order_by("path")
        )
    rows = {child.path: CoverageRow(region=child) for child in children}
    child_length = Region.PATH_LENGTH.get(region.level + 1, 0)
    grouped = (
        campaign_households(user=user, campaign=campaign, region=region)
        .values("region__path")
        .annotate(
            total=Count("id"),
            visited=Count("id", filter=Exists(_visits_in_period(campaign, Visit.Outcome.SEEN))),
        )
        .order_by()
    )
    total = visited = 0
    for group in grouped:
        total += group["total"]
        visited += group["visited"]
        row = rows.get(group["region__path"][:child_length])
        if row is not None:
            row.total += group["total"]
            row.visited += group["visited"]
    return Coverage(region=region, rows=list(rows.values()), total=total, visited=visited)


def coverage_trail(*, region: Region, roots: list[Region], user: Any) -> list[Region]:
    """The units between the user's starting point and `region` (breadcrumbs). A single
    starting point is left out: the campaign's own link leads there."""
    if any(root.pk == region.pk for root in roots):
        return []
    return [
        ancestor
        for ancestor in region_ancestors(region=region, user=user)
        if any(ancestor.path.startswith(root.path) for root in roots)
        and not (len(roots) == 1 and ancestor.pk == roots[0].pk)
    ]


def campaign_visits(*, user: Any, campaign: Campaign, region: Region) -> QuerySet[Visit]:
    """The campaign's visits under `region` within the user's scope, oldest first, with the
    household and visitor selected and, counted in the same query, the people found at home,
    away, back from elsewhere and with fever (`home`, `away`, `returned`, `fever`)."""
    presence = VisitPerson.Presence
    visits = scoped(
        Visit.objects.filter(campaign=campaign, region__path__startswith=region.path),
        user,
        SCREENING,
    )
    return (
        visits.select_related("household", "visited_by")
        .annotate(
            home=Count("people", filter=models.Q(people__presence=presence.HOME)),
            away=Count("people", filter=models.Q(people__presence=presence.AWAY)),
            returned=Count("people", filter=models.Q(people__presence=presence.RETURNED)),
            fever=Count("people", filter=models.Q(people__fever=True)),
        )
        .order_by("visited_at", "id")
    )


def visit_get(*, user: Any, campaign: Campaign, visit_id: int) -> Visit:
    """One visit of the campaign within the user's scope, with its household (and its region
    up to the village), campaign and visitor; 404 otherwise."""
    return get_scoped_or_404(
        Visit.objects.select_related("household__region__parent", "campaign", "visited_by"),
        user,
        SCREENING,
        pk=visit_id,
        campaign=campaign,
    )


def visit_people(*, visit: Visit) -> tuple[list[Any], dict[int, VisitPerson]]:
    """Who the visit form lists when a saved visit is corrected, and the saved rows by person
    id (with the trip each recorded): the household's members now (not records merged away),
    then anyone found at the visit who has moved out or been merged since, who keeps a row."""
    rows = {row.person_id: row for row in visit.people.select_related("person", "trip")}
    people = list(household_members(household=visit.household).filter(merged_into__isnull=True))
    listed = {person.pk for person in people}
    people += [row.person for row in rows.values() if row.person_id not in listed]
    return people, rows


def household_visits(*, user: Any, campaign: Campaign, household: Household) -> QuerySet[Visit]:
    """The campaign's visits to a household within the user's scope, latest first."""
    visits = scoped(Visit.objects.filter(campaign=campaign, household=household), user, SCREENING)
    return visits.select_related("visited_by").order_by("-visited_at", "-id")
