"""Reads behind the HQ and village pages that `selectors.py` does not already give: the free
rooms of every site in reach, who may fill each place of an order's team, the summaries of an
order's alerts and errands, the look-up of a pasted list for a bulk placement, and the board's
region. Always through the region scope; a fixed number of queries each."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import ROLE_CAPABILITIES, Capability
from fangxian.core.masking import mask_id_number
from fangxian.people import idnumber
from fangxian.people.models import Person
from fangxian.quarantine.models import (
    Errand,
    FeverAlert,
    QuarantineOrder,
    Room,
    TeamRole,
)
from fangxian.quarantine.selectors import OPEN, VIEW
from fangxian.regions.models import Region
from fangxian.regions.scope import scope_roots, scoped

MANAGE = Capability.MANAGE_QUARANTINE
MAX_BULK = 2000  # lines in one pasted list: a township's list, not a county's


def board_region(*, user: Any, code: str = "") -> Region | None:
    """The unit a board or list is about: the one asked for (in scope, else None: the caller
    answers 404), or the outermost unit of the user's quarantine scope (their township, or
    village)."""
    if code:
        return scoped(Region.objects.select_related("parent"), user, VIEW).filter(code=code).first()
    return scope_roots(user, VIEW).select_related("parent").order_by("path").first()


def villages_in_scope(*, user: Any, capability: str = VIEW) -> QuerySet[Region]:
    """Villages (and communities) the user sees, for filters."""
    return scoped(Region.objects.filter(level=Region.Level.VILLAGE), user, capability).order_by(
        "path"
    )


def rooms_free(*, user: Any) -> QuerySet[Room]:
    """Rooms with a free bed at the open sites where the user manages quarantine, each with its
    `occupants`: one query, for the room picker of an order."""
    rooms = scoped(Room.objects.filter(site__is_open=True), user, MANAGE)
    return (
        rooms.select_related("site")
        .annotate(occupants=Count("orders", filter=Q(orders__status__in=OPEN)))
        .filter(occupants__lt=F("beds"))
        .order_by("site__name", "number")
    )


def site_rooms(*, user: Any, site) -> QuerySet[Room]:
    """Every room of a site with its `occupants` (people under an open order)."""
    rooms = scoped(Room.objects.filter(site=site), user, VIEW)
    return rooms.annotate(occupants=Count("orders", filter=Q(orders__status__in=OPEN))).order_by(
        "number"
    )


def _team_roles_granting_checks() -> list[str]:
    return [
        role
        for role, capabilities in ROLE_CAPABILITIES.items()
        if Capability.RECORD_HEALTH_CHECKS in capabilities
    ]


def team_candidates(*, order: QuarantineOrder) -> dict[int, list[User]]:
    """For each team role, the active users who may fill it on this order: they hold a role
    that records checks over the order's region (an assignment at the region or above it) and,
    when the team role names an account role, that one. Two queries (team roles, assignments)."""
    paths = [
        order.region.path[:length]
        for length in Region.PATH_LENGTH.values()
        if length <= len(order.region.path)
    ]
    assignments = (
        RoleAssignment.objects.filter(
            region__path__in=paths, role__in=_team_roles_granting_checks(), user__is_active=True
        )
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    by_role: dict[str, dict[int, User]] = defaultdict(dict)
    everyone: dict[int, User] = {}
    for assignment in assignments:
        by_role[assignment.role][assignment.user_id] = assignment.user
        everyone[assignment.user_id] = assignment.user
    return {
        team_role.pk: list(
            (by_role[team_role.account_role] if team_role.account_role else everyone).values()
        )
        for team_role in TeamRole.objects.all()
    }


@dataclass
class CareSummary:
    """An order's fever alerts and errands, for its page."""

    alerts: list[FeverAlert]
    errands: list[Errand]
    open_alerts: int = 0
    open_errands: int = 0


def order_care_summary(*, user: Any, order: QuarantineOrder) -> CareSummary:
    """The order's fever alerts and errands, newest first (two queries, items prefetched)."""
    alerts = list(
        scoped(FeverAlert.objects.filter(order=order), user, VIEW).order_by("-raised_at", "-id")
    )
    errands = list(
        scoped(Errand.objects.filter(order=order), user, VIEW)
        .select_related("assigned_to")
        .prefetch_related("items")
        .order_by("-requested_at", "-id")
    )
    return CareSummary(
        alerts=alerts,
        errands=errands,
        open_alerts=sum(alert.status in FeverAlert.UNRESOLVED for alert in alerts),
        open_errands=sum(errand.status in Errand.OPEN for errand in errands),
    )


# --- bulk placement (批量隔离): the preview of a pasted list ---------------------------------


@dataclass
class BulkPreview:
    """What a pasted list resolves to: people who can be placed, people already under an open
    order, and lines that name nobody in the user's reach (masked, as typed)."""

    found: list[Person] = field(default_factory=list)
    already: list[Person] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    repeated: int = 0
    too_long: bool = False

    @property
    def ids(self) -> list[int]:
        return [person.pk for person in self.found]


def _number_of(line: str) -> str:
    try:
        return idnumber.parse(line).number
    except idnumber.IdNumberError:
        return idnumber.normalize(line)


def bulk_preview(*, user: Any, lines: list[str], person_ids: list[int] = ()) -> BulkPreview:
    """Resolve ID numbers (one a line) and people picked by id to records the user may place
    under quarantine (`manage_quarantine`), split by whether they already hold an open order.
    One query for the whole list."""
    preview = BulkPreview()
    numbers = list(dict.fromkeys(n for n in (_number_of(line) for line in lines) if n))
    preview.repeated = len([line for line in lines if line.strip()]) - len(numbers)
    if len(numbers) + len(person_ids) > MAX_BULK:
        preview.too_long = True
        return preview
    if not numbers and not person_ids:
        return preview
    open_order = QuarantineOrder.objects.filter(person=OuterRef("pk"), status__in=OPEN)
    people = (
        scoped(Person.objects.filter(merged_into__isnull=True), user, MANAGE)
        .filter(Q(id_number__in=numbers) | Q(pk__in=list(person_ids)))
        .select_related("region__parent__parent")
        .annotate(has_open_order=Exists(open_order))
        .order_by("region__path", "name", "id")
    )
    seen_numbers = set()
    for person in people:
        seen_numbers.add(person.id_number)
        (preview.already if person.has_open_order else preview.found).append(person)
    preview.not_found = [mask_id_number(n) for n in numbers if n not in seen_numbers]
    return preview


def bulk_people(*, user: Any, person_ids: list[int]) -> list[Person]:
    """The people of a confirmed preview, read again through the scope (one query)."""
    people = scoped(Person.objects.filter(merged_into__isnull=True), user, MANAGE)
    return list(people.filter(pk__in=person_ids))
