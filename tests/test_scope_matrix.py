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
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from fangxian.accounts.roles import (
    ENTERPRISE_ROLE_CAPABILITIES,
    ROLE_CAPABILITIES,
    Capability,
    EnterpriseRole,
    Role,
)
from fangxian.audit.models import AuditEntry
from fangxian.audit.services import audit_record
from fangxian.checkpoints.models import Notice, Shift, ShiftMember
from fangxian.core.masking import mask_id_number
from fangxian.core.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from fangxian.enterprises.models import (
    DailyReport,
    Enterprise,
    ResumptionApplication,
    Worker,
)
from fangxian.imports.models import ImportJob, ImportRow
from fangxian.people.models import Person, PersonMerge
from fangxian.reports.models import Indicator, ReportingUnit, UnitKind
from fangxian.reports.services import instruction_issue, report_submit
from fangxian.screening.campaigns import visit_record
from fangxian.screening.models import Campaign, KeyArea, SelfReport, Trip
from tests import factories
from tests.assertions import xlsx_text

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_text(body: bytes) -> str:
    import io

    from docx import Document

    document = Document(io.BytesIO(body))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


VIEW = Capability.VIEW_PEOPLE
EDIT = Capability.EDIT_PEOPLE
FULL = Capability.VIEW_FULL_PII
USERS = Capability.MANAGE_USERS
AUDIT = Capability.VIEW_AUDIT_LOG
CAMPAIGNS = Capability.MANAGE_CAMPAIGNS
KEY_AREAS = Capability.MANAGE_KEY_AREAS
ENTERPRISES = Capability.VIEW_ENTERPRISES
MANAGE_ENTERPRISES = Capability.MANAGE_ENTERPRISES
KEEP_ENTERPRISE = Capability.KEEP_ENTERPRISE_RECORDS
APPROVE_RESUMPTION = Capability.APPROVE_RESUMPTION
SUPERVISE_ENTERPRISES = Capability.SUPERVISE_ENTERPRISES
CHECKPOINTS = Capability.MANAGE_CHECKPOINTS
PASSAGES = Capability.REGISTER_PASSAGES
MANAGE_REPORTS = Capability.MANAGE_REPORTS
SUBMIT_REPORTS = Capability.SUBMIT_REPORTS
Q_VIEW = Capability.VIEW_QUARANTINE
Q_MANAGE = Capability.MANAGE_QUARANTINE
Q_APPROVE = Capability.APPROVE_QUARANTINE
Q_RELEASE = Capability.SIGN_RELEASE
Q_SUPERVISE = Capability.SUPERVISE_QUARANTINE
Q_RECORD = Capability.RECORD_HEALTH_CHECKS
Q_ERRANDS = Capability.HANDLE_ERRANDS
PLACES = Capability.MANAGE_PLACES
TRACE = Capability.TRACE_EXPOSURE


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
    needs_one_of: frozenset[str] = frozenset()  # and at least one of these


def page(*needs: str, **options) -> Page:
    ok = options.pop("ok", {200})
    return Page(needs=frozenset(needs), ok=frozenset(ok), **options)


