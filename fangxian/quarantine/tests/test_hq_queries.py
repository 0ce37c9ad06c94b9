"""The order's page, the order list and its export read with a fixed number of queries,
whatever the number of checks, events, alerts, errands or orders (no queries in loops)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.quarantine.checks import CheckEntry, health_checks_record
from fangxian.quarantine.errands import errand_request
from fangxian.quarantine.models import TeamRole
from fangxian.quarantine.orders import order_change_period
from fangxian.quarantine.teams import team_member_assign
from fangxian.quarantine.tests.conftest import resident
from tests import factories


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    if response.streaming:
        b"".join(response.streaming_content)
    return len(captured.captured_queries)


@pytest.fixture
def order(hq_user, doctor, police, wafang_person):
    began = timezone.now() - timedelta(days=5)
    order = factories.make_order(person=wafang_person, actor=hq_user, now=began)
    team_member_assign(
        actor=hq_user, order=order, team_role=TeamRole.objects.get(name="医生"), user=doctor
    )
    return order


def _more_history(order, hq_user, doctor, days: range) -> None:
    """A check (with its fever alert), a change of period and an errand a day."""
    for day in days:
        moment = timezone.now() - timedelta(days=4 - day, hours=1)
        health_checks_record(
            actor=doctor, entries=[CheckEntry(order=order, temperature="38.0")], now=moment
        )
        order_change_period(
            actor=hq_user,
            order=order,
            planned_end_on=order.planned_end_on + timedelta(days=day + 1),
            reason=f"第{day}次调整",
        )
        errand_request(actor=doctor, order=order, items=[{"name": "大米", "quantity": "5"}])


def test_the_order_page_costs_the_same_with_a_longer_history(
    client, hq_user, doctor, police, order
):
    _more_history(order, hq_user, doctor, days=range(1))
    client = login(client, hq_user)
    url = reverse("quarantine:order-detail", kwargs={"order_id": order.pk})
    client.get(url)
    before = _queries(client, url)
    team_member_assign(
        actor=hq_user, order=order, team_role=TeamRole.objects.get(name="民警"), user=police
    )
    _more_history(order, hq_user, doctor, days=range(1, 4))
    assert _queries(client, url) == before


def test_the_order_list_and_export_cost_the_same_for_more_orders(client, hq_user, town, order):
    client = login(client, hq_user)
    lists = reverse("quarantine:order-list")
    export = reverse("quarantine:order-export")
    client.get(lists)
    before = (_queries(client, lists), _queries(client, export))
    for number in range(5):
        person = resident(region=town["beiqi_1"], name=f"碑棋{number}")
        factories.make_order(person=person, actor=hq_user)
    assert (_queries(client, lists), _queries(client, export)) == before
