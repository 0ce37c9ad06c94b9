"""Reads for checkpoints, always through the region scope."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import ROLE_CAPABILITIES, Capability
from fangxian.checkpoints.models import (
    Checkpoint,
    Notice,
    Passage,
    PassageCount,
    PassagePerson,
    Shift,
    ShiftMember,
)
from fangxian.people import idnumber
from fangxian.people.selectors import person_list
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, scoped, scoped_by_overlap

MANAGE = Capability.MANAGE_CHECKPOINTS
REGISTER = Capability.REGISTER_PASSAGES
EDIT_PEOPLE = Capability.EDIT_PEOPLE


def checkpoint_list(*, user: Any, capability: str = MANAGE) -> QuerySet[Checkpoint]:
    return scoped(Checkpoint.objects.select_related("region"), user, capability).order_by(
        "region__path", "name"
    )


def checkpoint_get(*, user: Any, checkpoint_id: int, capability: str = MANAGE) -> Checkpoint:
    return get_scoped_or_404(
        Checkpoint.objects.select_related("region"), user, capability, pk=checkpoint_id
    )


def destination_villages(*, checkpoint: Checkpoint) -> QuerySet[Region]:
    """The villages of the checkpoint's township: where a hand-over can go."""
    return Region.objects.filter(
        level=Region.Level.VILLAGE, path__startswith=checkpoint.region.path[:9]
    ).order_by("path")


def person_by_document(*, user: Any, number: str) -> Any | None:
    """The ledger's person with this ID number, if within the user's scope (masked on display)."""
    normalized = idnumber.normalize(number).upper()
    if len(normalized) < 15:
        return None
    return person_list(user=user).filter(id_number=normalized).first()


# --- the rota -------------------------------------------------------------------------------


def my_shifts(*, user: Any, now: datetime, limit: int = 3) -> list[ShiftMember]:
    """The user's current and next shifts (ending after `now`), soonest first."""
    return list(
        ShiftMember.objects.filter(user=user, shift__ends_at__gt=now)
        .select_related("shift__checkpoint__region")
        .order_by("shift__starts_at")[:limit]
    )


def rota_week(*, checkpoint: Checkpoint, week_start: datetime) -> list[Shift]:
    """The checkpoint's shifts overlapping the week, with their members (two queries)."""
    week_end = week_start + timedelta(days=7)
    return list(
        Shift.objects.filter(checkpoint=checkpoint, starts_at__lt=week_end, ends_at__gt=week_start)
        .prefetch_related("members__user")
        .order_by("starts_at")
    )


def shift_get(*, user: Any, shift_id: int) -> Shift:
    return get_scoped_or_404(
        Shift.objects.select_related("checkpoint__region"), user, MANAGE, pk=shift_id
    )


def rota_candidates(*, user: Any, checkpoint: Checkpoint) -> QuerySet[User]:
    """Accounts that may work a shift here: a role able to register passages at the checkpoint's
    region, assigned within the manager's scope."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if REGISTER in caps]
    path = checkpoint.region.path
    ancestors = [path[:length] for length in Region.PATH_LENGTH.values() if length <= len(path)]
    assignments = scoped(RoleAssignment.objects.all(), user, MANAGE).filter(
        role__in=roles, region__path__in=ancestors
    )
    return User.objects.filter(is_active=True, pk__in=assignments.values("user_id")).order_by(
        "full_name", "username"
    )


# --- passages -------------------------------------------------------------------------------


def latest_only(passages: QuerySet[Passage]) -> QuerySet[Passage]:
    """Leave out passages that a later one corrects: lists and figures read the latest version."""
    return passages.filter(~Exists(Passage.objects.filter(corrects_id=OuterRef("pk"))))


# Each figure is a named filter on the latest passages; the list behind it uses the same one.
FIGURES: dict[str, Q] = {
    "people": Q(),
    "vehicles": ~Q(plate=""),
    "turned_back": Q(decision=Passage.Decision.TURNED_BACK),
    "handed_over": Q(decision=Passage.Decision.HANDED_OVER),
    "fevers": Q(fever_count__gt=0),
}


def passage_list(
    *,
    user: Any,
    checkpoint: Checkpoint | None = None,
    day: date | None = None,
    until: date | None = None,
    figure: str = "",
    plate: str = "",
) -> QuerySet[Passage]:
    """Latest passages the user may see (register_passages at the checkpoint's region)."""
    passages = latest_only(
        scoped(
            Passage.objects.select_related("checkpoint", "destination_region", "recorded_by"),
            user,
            REGISTER,
        )
    )
    if checkpoint is not None:
        passages = passages.filter(checkpoint=checkpoint)
    if day is not None:
        passages = passages.filter(day=day)
    if until is not None:
        passages = passages.filter(day__lte=until)
    if figure in FIGURES:
        passages = passages.filter(FIGURES[figure])
    if plate:
        passages = passages.filter(plate=plate)
    return passages


def passage_get(*, user: Any, passage_id: int) -> Passage:
    return get_scoped_or_404(
        Passage.objects.select_related("checkpoint__region", "destination_region"),
        user,
        REGISTER,
        pk=passage_id,
    )


def passage_people(*, passages: list[Passage]) -> dict[int, list[PassagePerson]]:
    """The people of a page of passages, by passage id: one query."""
    found: dict[int, list[PassagePerson]] = {p.pk: [] for p in passages}
    for row in PassagePerson.objects.filter(passage__in=passages).order_by("id"):
        found[row.passage_id].append(row)
    return found


def passage_is_latest(*, passage: Passage) -> bool:
    return not Passage.objects.filter(corrects=passage).exists()


# --- notices --------------------------------------------------------------------------------


def notice_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notice]:
    """Notices for the places where the user edits people. A notice goes to a village, and its
    grid workers hold their roles over grids in it: the notice's region only has to share
    ground with their scope (inside it, or containing part of it)."""
    notices = scoped_by_overlap(
        Notice.objects.select_related("region", "passage__checkpoint"),
        user,
        EDIT_PEOPLE,
        field="region",
    )
    return notices.filter(read_at__isnull=True) if unread_only else notices


