"""What each URL of the project needs (PAGES), the ones the matrix skips and how path
parameters are filled from a place of the world (PARAMETERS)."""

from dataclasses import dataclass

from fangxian.accounts.roles import (
    Capability,
)

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
