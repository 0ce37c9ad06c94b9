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

    expect(page).to_have_url(
        re.compile(rf"/regions/{town['wafang_1'].code}/\?saved={household.pk}$")
    )
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


DRAFT_NOTE = "已恢复本机上未提交的草稿"


def _draft(page, campaign, household):
    key = f"fangxian.visit-draft.{campaign.pk}.{household.pk}"
    return page.evaluate("key => window.localStorage.getItem(key)", key)


def test_the_visit_form_keeps_a_draft_through_a_reload_until_it_is_saved(
    phone_page, log_in, live_server, grid_worker, town, campaign, zhang_household
):
    household, _head, son = zhang_household
    page = log_in(phone_page, grid_worker)
    url = f"{live_server.url}/screening/campaigns/{campaign.pk}/households/{household.pk}/visit/"
    page.goto(url)
    form = page.get_by_test_id("visit-form")
    expect(page.get_by_test_id("draft-restored")).to_be_hidden()
    returnee = form.get_by_test_id(f"member-{son.pk}")
    returnee.get_by_test_id("presence-returned").click()
    returnee.locator(f"[name=p{son.pk}-returned_from]").fill("湖北省武汉市")
    form.locator("[name=notes]").fill("信号不好，稍后提交")

    page.reload()  # the signal dropped; the worker opens the form again

    note = page.get_by_test_id("draft-restored")
    expect(note).to_be_visible()
    expect(note).to_contain_text(DRAFT_NOTE)
    expect(returnee.locator(f"[name=p{son.pk}-returned_from]")).to_have_value("湖北省武汉市")
    expect(returnee.locator(f"[name=p{son.pk}-presence][value=returned]")).to_be_checked()
    expect(form.locator("[name=notes]")).to_have_value("信号不好，稍后提交")

    form.get_by_test_id("save-visit").click()
    expect(page).to_have_url(re.compile(rf"\?saved={household.pk}$"))
    page.wait_for_load_state()
    assert _draft(page, campaign, household) is None
    assert Visit.objects.get().notes == "信号不好，稍后提交"
    assert Trip.objects.get().origin_text == "湖北省武汉市"

    page.goto(url)
    expect(page.get_by_test_id("earlier-visit")).to_be_visible()
    expect(page.get_by_test_id("draft-restored")).to_be_hidden()
    expect(form.locator("[name=notes]")).to_have_value("")


def test_a_restored_draft_can_be_discarded(
    phone_page, log_in, live_server, grid_worker, campaign, zhang_household
):
    household, head, _son = zhang_household
    page = log_in(phone_page, grid_worker)
    url = f"{live_server.url}/screening/campaigns/{campaign.pk}/households/{household.pk}/visit/"
    page.goto(url)
    form = page.get_by_test_id("visit-form")
    form.get_by_test_id(f"member-{head.pk}").locator(f"[name=p{head.pk}-temperature]").fill("37.8")
    page.reload()
    expect(page.get_by_test_id("draft-restored")).to_be_visible()

    page.get_by_test_id("draft-discard").click()

    expect(page.get_by_test_id("draft-restored")).to_be_hidden()
    expect(form.locator(f"[name=p{head.pk}-temperature]")).to_have_value("")
    assert _draft(page, campaign, household) is None
    page.reload()
    expect(page.get_by_test_id("draft-restored")).to_be_hidden()


def test_the_grid_worker_corrects_a_saved_visit_from_the_visits_list(
    phone_page, log_in, live_server, grid_worker, town, campaign, zhang_household
):
    household, head, son = zhang_household
    visit = visit_record(
        actor=grid_worker,
        campaign=campaign,
        household=household,
        outcome=Visit.Outcome.SEEN,
        people=[{"person": head}, {"person": son}],
    )
    page = log_in(phone_page, grid_worker)
    page.goto(f"{live_server.url}/screening/campaigns/{campaign.pk}/")
    page.get_by_test_id("visit-list-link").click()
    page.get_by_test_id("visit-row").filter(has_text="张大户").click()

    form = page.get_by_test_id("visit-form")
    member = form.get_by_test_id(f"member-{son.pk}")
    expect(member.locator(f"[name=p{son.pk}-presence][value=home]")).to_be_checked()
    member.get_by_test_id("presence-away").click()
    member.locator(f"[name=p{son.pk}-away_at]").fill("昆明打工")
    form.get_by_test_id("save-visit").click()

    expect(page.get_by_test_id("visit-list")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("张大户")
    row = VisitPerson.objects.get(visit=visit, person=son)
    assert (row.presence, row.away_at) == ("away", "昆明打工")
    assert Visit.objects.count() == 1
