"""The township's live charts: figures summed in the database from the reports, scoped, each
with the list behind it."""

import re
from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from fangxian.enterprises import figures
from fangxian.enterprises.models import DailyReport, Enterprise, ResumptionApplication
from tests import factories

TODAY = date(2020, 2, 20)


def _report(enterprise, day, user, **figures_):
    values = {
        "workers_on_site": 10,
        "returned_today": 2,
        "still_away": 1,
        "abnormal_temperatures": 0,
        "in_isolation": 0,
        "masks_in_stock": 100,
        "disinfectant_in_stock": Decimal("5"),
    }
    return DailyReport.objects.create(
        enterprise=enterprise,
        day=day,
        submitted_by=user,
        submitted_at=timezone.now(),
        **(values | figures_),
    )


def _world(town, hq_user):
    farm = factories.make_enterprise(
        region=town["wafang"], name="瓦房养殖场", industry=Enterprise.Industry.FARMING
    )
    brick = factories.make_enterprise(region=town["wafang"], name="瓦房砖厂")
    shop = factories.make_enterprise(
        region=town["beiqi"], name="碑棋超市", industry=Enterprise.Industry.COMMERCE
    )
    _report(farm, TODAY, hq_user, workers_on_site=7, abnormal_temperatures=1)
    _report(brick, TODAY, hq_user, workers_on_site=20, returned_today=5)
    _report(brick, TODAY - timedelta(days=1), hq_user, workers_on_site=15)
    ResumptionApplication.objects.create(
        enterprise=brick, status="reopened", reopened_on=TODAY - timedelta(days=40)
    )
    ResumptionApplication.objects.create(
        enterprise=farm, status="reopened", reopened_on=TODAY - timedelta(days=2)
    )
    return farm, brick, shop


def test_series_sum_the_reports_per_day(town, hq_user):
    _world(town, hq_user)
    data = figures.chart_data(user=hq_user, today=TODAY)
    assert data["days"][-1] == TODAY.isoformat() and len(data["days"]) == 30
    assert data["workers_on_site"][-1] == 27 and data["workers_on_site"][-2] == 15
    assert data["returned_today"][-1] == 7
    assert data["abnormal_temperatures"][-1] == 1
    # one enterprise reopened before the window, one two days ago
    assert data["reopened"][0] == 1 and data["reopened"][-1] == 2
    assert data["day_urls"][-1].endswith(f"day={TODAY.isoformat()}")


def test_missing_today_by_village_and_industry_link_to_the_lists(town, hq_user):
    _world(town, hq_user)
    data = figures.chart_data(user=hq_user, today=TODAY)
    villages = {row["label"]: row for row in data["by_village"]}
    assert villages["瓦房村"]["missing"] == 0 and villages["瓦房村"]["workers_on_site"] == 27
    assert villages["碑棋社区"]["missing"] == 1
    industries = {row["key"]: row for row in data["by_industry"]}
    assert industries["commerce"]["missing"] == 1 and industries["farming"]["missing"] == 0
    url = villages["碑棋社区"]["urls"]["missing"]
    assert url.startswith(reverse("enterprises:enterprise-list"))
    assert f"missing={TODAY.isoformat()}" in url and f"region={town['beiqi'].code}" in url


def test_the_list_behind_a_bar_holds_what_the_bar_counts(client, town, hq_user):
    _world(town, hq_user)
    data = figures.chart_data(user=hq_user, today=TODAY)
    row = next(r for r in data["by_village"] if r["missing"])
    client.force_login(hq_user)
    listed = client.get(row["urls"]["missing"]).context["page"].items
    assert [e.name for e in listed] == ["碑棋超市"]


def test_a_village_sees_only_its_own_figures(client, town, hq_user, village_cadre):
    _world(town, hq_user)
    data = figures.chart_data(user=village_cadre, today=TODAY)
    assert [row["label"] for row in data["by_village"]] == ["瓦房村"]
    client.force_login(village_cadre)
    response = client.get(reverse("enterprises:charts-data"))
    assert response.status_code == 200
    assert "碑棋" not in response.content.decode("unicode_escape")
    beiqi = client.get(reverse("enterprises:charts-data"), {"region": town["beiqi"].code})
    assert beiqi.status_code == 404


def test_chart_data_costs_the_same_for_more_enterprises(town, hq_user, django_assert_num_queries):
    _world(town, hq_user)
    figures.chart_data(user=hq_user, today=TODAY)  # roles and memberships, read once
    with django_assert_num_queries(6):
        figures.chart_data(user=hq_user, today=TODAY)
    for _ in range(4):
        _report(factories.make_enterprise(region=town["beiqi"]), TODAY, hq_user)
    with django_assert_num_queries(6):
        figures.chart_data(user=hq_user, today=TODAY)


def test_the_charts_page_loads_echarts_from_our_static_files(client, hq_user):
    client.force_login(hq_user)
    text = client.get(reverse("enterprises:charts")).content.decode()
    assert "/static/vendor/echarts/echarts.min.js" in text
    # Nothing is loaded from another host (a random CSRF token may well contain "cdn").
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', text)