SEARCHES = (Query({"q": "initials"}), Query({"q": "tail"}))
REGION_SCOPED = (Query({"region": "region_code"}, scoped=True),)
ENTERPRISE_REGION = (Query({"region": "region_code"}, scoped=True),)

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
    # An enterprise's roster from Excel: its contact (keep_enterprise_records, by membership) or
    # staff who manage it and edit its village's people (imports.worker_rows.import_allowed).
    # The place's job below is a people import: the contact gets 404 on it, as the detail pages
    # show a contact only their enterprise's roster imports (imports/tests/test_roster_contact.py).
    "imports:roster-upload": page(
        ENTERPRISES, needs_one_of=frozenset({KEEP_ENTERPRISE, MANAGE_ENTERPRISES})
    ),
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
    # Enterprises (企业复工复产): each place has an enterprise in its village, with the place's
    # person on its roster, today's report and a submitted application with its plan document.
    # Staff reach them by region; the enterprise contact persona only wafang's, by membership
    # (the list sends a contact straight to their enterprise: 302).
    "enterprises:enterprise-list": page(ENTERPRISES, ok={200, 302}, queries=ENTERPRISE_REGION),
    "enterprises:enterprise-create": page(MANAGE_ENTERPRISES),
    "enterprises:deadline": page(MANAGE_ENTERPRISES),
    "enterprises:enterprise-detail": page(ENTERPRISES),
    "enterprises:enterprise-edit": page(MANAGE_ENTERPRISES),
    "enterprises:account-create": page(MANAGE_ENTERPRISES),
    "enterprises:application-list": page(ENTERPRISES, queries=ENTERPRISE_REGION),
    "enterprises:application-detail": page(ENTERPRISES),
    "enterprises:application-edit": page(KEEP_ENTERPRISE, ok={200, 302}),
    "enterprises:application-submit": page(KEEP_ENTERPRISE, method="post", ok={302}),
    "enterprises:application-review": page(APPROVE_RESUMPTION, method="post", ok={302}),
    "enterprises:application-reopen": page(MANAGE_ENTERPRISES, method="post", ok={302}),
    "enterprises:application-document": page(ENTERPRISES),
    "enterprises:worker-list": page(ENTERPRISES, names_person=True),
    "enterprises:worker-create": page(KEEP_ENTERPRISE),
    "enterprises:worker-detail": page(ENTERPRISES, names_person=True),
    "enterprises:worker-place": page(MANAGE_ENTERPRISES, method="post", ok={302}),
    "enterprises:report-form": page(KEEP_ENTERPRISE),
    "enterprises:report-list": page(ENTERPRISES, queries=ENTERPRISE_REGION),
    "enterprises:report-status": page(ENTERPRISES, queries=ENTERPRISE_REGION),
    "enterprises:report-detail": page(ENTERPRISES),
    "enterprises:report-review": page(SUPERVISE_ENTERPRISES, method="post", ok={302}),
    "enterprises:charts": page(ENTERPRISES, queries=ENTERPRISE_REGION),
    "enterprises:charts-data": page(ENTERPRISES, queries=ENTERPRISE_REGION),
    # Checkpoints: each place's village has a checkpoint with a shift (the place's staff on it)
    # and a passage of the place's person (ledger record: the ID number is masked everywhere),
    # and the place's grid has a notice naming the person. HQ sets up checkpoints, rotas and
    # reads the figures; shift roles register passages (the worker's home lists their shift).
    "checkpoints:home": page(PASSAGES),
    "checkpoints:checkpoint-list": page(CHECKPOINTS),
    "checkpoints:checkpoint-create": page(CHECKPOINTS),
    "checkpoints:checkpoint-edit": page(CHECKPOINTS),
    "checkpoints:rota": page(CHECKPOINTS),
    "checkpoints:shift-create": page(CHECKPOINTS, method="post", ok={302}),
    "checkpoints:shift-member-add": page(CHECKPOINTS, method="post", ok={302}),
    "checkpoints:shift-member-remove": page(CHECKPOINTS, method="post", ok={302}),
    "checkpoints:figures": page(CHECKPOINTS),
    "checkpoints:passage-create": page(PASSAGES),
    "checkpoints:passage-list": page(
        PASSAGES, names_person=True, queries=(Query({"checkpoint": "checkpoint_id"}, scoped=True),)
    ),
    "checkpoints:passage-detail": page(PASSAGES, names_person=True),
    "checkpoints:passage-correct": page(PASSAGES, names_person=True),
    # The live look-up of an ID number typed on the form: masked, and only within scope.
    "checkpoints:person-lookup": page(PASSAGES, queries=(Query({"id_number": "id_number"}),)),
    # The device endpoint: an empty POST is refused with the reasons (400).
    "checkpoints:api-passage-create": page(PASSAGES, method="post", ok={400}),
    "checkpoints:notice-list": page(EDIT, names_person=True),
    "checkpoints:notice-read": page(EDIT, method="post", ok={302}),
    "checkpoints:code-issue": page(EDIT, method="post", ok={302}),
    "checkpoints:code-revoke": page(EDIT, method="post", ok={302}),
    # Place codes (场所码): each place's village has a place with a scan of the place's person
    # (personal code and phone: the phone masked, the person never named). HQ and village
    # cadres manage them; an empty POST to close one, or to reopen an open one, is refused with
    # a message (302); the device endpoint refuses an empty POST with the reasons (400).
    "places:place-list": page(PLACES, queries=REGION_SCOPED),
    "places:place-create": page(PLACES),
    "places:place-detail": page(PLACES),
    "places:place-edit": page(PLACES),
    "places:place-close": page(PLACES, method="post", ok={302}),
    "places:place-reopen": page(PLACES, method="post", ok={302}),
    "places:place-reissue": page(PLACES, method="post", ok={302}),
    "places:place-poster": page(PLACES),
    "places:village-posters": page(PLACES),
    "places:figures": page(PLACES, queries=REGION_SCOPED),
    "places:scan-list": page(
        PLACES, queries=(Query({"place": "place_id"}, scoped=True), *REGION_SCOPED)
    ),
    "places:api-scan-create": page(PLACES, method="post", ok={400}),
    # Quarantine, HQ and village pages: each place's person holds an active order (a team
    # member, an appeal), in a list placed in bulk with a second person of the place (pending,
    # with its supervision alert); each place has a site with a room. The door notice names
    # no one (it hangs on the door). An empty POST
    # shows the page again with the reasons (200). The board and lists take a region filter.
    "quarantine:board": page(Q_VIEW, queries=(Query({"region": "region_code"}, scoped=True),)),
    "quarantine:board-list": page(
        Q_VIEW, names_person=True, queries=(Query({"region": "region_code"}, scoped=True),)
    ),
    "quarantine:team-load": page(Q_VIEW, queries=(Query({"region": "region_code"}, scoped=True),)),
    "quarantine:order-create": page(Q_MANAGE, names_person=True),
    "quarantine:order-list": page(
        Q_VIEW, names_person=True, queries=(Query({"region": "region_code"}, scoped=True),)
    ),
    # The list as .xlsx, masked (full=1 is tested in quarantine/tests/test_hq_exports).
    "quarantine:order-export": page(
        Q_VIEW, names_person=True, queries=(Query({"region": "region_code"}, scoped=True),)
    ),
    "quarantine:order-detail": page(Q_VIEW, names_person=True),
    "quarantine:order-activate": page(Q_MANAGE, method="post"),
    "quarantine:order-period": page(Q_MANAGE, method="post"),
    "quarantine:order-room": page(Q_MANAGE, method="post"),
    "quarantine:order-release": page(Q_RELEASE, method="post"),
    # Those who manage orders, or a doctor.
    "quarantine:order-transfer": page(
        Q_VIEW, method="post", needs_one_of=frozenset({Q_MANAGE, Q_RELEASE})
    ),
    "quarantine:order-cancel": page(Q_MANAGE, method="post"),
    "quarantine:order-token": page(Q_MANAGE, method="post"),
    "quarantine:order-approve": page(Q_APPROVE, method="post"),
    "quarantine:appeal-lodge": page(Q_VIEW, method="post"),
    "quarantine:team-assign": page(Q_MANAGE, method="post"),
    "quarantine:team-member-end": page(Q_MANAGE, method="post", ok={302}),
    "quarantine:door-notice": page(Q_VIEW),
    "quarantine:letter": page(Q_VIEW, names_person=True),
    "quarantine:bulk-place": page(Q_MANAGE),
    "quarantine:batch-detail": page(Q_VIEW),
    "quarantine:batch-approve": page(Q_APPROVE, method="post"),
    "quarantine:batch-reject": page(Q_APPROVE, method="post"),
    "quarantine:approval-list": page(Q_APPROVE),
    "quarantine:supervision-list": page(Q_SUPERVISE),
    "quarantine:supervision-seen": page(Q_SUPERVISE, method="post", ok={302}),
    "quarantine:appeal-list": page(Q_VIEW),
    "quarantine:appeal-decide": page(Q_APPROVE, method="post"),
    "quarantine:site-list": page(Q_VIEW),
    "quarantine:site-create": page(Q_MANAGE),
    "quarantine:site-detail": page(Q_VIEW),
    "quarantine:site-rooms-add": page(Q_MANAGE, method="post"),
    # The team's phone pages: each place's order has a fever alert (from a check by the place's
    # staff) and an open errand. The personas are on no team: their day and round are empty.
    # An empty POST to an alert shows it again with the reason (200).
    "quarantine:today": page(Q_RECORD),
    "quarantine:round": page(Q_RECORD),
    "quarantine:call": page(Q_RECORD, names_person=True),
    "quarantine:alert-list": page(Q_VIEW, names_person=True),
    "quarantine:alert-detail": page(Q_VIEW, names_person=True),
    "quarantine:alert-advance": page(Q_RECORD, method="post"),
    "quarantine:errand-list": page(Q_ERRANDS, names_person=True),
    "quarantine:errand-create": page(Q_ERRANDS, names_person=True),
    "quarantine:errand-advance": page(Q_ERRANDS, method="post", ok={302}),
    "quarantine:care": page(Q_ERRANDS, names_person=True),
    # Daily reports (日报): each place has a reporting unit at its grid (its staff and, for
    # wafang, every persona a member), today's report of it, and an instruction to it from
    # HQ. Members send and answer (non-members get 404); HQ reads figures, completeness, the
    # 日报 (.docx read paragraph by paragraph) and drills down to the reports and records.
    "reports:home": page(SUBMIT_REPORTS),
    "reports:settings": page(MANAGE_REPORTS),
    "reports:indicator-edit": page(MANAGE_REPORTS),
    "reports:wording": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:units-generate": page(MANAGE_REPORTS, method="post", ok={302}),
    "reports:unit-create": page(MANAGE_REPORTS),
    "reports:unit-edit": page(MANAGE_REPORTS),
    "reports:unit-form": page(SUBMIT_REPORTS),
    "reports:unit-report": page(SUBMIT_REPORTS),
    "reports:completeness": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:figures": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:figure-units": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:figure-records": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:instruction-list": page(MANAGE_REPORTS),
    "reports:instruction-create": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:instruction-detail": page(MANAGE_REPORTS),
    "reports:receipt-list": page(SUBMIT_REPORTS),
    "reports:receipt-respond": page(SUBMIT_REPORTS),
    "reports:daily": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:daily-download": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    # The command dashboard (大屏): the page, its JSON and each chart's figures as .xlsx.
    "reports:dashboard": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:dashboard-data": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    "reports:dashboard-xlsx": page(MANAGE_REPORTS, queries=REGION_SCOPED),
    # Exposure search (流调): each place has a search by the tracer persona with the place's
    # person as its one contact; a search exists only for its tracer within their scope. The
    # form's live search looks people up (masked); an empty placement POST is sent back (302).
    "tracing:search-list": page(TRACE),
    "tracing:search-create": page(TRACE, queries=SEARCHES),
    "tracing:search-detail": page(TRACE, names_person=True),
    "tracing:search-second-ring": page(TRACE, method="post", ok={302}),
    "tracing:search-export": page(TRACE, names_person=True),
    "tracing:search-place": page(TRACE, method="post", ok={302}),
    "tracing:contact-reveal": page(TRACE, FULL, method="post", shows_full=True),
}
# Pages every visitor may reach, or that only act on the visitor's own account.
SKIPPED = {"accounts:login", "accounts:logout", "accounts:password-change"}
# The public self-report form of a village and its thank-you page: no login, read no record
# (fangxian/screening/tests/test_self_report.py tests them).
SKIPPED |= {"report:form", "report:thanks"}
# The page a personal code's QR code opens: neutral to anyone but staff within scope, including
# visitors without a login (fangxian/checkpoints/tests/test_codes.py tests it).
SKIPPED |= {"code:resolve"}
# The public scan page of a place's poster: no login, names no one (fangxian/places/tests/
# test_scan_page.py tests it).
SKIPPED |= {"scan:place"}
# The page a door notice's QR code opens: the order for staff within scope, a neutral page for
# anyone else (fangxian/quarantine/tests/test_hq_notices.py tests it).
SKIPPED |= {"quarantine:door"}
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
    "enterprise_id": "enterprise_id",
    "worker_id": "worker_id",
    "daily_report_id": "daily_report_id",
    "checkpoint_id": "checkpoint_id",
    "shift_id": "shift_id",
    "passage_id": "passage_id",
    "place_id": "place_id",
    "notice_id": "notice_id",
    "order_id": "order_id",
    "team_member_id": "team_member_id",
    "team_role_id": "team_role_id",
    "batch_id": "batch_id",
    "supervision_alert_id": "supervision_alert_id",
    "appeal_id": "appeal_id",
    "site_id": "site_id",
    "alert_id": "alert_id",
    "errand_id": "errand_id",
    "unit_id": "reporting_unit_id",
    "unit_report_id": "unit_report_id",
    "instruction_id": "instruction_id",
    "receipt_id": "receipt_id",
    "search_id": "search_id",
    "contact_id": "contact_id",
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
    enterprise_id: int = 0
    worker_id: int = 0
    daily_report_id: int = 0
    checkpoint_id: int = 0
    shift_id: int = 0
    passage_id: int = 0
    place_id: int = 0
    notice_id: int = 0
    order_id: int = 0
    team_member_id: int = 0
    team_role_id: int = 0
    batch_id: int = 0
    supervision_alert_id: int = 0
    appeal_id: int = 0
    site_id: int = 0
    alert_id: int = 0
    errand_id: int = 0
    reporting_unit_id: int = 0
    unit_report_id: int = 0
    instruction_id: int = 0
    receipt_id: int = 0
    search_id: int = 0
    contact_id: int = 0


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
    checkpoint = _checkpoint(region, staff, person)
    quarantine = _quarantine(region, staff, person, key=key, sequence=sequence)
    quarantine |= _team_work(region, staff, order_id=quarantine["order_id"])
    enterprise = _enterprise(key, region.parent, staff, person)
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
        **checkpoint,
        **_place_code(region.parent, staff, person),
        **quarantine,
        **_reporting(key, region, staff),
        enterprise_id=enterprise.pk,
        worker_id=enterprise.workers.get().pk,
        daily_report_id=enterprise.daily_reports.get().pk,
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
            enterprise.name,
            enterprise.contact_phone,
            *quarantine_secrets(key),
        ],
    )


