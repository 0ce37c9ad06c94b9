"""The role × scope matrix (STYLE §4, §9): every URL of the project, walked by every role.

The world: 乌龙镇 with 瓦房村 and 碑棋社区, and a second township (汤丹镇) of the same county, each
place with a household, a person, a staff member and a few audit entries. One persona per role
holds that role over 瓦房村 (the grid worker over its first grid), plus HQ over the township.

For each persona and each URL pattern, filled with the objects of each place:

- an object outside the persona's scope answers 404: never 200, never 403;
- inside the scope the page answers as it should only if the role's capabilities
  (accounts.roles.ROLE_CAPABILITIES) include what PAGES says the page needs, else 404;
- no answer names a person, household or staff member outside the scope, or carries their ID
  number or phone, and full ID numbers and phones appear only on the audited full view
  (an .xlsx answer is read cell by cell).

A URL pattern that PAGES does not describe fails the test: a new feature cannot skip the matrix.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from fangxian.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from fangxian.audit.models import AuditEntry
from fangxian.audit.services import audit_record
from fangxian.core.masking import mask_id_number
from fangxian.core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.people.models import Person, PersonMerge
from fangxian.screening.campaigns import visit_record
from fangxian.screening.models import Campaign, KeyArea, SelfReport, Trip
from tests import factories
from tests.assertions import xlsx_text

VIEW = Capability.VIEW_PEOPLE
EDIT = Capability.EDIT_PEOPLE
FULL = Capability.VIEW_FULL_PII
USERS = Capability.MANAGE_USERS
AUDIT = Capability.VIEW_AUDIT_LOG
CAMPAIGNS = Capability.MANAGE_CAMPAIGNS
KEY_AREAS = Capability.MANAGE_KEY_AREAS


@dataclass(frozen=True)
class Query:
    """Query-string arguments filled from a place (`args`: argument -> Place attribute).
    `scoped`: an out-of-scope value must answer 404 (a filter), else the page just finds nothing
    (a search)."""

    args: dict[str, str]
    scoped: bool = False


@dataclass(frozen=True)
class Page:
    needs: frozenset[str] = frozenset()
    method: str = "get"
    ok: frozenset[int] = frozenset({200})
    shows_full: bool = False  # the audited full view: shows the full ID number and phone
    names_person: bool = False  # a 200 answer names the place's person (or, without a place,
    # every person in scope)
    queries: tuple[Query, ...] = ()


def page(*needs: str, **options) -> Page:
    ok = options.pop("ok", {200})
    return Page(needs=frozenset(needs), ok=frozenset(ok), **options)


SEARCHES = (Query({"q": "initials"}), Query({"q": "tail"}))

PAGES: dict[str, Page] = {
    "home": page(ok={200, 302}),
    "accounts:user-list": page(USERS),
    "accounts:user-create": page(USERS),
    "accounts:user-detail": page(USERS),
    "accounts:role-assign": page(USERS, method="post", ok={302}),
    "accounts:role-revoke": page(USERS, method="post", ok={302}),
    "accounts:user-password": page(USERS, method="post", ok={302}),
    "audit:log": page(AUDIT),
    "audit:login-log": page(AUDIT),
    "people:region-detail": page(VIEW),
    "people:person-list": page(
        VIEW, names_person=True, queries=(Query({"region": "region_code"}, scoped=True), *SEARCHES)
    ),
    # The list as .xlsx, masked (the full export, full=1, is tested in people/tests/test_export).
    "people:person-export": page(
        VIEW, names_person=True, queries=(Query({"region": "region_code"}, scoped=True), *SEARCHES)
    ),
    "people:person-detail": page(VIEW, names_person=True),
    "people:person-reveal": page(FULL, method="post", shows_full=True),
    "people:person-edit": page(FULL, EDIT, shows_full=True, names_person=True),
    # A calculator over the number typed into the person form: it reads no record, but only
    # those who may enter people need it.
    "people:id-check": page(EDIT, queries=(Query({"id_number": "id_number"}),)),
    "people:household-create": page(EDIT, queries=(Query({"region": "region_code"}),)),
    "people:household-detail": page(VIEW, names_person=True),
    "people:person-create": page(EDIT),
    "people:api-person-list": page(VIEW, names_person=True, queries=SEARCHES),
    "people:api-person-detail": page(VIEW, names_person=True),
    "people:api-region-detail": page(VIEW),
    "people:duplicate-list": page(EDIT),
    "people:person-merge": page(EDIT, method="post", ok={302}),
    "people:merge-list": page(EDIT),
    "people:merge-undo": page(EDIT, method="post", ok={302}),
    "imports:import-list": page(EDIT),
    "imports:import-upload": page(EDIT),
    "imports:import-detail": page(EDIT),
    "imports:import-commit": page(EDIT, method="post", ok={302}),
    "imports:import-mapping": page(EDIT, method="post", ok={302}),
    # The rejected rows as they were typed, to be fixed: a full export.
    "imports:import-rejected": page(EDIT, FULL, shows_full=True),
    # Screening campaigns: read and visited by those who edit people, opened by HQ. A place's
    # campaign covers its village; the region page of its grid lists the households to visit.
    "screening:campaign-list": page(EDIT),
    "screening:campaign-create": page(CAMPAIGNS),
    "screening:campaign-detail": page(EDIT),
    "screening:campaign-region": page(EDIT),
    # Coverage by unit, households not yet visited, visits, as .xlsx: no ID numbers.
    "screening:coverage-export": page(EDIT),
    "screening:to-visit-export": page(EDIT),
    "screening:visit-export": page(EDIT),
    "screening:visit-create": page(EDIT, names_person=True),
    # Each place's household has a visit by the place's staff: listed under the place, and
    # shown to everyone who edits people there (read-only unless they recorded it, or are HQ).
    "screening:visit-list": page(EDIT),
    "screening:visit-edit": page(EDIT, names_person=True),
    # Returnees: each place's person has a trip; each place's region has a key-area list (HQ).
    "screening:returnee-list": page(
        VIEW, names_person=True, queries=(Query({"region": "region_code"}, scoped=True),)
    ),
    # The register as .xlsx, masked (full=1 is tested in screening/tests/test_exports).
    "screening:returnee-export": page(
        VIEW, names_person=True, queries=(Query({"region": "region_code"}, scoped=True),)
    ),
    "screening:trip-create": page(EDIT, names_person=True),
    "screening:trip-places": page(EDIT),  # resolves the place names typed: reads no record
    "screening:key-area-list": page(KEY_AREAS),
    "screening:key-area-create": page(KEY_AREAS),
    "screening:key-area-edit": page(KEY_AREAS),
    "screening:key-area-end": page(KEY_AREAS, method="post", ok={302}),
    "screening:key-area-delete": page(KEY_AREAS, method="post", ok={302}),
    # Self-reports: each place has a pending one from its person (same name, number and phone);
    # the list masks, the review shows the full number (audited). The poster takes the code of
    # a village or of a grid in it.
    "screening:self-report-list": page(EDIT, names_person=True),
    "screening:self-report-detail": page(EDIT, shows_full=True, names_person=True),
    "screening:self-report-verify": page(EDIT, method="post", ok={302}),
    "screening:self-report-reject": page(EDIT, method="post", ok={302}),
    "screening:self-report-poster": page(EDIT),
}
# Pages every visitor may reach, or that only act on the visitor's own account.
SKIPPED = {"accounts:login", "accounts:logout", "accounts:password-change"}
# The public self-report form of a village and its thank-you page: no login, read no record
# (fangxian/screening/tests/test_self_report.py tests them).
SKIPPED |= {"report:form", "report:thanks"}
SKIPPED_NAMESPACES = {"admin"}
# How each path parameter is filled: with this attribute of a Place.
PARAMETERS = {
    "code": "region_code",
    "person_id": "person_id",
    "household_id": "household_id",
    "user_id": "user_id",
    "assignment_id": "assignment_id",
    "job_id": "import_job_id",
    "merge_id": "merge_id",
    "campaign_id": "campaign_id",
    "key_area_id": "key_area_id",
    "report_id": "self_report_id",
    "visit_id": "visit_id",
}


# --- the walker -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    parameters: tuple[str, ...]


def _parameters(pattern) -> tuple[str, ...]:
    converters = getattr(pattern, "converters", None)
    if converters is not None:
        return tuple(converters)
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def walk_urls(patterns=None, namespace: str = "", parameters: tuple[str, ...] = ()):
    """Every URL pattern of the project, with its namespaced name and path parameters."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        found = parameters + _parameters(entry.pattern)
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk_urls(entry.url_patterns, inner, found)
        else:
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(name=name or f"<unnamed {entry.pattern}>", parameters=found)


