"""Reads of enterprises and what hangs from them, always through the enterprise scope
(scope.py): the region scope of staff, or the enterprise contact's own enterprise."""

from datetime import date
from typing import Any

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from fangxian.accounts.models import RoleAssignment, User
from fangxian.accounts.roles import Capability, Role
from fangxian.enterprises.models import (
    DailyReport,
    Enterprise,
    EnterpriseMembership,
    ResumptionApplication,
    Worker,
    WorkerPlacement,
)
from fangxian.enterprises.scope import (
    enterprise_scoped,
    get_enterprise_scoped_or_404,
    member_enterprise_ids,
)
from fangxian.regions.models import Region
from fangxian.regions.scope import region_in_scope, scoped
from fangxian.screening.models import Trip

VIEW = Capability.VIEW_ENTERPRISES
# The trip categories that flag a worker (湖北返乡, 经停湖北 …).
FLAGGED_CATEGORIES = (Trip.Category.KEY_AREA, Trip.Category.VIA_KEY_AREA)


def enterprise_list(
    *,
    user: Any,
    capability: str = VIEW,
    q: str = "",
    region: Region | None = None,
    industry: str = "",
    missing_on: date | None = None,
    status: str = "",
) -> QuerySet[Enterprise]:
    """Enterprises in scope, filtered by name or code, unit, industry, application status, or
    "no report on this day"."""
    rows = enterprise_scoped(
        Enterprise.objects.select_related("region", "supervisor"), user, capability
    )
    if q.strip():
        text = q.strip()
        rows = rows.filter(Q(name__contains=text) | Q(uscc=text.upper()))
    if region is not None:
        rows = rows.filter(region__path__startswith=region.path)
    if industry:
        rows = rows.filter(industry=industry)
    if status:
        rows = rows.filter(application__status=status)
    if missing_on is not None:
        rows = rows.exclude(
            Exists(DailyReport.objects.filter(enterprise=OuterRef("pk"), day=missing_on))
        )
    return rows


def enterprise_get(*, user: Any, enterprise_id: int, capability: str = VIEW) -> Enterprise:
    return get_enterprise_scoped_or_404(
        Enterprise.objects.select_related("region__parent", "supervisor"),
        user,
        capability,
        pk=enterprise_id,
    )


def enterprise_accounts(*, enterprise: Enterprise) -> QuerySet[EnterpriseMembership]:
    return enterprise.memberships.select_related("user").order_by("id")


def enterprise_villages(*, user: Any, capability: str) -> QuerySet[Region]:
    """Villages and communities where the user may register enterprises (a form's choices)."""
    return scoped(Region.objects.filter(level=Region.Level.VILLAGE), user, capability).order_by(
        "path"
    )


def supervisor_candidates(*, user: Any) -> QuerySet[User]:
    """On-site supervisors (驻厂监督员) holding their role inside the user's scope."""
    assignments = scoped(
        RoleAssignment.objects.filter(role=Role.FACTORY_SUPERVISOR),
        user,
        Capability.MANAGE_ENTERPRISES,
    )
    return User.objects.filter(
        Exists(assignments.filter(user_id=OuterRef("pk"))), is_active=True
    ).order_by("full_name", "username")


def _category_rank() -> Case:
    order = [c for c, _label in Trip.Category.choices]
    return Case(
        *(When(category=c, then=Value(i)) for i, c in enumerate(order)),
        default=Value(len(order)),
        output_field=IntegerField(),
    )


def worker_list(*, user: Any, enterprise: Enterprise, flagged: bool = False) -> QuerySet[Worker]:
    """The roster, with each person's category (their most pressing trip's): one query."""
    pressing = (
        Trip.objects.filter(person_id=OuterRef("person_id"))
        .annotate(rank=_category_rank())
        .order_by("rank", "-id")
    )
    rows = enterprise_scoped(
        Worker.objects.filter(enterprise=enterprise).select_related("person", "trip"),
        user,
        VIEW,
        prefix="enterprise__",
    ).annotate(
        person_category=Subquery(pressing.values("category")[:1]),
        person_reason=Subquery(pressing.values("category_reason")[:1]),
    )
    if flagged:
        rows = rows.filter(flagged_q())
    return rows


def flagged_q() -> Q:
    """Workers from or through a key area (by any trip of theirs: the person's category), or
    who met people from one."""
    return (
        Q(person_category__in=FLAGGED_CATEGORIES)
        | Q(passed_key_area=True)
        | Q(met_key_area_people=True)
    )


def worker_get(*, user: Any, worker_id: int, capability: str = VIEW) -> Worker:
    return get_enterprise_scoped_or_404(
        Worker.objects.select_related("person", "trip", "enterprise__region"),
        user,
        capability,
        prefix="enterprise__",
        pk=worker_id,
    )


def worker_placements(*, worker: Worker) -> QuerySet[WorkerPlacement]:
    return worker.placements.select_related("requested_by").order_by("-id")


def application_of(*, enterprise: Enterprise) -> ResumptionApplication | None:
    return ResumptionApplication.objects.filter(enterprise=enterprise).first()


def application_events(*, application: ResumptionApplication) -> QuerySet:
    return application.events.select_related("actor")


def application_list(
    *, user: Any, status: str = "", region: Region | None = None, industry: str = ""
) -> QuerySet[ResumptionApplication]:
    rows = enterprise_scoped(
        ResumptionApplication.objects.select_related("enterprise__region"),
        user,
        VIEW,
        prefix="enterprise__",
    )
    if status:
        rows = rows.filter(status=status)
    if region is not None:
        rows = rows.filter(enterprise__region__path__startswith=region.path)
    if industry:
        rows = rows.filter(enterprise__industry=industry)
    return rows


def report_list(
    *,
    user: Any,
    day: date | None = None,
    region: Region | None = None,
    industry: str = "",
    late: bool = False,
    abnormal: bool = False,
    enterprise: Enterprise | None = None,
) -> QuerySet[DailyReport]:
    rows = enterprise_scoped(
        DailyReport.objects.select_related("enterprise__region", "submitted_by", "reviewed_by"),
        user,
        VIEW,
        prefix="enterprise__",
    )
    if enterprise is not None:
        rows = rows.filter(enterprise=enterprise)
    if day is not None:
        rows = rows.filter(day=day)
    if region is not None:
        rows = rows.filter(enterprise__region__path__startswith=region.path)
    if industry:
        rows = rows.filter(enterprise__industry=industry)
    if late:
        rows = rows.filter(late=True)
    if abnormal:
        rows = rows.filter(abnormal_temperatures__gt=0)
    return rows


def report_get(*, user: Any, report_id: int, capability: str = VIEW) -> DailyReport:
    return get_enterprise_scoped_or_404(
        DailyReport.objects.select_related("enterprise__region", "submitted_by", "reviewed_by"),
        user,
        capability,
        prefix="enterprise__",
        pk=report_id,
    )


def report_of(*, enterprise: Enterprise, day: date) -> DailyReport | None:
    return DailyReport.objects.filter(enterprise=enterprise, day=day).first()


def region_in_enterprise_scope(*, user: Any, code: str) -> Region:
    """A region filter of a list: a unit where the user sees enterprises by region, or, for an
    enterprise's contact, one sharing ground with their enterprise's village (else 404)."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404
    if region_in_scope(region, user, VIEW):
        return region
    members = member_enterprise_ids(user, VIEW)
    villages = Enterprise.objects.filter(pk__in=members).values_list("region__path", flat=True)
    if any(region.path.startswith(path) or path.startswith(region.path) for path in villages):
        return region
    raise Http404
