"""Door-to-door screening on a phone: the grid worker records a visit and coverage follows."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fangxian.screening.campaigns import campaign_create, visit_record
from fangxian.screening.models import Trip, Visit, VisitPerson
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def campaign(hq_user, town):
    today = timezone.localdate()
    return campaign_create(
        actor=hq_user,
        name="第一轮拉网排查",
        regions=[town["town"]],
        starts_on=today,
        ends_on=today + timedelta(days=6),
    )


@pytest.fixture
def zhang_household(town):
    household = factories.make_household(
        region=town["wafang_1"], head_name="张大户", address="瓦房村黄包谷地组3号"
    )
    head = factories.make_person(household=household, name="张大户", relation="head")
    son = factories.make_person(household=household, name="张小弟", relation="child")
    return household, head, son


def test_grid_worker_records_a_visit_and_the_household_leaves_the_list(
    phone_page, log_in, live_server, grid_worker, town, campaign, zhang_household
):
    household, head, son = zhang_household
    factories.make_household(region=town["wafang_1"], head_name="李家")
    page = log_in(phone_page, grid_worker)
    page.goto(live_server.url)
    page.get_by_role("button", name="菜单").click()
    page.get_by_test_id("nav-screening").click()
    page.get_by_test_id("campaign-row").filter(has_text="第一轮拉网排查").click()

    rows = page.get_by_test_id("household-row")
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("visited")).to_have_text("0")
    rows.filter(has_text="张大户").click()

    expect(page).to_have_url(re.compile(rf"/households/{household.pk}/visit/$"))
    form = page.get_by_test_id("visit-form")
    expect(form.get_by_test_id("outcome-seen")).to_be_visible()
    returnee = form.get_by_test_id(f"member-{son.pk}")
    expect(returnee.locator(f"[name=p{son.pk}-returned_from]")).to_be_hidden()
    returnee.get_by_test_id("presence-returned").click()
    returnee.locator(f"[name=p{son.pk}-returned_from]").fill("湖北省武汉市")
    returnee.locator(f"[name=p{son.pk}-arrived_on]").fill("2020-01-20")
    returnee.locator(f"[name=p{son.pk}-fever]").check()
    form.locator("[name=notes]").fill("户口簿已核对")
    form.get_by_test_id("save-visit").click()

    expect(page).to_have_url(re.compile(rf"/regions/{town['wafang_1'].code}/$"))
    expect(page.get_by_role("alert")).to_contain_text("张大户")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("李家")
    expect(page.get_by_test_id("visited")).to_have_text("1")
    expect(page.get_by_test_id("total")).to_have_text("2")

    visit = Visit.objects.get()
    assert (visit.household, visit.outcome, visit.notes) == (household, "seen", "户口簿已核对")
    found = {row.person: row for row in VisitPerson.objects.filter(visit=visit)}
    assert found[head].presence == VisitPerson.Presence.HOME
    assert found[head].fever is False
    assert found[son].presence == VisitPerson.Presence.RETURNED
    assert found[son].fever is True
    trip = Trip.objects.get()
    assert found[son].trip == trip
    assert (trip.person, trip.origin_text, trip.arrived_on) == (
        son,
        "湖北省武汉市",
        date(2020, 1, 20),
    )


def test_hq_sees_the_visit_in_coverage_by_village(
    page, log_in, live_server, hq_user, grid_worker, town, campaign, zhang_household
):
    household, head, _son = zhang_household
    factories.make_household(region=town["beiqi_1"], head_name="碑棋户")
    visit_record(
        actor=grid_worker,
        campaign=campaign,
        household=household,
        outcome=Visit.Outcome.SEEN,
        people=[{"person": head, "temperature": Decimal("36.6")}],
    )
    log_in(page, hq_user)
    page.goto(f"{live_server.url}/screening/campaigns/{campaign.pk}/")

    expect(page.get_by_test_id("visited")).to_have_text("1")
    expect(page.get_by_test_id("total")).to_have_text("2")
    villages = page.get_by_test_id("coverage-row")
    expect(villages).to_have_count(2)
    villages.filter(has_text="瓦房村").click()
    expect(page.get_by_test_id("coverage-row").filter(has_text="第一网格")).to_contain_text("1 / 1")