def test_the_walker_finds_the_known_pages():
    names = {route.name for route in walk_urls()}
    assert {"home", "people:person-detail", "accounts:role-revoke", "audit:log"} <= names
    assert not any(name.startswith("admin:") for name in names)


def test_every_url_pattern_is_in_the_matrix():
    routes = list(walk_urls())
    unknown = [r.name for r in routes if r.name not in PAGES and r.name not in SKIPPED]
    assert unknown == [], "describe these URL patterns in PAGES (tests/test_scope_matrix.py)"
    unfillable = [
        (r.name, p) for r in routes if r.name in PAGES for p in r.parameters if p not in PARAMETERS
    ]
    assert unfillable == [], "teach PARAMETERS how to fill these path parameters"
    gone = set(PAGES) - {r.name for r in routes}
    assert gone == set(), "these pages no longer exist; remove them from PAGES"


# --- the world ------------------------------------------------------------------------------


@dataclass
class Place:
    key: str
    region_code: str
    person_id: int
    household_id: int
    user_id: int
    assignment_id: int
    import_job_id: int
    merge_id: int
    campaign_id: int
    key_area_id: int
    person_name: str
    id_number: str
    phone: str
    initials: str
    tail: str
    secrets: list[str] = field(default_factory=list)  # never shown outside the scope
    self_report_id: int = 0
    visit_id: int = 0