def _enterprise(key, village, staff, person) -> Enterprise:
    """An enterprise in the place's village: the place's person on its roster, today's report,
    and a submitted application to reopen with its plan document."""
    enterprise = factories.make_enterprise(
        region=village,
        name=f"{key}机械厂",
        contact_name=f"{key}联络员",
        contact_phone=f"1350000{sum(map(ord, key)) % 10000:04d}",
    )
    Worker.objects.create(enterprise=enterprise, person=person, department="车间")
    DailyReport.objects.create(
        enterprise=enterprise,
        day=timezone.localdate(),
        workers_on_site=5,
        returned_today=1,
        still_away=0,
        abnormal_temperatures=0,
        in_isolation=0,
        masks_in_stock=100,
        disinfectant_in_stock=3,
        submitted_by=staff,
        submitted_at=timezone.now(),
    )
    application = ResumptionApplication(
        enterprise=enterprise, status=ResumptionApplication.Status.SUBMITTED
    )
    application.plan_document.save("plan.pdf", ContentFile(b"plan of the enterprise"), save=False)
    application.save()
    return enterprise


def _reporting(key, region, staff) -> dict[str, int]:
    """A reporting unit at the place's grid (its staff a member) with today's report, and an
    instruction to it from HQ of the place."""
    unit = ReportingUnit.objects.create(
        kind=UnitKind.VILLAGE, name=f"{key}作战单元", region=region, reports_from=date(2020, 1, 1)
    )
    unit.members.add(staff)
    values = {i.pk: 1 for i in Indicator.objects.filter(kind=Indicator.Kind.REPORTED)}
    sent = report_submit(actor=staff, unit=unit, day=timezone.localdate(), values=values)
    hq = factories.make_user(role=Role.HQ, region=region, username=f"hq_{key}")
    instruction = instruction_issue(
        actor=hq,
        region=region,
        title=f"{key}消杀",
        body="全面消杀",
        due_on=timezone.localdate() + timedelta(days=1),
        units=[unit],
    )
    return {
        "reporting_unit_id": unit.pk,
        "unit_report_id": sent.report.pk,
        "instruction_id": instruction.pk,
        "receipt_id": instruction.receipts.get().pk,
    }


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


