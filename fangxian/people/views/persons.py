"""The people list and search, a person's record, the audited full view, add and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.people import selectors, services
from fangxian.people.forms import PersonForm
from fangxian.people.idnumber import age_on
from fangxian.people.models import Person
from fangxian.people.panels import person_panels
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404


@capability_required(Capability.VIEW_PEOPLE)
def person_list_view(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    region = None
    if request.GET.get("region"):
        region = get_scoped_or_404(Region.objects, request.user, code=request.GET["region"])
    people = selectors.person_list(user=request.user, q=q, region=region)
    page = keyset_page(people, after=request.GET.get("after"))
    context = {
        "page": page,
        "q": q,
        "region": region,
        "can_export_full": selectors.person_export_full_allowed(user=request.user, region=region),
    }
    template = "people/person_list.html#results" if request.htmx else "people/person_list.html"
    return render(request, template, context)


@login_required
def person_detail_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    context = {
        "person": person,
        "can_view_full": request.user.can_at(Capability.VIEW_FULL_PII, person.region),
        "can_edit": request.user.can_at(Capability.EDIT_PEOPLE, person.region),
        "panels": person_panels(request, person),
    }
    return render(request, "people/person_detail.html", context)


@login_required
@require_POST
def person_reveal_view(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show the full ID number and phone: allowed by role, and audited."""
    person = selectors.person_full_record(user=request.user, person_id=person_id)
    return render(
        request, "people/person_detail.html#identifiers", {"person": person, "revealed": True}
    )


@login_required
def person_create_view(request: HttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(
        user=request.user, household_id=household_id, capability=Capability.EDIT_PEOPLE
    )
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, household=household, **_person_fields(form)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s added to the household.") % {"name": person.name})
            return redirect(household)
    return render(request, "people/person_form.html", {"form": form, "household": household})


@login_required
def person_edit_view(request: HttpRequest, person_id: int) -> HttpResponse:
    # Editing shows the full values, so it is a full (audited) read first.
    person = selectors.person_full_record(user=request.user, person_id=person_id)
    if not request.user.can_at(Capability.EDIT_PEOPLE, person.region):
        raise Http404
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **_person_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(person)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "household": person.household},
    )


def _person_fields(form: PersonForm) -> dict:
    fields = [
        "name",
        "document_type",
        "id_number",
        "phone",
        "relation",
        "notes",
        "birth_date",
        "sex",
    ]
    return {
        name: form.cleaned_data.get(name) or ("" if name != "birth_date" else None)
        for name in fields
    }


@capability_required(Capability.EDIT_PEOPLE)
def id_number_check_view(request: HttpRequest) -> HttpResponse:
    """Live check of an ID number while it is typed: what is wrong, or what it tells."""
    context = {"document_type": request.GET.get("document_type", Person.DocumentType.RESIDENT_ID)}
    number = request.GET.get("id_number", "")
    if context["document_type"] in services.ID_FORMAT_DOCUMENTS and number.strip():
        try:
            context["identity"] = services.person_identity(
                document_type=context["document_type"], id_number=number
            )
            context["age"] = age_on(context["identity"]["birth_date"], timezone.localdate())
            context["sex"] = Person.Sex(context["identity"]["sex"]).label
        except ValidationError as error:
            context["errors"] = error.messages
    return render(request, "people/person_form.html#id-check", context)
