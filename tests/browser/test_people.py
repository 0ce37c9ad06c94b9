"""The people ledger in a browser: search, the audited full view, scope, adding on a phone."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from fangxian.audit.models import AuditEntry
from fangxian.people import idnumber
from fangxian.people.models import Person
from tests import factories

pytestmark = pytest.mark.browser

MASKED_ID = re.compile(r"^530113\*{8}\d{3}[\dX]$")


@pytest.fixture
def grid_page(page, log_in, grid_worker):
    return log_in(page, grid_worker)


def test_grid_worker_finds_person_by_pinyin_initials(grid_page, live_server, wafang_person, town):
    factories.make_person(region=town["wafang_1"], name="王五")
    page = grid_page
    page.goto(f"{live_server.url}/people/")
    rows = page.get_by_test_id("person-row")
    expect(rows).to_have_count(2)

    page.locator("input[name=q]").press_sequentially("zs")

    expect(page).to_have_url(re.compile(r"[?&]q=zs\b"))  # htmx pushed the search into the URL
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张三")
    masked = rows.first.get_by_test_id("masked-id")
    expect(masked).to_have_text(MASKED_ID)
    expect(masked).to_have_text(wafang_person.id_number_masked)
    assert wafang_person.id_number not in page.content()


def test_reveal_shows_full_id_number_and_is_audited(
    grid_page, live_server, wafang_person, grid_worker
):
    page = grid_page
    page.goto(f"{live_server.url}/people/")
    page.get_by_test_id("person-row").first.click()
    expect(page).to_have_url(live_server.url + wafang_person.get_absolute_url())
    id_number = page.get_by_test_id("id-number")
    expect(id_number).to_have_text(wafang_person.id_number_masked)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.VIEW_FULL).exists()

    page.get_by_test_id("reveal").click()

    expect(id_number).to_have_text(wafang_person.id_number)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW_FULL)
    assert entry.actor == grid_worker
    assert entry.person_id == wafang_person.pk


def test_grid_worker_gets_404_page_for_other_village_person(grid_page, live_server, beiqi_person):
    page = grid_page
    response = page.goto(live_server.url + beiqi_person.get_absolute_url())

    assert response.status == 404
    content = page.content()
    for value in (
        beiqi_person.name,
        beiqi_person.id_number,
        beiqi_person.id_number_masked,
        beiqi_person.phone,
        beiqi_person.phone_masked,
        "碑棋",
    ):
        assert value not in content


def _number_ending_in_x(birth: date) -> str:
    """A valid number whose check character is X, to be typed as a lower-case x."""
    return next(
        number
        for sequence in range(1, 1000, 2)  # odd: a man
        if (number := idnumber.make("530113", birth, sequence)).endswith("X")
    )


def _as_typed_on_a_phone(number: str) -> str:
    """Full-width digits (a Chinese input method), a lower-case x and spaces between groups."""
    wide = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c.lower() for c in number)
    return f"{wide[:6]} {wide[6:14]} {wide[14:]}"


def test_grid_worker_adds_household_and_person_on_a_phone(
    phone_page, log_in, live_server, grid_worker, town
):
    number = _number_ending_in_x(date(1990, 2, 28))
    page = log_in(phone_page, grid_worker)
    page.goto(live_server.url)
    page.get_by_test_id("add-household").click()
    form = page.locator("main form")
    form.locator("[name=address]").fill("瓦房村黄包谷地组8号")
    form.locator("[name=head_name]").fill("赵六")
    form.locator("[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/households/\d+/people/new/$"))
    form.locator("[name=name]").fill("赵六")
    form.locator("[name=id_number]").fill(_as_typed_on_a_phone(number))
    form.locator("[name=relation]").select_option("head")
    form.locator("[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/households/\d+/$"))
    expect(page.get_by_test_id("member-row")).to_have_count(1)
    person = Person.objects.get()
    assert person.id_number == number
    assert person.birth_date == date(1990, 2, 28)
    assert person.sex == Person.Sex.MALE
    assert person.region == town["wafang_1"]
    assert person.household.address == "瓦房村黄包谷地组8号"


def test_wrong_check_digit_shows_error_and_saves_nothing_on_a_phone(
    phone_page, log_in, live_server, grid_worker, town
):
    household = factories.make_household(region=town["wafang_1"])
    number = factories.valid_id_number(sequence=42)
    wrong = number[:17] + ("1" if number[17] != "1" else "2")
    page = log_in(phone_page, grid_worker)
    page.goto(f"{live_server.url}/households/{household.pk}/people/new/")
    form = page.locator("main form")
    form.locator("[name=name]").fill("赵六")
    form.locator("[name=id_number]").fill(wrong)
    form.locator("[type=submit]").click()

    error = form.locator('[data-field-error="id_number"]')
    expect(error).to_be_visible()
    expect(error).to_contain_text(number[17])  # names the expected check character
    expect(form.locator("[name=id_number]")).to_have_value(wrong)
    assert not Person.objects.exists()
