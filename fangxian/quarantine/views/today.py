"""A team member's day (四包一): the people they answer for, those still to check first, the
overdue ones marked, and the open alerts and errands of their people. Shown at the top of the
home page (a home section, registered in QuarantineConfig.ready) and full size at /today/."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fangxian.accounts.decorators import capability_required
from fangxian.accounts.roles import Capability
from fangxian.quarantine.checks import nearest_slot
from fangxian.quarantine.models import CheckSlot, Errand, FeverAlert, QuarantineOrder
from fangxian.quarantine.selectors import (
    alert_list,
    check_slots,
    due_slot,
    errand_list,
    overdue_q,
    team_orders,
    team_round,
)

RECORD = Capability.RECORD_HEALTH_CHECKS


@dataclass
class TeamDay:
    """What `team_day` gathers: the check time now, the people (each with `checked`,
    `overdue`, `open_alerts`), their unresolved alerts and open errands."""

    slot: CheckSlot | None
    orders: list[QuarantineOrder]
    alerts: list[FeverAlert]
    errands: list[Errand]

    @property
    def to_check(self) -> int:
        return sum(1 for order in self.orders if not order.checked)

    @property
    def overdue(self) -> int:
        return sum(1 for order in self.orders if order.overdue)


def team_day(*, user: Any, now: datetime | None = None) -> TeamDay:
    """The member's day at `now`, through the scoped selectors: a fixed number of queries
    (check times, the round, the overdue ids, alerts, errands and their items) whatever the
    number of people."""
    now = now or timezone.now()
    slots = check_slots()
    orders = list(team_round(user=user, now=now))
    due = due_slot(now=now)
    late = set()
    if orders and due is not None:
        late = set(
            team_orders(user=user).filter(overdue_q(due)).values_list("pk", flat=True).order_by()
        )
    for order in orders:
        order.overdue = order.pk in late
    # Still to check first, the overdue ones at the very top; then by name (kept stable).
    orders.sort(key=lambda order: (order.checked, not order.overdue))
    mine = team_orders(user=user).values("pk")
    alerts = list(alert_list(user=user).filter(order__in=mine).select_related("check_record__slot"))
    errands = []
    if user.has_capability(Capability.HANDLE_ERRANDS):
        errands = list(errand_list(user=user).filter(order__in=mine))
    return TeamDay(
        slot=nearest_slot(slots, now) if slots else None,
        orders=orders,
        alerts=alerts,
        errands=errands,
    )


def today_home_section(request: HttpRequest) -> tuple[str, dict[str, Any]] | None:
    """The home page's section for a team member with people to look after (else nothing)."""
    user = request.user
    if not user.is_authenticated or not user.has_capability(RECORD):
        return None
    day = team_day(user=user)
    if not (day.orders or day.alerts or day.errands):
        return None
    return "quarantine/team_home_section.html", {"day": day, "full": False}


@capability_required(RECORD)
def today_view(request: HttpRequest) -> HttpResponse:
    day = team_day(user=request.user)
    return render(request, "quarantine/team_home.html", {"section": {"day": day, "full": True}})
