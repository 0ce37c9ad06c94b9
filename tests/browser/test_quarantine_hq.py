"""Quarantine for HQ on a desktop (issue 4): the board's figures open the lists behind them, and
an order placed from a person's page is released by a doctor, who signs it."""

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from fangxian.quarantine.models import QuarantineOrder
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _quarantine_settings(transactional_db):
    """The live server's tests empty the tables after each test, the settings seeded by the
    data migration too: seed them again."""
    defaults = importlib.import_module("fangxian.quarantine.migrations.0002_default_settings")
    defaults.seed(apps, None)


@pytest.fixture
def doctor(town):
    from fangxian.accounts.roles import Role

    return factories.make_user(
        role=Role.MEDIC, region=town["town"], username="doctor", full_name="李医生"
    )


def _person(town, region: str, name: str, sequence: int):
    return factories.make_person(
        region=town[region], name=name, id_number=factories.valid_id_number(sequence=sequence)
    )


def test_hq_board_figures_open_their_lists(page, log_in, live_server, hq_user, town):
    for sequence, (region, name) in enumerate(
        [("wafang_1", "赵一"), ("wafang_2", "钱二"), ("beiqi_1", "孙三")], start=701
    ):
        factories.make_order(person=_person(town, region, name, sequence), actor=hq_user)
    page = log_in(page, hq_user)
    page.goto(live_server.url)
    page.get_by_test_id("nav-quarantine").click()

    table = page.get_by_test_id("board-table")
    expect(table).to_be_visible()
    wafang = page.get_by_test_id("board-row").filter(has_text="瓦房村")
    expect(wafang.get_by_test_id("cell-active")).to_have_text("2")
    expect(page.get_by_test_id("total-active")).to_contain_text("3")
    expect(page.get_by_test_id("board")).to_have_attribute("hx-trigger", "every 60s")

    wafang.get_by_test_id("cell-active").click()
    expect(page.get_by_test_id("board-list-title")).to_contain_text("瓦房村")
    rows = page.get_by_test_id("board-list-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="赵一")).to_be_visible()
    expect(rows.filter(has_text="孙三")).to_have_count(0)


def test_an_order_placed_from_the_person_page_is_released_by_a_doctor(
    browser, page, log_in, live_server, hq_user, doctor, town
):
    person = _person(town, "wafang_1", "张三", 711)
    began = timezone.localdate() - timedelta(days=14)

    hq = log_in(page, hq_user)
    hq.goto(f"{live_server.url}{person.get_absolute_url()}")
    hq.get_by_test_id("person-orders").get_by_test_id("order-place").click()
    form = hq.get_by_test_id("order-form")
    form.locator("[name=reason]").select_option(label="密切接触者")
    form.locator("[name=basis]").fill("县疾控密接名单第3批")
    form.locator("[name=starts_on]").fill(began.isoformat())
    form.get_by_test_id("order-submit").click()

    expect(hq.get_by_test_id("order-status")).to_have_text("隔离中")
    expect(hq.get_by_test_id("order-period")).to_contain_text(
        f"{began:%Y-%m-%d} → {timezone.localdate():%Y-%m-%d}"
    )
    expect(hq.get_by_test_id("release-refused")).to_be_visible()
    order = QuarantineOrder.objects.get(person=person)

    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    medic = log_in(context.new_page(), doctor)
    medic.goto(f"{live_server.url}/quarantine/orders/{order.pk}/")
    release = medic.get_by_test_id("action-release")
    release.locator("summary").click()
    release.locator("[name=note]").fill("期满，无发热，两次核酸阴性")
    release.get_by_test_id("submit-release").click()

    expect(medic.get_by_test_id("order-status")).to_have_text("已解除")
    expect(medic.get_by_test_id("released-by")).to_have_text(re.compile("李医生"))
    context.close()
    order.refresh_from_db()
    assert order.status == QuarantineOrder.Status.RELEASED
    assert order.released_by_doctor == doctor
