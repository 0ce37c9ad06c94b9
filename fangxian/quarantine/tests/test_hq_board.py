"""The HQ board page: figures per village and in total, each a link to its list; a fixed number
of queries whatever the number of villages; the htmx refresh; the team load page."""

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import login
from fangxian.quarantine.models import QuarantineOrder, TeamMember, TeamRole
from fangxian.quarantine.tests.conftest import resident
from tests import factories

BOARD = reverse("quarantine:board")
LIST = reverse("quarantine:board-list")


@pytest.fixture
def orders(hq_user, town):
    """瓦房村: two in quarantine (one centralised) and one pending from another unit;
    碑棋社区: one in quarantine."""

    def order(region, name, **fields):
        person = resident(region=town[region], name=name)
        return factories.make_order(person=person, actor=hq_user, **fields)

    return {
        "home": order("wafang_1", "甲"),
        "centralised": order("wafang_2", "乙", kind="centralised"),
        "pending": order("wafang_1", "丙", source="outside_list", source_unit="县交通局"),
        "beiqi": order("beiqi_1", "丁"),
    }


def _cells(response) -> dict[str, dict[str, int]]:
    rows = {region.short_name: dict(cells) for region, cells in response.context["rows"]}
    rows["total"] = {name: value for name, _label, value in response.context["totals"]}
    return rows


def test_the_board_counts_each_village_and_the_township(client, hq_user, orders):
    response = login(client, hq_user).get(BOARD)
    cells = _cells(response)
    assert cells["瓦房村"]["active"] == 2
    assert cells["瓦房村"]["pending"] == 1
    assert cells["瓦房村"]["centralised:active"] == 1
    assert cells["碑棋社区"]["active"] == 1
    assert cells["total"]["active"] == 3


def test_every_figure_links_to_its_list(client, hq_user, town, orders):
    response = login(client, hq_user).get(BOARD)
    link = f"{LIST}?{urlencode({'figure': 'active'})}&amp;region={town['wafang'].code}"
    assert link in response.content.decode()


def test_a_figure_list_shows_the_rows_counted_masked(client, hq_user, town, orders):
    response = login(client, hq_user).get(LIST, {"figure": "active", "region": town["wafang"].code})
    assert {row.pk for row in response.context["page"].items} == {
        orders["home"].pk,
        orders["centralised"].pk,
    }
    text = response.content.decode()
    assert orders["home"].person.id_number not in text
    assert orders["home"].person.id_number_masked in text


def test_an_unknown_figure_is_404(client, hq_user, orders):
    assert login(client, hq_user).get(LIST, {"figure": "nonsense"}).status_code == 404


def test_a_village_cadre_sees_the_board_of_their_village_by_grid(client, village_cadre, orders):
    response = login(client, village_cadre).get(BOARD)
    assert response.context["board"].region.short_name == "瓦房村"
    assert [region.short_name for region, _cells in response.context["rows"]] == [
        "第一网格",
        "第二网格",
    ]


def test_the_board_of_another_township_is_404(client, grid_worker, town):
    response = login(client, grid_worker).get(BOARD, {"region": town["beiqi"].code})
    assert response.status_code == 404


def test_the_htmx_refresh_returns_the_table_that_refreshes_itself(client, hq_user, orders):
    response = login(client, hq_user).get(BOARD, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "<nav" not in text
    assert 'hx-trigger="every 60s"' in text


def test_the_board_page_costs_the_same_queries_for_more_villages(client, hq_user, town, orders):
    client = login(client, hq_user)
    client.get(BOARD)  # warm the session and the settings rows
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD)
    for number in range(3, 9):
        village = factories.make_region(
            path=f"530113105{number + 200:03d}",
            short_name=f"新村{number}",
            parent=town["town"],
        )
        factories.make_order(person=resident(region=village, name=f"新{number}"), actor=hq_user)
    with CaptureQueriesContext(connection) as many:
        response = client.get(BOARD)
    assert len(response.context["rows"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_board_page_stays_within_its_query_budget(
    client, hq_user, orders, django_assert_max_num_queries
):
    client = login(client, hq_user)
    client.get(BOARD)
    # session, user, roles, then the board's 7 (kinds, rules, check times, units, three GROUP BYs)
    with django_assert_max_num_queries(12):
        client.get(BOARD)


def test_the_team_load_page_counts_orders_per_member_and_lists_incomplete_teams(
    client, hq_user, doctor, orders
):
    TeamMember.objects.create(
        order=orders["home"],
        region=orders["home"].region,
        team_role=TeamRole.objects.get(name="医生"),
        user=doctor,
        assigned_by=hq_user,
        assigned_at=timezone.now(),
    )
    response = login(client, hq_user).get(reverse("quarantine:team-load"))
    assert [(row["user__full_name"], row["orders"]) for row in response.context["load"]] == [
        ("李医生", 1)
    ]
    incomplete = {order.pk for order in response.context["page"].items}
    open_orders = QuarantineOrder.objects.filter(status__in=("active", "pending"))
    assert incomplete == set(open_orders.values_list("pk", flat=True))
