"""Enterprises back to work in a browser: the contact reports the day on a phone, and the
township watches the live charts fill from the reports."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fangxian.enterprises.models import DailyReport, Enterprise, ResumptionApplication
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def brickworks(town):
    return factories.make_enterprise(region=town["wafang"], name="瓦房砖厂")


def test_contact_submits_the_daily_report_on_a_phone(phone_page, log_in, live_server, brickworks):
    contact = factories.make_enterprise_contact(
        enterprise=brickworks, username="brick", full_name="砖厂联络员"
    )
    page = log_in(phone_page, contact)
    page.goto(live_server.url)
    page.get_by_role("button", name="菜单").click()
    page.get_by_test_id("nav-enterprises").click()

    # The contact lands on their own enterprise: today's report is due.
    expect(page.get_by_role("heading", name="瓦房砖厂")).to_be_visible()
    expect(page.get_by_test_id("today-missing")).to_be_visible()
    page.get_by_test_id("report-today").click()

    form = page.get_by_test_id("report-form")
    form.get_by_label("到岗人数").fill("18")
    form.get_by_label("今日返岗人数").fill("3")
    form.get_by_label("未返岗人数").fill("2")
    form.get_by_label("体温异常人数").fill("0")
    form.get_by_label("隔离观察人数").fill("1")
    form.get_by_label("口罩库存").fill("500")
    form.get_by_label("消毒液库存（千克或升）").fill("12.5")
    # Nothing on the form is wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.get_by_test_id("report-submit").click()

    expect(page.get_by_test_id("today-reported")).to_be_visible()
    report = DailyReport.objects.get(enterprise=brickworks, day=timezone.localdate())
    assert report.workers_on_site == 18 and report.disinfectant_in_stock == Decimal("12.5")
    assert report.submitted_by == contact


def test_the_township_live_charts_render_from_the_reports(page, log_in, live_server, town, hq_user):
    today = timezone.localdate()
    farm = factories.make_enterprise(
        region=town["wafang"], name="瓦房养殖场", industry=Enterprise.Industry.FARMING
    )
    factories.make_enterprise(region=town["beiqi"], name="碑棋超市")
    ResumptionApplication.objects.create(
        enterprise=farm, status="reopened", reopened_on=today - timedelta(days=3)
    )
    for day, on_site in ((today - timedelta(days=1), 11), (today, 14)):
        DailyReport.objects.create(
            enterprise=farm,
            day=day,
            workers_on_site=on_site,
            returned_today=2,
            still_away=0,
            abnormal_temperatures=1,
            in_isolation=0,
            masks_in_stock=100,
            disinfectant_in_stock=Decimal("4"),
            submitted_by=hq_user,
            submitted_at=timezone.now(),
        )
    page = log_in(page, hq_user)
    page.goto(f"{live_server.url}/enterprises/charts/")

    expect(page.locator("#fx-charts[data-loaded='1']")).to_have_count(1)
    expect(page.locator(".fx-chart canvas")).to_have_count(6)
    expect(page.get_by_test_id("as-of")).not_to_have_text("…")
    # The charts hold the figures of the JSON endpoint, summed from the reports.
    options = page.evaluate(
        "JSON.stringify(echarts.getInstanceByDom("
        "document.querySelector('[data-chart=workers]')).getOption().series[0].data.slice(-2))"
    )
    assert [point["value"] for point in json.loads(options)] == [11, 14]
    missing = page.evaluate(
        "JSON.stringify(echarts.getInstanceByDom("
        "document.querySelector('[data-chart=missing_village]')).getOption().yAxis[0].data)"
    )
    assert set(json.loads(missing)) == {"瓦房村", "碑棋社区"}