def _place(key, region, *, sequence, person_name, head_name, staff_name, phone) -> Place:
    household = factories.make_household(region=region, head_name=head_name, phone=phone[::-1])
    person = factories.make_person(
        household=household,
        name=person_name,
        id_number=factories.valid_id_number(sequence=sequence),
        phone=phone,
    )
    staff = factories.make_user(
        role=Role.GRID_WORKER, region=region, username=f"staff_{key}", full_name=staff_name
    )
    audit_record(actor=staff, action=AuditEntry.Action.LOGIN)
    audit_record(actor=staff, action=AuditEntry.Action.VIEW_FULL, obj=person)
    audit_record(
        actor=staff,
        action=AuditEntry.Action.UPDATE,
        obj=person,
        changes={"id_number": [mask_id_number(person.id_number)] * 2},
    )
    audit_record(actor=staff, action=AuditEntry.Action.UPDATE, obj=staff)  # no region
    campaign = _campaign(region.parent, staff)
    return Place(
        key=key,
        region_code=region.code,
        person_id=person.pk,
        household_id=household.pk,
        user_id=staff.pk,
        assignment_id=staff.role_assignments.get().pk,
        import_job_id=_import_job(region, staff, person).pk,
        merge_id=_merge(person, staff).pk,
        campaign_id=campaign.pk,
        visit_id=visit_record(
            actor=staff,
            campaign=campaign,
            household=household,
            outcome="seen",
            people=[{"person": person}],
        ).pk,
        key_area_id=_returnee(region, person).pk,
        self_report_id=_self_report(region, person).pk,
        person_name=person_name,
        id_number=person.id_number,
        phone=phone,
        initials=person.name_initials,
        tail=person.id_number[-4:],
        secrets=[
            person_name,
            head_name,
            staff_name,
            person.id_number,
            phone,
            household.phone,
        ],
    )


def _merge(person, staff) -> PersonMerge:
    """A merge of a second record (no ID number) into the place's person."""
    # Born on another day than the places' people, so a counter-drawn sequence cannot collide
    # with their fixed numbers however many people earlier tests made; the number is wiped below.
    number = factories.valid_id_number(birth=date(1970, 1, 1))
    twin = factories.make_person(household=person.household, name=person.name, id_number=number)
    Person.objects.filter(pk=twin.pk).update(id_number="", id_tail="", merged_into=person)
    return PersonMerge.objects.create(
        survivor=person,
        merged=twin,
        region=person.region,
        moved={},
        reason="同一人",
        merged_by=staff,
    )


def _returnee(region, person) -> KeyArea:
    """A trip of the place's person, and a key area on the place's own list."""
    Trip.objects.create(
        person=person,
        region=region,
        origin_text="湖北武汉",
        origin_code="4201",
        arrived_on=timezone.localdate(),
        source=Trip.Source.MANUAL,
        category=Trip.Category.KEY_AREA,
        category_reason="湖北返乡人员",
    )
    return KeyArea.objects.create(
        region=region,
        division_code="42",
        name="湖北省",
        label="湖北",
        starts_on=timezone.localdate(),
    )


