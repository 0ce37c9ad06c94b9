"""A village cadre sends the village's daily report (日报) on a phone: the home page reminds
them, the form shows the figures the records already know, a wrong figure is named in Chinese,
and the report is sent once."""

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from fangxian.accounts.roles import Role
from fangxian.reports.models import DailyReport, Indicator, ReportingUnit, ReportValue, UnitKind
from fangxian.screening.models import Trip
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def member(town):
    if not Indicator.objects.exists():
        # A live-server test before this one flushed the rows the data migration seeded.
        importlib.import_module("fangxian.reports.migrations.0002_default_settings").seed(
            apps, None
        )
    cadre = factories.make_user(
        role=Role.VILLAGE_CADRE, region=town["wafang"], username="cunganbu", full_name="村干部"
    )
    unit = ReportingUnit.objects.create(
        kind=UnitKind.VILLAGE,
        name="瓦房村",
        region=town["wafang"],
        reports_from=timezone.localdate() - timedelta(days=3),
    )
    unit.members.add(cadre)
    person = factories.make_person(region=town["wafang_1"], name="返乡人")
    Trip.objects.create(
        person=person,
        region=person.region,
        origin_text="湖北武汉",
        arrived_on=timezone.localdate(),
        source=Trip.Source.MANUAL,
        category=Trip.Category.KEY_AREA,
    )
    return cadre, unit


def test_a_cadre_sends_the_daily_report_on_a_phone(phone_page, log_in, live_server, member):
    cadre, unit = member
    errors = []
    page = log_in(phone_page, cadre)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/")
    reminder = page.get_by_test_id("home-section").filter(has_text="今日待报日报")
    expect(reminder).to_contain_text("瓦房村日报：请于16:00前报送")
    reminder.get_by_text("瓦房村日报").click()

    computed = page.get_by_test_id("computed-figures")
    expect(computed.locator("[data-code=returnees]")).to_contain_text("1")
    expect(computed.locator("[data-code=returnees_key_area]")).to_contain_text("1")
    reported = list(Indicator.objects.filter(kind=Indicator.Kind.REPORTED))
    for number, indicator in enumerate(reported, start=1):
        page.locator(f"#id_i{indicator.pk}").fill(str(number))
    # The signal drops and the page is opened again: the draft is still on the phone.
    page.reload()
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    expect(page.locator(f"#id_i{reported[-1].pk}")).to_have_value(str(len(reported)))
    page.locator(f"#id_i{reported[0].pk}").fill("-5")
    send = page.get_by_test_id("send-report")
    # one thumb: the send button and the inputs are big targets
    assert send.bounding_box()["height"] >= 44
    assert page.locator(f"#id_i{reported[1].pk}").bounding_box()["height"] >= 44
    send.click()
    expect(page.locator(f"[data-field-error=i{reported[0].pk}]")).to_have_text(
        f"{reported[0].name}：数字不能为负数。"
    )
    assert not DailyReport.objects.exists()

    page.locator(f"#id_i{reported[0].pk}").fill("12")
    page.get_by_test_id("send-report").click()
    expect(page.get_by_text("日报已报送。")).to_be_visible()
    values = page.get_by_test_id("report-values")
    expect(values.locator(f"[data-code={reported[0].code}]")).to_contain_text("12")
    report = DailyReport.objects.get(unit=unit)
    assert report.submitted_by == cadre
    sent = dict(ReportValue.objects.filter(report=report).values_list("indicator__code", "value"))
    assert sent[reported[0].code] == Decimal(12)
    assert sent[reported[1].code] == Decimal(2)
    assert sent["returnees"] == Decimal(1)

    page.goto(f"{live_server.url}/reports/units/{unit.pk}/")
    expect(page.get_by_test_id("draft-restored")).to_be_hidden()  # sent: the draft is gone
    page.goto(f"{live_server.url}/")
    expect(page.get_by_text("今日待报日报")).to_have_count(0)
    assert errors == []
