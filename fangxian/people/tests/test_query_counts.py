"""The ledger pages cost a fixed number of queries, however many people and villages (STYLE §5)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangxian.people import idnumber
from tests import factories

_serial = iter(range(10**6))


def _add_people(region, count):
    for _ in range(count):
        n = next(_serial)
        factories.make_person(
            region=region,
            name=f"居民{n}",
            id_number=idnumber.make("530113", date(1950, 1, 1) + timedelta(days=n), n % 1000),
        )


def _add_villages(town, count, *, people_each=2):
    first = town.children.count()
    for n in range(first, first + count):
        village = factories.make_region(
            path=f"530113105{300 + n:03d}", short_name=f"新村{n}", parent=town
        )
        grid = factories.make_region(path=f"{village.path}01", short_name="网格", parent=village)
        factories.make_region(path=f"{grid.path}01", short_name="组", parent=grid)
        _add_people(grid, people_each)


def _count_queries(client, url) -> int:
    client.get(url)  # warm up: anything cached per process is cached now
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def hq_client(client, hq_user):
    client.force_login(hq_user)
    return client


def test_person_list_costs_the_same_for_5_and_60_people(hq_client, town, django_assert_num_queries):
    url = reverse("people:person-list")
    _add_people(town["wafang_1"], 5)
    few = _count_queries(hq_client, url)
    _add_people(town["wafang_1"], 55)  # more than a page of 50
    with django_assert_num_queries(few):
        response = hq_client.get(url)
    assert len(response.context["page"].items) == 50


def test_person_search_costs_the_same_for_5_and_60_matches(
    hq_client, town, django_assert_num_queries
):
    url = reverse("people:person-list") + "?q=jm"  # 居民: ju min
    _add_people(town["wafang_1"], 5)
    few = _count_queries(hq_client, url)
    _add_people(town["beiqi_1"], 55)
    with django_assert_num_queries(few):
        hq_client.get(url)


def test_township_page_costs_the_same_for_5_and_50_villages(
    hq_client, town, django_assert_num_queries
):
    url = town["town"].get_absolute_url()
    _add_villages(town["town"], 3)  # with 瓦房村 and 碑棋社区: 5
    few = _count_queries(hq_client, url)
    _add_villages(town["town"], 45)
    with django_assert_num_queries(few):
        response = hq_client.get(url)
    assert len(response.context["rows"]) == 50


def test_grid_page_costs_the_same_for_5_and_60_households(
    hq_client, town, django_assert_num_queries
):
    url = town["wafang_1"].get_absolute_url()
    for _ in range(5):
        factories.make_household(region=town["wafang_1"])
    few = _count_queries(hq_client, url)
    for _ in range(55):
        factories.make_household(region=town["wafang_1"])
    with django_assert_num_queries(few):
        hq_client.get(url)


def test_api_person_list_costs_the_same_for_5_and_60_people(
    hq_client, town, django_assert_num_queries
):
    url = reverse("people:api-person-list")
    _add_people(town["wafang_1"], 5)
    few = _count_queries(hq_client, url)
    _add_people(town["wafang_2"], 55)
    with django_assert_num_queries(few):
        response = hq_client.get(url)
    assert len(response.json()["results"]) == 20


def test_household_page_costs_the_same_for_2_and_20_members(
    hq_client, town, django_assert_num_queries
):
    household = factories.make_household(region=town["wafang_1"])
    url = household.get_absolute_url()

    def add_members(count):
        for _ in range(count):
            n = next(_serial)
            factories.make_person(
                household=household,
                name=f"成员{n}",
                id_number=idnumber.make("530113", date(1960, 1, 1) + timedelta(days=n), 1),
            )

    add_members(2)
    few = _count_queries(hq_client, url)
    add_members(18)
    with django_assert_num_queries(few):
        hq_client.get(url)
