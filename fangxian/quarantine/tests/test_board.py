"""The HQ board: figures per village and in total, each reproducible as a list (quarantine.board)."""

from datetime import date

import pytest
from django.http import Http404

from fangxian.quarantine.board import board, board_list
from fangxian.quarantine.checks import CheckEntry, health_checks_record
from fangxian.quarantine.errands import errand_request
from fangxian.quarantine.models import QuarantineOrder
from fangxian.quarantine.orders import order_change_period, order_release, order_transfer
from fangxian.quarantine.tests.conftest import NOW, at, resident
from tests import factories

MOMENT = at(17, 15, 30)  # the afternoon check (14:00) is overdue from 15:00


@pytest.fixture
def scene(hq_user, doctor, town):
    """瓦房村: 3 active (1 centralised), 1 released today, 1 due tomorrow, 1 pending from
    another unit; 碑棋社区: 1 active with a fever alert and an errand, 1 transferred today."""

    def person(region, name):
        return resident(region=town[region], name=name)

    def order(region, name, **fields):
        return factories.make_order(person=person(region, name), actor=hq_user, now=NOW, **fields)

    orders = {
        "checked": order("wafang_1", "甲"),
        "centralised": order("wafang_2", "乙", kind="centralised"),
        "tomorrow": order("wafang_1", "丙"),
        "released": order("wafang_1", "丁"),
        "pending": order(
            "wafang_2", "戊", source=QuarantineOrder.Source.OUTSIDE_LIST, source_unit="县交通局"
        ),
        "fever": order("beiqi_1", "己"),
        "transferred": order("beiqi_1", "庚"),
    }
    order_change_period(
        actor=hq_user,
        order=orders["tomorrow"],
        planned_end_on=date(2020, 2, 18),
        reason="晚到一天",
        now=NOW,
    )
    order_release(actor=doctor, order=orders["released"], note="期满", now=at(17, 9))
    order_transfer(
        actor=doctor, order=orders["transferred"], hospital="区医院", reason="发热", now=at(17, 10)
    )
    # Everyone in 瓦房村 checked at 14:00 except 乙; 己 has fever.
    health_checks_record(
        actor=doctor,
        entries=[
            CheckEntry(order=orders["checked"], temperature="36.5"),
            CheckEntry(order=orders["tomorrow"], temperature="36.6"),
            CheckEntry(order=orders["fever"], temperature="38.2"),
        ],
        now=at(17, 14, 5),
    )
    errand_request(
        actor=hq_user,
        order=orders["fever"],
        items=[{"name": "退烧药", "quantity": 1}],
        now=at(17, 11),
    )
    return orders


def test_the_board_counts_per_village_and_in_total(hq_user, town, scene):
    result = board(user=hq_user, region=town["town"], now=MOMENT)
    rows = {row.region.short_name: row.counts for row in result.rows}
    expected = {
        "active": (3, 1, 4),
        "pending": (1, 0, 1),
        "released_today": (1, 0, 1),
        "transferred_today": (0, 1, 1),
        "due_release_tomorrow": (1, 0, 1),
        "overdue_checks": (1, 0, 1),
        "open_alerts": (0, 1, 1),
        "open_errands": (0, 1, 1),
        "home:active": (2, 1, 3),
        "centralised:active": (1, 0, 1),
        "home:pending": (1, 0, 1),
        "home_monitoring:active": (0, 0, 0),
    }
    for name, (wafang, beiqi, total) in expected.items():
        assert (rows["瓦房村"][name], rows["碑棋社区"][name], result.totals[name]) == (
            wafang,
            beiqi,
            total,
        ), name


def test_each_figure_opens_the_list_behind_it(hq_user, town, scene):
    result = board(user=hq_user, region=town["town"], now=MOMENT)
    for name in result.names:
        rows = board_list(user=hq_user, region=town["town"], figure=name, now=MOMENT)
        assert rows.count() == result.totals[name], name
    overdue = board_list(user=hq_user, region=town["town"], figure="overdue_checks", now=MOMENT)
    assert list(overdue) == [scene["centralised"]]


def test_an_unknown_figure_is_a_404(hq_user, town, scene):
    with pytest.raises(Http404):
        board_list(user=hq_user, region=town["town"], figure="everything", now=MOMENT)


def test_a_village_board_splits_by_grid(hq_user, town, scene):
    result = board(user=hq_user, region=town["wafang"], now=MOMENT)
    rows = {row.region.short_name: row.counts["active"] for row in result.rows}
    assert rows == {"第一网格": 2, "第二网格": 1}
    assert result.totals["active"] == 3


def test_a_grid_worker_sees_only_their_grid(grid_worker, town, scene):
    result = board(user=grid_worker, region=town["town"], now=MOMENT)
    assert [row.region.short_name for row in result.rows] == []
    assert result.totals["active"] == 2  # 甲 and 丙 in the first grid of 瓦房村
    assert result.totals["open_alerts"] == 0


def test_the_board_costs_the_same_for_more_villages(
    hq_user, town, scene, django_assert_num_queries
):
    hq_user.region_paths_for("x")
    with django_assert_num_queries(7):
        board(user=hq_user, region=town["town"], now=MOMENT)
    for number in range(3):
        village = factories.make_region(
            path=f"530113105{220 + number}", short_name=f"新村{number}", parent=town["town"]
        )
        person = resident(region=village, name="新")
        factories.make_order(person=person, actor=hq_user, now=NOW)
    with django_assert_num_queries(7):
        result = board(user=hq_user, region=town["town"], now=MOMENT)
    assert len(result.rows) == 5 and result.totals["active"] == 7
