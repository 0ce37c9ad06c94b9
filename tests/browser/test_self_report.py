"""Self-report on a phone: a returnee fills the village's public form, then a grid worker
verifies it and the trip is recorded."""

import re

import pytest
from playwright.sync_api import expect

from fangxian.people.models import Person
from fangxian.screening.models import SelfReport, Trip
from tests import factories

pytestmark = pytest.mark.browser


def test_a_returnee_reports_and_the_grid_worker_verifies(
    phone_page, log_in, live_server, grid_worker, town
):
    page = phone_page
    number = factories.valid_id_number(sequence=901)
    page.goto(f"{live_server.url}/report/{town['wafang'].code}/")
    expect(page.get_by_test_id("privacy-notice")).to_be_visible()
    form = page.get_by_test_id("self-report-form")
    form.locator("[name=name]").fill("赵六")
    form.locator("[name=id_number]").fill(number)
    form.locator("[name=phone]").fill("13812345678")
    form.locator("[name=address]").fill("黄包谷地组5号")
    form.locator("[name=origin_text]").fill("湖北武汉")
    form.locator("[name=arrived_on]").fill("2026-01-21")
    form.locator("[name=transport]").select_option("train")
    form.locator("[name=transport_number]").fill("G1234")
    expect(form.locator("[name=website]")).not_to_be_in_viewport()
    question = page.get_by_test_id("challenge").inner_text()
    first, second = map(int, re.findall(r"\d+", question))
    form.locator("[name=answer]").fill(str(first + second))
    form.get_by_role("button").click()

    thanks = page.get_by_test_id("self-report-thanks")
    expect(thanks).to_contain_text("赵六")
    expect(thanks).not_to_contain_text(number)
    report = SelfReport.objects.get()
    assert report.region == town["group"]

    log_in(page, grid_worker)
    page.goto(f"{live_server.url}/screening/self-reports/")
    page.get_by_test_id("self-report-list").get_by_text("赵六").click()
    expect(page.get_by_test_id("id-number")).to_have_text(number)
    page.get_by_test_id("verify").click()
    expect(page).to_have_url(re.compile(r"/screening/self-reports/$"))
    person = Person.objects.get(id_number=number)
    assert Trip.objects.get(person=person).source == Trip.Source.SELF_REPORT