def _self_report(region, person) -> SelfReport:
    """A pending self-report of the place's person, sent from the public form."""
    return SelfReport.objects.create(
        region=region,
        name=person.name,
        id_number=person.id_number,
        phone=person.phone,
        address=f"{region.short_name}1号",
        origin_text="湖北武汉",
        arrived_on=timezone.localdate(),
    )


def _campaign(village, staff) -> Campaign:
    """A screening campaign over the place's village, under way."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name=f"{village.short_name}排查",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=6),
        created_by=staff,
    )
    campaign.regions.set([village])
    return campaign


def _import_job(region, staff, person) -> ImportJob:
    """A checked import whose one row was rejected, holding the person's data as typed."""
    job = ImportJob.objects.create(
        target=ImportJob.Target.PEOPLE,
        region=region,
        created_by=staff,
        file="imports/r.xlsx",
        original_name="r.xlsx",
        status=ImportJob.Status.CHECKED,
        headers=["姓名", "身份证号码"],
        mapping={"name": 0, "id_number": 1},
        counts={"error": 1},
    )
    ImportRow.objects.create(
        job=job,
        row_number=4,
        action=ImportRow.Action.ERROR,
        cells=[person.name, person.id_number],
        values={"name": person.name},
        errors=[{"column": "身份证号码", "message": "已在台账中"}],
    )
    return job


@pytest.fixture
def world(db):
    town = factories.make_township()
    tangdan = factories.make_region(path="530113102", short_name="汤丹镇", parent=town["county"])
    tangdan_village = factories.make_region(
        path="530113102201", short_name="汤丹村", parent=tangdan
    )
    tangdan_grid = factories.make_region(
        path="53011310220101", short_name="第一网格", parent=tangdan_village
    )
    places = {
        "wafang": _place(
            "wafang",
            town["wafang_1"],
            sequence=311,
            person_name="张三",
            head_name="张大户",
            staff_name="瓦房网格员",
            phone="13800000311",
        ),
        "beiqi": _place(
            "beiqi",
            town["beiqi_1"],
            sequence=412,
            person_name="李四",
            head_name="李大户",
            staff_name="碑棋网格员",
            phone="13900000412",
        ),
        "tangdan": _place(
            "tangdan",
            tangdan_grid,
            sequence=513,
            person_name="王二麻",
            head_name="王大户",
            staff_name="汤丹网格员",
            phone="13700000513",
        ),
    }
    personas = {
        role: factories.make_user(
            role=role,
            region=town["wafang_1"] if role == Role.GRID_WORKER else town["wafang"],
            username=f"persona_{role}",
            full_name=f"角色{role}",
        )
        for role in Role.values
    }
    personas["hq_town"] = factories.make_user(
        role=Role.HQ, region=town["town"], username="persona_hq_town", full_name="镇指挥部"
    )
    return {"places": places, "personas": personas}


def _persona_scope(persona: str) -> tuple[frozenset[str], set[str]]:
    """(capabilities, places in scope)."""
    if persona == "hq_town":
        return ROLE_CAPABILITIES[Role.HQ], {"wafang", "beiqi"}
    return ROLE_CAPABILITIES[persona], {"wafang"}


# --- the walk -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    name: str
    url: str
    place: str | None  # whose objects fill the URL (None: no object)
    scoped: bool  # an out-of-scope place must answer 404
    page: Page


def visits(places: dict[str, Place]):
    for route in walk_urls():
        if route.name in SKIPPED:
            continue
        assert route.name in PAGES, f"{route.name} is not in the matrix"
        spec = PAGES[route.name]
        if route.parameters:
            for place in places.values():
                kwargs = {p: getattr(place, PARAMETERS[p]) for p in route.parameters}
                url = reverse(route.name, kwargs=kwargs)
                yield Visit(route.name, url, place.key, True, spec)
            continue
        url = reverse(route.name)
        yield Visit(route.name, url, None, False, spec)
        for query in spec.queries:
            for place in places.values():
                args = "&".join(f"{a}={getattr(place, attr)}" for a, attr in query.args.items())
                yield Visit(route.name, f"{url}?{args}", place.key, query.scoped, spec)


