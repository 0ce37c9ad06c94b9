"""A whole 14-day home quarantine on a controlled clock (issue 4, "How we know it works"):
checks twice a day, one missed check that shows as overdue, a fever that raises and closes an
alert, an errand delivered, a release refused without the doctor and accepted with her."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from fangxian.quarantine import selectors
from fangxian.quarantine.board import board
from fangxian.quarantine.checks import CheckEntry, alert_advance, health_checks_record
from fangxian.quarantine.errands import errand_advance, errand_request
from fangxian.quarantine.models import FeverAlert, HealthCheck, OrderEvent, TeamRole
from fangxian.quarantine.orders import order_release
from fangxian.quarantine.teams import team_member_assign
from fangxian.quarantine.tests.conftest import at
from tests import factories

MISSED = (date(2020, 2, 7), "下午")  # the afternoon round of day 5 never happens
FEVER = (date(2020, 2, 9), "上午")


def test_a_fourteen_day_home_quarantine(
    hq_user, village_cadre, doctor, police, volunteer, town, wafang_person
):
    # Day 1, 07:30: HQ places 张三 under home quarantine and names his four.
    order = factories.make_order(person=wafang_person, actor=hq_user, now=at(3, 7, 30))
    assert order.planned_end_on == date(2020, 2, 17)
    for name, user in (
        ("镇干部", hq_user),
        ("村干部", village_cadre),
        ("医生", doctor),
        ("民警", police),
    ):
        team_member_assign(
            actor=hq_user,
            order=order,
            team_role=TeamRole.objects.get(name=name),
            user=user,
            now=at(3, 7, 40),
        )
    assert list(selectors.orders_without_full_team(user=hq_user)) == []

    alert = None
    for offset in range(14):
        day = date(2020, 2, 3) + timedelta(days=offset)
        for slot_name, hour in (("上午", 8), ("下午", 14)):
            due_at = at(day.day, hour)  # all within February 2020
            overdue_after = due_at + timedelta(hours=1, minutes=1)
            if (day, slot_name) == MISSED:
                assert list(selectors.overdue_orders(user=village_cadre, now=overdue_after)) == [
                    order
                ]
                assert (
                    board(user=hq_user, region=town["town"], now=overdue_after).totals[
                        "overdue_checks"
                    ]
                    == 1
                )
                continue
            fever = (day, slot_name) == FEVER
            result = health_checks_record(
                actor=doctor,
                entries=[CheckEntry(order=order, temperature="37.8" if fever else "36.5")],
                now=due_at + timedelta(minutes=10),
            )
            assert len(result.alerts) == (1 if fever else 0)
            if fever:
                alert = result.alerts[0]
                assert list(selectors.alert_list(user=hq_user)) == [alert]
                assert (
                    board(user=hq_user, region=town["town"], now=due_at).totals["open_alerts"] == 1
                )
            assert list(selectors.overdue_orders(user=village_cadre, now=overdue_after)) == []
        if day == date(2020, 2, 9):
            # The doctor handles the fever the same morning: seen, visited, closed.
            alert_advance(actor=doctor, alert=alert, to_status="seen", now=at(9, 8, 20))
            alert_advance(actor=doctor, alert=alert, to_status="visited", now=at(9, 9))
            alert_advance(
                actor=doctor,
                alert=alert,
                to_status="closed",
                note="复测36.7，咽部无异常",
                now=at(9, 11),
            )
        if day == date(2020, 2, 10):
            errand = errand_request(
                actor=village_cadre,
                order=order,
                items=[
                    {"name": "面条", "quantity": 5, "unit": "斤"},
                    {"name": "盐", "quantity": 1, "unit": "包"},
                ],
                now=at(10, 9),
            )
            errand_advance(
                actor=village_cadre,
                errand=errand,
                to_status="assigned",
                assignee=volunteer,
                now=at(10, 9, 5),
            )
            errand_advance(actor=volunteer, errand=errand, to_status="bought", now=at(10, 10))
            errand_advance(
                actor=volunteer, errand=errand, to_status="delivered", now=at(10, 10, 30)
            )

    assert HealthCheck.objects.filter(order=order).count() == 27  # 28 check times, one missed
    missed = selectors.order_missed_checks(order=order, now=at(16, 20))
    assert [(m.day, m.slot.name) for m in missed] == [MISSED]
    assert FeverAlert.objects.get().status == "closed"
    assert list(alert.events.values_list("to_status", flat=True)) == ["seen", "visited", "closed"]
    assert list(selectors.errand_list(user=hq_user)) == []
    assert (
        board(user=hq_user, region=town["town"], now=at(16, 16)).totals["due_release_tomorrow"] == 1
    )

    # Day 15 (the 17th): HQ cannot release; the doctor can, and is recorded.
    release_at = at(17, 9)
    with pytest.raises(ValidationError):
        order_release(actor=hq_user, order=order, note="期满", now=release_at)
    order.refresh_from_db()
    assert order.status == "active"
    order_release(actor=doctor, order=order, note="期满，体温正常，无症状", now=release_at)
    order.refresh_from_db()
    assert (order.status, order.released_by_doctor, order.ended_at) == (
        "released",
        doctor,
        release_at,
    )
    assert list(OrderEvent.objects.filter(order=order).values_list("action", flat=True)) == [
        "placed",
        "released",
    ]
    figures = board(user=hq_user, region=town["town"], now=at(17, 16)).totals
    assert (figures["released_today"], figures["active"], figures["overdue_checks"]) == (1, 0, 0)
