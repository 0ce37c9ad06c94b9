"""The computed figures of checkpoints, enterprises and place scans, and the roll-up that keeps
every computed figure per day and village: it holds what the live computation gives, the counts
the test made itself, and a refresh replaces exactly the days and regions it covers."""

from collections import defaultdict
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from fangxian.regions.models import Region
from fangxian.reports import computed
from fangxian.reports.models import FigureDay, FigureRefresh
from fangxian.reports.rollup import VILLAGE_LENGTH, figures_refresh, range_figures

from .ops_scenario import Scenario

# indicator-like figure of the ledger -> computation key
OPS = {
    "checkpoint_people": "checkpoints.people",
    "checkpoint_vehicles": "checkpoints.vehicles",
    "checkpoint_turned_back": "checkpoints.turned_back",
    "checkpoint_handed_over": "checkpoints.handed_over",
    "checkpoint_fevers": "checkpoints.fevers",
    "scans": "places.scans",
    "scanners": "places.people",
    "reopened": "enterprises.reopened",
    "workers_returned": "enterprises.workers_returned",
    "abnormal_temperatures": "enterprises.abnormal_temperatures",
    "returnees": "screening.returnees.all",
}


@pytest.fixture
def scenario(town, hq_user, cadre):
    return Scenario(town, hq_user, cadre).build()


def _rolled_up() -> dict:
    return {(r.key, r.day, r.path): r.value for r in FigureDay.objects.all()}


def _live(first, last) -> dict:
    """Every registered computation counted now, added up per village as the roll-up keeps it."""
    found = defaultdict(int)
    for computation in computed.computations():
        for (path, day), n in computation.count(Region(path=""), first, last).items():
            if n and first <= day <= last:
                found[(computation.key, day, path[:VILLAGE_LENGTH])] += n
    return {key: n for key, n in found.items() if n}


def test_the_computations_count_what_the_test_made(scenario, town):
    for figure, key in OPS.items():
        for day in scenario.days:
            for village in ("wafang", "beiqi"):
                expected = scenario.ledger.day(day, figure, village)
                found = computed.value(key, region=town[village], day=day)
                assert found == expected, (key, day, village)
    assert scenario.ledger.day(scenario.today, "checkpoint_people") == 13  # 9 + 3 counted + 1


def test_workers_on_site_carry_the_latest_report_forward(scenario, town):
    computation = computed.get("enterprises.workers_on_site")
    d0, d1, d2 = scenario.days
    figures = computation.count(town["town"], d0, d2 + timedelta(days=1))
    path = town["beiqi"].path
    assert figures == {(path, d1): 10, (path, d2): 12, (path, d2 + timedelta(days=1)): 12}
    assert [r.workers_on_site for r in computation.records(town["town"], d2, d2)] == [12]


def test_the_roll_up_equals_the_live_computation(scenario):
    d0, _d1, today = scenario.days
    done = figures_refresh(first=d0 - timedelta(days=1), last=today)
    rolled_up = _rolled_up()
    assert rolled_up == _live(d0 - timedelta(days=1), today)
    assert done.rows == len(rolled_up)
    path = scenario.town["wafang"].path
    assert rolled_up[("checkpoints.people", today, path)] == 9
    assert rolled_up[("places.people", today, path)] == 3
    assert rolled_up[("quarantine.standing.home", today, path)] == 2
    assert FigureRefresh.objects.get(path="").as_of == done.as_of


def test_a_refresh_replaces_only_the_days_and_region_it_covers(scenario):
    d0, d1, today = scenario.days
    figures_refresh(first=d0, last=today)
    wafang, beiqi = scenario.town["wafang"], scenario.town["beiqi"]
    # Later: one more passage at each checkpoint today; a row of yesterday gone stale.
    scenario.passage("wafang", 2, people=2, plate="云A55555")
    scenario.passage("beiqi", 2, people=1, fevers=1)
    FigureDay.objects.filter(key="places.scans", day=d1).update(value=99)  # a stale row

    figures_refresh(first=today, last=today, region=wafang)
    rolled_up = _rolled_up()
    assert rolled_up[("checkpoints.people", today, wafang.path)] == 11
    assert rolled_up[("checkpoints.people", today, beiqi.path)] == 4  # not refreshed: as before
    assert rolled_up[("places.scans", d1, wafang.path)] == 99  # another day: left alone

    figures_refresh(first=d0, last=today)
    assert _rolled_up() == _live(d0, today)


def test_the_command_rebuilds_days_and_refuses_a_bad_region(scenario):
    call_command("refresh_figures", "--days", "3", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _rolled_up() == _live(scenario.days[0], scenario.today)
    with pytest.raises(CommandError):
        call_command("refresh_figures", "--region", "999999999999")
    with pytest.raises(CommandError):
        call_command("refresh_figures", "--region", scenario.town["wafang_1"].code)


def test_the_range_aggregation_reads_the_roll_up(scenario, hq_user, town):
    d0, d1, today = scenario.days
    figures_refresh(first=d0, last=today)
    result = range_figures(user=hq_user, region=town["town"], first=d1, last=today)
    wafang, beiqi = town["wafang"].path, town["beiqi"].path
    people = "checkpoints.people"
    assert result.by_child[wafang][people].value == 3 + 9
    assert result.by_child[beiqi][people].value == 3 + 1
    assert result.by_child[beiqi][people].cumulative == 1 + 3 + 1
    assert result.totals[people].cumulative == scenario.ledger.up_to(today, "checkpoint_people")
    # A standing figure: the last day's, not added up.
    assert result.totals["quarantine.standing.home"].value == 2
    assert result.by_child[beiqi]["quarantine.standing.centralised"].cumulative == 1


def test_the_range_aggregation_costs_two_queries(
    scenario, hq_user, town, django_assert_num_queries
):
    figures_refresh(first=scenario.days[0], last=scenario.today)
    user = type(hq_user).objects.get(pk=hq_user.pk)
    user.region_paths_for("manage_reports")  # the role cache, as the request's first page does
    with django_assert_num_queries(2):
        range_figures(user=user, region=town["town"], first=scenario.days[0], last=scenario.today)


def test_the_roll_up_is_kept_per_village_so_a_grid_cannot_be_refreshed(town):
    today = timezone.localdate()
    with pytest.raises(ValueError):
        figures_refresh(first=today, last=today, region=town["wafang_1"])