def _request(client, visit: Visit):
    # Each visit runs in a transaction that is rolled back: a POST that revokes a role or a
    # full view that writes an audit entry leaves the world as it was for the next visit.
    with transaction.atomic():
        response = getattr(client, visit.page.method)(visit.url)
        transaction.set_rollback(True)
    return response


def _text(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith(XLSX_CONTENT_TYPE):
        # An .xlsx is a zip: look for names and numbers in its cells, one per line.
        return xlsx_text(body)
    body = body.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        # JSON escapes Chinese as \uXXXX; compare names on the decoded text.
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


def _problems(visit: Visit, response, caps, in_scope, places) -> list[str]:
    spec = visit.page
    out_of_scope = visit.place is not None and visit.scoped and visit.place not in in_scope
    allowed = spec.needs <= caps
    expected = {404} if out_of_scope or not allowed else set(spec.ok)
    found = []
    if response.status_code not in expected:
        found.append(f"{response.status_code}, expected {sorted(expected)}")
    text = _text(response)
    for place in places.values():
        if place.key in in_scope:
            continue
        found += [f"shows {secret!r} of {place.key}" for secret in place.secrets if secret in text]
    if not spec.shows_full:
        for place in places.values():
            found += [f"shows full {s!r}" for s in (place.id_number, place.phone) if s in text]
        found += [f"shows a full ID number {m!r}" for m in FULL_ID.findall(text)]
    shown = places[visit.place].id_number in text if visit.place else False
    if response.status_code == 200 and spec.shows_full and visit.place in in_scope and not shown:
        found.append("does not show the full ID number")
    if response.status_code == 200 and spec.names_person:
        expected_names = (
            [places[visit.place].person_name]
            if visit.place is not None
            else [p.person_name for p in places.values() if p.key in in_scope]
        )
        if visit.place is None or visit.place in in_scope:
            found += [f"does not name {n}" for n in expected_names if n not in text]
    return found


PERSONAS = ["hq_town", *Role.values]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_answers_each_persona_within_its_scope_only(client, world, persona):
    caps, in_scope = _persona_scope(persona)
    client.force_login(world["personas"][persona])
    problems = []
    for visit in visits(world["places"]):
        response = _request(client, visit)
        problems += [
            f"{visit.page.method.upper()} {visit.url} ({visit.name}, {visit.place}): {problem}"
            for problem in _problems(visit, response, caps, in_scope, world["places"])
        ]
    assert problems == [], "\n".join(problems)


def test_every_page_sends_an_anonymous_visitor_to_log_in(client, world):
    login = reverse("accounts:login")
    problems = []
    for visit in visits(world["places"]):
        response = _request(client, visit)
        if response.status_code != 302 or not response.url.startswith(login):
            problems.append(f"{visit.url}: {response.status_code}")
    assert problems == [], "\n".join(problems)


def test_the_matrix_sees_a_leak_when_there_is_one(client, world):
    """The checks above can fail: HQ of the township sees 李四, whom 瓦房村 must never see."""
    places = world["places"]
    client.force_login(world["personas"]["hq_town"])
    visit = Visit(
        "people:person-list",
        reverse("people:person-list"),
        None,
        False,
        PAGES["people:person-list"],
    )
    response = _request(client, visit)
    problems = _problems(visit, response, ROLE_CAPABILITIES[Role.HQ], {"wafang"}, places)
    assert "shows '李四' of beiqi" in problems


def test_the_matrix_reads_xlsx_answers(client, world):
    """An export is a zip: the checks read its cells. HQ's full export of the township names 李四,
    whom 瓦房村 must never see, and carries full numbers, which a masked page must never show."""
    places = world["places"]
    client.force_login(world["personas"]["hq_town"])
    url = reverse("people:person-export")
    spec = PAGES["people:person-export"]
    masked = Visit("people:person-export", url, None, False, spec)
    problems = _problems(
        masked, _request(client, masked), ROLE_CAPABILITIES[Role.HQ], {"wafang"}, places
    )
    assert "shows '李四' of beiqi" in problems
    full = Visit("people:person-export", f"{url}?full=1", None, False, spec)
    problems = _problems(
        full, _request(client, full), ROLE_CAPABILITIES[Role.HQ], {"wafang", "beiqi"}, places
    )
    assert f"shows full {places['wafang'].id_number!r}" in problems
