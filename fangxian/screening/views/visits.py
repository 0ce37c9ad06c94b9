"""Recording a door-to-door visit from a phone: outcome, each member's row, notes, Save."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.people.selectors import household_members
from fangxian.regions.models import Region
from fangxian.screening import selectors
from fangxian.screening.campaign_forms import MemberForm, VisitForm
from fangxian.screening.campaigns import visit_record
from fangxian.screening.models import Visit

SCREENING = selectors.SCREENING


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
                return back
    context = {
        "campaign": campaign,
        "household": household,
        "form": form,
        "members": members,
        "back_url": back.url,
    }
    return render(request, "screening/visit_form.html", context)