def notice_get(*, user: Any, notice_id: int) -> Notice:
    notice = notice_list(user=user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    return notice


# --- figures (item 6) -----------------------------------------------------------------------

FIGURE_NAMES = ("people", "vehicles", "turned_back", "handed_over", "fevers")


@dataclass
class FigureRow:
    """Figures of one checkpoint, or the sum over a village or township's checkpoints."""

    label: str
    checkpoint: Checkpoint | None = None
    day: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURE_NAMES, 0))
    total: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURE_NAMES, 0))
    counted_day: dict[str, int] = field(default_factory=lambda: {"people": 0, "vehicles": 0})
    counted_total: dict[str, int] = field(default_factory=lambda: {"people": 0, "vehicles": 0})

    @property
    def day_cells(self) -> list[tuple[str, int]]:
        return [(name, self.day[name]) for name in FIGURE_NAMES]

    @property
    def total_cells(self) -> list[tuple[str, int]]:
        return [(name, self.total[name]) for name in FIGURE_NAMES]

    def add(self, other: "FigureRow") -> None:
        for target, source in (
            (self.day, other.day),
            (self.total, other.total),
            (self.counted_day, other.counted_day),
            (self.counted_total, other.counted_total),
        ):
            for name, value in source.items():
                target[name] += value


def _sums(prefix: str, on_day: Q) -> dict[str, Any]:
    zero = 0
    return {
        f"{prefix}people": Coalesce(Sum("people_count", filter=on_day), zero),
        f"{prefix}vehicles": Count("id", filter=on_day & FIGURES["vehicles"]),
        f"{prefix}turned_back": Count("id", filter=on_day & FIGURES["turned_back"]),
        f"{prefix}handed_over": Coalesce(
            Sum("people_count", filter=on_day & FIGURES["handed_over"]), zero
        ),
        f"{prefix}fevers": Coalesce(Sum("fever_count", filter=on_day), zero),
    }


def checkpoint_figures(*, user: Any, day: date) -> tuple[list[FigureRow], list[FigureRow]]:
    """Per checkpoint the figures of `day` and cumulative up to it, registered passages and
    counted-only ones apart; then the sums per village or township, and their total when there
    are several. Three queries whatever the
    number of checkpoints or passages: the checkpoints, one GROUP BY over the latest passages,
    one over the day counters.

    people: people registered; vehicles: passages with a plate; turned_back: passages turned
    back (vehicles and parties on foot); handed_over: people handed over; fevers: people with
    37.3 °C or more. Counted-only passages add people and vehicles (never the others: a passage
    is counted only when nothing about it was exceptional)."""
    checkpoints = list(checkpoint_list(user=user))
    rows = {c.pk: FigureRow(label=c.name, checkpoint=c) for c in checkpoints}
    registered = (
        latest_only(scoped(Passage.objects.all(), user, MANAGE))
        .filter(day__lte=day)
        .values("checkpoint_id")
        .annotate(**_sums("day_", Q(day=day)), **_sums("total_", Q()))
        .order_by()
    )
    for found in registered:
        row = rows.get(found["checkpoint_id"])
        if row is None:
            continue
        for name in FIGURE_NAMES:
            row.day[name] = found[f"day_{name}"]
            row.total[name] = found[f"total_{name}"]
    counted = (
        scoped(PassageCount.objects.all(), user, MANAGE)
        .filter(day__lte=day)
        .values("checkpoint_id")
        .annotate(
            day_people=Coalesce(Sum("people", filter=Q(day=day)), 0),
            day_vehicles=Coalesce(Sum("passages", filter=Q(day=day, kind="vehicle")), 0),
            total_people=Coalesce(Sum("people"), 0),
            total_vehicles=Coalesce(Sum("passages", filter=Q(kind="vehicle")), 0),
        )
        .order_by()
    )
    for found in counted:
        row = rows.get(found["checkpoint_id"])
        if row is None:
            continue
        row.counted_day = {"people": found["day_people"], "vehicles": found["day_vehicles"]}
        row.counted_total = {
            "people": found["total_people"],
            "vehicles": found["total_vehicles"],
        }
    by_region: dict[int, FigureRow] = {}
    total = FigureRow(label=str(_("Total")))
    for checkpoint in checkpoints:
        region_row = by_region.setdefault(
            checkpoint.region_id, FigureRow(label=checkpoint.region.short_name)
        )
        region_row.add(rows[checkpoint.pk])
        total.add(rows[checkpoint.pk])
    summary = list(by_region.values())
    return list(rows.values()), [*summary, total] if len(summary) > 1 else summary
