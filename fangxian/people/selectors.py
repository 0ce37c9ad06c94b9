"""Reads of the people ledger, always through the region scope. Full values are audited."""

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from fangxian.audit.services import Action, audit_record
from fangxian.people.models import Household, Person, PersonMerge
from fangxian.people.search import classify
from fangxian.regions.models import Region
from fangxian.regions.scope import VIEW_PEOPLE, get_scoped_or_404, scoped
from fangxian.regions.selectors import region_figures

VIEW_FULL_PII = "view_full_pii"
EDIT_PEOPLE = "edit_people"
EXPORT_FULL_PII = "export_full_pii"


def search_filter(q: str) -> Q:
    query = classify(q)
    if query.kind == "digits":
        if len(query.text) <= 4:
            return Q(id_tail=query.text) | Q(phone__endswith=query.text)
        if len(query.text) >= 15:
            return Q(id_number=query.text) | Q(phone=query.text)
        return Q(id_number__endswith=query.text) | Q(phone__endswith=query.text)
    if query.kind == "pinyin":
        return Q(name_initials__startswith=query.text) | Q(name_pinyin__startswith=query.text)
    if query.kind == "name":
        return Q(name__startswith=query.text) | Q(name__contains=query.text)
    return Q()


def person_list(*, user: Any, q: str = "", region: Region | None = None) -> QuerySet[Person]:
    """People the user may see, optionally under one region and matching a search."""
    people = scoped(
        Person.objects.filter(merged_into__isnull=True).select_related("region__parent__parent"),
        user,
    )
    if region is not None:
        people = people.filter(region__path__startswith=region.path)
    return people.filter(search_filter(q)) if q.strip() else people


def person_export_list(*, user: Any, q: str = "", region: Region | None = None) -> QuerySet[Person]:
    """The people list in ledger order (village, grid, group, then as registered) for an export.
    Household and region up to the village come in the same query: iterate it, never page it."""
    people = person_list(user=user, q=q, region=region).select_related("household")
    return people.order_by("region__path", "id")


def person_export_full_allowed(*, user: Any, region: Region | None = None) -> bool:
    """Whether `user` may export full ID numbers and phones: they need `export_full_pii` over
    everything the export holds, that is over `region` when the list is filtered, else over every
    root of their people scope. Reads only the user's cached role assignments."""
    if region is not None:
        return user.can_at(EXPORT_FULL_PII, region)
    full_paths = user.region_paths_for(EXPORT_FULL_PII)
    if full_paths is None:
        return True
    view_paths = user.region_paths_for(VIEW_PEOPLE) or []
    return bool(view_paths) and all(
        any(path.startswith(full) for full in full_paths) for path in view_paths
    )


def person_get(*, user: Any, person_id: int) -> Person:
    return get_scoped_or_404(
        Person.objects.select_related("region__parent__parent", "household"), user, pk=person_id
    )


def person_full_record(*, user: Any, person_id: int) -> Person:
    """The person with unmasked identifiers: only where the user's role allows it (404 elsewhere),
    and every read leaves an audit entry."""
    person = get_scoped_or_404(
        Person.objects.select_related("region__parent__parent", "household"),
        user,
        VIEW_FULL_PII,
        pk=person_id,
    )
    audit_record(
        actor=user, action=Action.VIEW_FULL, obj=person, detail={"fields": ["id_number", "phone"]}
    )
    return person


def household_list(*, user: Any, region: Region | None = None) -> QuerySet[Household]:
    households = scoped(Household.objects.select_related("region__parent__parent"), user)
    if region is not None:
        households = households.filter(region__path__startswith=region.path)
    return households


def household_get(*, user: Any, household_id: int, capability: str = VIEW_PEOPLE) -> Household:
    return get_scoped_or_404(
        Household.objects.select_related("region__parent__parent"),
        user,
        capability,
        pk=household_id,
    )


def household_members(*, household: Household) -> QuerySet[Person]:
    return household.members.select_related("region").order_by("id")


def ledger_counters(*, user: Any) -> dict[str, QuerySet]:
    """Scoped querysets counted per child region on the region pages."""
    return {
        "households": scoped(Household.objects.all(), user),
        "people": scoped(Person.objects.filter(merged_into__isnull=True), user),
    }


def region_totals(*, region: Region, user: Any) -> dict[str, int]:
    """Grids, groups, households and people under a region, within the user's scope."""
    return region_figures(region=region, user=user, counters=ledger_counters(user=user)).totals


def likely_duplicates(
    *, user: Any, region: Region | None = None, limit: int = 100
) -> list[list[Person]]:
    """Groups of records that may be one person, where at least one lacks an ID number (with
    numbers, the number decides): the same name and phone, or the same name and birth date in
    the same village. Grouped in the database; then one query fetches the groups' members."""
    people = scoped(Person.objects.filter(merged_into__isnull=True), user, EDIT_PEOPLE)
    if region is not None:
        people = people.filter(region__path__startswith=region.path)
    lacking = Count("id", filter=Q(id_number=""))
    by_phone = (
        people.exclude(phone="")
        .values("name", "phone")
        .annotate(n=Count("id"), lacking=lacking)
        .filter(n__gt=1, lacking__gte=1)
        .order_by("name")[:limit]
    )
    by_birth = (
        people.exclude(birth_date__isnull=True)
        .annotate(village=Substr("region__path", 1, Region.PATH_LENGTH[Region.Level.VILLAGE]))
        .values("name", "birth_date", "village")
        .annotate(n=Count("id"), lacking=lacking)
        .filter(n__gt=1, lacking__gte=1)
        .order_by("name")[:limit]
    )
    keys = [("phone", (k["name"], k["phone"])) for k in by_phone]
    keys += [("birth", (k["name"], k["birth_date"], k["village"])) for k in by_birth]
    if not keys:
        return []
    members = people.filter(name__in={key[1][0] for key in keys}).select_related(
        "region__parent__parent"
    )
    groups: dict[tuple, list[Person]] = {key: [] for key in keys}
    for person in members:
        phone_key = ("phone", (person.name, person.phone))
        birth_key = ("birth", (person.name, person.birth_date, person.region.path[:12]))
        for key in (phone_key, birth_key):
            if key in groups:
                groups[key].append(person)
    seen: set[frozenset[int]] = set()
    result = []
    for group in groups.values():
        ids = frozenset(p.pk for p in group)
        if len(group) > 1 and ids not in seen:
            seen.add(ids)
            result.append(sorted(group, key=lambda p: p.pk))
    return result[:limit]


def merge_list(*, user: Any) -> QuerySet:
    return scoped(
        PersonMerge.objects.select_related("survivor", "merged", "merged_by", "region"),
        user,
        EDIT_PEOPLE,
    )
