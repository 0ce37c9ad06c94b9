"""Reads for daily reports and instructions, always through the region scope.

HQ pages need `manage_reports` over the region; a unit's form and tasks need `submit_reports`
over the unit's region and membership of the unit (HQ with `manage_reports` there may fill in
for a unit). Figures live in `figures.py`, completeness in `completeness.py`.
"""

from datetime import date, datetime, time
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from fangxian.accounts.roles import Capability
from fangxian.regions.models import Region
from fangxian.regions.scope import get_scoped_or_404, region_in_scope, scope_roots, scoped
from fangxian.reports.models import (
    DailyReport,
    Indicator,
    Instruction,
    InstructionReceipt,
    ReportDeadline,
    ReportingUnit,
    ReportValue,
    ReportWording,
)

MANAGE = Capability.MANAGE_REPORTS
SUBMIT = Capability.SUBMIT_REPORTS


class Operator:
    """The person at the server's console (`fangxian report daily`): sees every region, as a
    scheduled job that sends the township's report upward must."""

    is_authenticated = True
    pk = None

    def region_paths_for(self, capability: str) -> None:
        return None

    def has_capability(self, capability: str) -> bool:
        return True


def report_region(*, user: Any, code: str = "", capability: str = MANAGE) -> Region:
    """The region a HQ page is about: the one asked for (404 outside the scope), or the
    outermost unit of the user's scope."""
    if code:
        return get_scoped_or_404(
            Region.objects.select_related("parent"), user, capability, code=code
        )
    region = scope_roots(user, capability).order_by("path").first()
    if region is None:
        raise Http404
    return region


def region_choices(*, user: Any, capability: str = MANAGE) -> QuerySet[Region]:
    """Townships and villages where the user manages reports, in tree order."""
    regions = Region.objects.filter(level__gte=Region.Level.COUNTY, level__lte=Region.Level.VILLAGE)
    return scoped(regions, user, capability).order_by("path")


# --- indicators and settings -------------------------------------------------------------------


def active_indicators() -> list[Indicator]:
    return list(Indicator.objects.filter(is_active=True))


def indicators_for(unit: ReportingUnit, indicators: list[Indicator]) -> list[Indicator]:
    return [i for i in indicators if unit.kind in i.unit_kinds]


def deadline_time(region: Region) -> time:
    """The deadline that applies under `region`: the setting of its nearest unit that has one
    (the township's, or a village's own), else 16:00. One query."""
    prefixes = [region.path[:n] for n in Region.PATH_LENGTH.values() if n <= len(region.path)]
    found = (
        ReportDeadline.objects.filter(region__path__in=prefixes)
        .order_by("-region__level")
        .values_list("deadline", flat=True)
        .first()
    )
    return found or ReportDeadline.DEFAULT


def deadline_times(regions: list[Region]) -> dict[int, time]:
    """{region id: deadline} for several regions at once (one query)."""
    prefixes = {
        r.path[:n] for r in regions for n in Region.PATH_LENGTH.values() if n <= len(r.path)
    }
    settings = dict(
        ReportDeadline.objects.filter(region__path__in=prefixes).values_list(
            "region__path", "deadline"
        )
    )
    found = {}
    for region in regions:
        own = [p for p in settings if region.path.startswith(p)]
        found[region.pk] = settings[max(own, key=len)] if own else ReportDeadline.DEFAULT
    return found


def deadline_at(region: Region, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, deadline_time(region)))


def wording_for(region: Region) -> ReportWording:
    """The wording of the region's 日报: its own row, an ancestor's, else the default."""
    prefixes = [region.path[:n] for n in Region.PATH_LENGTH.values() if n <= len(region.path)]
    own = ReportWording.objects.filter(region__path__in=prefixes).order_by("-region__level").first()
    return own or ReportWording.objects.filter(region__isnull=True).first() or ReportWording()


# --- units ----------------------------------------------------------------------------------------


def unit_list(*, user: Any, region: Region | None = None) -> QuerySet[ReportingUnit]:
    """Units HQ sees (under `region` if given)."""
    units = scoped(ReportingUnit.objects.select_related("region"), user, MANAGE)
    if region is not None:
        units = units.filter(region__path__startswith=region.path)
    return units.order_by("region__path", "kind", "name")


def unit_for_hq(*, user: Any, unit_id: int) -> ReportingUnit:
    return get_scoped_or_404(
        ReportingUnit.objects.select_related("region"), user, MANAGE, pk=unit_id
    )


