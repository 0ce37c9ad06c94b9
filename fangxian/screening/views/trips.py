"""Returnees (返乡人员): the list with category counts, adding a trip to a person from the phone,
the live check of the places typed, and the trips panel on the person's page."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.people.selectors import person_export_full_allowed, person_get
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped
from fangxian.screening import classify, selectors
from fangxian.screening.models import Trip
from fangxian.screening.trip_forms import TripForm
from fangxian.screening.trips import trip_places, trip_record


def parse_since(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@capability_required(Capability.VIEW_PEOPLE)
def returnee_list_view(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    category = category if category in Trip.Category.values else ""
    since = parse_since(request.GET.get("since", ""))
    region = None
    if request.GET.get("region"):
        region = get_scoped_or_404(Region.objects, request.user, code=request.GET["region"])
    trips = selectors.returnee_list(
        user=request.user, category=category, since=since, region=region
    )
    villages = scoped(Region.objects.filter(level=Region.Level.VILLAGE), request.user)
    context = {
        "page": keyset_page(trips, after=request.GET.get("after"), newest_first=True),
        "counts": selectors.category_counts(user=request.user, region=region, since=since),
        "category": category,
        "since": since,
        "region": region,
        "villages": villages.order_by("path"),
        "can_export_full": person_export_full_allowed(user=request.user, region=region),
    }
    return render(request, "screening/returnee_list.html", context)


@capability_required(Capability.EDIT_PEOPLE)
def trip_create_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_get(user=request.user, person_id=person_id)
    if not request.user.can_at(Capability.EDIT_PEOPLE, person.region):
        raise Http404
    form = TripForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            trip = trip_record(
                actor=request.user, person=person, source=Trip.Source.MANUAL, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Trip recorded: %(category)s. %(reason)s")
                % {"category": trip.get_category_display(), "reason": trip.category_reason},
            )
            return redirect(person)
    return render(request, "screening/trip_form.html", {"form": form, "person": person})


@capability_required(Capability.EDIT_PEOPLE)
def trip_places_view(request: HttpRequest) -> HttpResponse:
    """Live check of the places typed into the trip form: what each resolves to."""
    origin_text = request.GET.get("origin_text", "").strip()
    via_text = request.GET.get("via_text", "").strip()
    context = {"origin_text": origin_text, "via_text": via_text}
    if origin_text or via_text:
        context |= trip_places(origin_text=origin_text, via_text=via_text)
    return render(request, "screening/trip_form.html#places", context)


def person_trips_panel(request: HttpRequest, person) -> tuple[str, dict] | None:
    """The person's trips at the bottom of their page (registered in ScreeningConfig.ready)."""
    if not request.user.can_at(Capability.VIEW_PEOPLE, person.region):
        return None
    trips = list(selectors.person_trips(user=request.user, person=person))
    context = {
        "person": person,
        "trips": trips,
        "category": classify.most_pressing(trip.category for trip in trips),
        "can_add": request.user.can_at(Capability.EDIT_PEOPLE, person.region),
    }
    if context["category"]:
        context["category_label"] = Trip.Category(context["category"]).label
    return "screening/_person_trips.html", context
