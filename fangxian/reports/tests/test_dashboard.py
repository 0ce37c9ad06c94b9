"""The command dashboard (指挥大屏): its figures against counts the test made itself, change from
yesterday, a number of queries that does not grow with villages or days, the Excel download of
each chart, and the region scope."""

import io
from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import login
from fangxian.accounts.roles import Role
from fangxian.core.xlsx import CONTENT_TYPE
from fangxian.reports.completeness import completeness, day_summary
from fangxian.reports.dashboard import TRAFFIC
from fangxian.reports.models import FigureDay, ReportingUnit
from fangxian.reports.rollup import figures_refresh
from fangxian.reports.services import report_submit
from tests import factories

from .ops_scenario import Scenario
from .test_services import reported

DATA = reverse("reports:dashboard-data")


@pytest.fixture
def scenario(town, hq_user, cadre):
    built = Scenario(town, hq_user, cadre).build()
    figures_refresh(first=built.days[0], last=built.today)
    return built


def _data(client, **params):
    response = client.get(DATA, params)
    assert response.status_code == 200
    return response.json()


def _by_key(items):
    return {item["key"]: item for item in items}


def test_headline_figures_and_change_from_yesterday_match_the_records(client, hq_user, scenario):
    data = _data(login(client, hq_user))
    ledger, (_d0, d1, today) = scenario.ledger, scenario.days
    headlines = _by_key(data["headlines"])
    for key, figure in [
        ("checkpoints.people", "checkpoint_people"),
        ("checkpoints.vehicles", "checkpoint_vehicles"),
        ("places.scans", "scans"),
        ("enterprises.workers_returned", "workers_returned"),
        ("screening.returnees.all", "returnees"),
    ]:
        line = headlines[key]
        assert line["today"] == ledger.day(today, figure), key
        assert line["yesterday"] == ledger.day(d1, figure), key
        assert line["delta"] == ledger.day(today, figure) - ledger.day(d1, figure), key
        assert line["cumulative"] == ledger.up_to(today, figure), key
    assert headlines["checkpoints.people"]["today"] == 13
    assert headlines["checkpoints.people"]["delta"] == 13 - 3
    home = headlines["quarantine.standing.home"]
    assert (home["today"], home["yesterday"], home["delta"]) == (2, 1, 1)
    assert home["standing"] is True
    on_site = headlines["enterprises.workers_on_site"]
    assert (on_site["today"], on_site["delta"]) == (12, 2)
    assert data["as_of"] is not None


def test_quarantine_checkpoints_and_completeness_match_the_records(client, hq_user, scenario):
    data = _data(login(client, hq_user))
    ledger, today = scenario.ledger, scenario.today
    quarantine = _by_key(data["quarantine"])
    assert quarantine["quarantine.standing.home"]["value"] == 2
    assert quarantine["quarantine.standing.centralised"]["value"] == 1
    assert quarantine["quarantine.standing.centralised"]["delta"] == 0
    assert quarantine["pending"]["value"] == scenario.pending >= 1
    assert quarantine["open_alerts"]["value"] == 0
    checkpoints = _by_key(data["checkpoints"])
    for figure in ("people", "vehicles", "turned_back", "handed_over", "fevers"):
        assert checkpoints[f"checkpoints.{figure}"]["value"] == ledger.day(
            today, f"checkpoint_{figure}"
        )
    assert checkpoints["checkpoints.turned_back"]["value"] == 1
    assert checkpoints["checkpoints.fevers"]["value"] == 2
    reporting = data["completeness"]
    assert (reporting["expected"], reporting["received"], reporting["on_time"]) == (2, 1, 1)
    assert reporting["missing"] == 1
    assert reporting["missing_units"] == ["碑棋社区"]


def test_charts_carry_the_figures_by_day_and_by_village(client, hq_user, scenario):
    data = _data(login(client, hq_user))
    charts = {chart["name"]: chart for chart in data["charts"]}
    ledger, (d0, d1, today) = scenario.ledger, scenario.days
    scans = charts["trend_traffic"]["series"][TRAFFIC.index("places.scans")]
    assert len(scans["data"]) == 30
    assert scans["data"][-3:] == [ledger.day(d, "scans") for d in (d0, d1, today)]
    assert "key=places.scans" in scans["url"]
    assert charts["trend_traffic"]["points"][-1] == f"first={today}&last={today}"
    by_region = charts["by_region_traffic"]
    assert by_region["categories"] == ["碑棋社区", "瓦房村"]  # in path order
    people = by_region["series"][0]
    assert people["data"] == [
        ledger.day(today, "checkpoint_people", "beiqi"),
        ledger.day(today, "checkpoint_people", "wafang"),
    ]
    pie = charts["completeness"]["series"][0]["data"]
    assert pie == [1, 0, 1]  # on time, late, missing


def test_a_figure_opens_the_records_behind_it(client, hq_user, scenario):
    data = _data(login(client, hq_user))
    url = _by_key(data["checkpoints"])["checkpoints.turned_back"]["url"]
    response = client.get(url)
    assert response.status_code == 200
    lines = response.context["lines"]
    assert len(lines) == 1 and "瓦房卡点" in lines[0]