def possible_members(*, user: Any) -> QuerySet:
    """People who hold a role in the regions where the user manages reports (for members)."""
    from fangxian.accounts.models import RoleAssignment, User

    assignments = scoped(RoleAssignment.objects.all(), user, MANAGE)
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True).order_by(
        "full_name", "username"
    )


def my_units(*, user: Any) -> QuerySet[ReportingUnit]:
    """The active units the user is a member of, within their submit scope."""
    units = scoped(ReportingUnit.objects.select_related("region"), user, SUBMIT)
    return units.filter(members=user, is_active=True).order_by("region__path", "name")


def unit_may_submit(*, user: Any, unit: ReportingUnit) -> bool:
    """A member of the unit, or HQ over its region, may send its report."""
    if region_in_scope(unit.region, user, MANAGE):
        return True
    return region_in_scope(unit.region, user, SUBMIT) and (unit.members.filter(pk=user.pk).exists())


def unit_for_submitter(*, user: Any, unit_id: int) -> ReportingUnit:
    """The unit whose form `user` fills; 404 outside the scope or for a non-member."""
    unit = get_scoped_or_404(
        ReportingUnit.objects.select_related("region"), user, SUBMIT, pk=unit_id
    )
    if not unit_may_submit(user=user, unit=unit):
        raise Http404
    return unit


def report_for_viewer(*, user: Any, report_id: int) -> DailyReport:
    report = get_scoped_or_404(
        DailyReport.objects.select_related("unit__region", "submitted_by"),
        user,
        SUBMIT,
        pk=report_id,
    )
    if not unit_may_submit(user=user, unit=report.unit):
        raise Http404
    return report


def report_values(report: DailyReport | None) -> dict[int, Any]:
    """{indicator id: value} of a report (empty without one). One query."""
    if report is None:
        return {}
    return dict(ReportValue.objects.filter(report=report).values_list("indicator_id", "value"))


def units_due(*, user: Any, day: date) -> QuerySet[ReportingUnit]:
    """The user's units whose report of `day` is not in yet (for the home page)."""
    sent = DailyReport.objects.filter(unit=OuterRef("pk"), day=day)
    return my_units(user=user).filter(reports_from__lte=day).exclude(Exists(sent))


# --- instructions ---------------------------------------------------------------------------------


def instruction_list(*, user: Any) -> QuerySet[Instruction]:
    """Instructions HQ issued within its scope, with counts of answers."""
    return (
        scoped(Instruction.objects.select_related("region", "issued_by"), user, MANAGE)
        .annotate(
            units=Count("receipts"),
            acknowledged=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False)),
            done=Count("receipts", filter=Q(receipts__done_at__isnull=False)),
        )
        .order_by("-issued_at", "-id")
    )


def instruction_for_hq(*, user: Any, instruction_id: int) -> Instruction:
    return get_scoped_or_404(
        Instruction.objects.select_related("region", "issued_by"), user, MANAGE, pk=instruction_id
    )


def receipts_of(instruction: Instruction) -> list[InstructionReceipt]:
    """Each unit's answer, those that have not responded first."""
    return list(
        instruction.receipts.select_related("unit__region", "acknowledged_by").order_by(
            "acknowledged_at", "unit__region__path", "unit__name"
        )
    )


def open_receipts(*, user: Any) -> QuerySet[InstructionReceipt]:
    """Open instructions of the user's units, soonest due first."""
    return (
        InstructionReceipt.objects.filter(unit__in=my_units(user=user), done_at__isnull=True)
        .select_related("instruction", "unit")
        .order_by("instruction__due_on", "instruction__issued_at", "id")
    )


def receipt_for_unit(*, user: Any, receipt_id: int) -> InstructionReceipt:
    receipt = get_scoped_or_404(
        InstructionReceipt.objects.select_related("instruction__issued_by", "unit__region"),
        user,
        SUBMIT,
        pk=receipt_id,
    )
    if not unit_may_submit(user=user, unit=receipt.unit):
        raise Http404
    return receipt


def tasks_due(*, region: Region, day: date) -> list[Instruction]:
    """Instructions issued under or above `region` that fall due on `day` (the next-day tasks
    of the 日报)."""
    prefixes = [region.path[:n] for n in Region.PATH_LENGTH.values() if n <= len(region.path)]
    under_or_above = Q(region__path__startswith=region.path) | Q(region__path__in=prefixes)
    return list(Instruction.objects.filter(under_or_above, due_on=day).order_by("issued_at", "id"))