def _checkpoint(region, staff, person) -> dict[str, int]:
    """A checkpoint of the place's village with a shift (the place's staff on it), a passage of
    the place's person, and a notice about them for the place's grid."""
    checkpoint = factories.make_checkpoint(
        region=region.parent, name=f"{region.parent.short_name}卡点"
    )
    now = timezone.now()
    shift = Shift.objects.create(
        checkpoint=checkpoint, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=7)
    )
    ShiftMember.objects.create(shift=shift, user=staff, duty=ShiftMember.Duty.CADRE)
    passage = factories.register_passage(
        checkpoint=checkpoint,
        actor=staff,
        plate="云A12345",
        people=[
            {
                "name": person.name,
                "person": person,
                "document_number": person.id_number,
                "phone": person.phone,
            }
        ],
    ).passage
    notice = Notice.objects.create(
        region=region, passage=passage, text=f"{person.name}从湖北武汉来"
    )
    return {
        "checkpoint_id": checkpoint.pk,
        "shift_id": shift.pk,
        "passage_id": passage.pk,
        "notice_id": notice.pk,
    }


def _place_code(village, staff, person) -> dict[str, int]:
    """A place of the place's village and a scan there of the place's person (personal code
    and phone)."""
    import uuid

    from fangxian.places.services import place_create, scan_record

    place = place_create(
        actor=staff, region=village, name=f"{village.short_name}超市", kind="supermarket"
    )
    scan_record(
        place=place, client_id=uuid.uuid4(), person=person, phone=person.phone, source="page"
    )
    return {"place_id": place.pk}


