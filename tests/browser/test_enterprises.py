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


def _roster_file(path, rows):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["序号", "姓名", "身份证号", "部门", "所赴城市", "预计返岗日期"])
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def test_contact_imports_the_roster_from_excel_on_a_phone(
    phone_page, log_in, live_server, brickworks, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    contact = factories.make_enterprise_contact(enterprise=brickworks, username="brick")
    good = [
        [1, "赵一", factories.valid_id_number(sequence=701), "生产部", "昆明市", "2020.2.12"],
        [2, "赵二", factories.valid_id_number(sequence=702), "包装", "", ""],
    ]
    messy = [*good, [3, "赵三", "5301131990", "生产部", "", "2月30日"]]
    page = log_in(phone_page, contact)
    page.goto(f"{live_server.url}/enterprises/{brickworks.pk}/workers/")
    page.get_by_test_id("roster-import").click()

    page.get_by_label("名单文件").set_input_files(_roster_file(tmp_path / "花名册.xlsx", messy))
    page.get_by_test_id("upload").click()
    # The check names the row and the column of each error; nothing is saved yet.
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("身份证号")
    expect(errors).to_contain_text("预计返岗日期")
    expect(errors.locator("tbody tr").first).to_contain_text("4")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not brickworks.workers.exists()

    page.get_by_test_id("upload-again").click()
    page.get_by_label("名单文件").set_input_files(_roster_file(tmp_path / "改正.xlsx", good))
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("count-create")).to_have_text("2")
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("roster-saved")).to_be_visible()
    page.get_by_test_id("open-roster").click()
    expect(page.get_by_test_id("worker-row")).to_have_count(2)
    assert set(brickworks.workers.values_list("person__name", flat=True)) == {"赵一", "赵二"}