def test_the_page_draws_from_the_same_data(client, hq_user, scenario):
    response = login(client, hq_user).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="dashboard-data"' in body
    assert 'data-chart="trend_traffic"' in body
    assert "vendor/echarts/echarts.min.js" in body


def test_the_excel_download_holds_the_chart_figures(client, hq_user, scenario):
    response = login(client, hq_user).get(
        reverse("reports:dashboard-xlsx"), {"chart": "checkpoints"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:4] == ("序号", "指标", "今日", "昨日")
    ledger = scenario.ledger
    figures = {row[1]: (row[2], row[3]) for row in rows[3:]}
    assert len(figures) == 5
    today_people, yesterday_people = rows[3][2], rows[3][3]
    assert today_people == ledger.day(scenario.today, "checkpoint_people")
    assert yesterday_people == ledger.day(scenario.days[1], "checkpoint_people")
    assert client.get(reverse("reports:dashboard-xlsx"), {"chart": "nope"}).status_code == 404


def test_a_village_hq_sees_its_village_only(client, town, scenario):
    village_hq = factories.make_user(role=Role.HQ, region=town["wafang"])
    login(client, village_hq)
    data = _data(client)
    assert data["region"]["code"] == town["wafang"].code
    headlines = _by_key(data["headlines"])
    assert headlines["checkpoints.people"]["today"] == scenario.ledger.day(
        scenario.today, "checkpoint_people", "wafang"
    )
    assert data["completeness"]["expected"] == 1
    for url in (DATA, reverse("reports:dashboard"), reverse("reports:dashboard-xlsx")):
        assert client.get(url, {"region": town["beiqi"].code}).status_code == 404
        assert client.get(url, {"region": town["town"].code}).status_code == 404


def test_another_township_is_404(client, town, hq_user, scenario):
    other = factories.make_region(path="530113106", short_name="汤丹镇", parent=town["county"])
    FigureDay.objects.create(key="checkpoints.people", day=scenario.today, path=other.path, value=7)
    login(client, hq_user)
    assert client.get(DATA, {"region": other.code}).status_code == 404
    assert _by_key(_data(client)["headlines"])["checkpoints.people"]["today"] == 13


def test_a_grid_worker_is_refused(client, grid_worker, scenario):
    assert login(client, grid_worker).get(DATA).status_code == 404


def _world(town, villages: int, days: int, start: int = 0):
    """`villages` more villages under 乌龙镇 with a unit each, and roll-up rows on `days` days."""
    today = timezone.localdate()
    rows = []
    for n in range(start, start + villages):
        village = factories.make_region(
            path=f"530113105{300 + n:03d}", short_name=f"新村{n}", parent=town["town"]
        )
        ReportingUnit.objects.create(
            kind="village", name=village.short_name, region=village, reports_from=today
        )
        rows += [
            FigureDay(key=key, day=today - timedelta(days=back), path=village.path, value=n)
            for back in range(days)
            for key in ("checkpoints.people", "places.scans", "quarantine.standing.home")
        ]
    FigureDay.objects.bulk_create(rows)


def _queries(client, user) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(DATA).status_code == 200
    return [q["sql"][:60] for q in captured.captured_queries]


@pytest.mark.parametrize(("villages", "days"), [(2, 3), (6, 30)])
def test_the_dashboard_queries_do_not_grow_with_villages_or_days(
    client, town, hq_user, villages, days, django_assert_max_num_queries
):
    _world(town, villages, days)
    login(client, hq_user)
    with django_assert_max_num_queries(16):
        assert client.get(DATA).status_code == 200


def test_the_same_number_of_queries_for_2_villages_and_3_days_as_for_6_and_30(
    client, town, hq_user
):
    login(client, hq_user)
    client.get(DATA)  # once, for what a process caches (the quarantine kinds' labels …)
    _world(town, 2, 3)
    small = _queries(client, hq_user)
    FigureDay.objects.all().delete()
    _world(town, 4, 30, start=2)  # six villages in all, thirty days
    assert _queries(client, hq_user) == small


def test_the_days_summary_counts_as_completeness_does(hq_user, town, scenario):
    late = ReportingUnit.objects.create(
        kind="combat_unit", name="作战单元", region=town["town"], reports_from=scenario.today
    )
    report_submit(
        actor=hq_user,
        unit=late,
        day=scenario.today,
        values=reported(),
        now=timezone.make_aware(datetime.combine(scenario.today, time(23, 59))),
    )
    ReportingUnit.objects.create(
        kind="combat_unit",
        name="明天起报",
        region=town["town"],
        reports_from=scenario.today + timedelta(days=1),
    )
    grid = completeness(
        user=hq_user, region=town["town"], first=scenario.today, last=scenario.today
    )
    summary = day_summary(user=hq_user, region=town["town"], day=scenario.today)
    assert (
        (summary.rate.expected, summary.rate.received, summary.rate.on_time)
        == (
            grid.total.expected,
            grid.total.received,
            grid.total.on_time,
        )
        == (3, 2, 1)
    )
    assert summary.missing == [
        unit.name for unit, state in grid.missing_or_late(scenario.today) if state == "missing"
    ]