def quarantine_secrets(key: str) -> list[str]:
    """Names the quarantine objects of a place add: the person of its list placed in bulk."""
    return [f"{key}批量"]


def _quarantine(region, staff, person, *, key: str, sequence: int) -> dict[str, int]:
    """An active order of the place's person with a team member (the place's staff) and an
    appeal; a list placed in bulk naming a second person of the place, pending, with its
    supervision alert; a site with a room. Written directly: the
    services' rules are tested in quarantine/tests."""
    from fangxian.quarantine.models import (
        Appeal,
        OrderBatch,
        QuarantineOrder,
        Room,
        Site,
        SupervisionAlert,
        TeamMember,
        TeamRole,
    )

    now = timezone.now()
    today = timezone.localdate()
    terms = {
        "region": region,
        "kind": factories.quarantine_kind(),
        "reason": factories.order_reason(),
        "basis": "疾控中心密接名单",
        "starts_on": today,
        "planned_end_on": today + timedelta(days=14),
        "placed_by": staff,
        "placed_at": now,
    }
    order = QuarantineOrder.objects.create(
        person=person, source="manual", status="active", activated_at=now, **terms
    )
    team_role = TeamRole.objects.order_by("position", "id").first()
    member = TeamMember.objects.create(
        order=order,
        region=region,
        team_role=team_role,
        user=staff,
        assigned_by=staff,
        assigned_at=now,
    )
    appeal = Appeal.objects.create(
        order=order, region=region, text="不是密接", lodged_at=now, recorded_by=staff
    )
    listed = factories.make_person(
        region=region,
        name=f"{key}批量",
        id_number=factories.valid_id_number(birth=date(1971, 1, 1), sequence=sequence),
    )
    batch = OrderBatch.objects.create(
        region=region,
        source="health_list",
        source_unit="疾控中心",
        basis="密接名单",
        size=1,
        placed_by=staff,
        placed_at=now,
    )
    QuarantineOrder.objects.create(
        person=listed,
        source="health_list",
        source_unit="疾控中心",
        batch=batch,
        needs_approval=True,
        **terms,
    )
    alert = SupervisionAlert.objects.create(
        region=region, batch=batch, message="1人批量隔离", raised_at=now
    )
    site = Site.objects.create(region=region, name=f"{region.parent.short_name}隔离点")
    Room.objects.create(site=site, number="101")
    return {
        "order_id": order.pk,
        "team_member_id": member.pk,
        "team_role_id": team_role.pk,
        "batch_id": batch.pk,
        "supervision_alert_id": alert.pk,
        "appeal_id": appeal.pk,
        "site_id": site.pk,
    }


