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
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse

from fangxian.accounts.roles import (
    ENTERPRISE_ROLE_CAPABILITIES,
    ROLE_CAPABILITIES,
    EnterpriseRole,
    Role,
)
from fangxian.core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from tests.assertions import xlsx_text
from tests.scope_matrix.pages import PAGES, PARAMETERS, SKIPPED, SKIPPED_NAMESPACES, Page
from tests.scope_matrix.world import Place, build_world

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(body: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(body))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


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
    assert unknown == [], "describe these URL patterns in PAGES (tests/scope_matrix/pages.py)"
    unfillable = [
        (r.name, p) for r in routes if r.name in PAGES for p in r.parameters if p not in PARAMETERS
    ]
    assert unfillable == [], "teach PARAMETERS how to fill these path parameters"
    gone = set(PAGES) - {r.name for r in routes}
    assert gone == set(), "these pages no longer exist; remove them from PAGES"


@pytest.fixture
def world(db, settings, tmp_path):
    return build_world(settings, tmp_path)


def _persona_scope(persona: str) -> tuple[frozenset[str], set[str]]:
    """(capabilities, places in scope)."""
    if persona == "hq_town":
        return ROLE_CAPABILITIES[Role.HQ], {"wafang", "beiqi"}
    if persona in ENTERPRISE_ROLE_CAPABILITIES:
        return ENTERPRISE_ROLE_CAPABILITIES[persona], {"wafang"}
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
    if response.get("Content-Type", "").startswith(DOCX_CONTENT_TYPE):
        # A .docx (the 日报) is a zip too: its paragraphs and table cells, one per line.
        return docx_text(body)
    body = body.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        # JSON escapes Chinese as \uXXXX; compare names on the decoded text.
        return json.dumps(json.loads(body), ensure_ascii=False)
    return body


FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dX](?![0-9A-Za-z])")


def _problems(visit: Visit, response, caps, in_scope, places) -> list[str]:
    spec = visit.page
    out_of_scope = visit.place is not None and visit.scoped and visit.place not in in_scope
    allowed = spec.needs <= caps and (not spec.needs_one_of or bool(spec.needs_one_of & caps))
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


PERSONAS = ["hq_town", *Role.values, *EnterpriseRole.values]


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
