from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.people import selectors, services
from fangxian.people.forms import HouseholdForm
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped


@login_required
def household_detail_view(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, household_id=household_id)
    context = {
        "household": household,
        "members": selectors.household_members(household=household),
        "can_edit": request.user.can_at(Capability.EDIT_PEOPLE, household.region),
    }
    return render(request, "people/household_detail.html", context)


def _ledger_regions(user) -> list[tuple[str, str]]:
    regions = scoped(
        Region.objects.filter(level__in=services.LEDGER_LEVELS).select_related("parent"),
        user,
        Capability.EDIT_PEOPLE,
    ).order_by("path")
    return [(r.code, f"{r.parent.short_name} · {r.short_name}") for r in regions]


@capability_required(Capability.EDIT_PEOPLE)
def household_create_view(request: HttpRequest) -> HttpResponse:
    form = HouseholdForm(
        request.POST or None,
        regions=_ledger_regions(request.user),
        initial={"region": request.GET.get("region")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = get_scoped_or_404(
            Region.objects, request.user, Capability.EDIT_PEOPLE, code=data.pop("region")
        )
        try:
            household = services.household_create(actor=request.user, region=region, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Household registered. Now add its members."))
            return redirect("people:person-create", household_id=household.pk)
    return render(request, "people/household_form.html", {"form": form})
