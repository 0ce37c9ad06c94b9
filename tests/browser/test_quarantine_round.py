"""The quarantine team on a phone (issue 4): the day's list on the home page, the twice-daily
round for two people with one fever and the alert it raises, and an errand requested and run
until delivered."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from fangxian.accounts.roles import Role
from fangxian.quarantine.models import Errand, FeverAlert, HealthCheck, TeamRole
from fangxian.quarantine.teams import team_member_assign
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _quarantine_settings(transactional_db):
    """The live server's tests empty the tables after each test, the kinds, reasons, team
    roles, check times and symptoms seeded by the data migration too: seed them again."""
    defaults = importlib.import_module("fangxian.quarantine.migrations.0002_default_settings")
    defaults.seed(apps, None)


@pytest.fixture
def cadre(town):
    return factories.make_user(
        role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre", full_name="王村干部"
    )


@pytest.fixture
def orders(hq_user, cadre, town):
    """赵一 and 钱二 in home quarantine since two days ago, 王村干部 their village cadre."""
    began = timezone.now() - timedelta(days=2)
    placed = []
    for sequence, name in ((601, "赵一"), (602, "钱二")):
        person = factories.make_person(
            region=town["wafang_1"],
            name=name,
            id_number=factories.valid_id_number(sequence=sequence),
        )
        order = factories.make_order(person=person, actor=hq_user, now=began)
        team_member_assign(
            actor=hq_user,
            order=order,
            team_role=TeamRole.objects.get(name="村干部"),
            user=cadre,
            now=began,
        )
        placed.append(order)
    return placed


def test_a_team_member_records_the_round_and_sees_the_alert(
    phone_page, log_in, live_server, cadre, orders
):
    zhao, qian = orders
    page = log_in(phone_page, cadre)
    page.goto(live_server.url)

    today = page.get_by_test_id("team-today")
    expect(today).to_contain_text("赵一")
    expect(today).to_contain_text("钱二")
    expect(today.get_by_test_id("overdue")).to_have_count(2)  # nothing recorded in two days
    today.get_by_test_id("start-round").click()

    expect(page).to_have_url(re.compile(r"/quarantine/round/$"))
    form = page.get_by_test_id("round-form")
    temperature = form.locator(f"[name=o{zhao.pk}-temperature]")
    expect(temperature).to_have_attribute("inputmode", "decimal")
    box = temperature.bounding_box()
    assert box["height"] >= 44 and box["width"] <= 390  # a large target, no sideways scroll
    page.get_by_test_id("all-normal").click()
    expect(temperature).to_have_value("36.5")
    fever = form.get_by_test_id(f"row-{qian.pk}")
    fever.locator(f"[name=o{qian.pk}-temperature]").fill("383")  # typed without the point
    fever.get_by_test_id("symptom").filter(has_text="干咳").click()
    page.get_by_test_id("save-round").click()

    raised = page.get_by_test_id("raised-alert")
    expect(raised).to_have_count(1)
    expect(raised).to_contain_text("钱二")
    expect(page.get_by_test_id(f"done-{zhao.pk}")).to_be_visible()
    expect(page.get_by_test_id(f"done-{qian.pk}")).to_be_visible()
    assert HealthCheck.objects.count() == 2

    raised.click()
    reading = page.get_by_test_id("alert-reading")
    expect(reading).to_contain_text("38.3")
    expect(reading).to_contain_text("干咳")
    expect(page.get_by_test_id("alert-team")).to_contain_text("王村干部")
    expect(page.locator("main")).to_contain_text(qian.person.id_number_masked)
    page.get_by_test_id("step-seen").click()
    expect(page.get_by_test_id("alert-status")).to_have_text("已查看")
    assert FeverAlert.objects.get().status == "seen"


def test_an_errand_is_requested_and_delivered(phone_page, log_in, live_server, cadre, orders):
    zhao, _qian = orders
    page = log_in(phone_page, cadre)
    page.goto(f"{live_server.url}/quarantine/today/")
    page.get_by_test_id(f"today-order-{zhao.pk}").locator(
        "xpath=following-sibling::div[1]"
    ).get_by_role("link", name="代购").click()

    form = page.get_by_test_id("errand-form")
    quick = form.get_by_test_id("quick-items")
    quick.get_by_role("button", name="大米").click()
    quick.get_by_role("button", name="挂面").click()
    quick.get_by_role("button", name="食用油").click()
    page.get_by_test_id("add-line").click()  # a fourth line, for what the buttons lack
    lines = form.get_by_test_id("errand-line")
    expect(lines).to_have_count(4)
    last = lines.nth(3)
    last.locator("input[name$='-name']").fill("打火机")
    last.locator("input[name$='-quantity']").fill("2")
    last.locator("input[name$='-unit']").fill("个")
    page.get_by_test_id("save-errand").click()

    errand = Errand.objects.get()
    card = page.get_by_test_id(f"errand-{errand.pk}")
    expect(card).to_contain_text("大米 10斤")
    expect(card).to_contain_text("打火机 2个")
    for step in ("assigned", "bought", "delivered"):
        page.get_by_test_id(f"errand-{errand.pk}").get_by_test_id(f"advance-{step}").click()
        expect(page.get_by_role("alert").first).to_be_visible()
    errand.refresh_from_db()
    assert (errand.status, errand.assigned_to) == ("delivered", cadre)
    expect(page.get_by_test_id(f"errand-{errand.pk}")).to_have_count(0)  # no longer open
