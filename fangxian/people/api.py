"""A small JSON API over the ledger (search-as-you-type, field apps). Masked, scoped, paged by key."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.core.paging import keyset_page
from fangxian.people import selectors
from fangxian.people.models import Person
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404


def _person_json(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "sex": person.get_sex_display(),
        "age": person.age(),
        "id_number": person.id_number_masked,
        "phone": person.phone_masked,
        "region": person.region.short_name,
        "url": person.get_absolute_url(),
    }


@capability_required(Capability.VIEW_PEOPLE)
def person_list_api(request: HttpRequest) -> JsonResponse:
    people = selectors.person_list(user=request.user, q=request.GET.get("q", ""))
    page = keyset_page(people, after=request.GET.get("after"), size=20)
    return JsonResponse(
        {"results": [_person_json(p) for p in page.items], "next_after": page.next_after}
    )


@login_required
def person_detail_api(request: HttpRequest, person_id: int) -> JsonResponse:
    return JsonResponse(_person_json(selectors.person_get(user=request.user, person_id=person_id)))


@login_required
def region_detail_api(request: HttpRequest, code: str) -> JsonResponse:
    region = get_scoped_or_404(Region.objects, request.user, code=code)
    totals = selectors.region_totals(region=region, user=request.user)
    return JsonResponse(
        {"code": region.code, "name": region.short_name, "level": region.level, **totals}
    )