def _team_work(region, staff, *, order_id: int) -> dict[str, int]:
    """The team's work on the place's order: a check at 38.5 °C by the place's staff with its
    fever alert, and an open errand. Written directly (quarantine/tests test the services)."""
    from fangxian.quarantine.models import CheckSlot, Errand, ErrandItem, FeverAlert, HealthCheck

    now = timezone.now()
    check = HealthCheck.objects.create(
        order_id=order_id,
        region=region,
        due_on=timezone.localdate(),
        slot=CheckSlot.objects.order_by("time").first(),
        measured_at=now,
        temperature="38.5",
        recorded_by=staff,
    )
    alert = FeverAlert.objects.create(
        order_id=order_id, region=region, check_record=check, reason="38.5 °C", raised_at=now
    )
    errand = Errand.objects.create(
        order_id=order_id, region=region, requested_at=now, recorded_by=staff
    )
    ErrandItem.objects.create(errand=errand, name="大米", quantity=10, unit="斤")
    return {"alert_id": alert.pk, "errand_id": errand.pk}


def _tracing(place: Place, tracer) -> tuple[int, int]:
    """An exposure search by the tracer persona whose one contact is the place's person (in the
    place's region, so only wafang's is within the persona's scope). Written directly."""
    from fangxian.tracing.models import Contact, Search

    person = Person.objects.select_related("region").get(pk=place.person_id)
    now = timezone.now()
    search = Search.objects.create(
        region=person.region,
        created_by=tracer,
        created_at=now,
        purpose="确诊病例密接排查",
        phone="13600000000",
        since=now - timedelta(days=14),
        until=now,
        window_minutes=120,
        ring1_count=1,
    )
    contact = Contact.objects.create(
        search=search,
        ring=1,
        person=person,
        via=Contact.Via.PLACE,
        where="超市",
        overlap_from=now,
        overlap_until=now,
    )
    return search.pk, contact.pk


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
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the enterprises' plan documents
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
    # Every persona is a member of wafang's reporting unit: those without submit_reports still
    # get 404 there, by capability.
    ReportingUnit.objects.get(pk=places["wafang"].reporting_unit_id).members.add(*personas.values())
    personas["hq_town"] = factories.make_user(
        role=Role.HQ, region=town["town"], username="persona_hq_town", full_name="镇指挥部"
    )
    # The enterprise contact holds no region role: only wafang's enterprise, by membership.
    personas[EnterpriseRole.ENTERPRISE_CONTACT] = factories.make_enterprise_contact(
        enterprise=Enterprise.objects.get(pk=places["wafang"].enterprise_id),
        username="persona_enterprise_contact",
        full_name="企业联络员",
    )
    for place in places.values():
        place.search_id, place.contact_id = _tracing(place, personas[Role.TRACER])
    return {"places": places, "personas": personas}


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
