"""Recording a door-to-door visit from a phone (outcome, each member's row, notes, Save), the
visits recorded under a unit, and correcting a saved visit on the same form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangxian.accounts.decorators import capability_required
from fangxian.core.paging import keyset_page
from fangxian.people.selectors import household_members
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404
from fangxian.screening import selectors
from fangxian.screening.campaign_forms import MemberForm, VisitForm, member_initial
from fangxian.screening.campaigns import visit_can_correct, visit_correct, visit_record
from fangxian.screening.models import Visit

SCREENING = selectors.SCREENING
NOT_CORRECTABLE = gettext_lazy(
    "Only the worker who recorded this visit, while the campaign is under way, or HQ can "
    "correct it."
)


def _list_region(household, user) -> Region:
    """The grid whose list the household was picked from (its group's grid, when in scope)."""
    region = household.region
    if region.level == Region.Level.GROUP and user.can_at(SCREENING, region.parent):
        return region.parent
    return region


@capability_required(SCREENING)
def visit_create_view(request: HttpRequest, campaign_id: int, household_id: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    household = selectors.household_for_visit(
        user=request.user, campaign=campaign, household_id=household_id
    )
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data)
    # Records merged into another one are history, not members to count at the door.
    people = household_members(household=household).filter(merged_into__isnull=True)
    members = [MemberForm(data, person=person) for person in people]
    back = redirect(
        "screening:campaign-region",
        campaign_id=campaign.pk,
        code=_list_region(household, request.user).code,
    )
    if data is not None and form.is_valid():
        seen = form.cleaned_data["outcome"] == Visit.Outcome.SEEN
        if not seen or all([member.is_valid() for member in members]):  # a list: check every form
            try:
                visit_record(
                    actor=request.user,
                    campaign=campaign,
                    household=household,
                    outcome=form.cleaned_data["outcome"],
                    people=[member.entry() for member in members] if seen else [],
                    notes=form.cleaned_data["notes"],
                    visited_at=timezone.now(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                message = (
                    _("Visit to %(household)s saved.")
                    if seen
                    else _("%(household)s: nobody at home. The household stays on the list.")
                )
                messages.success(request, message % {"household": household})
                # The list clears this household's draft on the phone (see js/visit_draft.js).
                return redirect(f"{back.url}?saved={household.pk}")
    context = {
        "campaign": campaign,
        "household": household,
        "form": form,
        "members": members,
        "back_url": back.url,
        "earlier": selectors.household_visits(
            user=request.user, campaign=campaign, household=household
        ),
    }
    return render(request, "screening/visit_form.html", context)


@capability_required(SCREENING)
def visit_list_view(request: HttpRequest, campaign_id: int, code: str) -> HttpResponse:
    """The visits recorded under a unit, newest first, each with a link to correct it."""
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    region = get_scoped_or_404(Region.objects.all(), request.user, SCREENING, code=code)
    if not selectors.campaign_covers(campaign=campaign, region=region):
        raise Http404
    visits = selectors.campaign_visits(user=request.user, campaign=campaign, region=region)
    page = keyset_page(visits, after=request.GET.get("after"), newest_first=True)
    context = {"campaign": campaign, "region": region, "page": page}
    template = "screening/visit_list.html#rows" if request.htmx else "screening/visit_list.html"
    return render(request, template, context)


@capability_required(SCREENING)
def visit_edit_view(request: HttpRequest, campaign_id: int, visit_id: int) -> HttpResponse:
    """The visit form again, filled in with what was saved: the worker who recorded the visit
    corrects it while the campaign is under way, HQ at any time; others see it read-only."""
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    visit = selectors.visit_get(user=request.user, campaign=campaign, visit_id=visit_id)
    household = visit.household
    people, rows = selectors.visit_people(visit=visit)
    data = request.POST if request.method == "POST" else None
    form = VisitForm(data, initial={"outcome": visit.outcome, "notes": visit.notes})
    members = [
        MemberForm(data, person=person, initial=member_initial(rows.get(person.pk)))
        for person in people
    ]
    may_correct = visit_can_correct(actor=request.user, visit=visit)
    back = redirect(
        "screening:visit-list",
        campaign_id=campaign.pk,
        code=_list_region(household, request.user).code,
    )
    if data is not None and not may_correct:
        form.add_error(None, NOT_CORRECTABLE)
    elif data is not None and form.is_valid():
        seen = form.cleaned_data["outcome"] == Visit.Outcome.SEEN
        if not seen or all([member.is_valid() for member in members]):  # a list: check every form
            try:
                visit_correct(
                    actor=request.user,
                    visit=visit,
                    outcome=form.cleaned_data["outcome"],
                    people=[member.entry() for member in members] if seen else [],
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("The visit to %(household)s is corrected.") % {"household": household},
                )
                return back
    context = {
        "campaign": campaign,
        "household": household,
        "form": form,
        "members": members,
        "back_url": back.url,
        "visit": visit,
        "may_correct": may_correct,
    }
    return render(request, "screening/visit_form.html", context)
