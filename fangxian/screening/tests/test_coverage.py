"""Coverage of a campaign (全覆盖 proven, not claimed): households to visit, figures by village and
grid, the pages that drill down, and their cost in queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangxian.accounts.roles import Role
from fangxian.screening import selectors
from fangxian.screening.campaigns import campaign_create
from fangxian.screening.models import Visit
from tests import factories

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEEN, NOBODY_HOME = Visit.Outcome.SEEN, Visit.Outcome.NOBODY_HOME


def _campaign(actor, regions, *, starts_on=date(2020, 2, 1), ends_on=date(2020, 2, 7)):
    return campaign_create(
        actor=actor, name="拉网排查", regions=regions, starts_on=starts_on, ends_on=ends_on
    )


def _visit(campaign, household, actor, outcome=SEEN, at=None):
    """A visit row as the service leaves it (the service itself is tested in test_visits)."""
    return Visit.objects.create(
        campaign=campaign,
        household=household,
        region=household.region,
        outcome=outcome,
        visited_at=at or datetime.combine(campaign.starts_on, datetime.min.time(), SHANGHAI),
        visited_by=actor,
    )


@pytest.fixture
def households(town):
    """瓦房村 第一网格: 3 (one in its group), 第二网格: 1; 碑棋社区 第一网格: 2."""
    make = factories.make_household
    return {
        "w1a": make(region=town["wafang_1"], head_name="甲"),
        "w1b": make(region=town["wafang_1"], head_name="乙"),
        "w1g": make(region=town["group"], head_name="丙"),
        "w2": make(region=town["wafang_2"], head_name="丁"),
        "b1a": make(region=town["beiqi_1"], head_name="戊"),
        "b1b": make(region=town["beiqi_1"], head_name="己"),
    }


@pytest.fixture
def campaign(hq_user, town):
    return _campaign(hq_user, [town["town"]])


def _to_visit(user, campaign, region=None):
    rows = selectors.households_to_visit(user=user, campaign=campaign, region=region)
    return {household.head_name for household in rows}


# --- households_to_visit --------------------------------------------------------------------


def test_grid_worker_has_their_grids_households_to_visit(grid_worker, campaign, households):
    assert _to_visit(grid_worker, campaign) == {"甲", "乙", "丙"}


def test_a_seen_visit_takes_the_household_off_the_list(grid_worker, campaign, households):
    _visit(campaign, households["w1a"], grid_worker)
    assert _to_visit(grid_worker, campaign) == {"乙", "丙"}


def test_nobody_home_keeps_the_household_marked_visit_again(grid_worker, campaign, households):
    _visit(campaign, households["w1a"], grid_worker, NOBODY_HOME)
    rows = {
        h.head_name: h.visit_again
        for h in selectors.households_to_visit(user=grid_worker, campaign=campaign)
    }
    assert rows == {"甲": True, "乙": False, "丙": False}


def test_a_visit_outside_the_period_or_of_another_campaign_does_not_count(
    hq_user, grid_worker, campaign, households, town
):
    _visit(campaign, households["w1a"], grid_worker, at=datetime(2020, 2, 8, 9, tzinfo=SHANGHAI))
    earlier = _campaign(
        hq_user, [town["town"]], starts_on=date(2020, 1, 25), ends_on=date(2020, 1, 31)
    )
    _visit(earlier, households["w1b"], grid_worker)
    assert _to_visit(grid_worker, campaign) == {"甲", "乙", "丙"}
    assert _to_visit(grid_worker, earlier) == {"甲", "丙"}


def test_hq_lists_one_village_or_grid(hq_user, campaign, households, town):
    assert _to_visit(hq_user, campaign, town["beiqi"]) == {"戊", "己"}
    assert _to_visit(hq_user, campaign, town["wafang_2"]) == {"丁"}


def test_the_list_keeps_to_the_campaigns_villages(hq_user, households, town):
    beiqi_only = _campaign(hq_user, [town["beiqi"]])
    assert _to_visit(hq_user, beiqi_only) == {"戊", "己"}


# --- coverage -------------------------------------------------------------------------------


def _figures(result):
    return {row.region.short_name: (row.visited, row.total) for row in result.rows}


def test_coverage_of_the_township_by_village(hq_user, campaign, households, town):
    _visit(campaign, households["w1a"], hq_user)
    _visit(campaign, households["w1g"], hq_user)
    _visit(campaign, households["b1a"], hq_user, NOBODY_HOME)

    result = selectors.coverage(campaign=campaign, user=hq_user, region=town["town"])

    assert _figures(result) == {"碑棋社区": (0, 2), "瓦房村": (2, 4)}
    assert [row.percent for row in result.rows] == [0, 50]
    assert (result.visited, result.total, result.percent) == (2, 6, 33)  # rounded down


def test_coverage_of_a_village_by_grid(hq_user, campaign, households, town):
    _visit(campaign, households["w1a"], hq_user)
    _visit(campaign, households["w1a"], hq_user)  # visited twice: one household
    _visit(campaign, households["w2"], hq_user)

    result = selectors.coverage(campaign=campaign, user=hq_user, region=town["wafang"])

    assert _figures(result) == {"第一网格": (1, 3), "第二网格": (1, 1)}
    assert [row.complete for row in result.rows] == [False, True]
    assert (result.visited, result.total) == (2, 4)


def test_coverage_shows_only_the_campaigns_villages(hq_user, households, town):
    campaign = _campaign(hq_user, [town["wafang"]])
    result = selectors.coverage(campaign=campaign, user=hq_user, region=town["town"])
    assert _figures(result) == {"瓦房村": (0, 4)}
    assert selectors.coverage_roots(campaign=campaign, user=hq_user) == [town["wafang"]]


def test_coverage_keeps_to_the_users_scope(grid_worker, campaign, households, town):
    assert selectors.coverage_roots(campaign=campaign, user=grid_worker) == [town["wafang_1"]]
    result = selectors.coverage(campaign=campaign, user=grid_worker, region=town["wafang_1"])
    assert (result.visited, result.total, result.rows) == (0, 3, [])


def test_an_empty_unit_has_no_percentage(hq_user, campaign, town):
    result = selectors.coverage(campaign=campaign, user=hq_user, region=town["wafang"])
    assert [(row.total, row.percent) for row in result.rows] == [(0, None), (0, None)]
    assert result.percent is None
    assert not result.complete


def test_a_campaign_over_some_villages_starts_at_their_township(hq_user, town):
    campaign = _campaign(hq_user, [town["wafang"], town["beiqi"]])
    assert selectors.coverage_roots(campaign=campaign, user=hq_user) == [town["town"]]


# --- pages ----------------------------------------------------------------------------------


@pytest.fixture
def current(hq_user, town):
    today = timezone.localdate()
    return _campaign(hq_user, [town["town"]], starts_on=today, ends_on=today + timedelta(days=2))


def test_hq_drills_down_from_villages_to_grids_to_households(
    client, hq_user, current, households, town
):
    _visit(current, households["w1a"], hq_user, at=timezone.now())
    client.force_login(hq_user)

    page = client.get(reverse("screening:campaign-detail", args=[current.pk]))
    assert [row.region for row in page.context["coverage"].rows] == [town["beiqi"], town["wafang"]]
    wafang_url = reverse("screening:campaign-region", args=[current.pk, town["wafang"].code])
    assert wafang_url in page.content.decode()

    page = client.get(wafang_url)
    assert _figures(page.context["coverage"]) == {"第一网格": (1, 3), "第二网格": (0, 1)}
    grid_url = reverse("screening:campaign-region", args=[current.pk, town["wafang_1"].code])
    assert grid_url in page.content.decode()

    page = client.get(grid_url)
    body = page.content.decode()
    assert [h.head_name for h in page.context["households"].items] == ["乙", "丙"]
    assert reverse("screening:visit-create", args=[current.pk, households["w1b"].pk]) in body
    assert reverse("screening:visit-create", args=[current.pk, households["w1a"].pk]) not in body


def test_grid_worker_opens_the_campaign_on_their_grids_list(
    client, grid_worker, current, households
):
    client.force_login(grid_worker)
    page = client.get(reverse("screening:campaign-detail", args=[current.pk]))
    assert {h.head_name for h in page.context["households"].items} == {"甲", "乙", "丙"}
    assert "丁" not in page.content.decode()  # the other grid of the village


def test_grid_worker_gets_404_for_another_grid_and_village(client, grid_worker, current, town):
    client.force_login(grid_worker)
    for region in (town["wafang_2"], town["beiqi"], town["wafang"], town["town"]):
        url = reverse("screening:campaign-region", args=[current.pk, region.code])
        assert client.get(url).status_code == 404, region


def test_a_region_outside_the_campaign_is_404(client, hq_user, households, town):
    today = timezone.localdate()
    wafang_only = _campaign(hq_user, [town["wafang"]], starts_on=today, ends_on=today)
    client.force_login(hq_user)
    url = reverse("screening:campaign-region", args=[wafang_only.pk, town["beiqi"].code])
    assert client.get(url).status_code == 404


def test_a_user_with_two_villages_picks_one(client, hq_user, current, town):
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"], username="c")
    cadre.role_assignments.create(role=Role.VILLAGE_CADRE, region=town["beiqi"])
    client.force_login(cadre)
    body = client.get(reverse("screening:campaign-detail", args=[current.pk])).content.decode()
    for village in (town["wafang"], town["beiqi"]):
        assert reverse("screening:campaign-region", args=[current.pk, village.code]) in body


def test_the_next_page_of_households_comes_as_a_fragment(
    client, grid_worker, current, town, settings
):
    for n in range(52):
        factories.make_household(region=town["wafang_1"], head_name=f"户{n:02d}")
    client.force_login(grid_worker)
    url = reverse("screening:campaign-detail", args=[current.pk])
    first = client.get(url)
    assert len(first.context["households"].items) == 50
    after = first.context["households"].next_after
    rest = client.get(url, {"after": after}, headers={"HX-Request": "true"})
    body = rest.content.decode()
    assert "<html" not in body
    assert "户50" in body and "户51" in body


# --- cost -----------------------------------------------------------------------------------


def _add(town, per_grid):
    for grid in (town["wafang_1"], town["wafang_2"], town["beiqi_1"], town["group"]):
        for _ in range(per_grid):
            factories.make_household(region=grid)


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("level", ["town", "wafang", "wafang_1"])
def test_coverage_pages_cost_the_same_for_5_and_50_households(
    client, hq_user, current, town, level
):
    url = reverse("screening:campaign-region", args=[current.pk, town[level].code])
    client.force_login(hq_user)
    _add(town, 1)
    few = _queries(client, url)
    _add(town, 12)
    assert _queries(client, url) == few


def test_coverage_costs_the_same_for_2_and_20_villages(client, hq_user, current, town):
    def add_villages(start, count):
        for n in range(start, start + count):
            village = factories.make_region(
                path=f"530113105{300 + n:03d}", short_name=f"新村{n}", parent=town["town"]
            )
            grid = factories.make_region(
                path=f"{village.path}01", short_name="网格", parent=village
            )
            factories.make_household(region=grid)

    url = reverse("screening:campaign-detail", args=[current.pk])
    client.force_login(hq_user)
    few = _queries(client, url)
    add_villages(0, 18)
    assert _queries(client, url) == few
