"""Checkpoints on a phone at night: a worker opens their shift, registers a car with a ledger
person found by ID number and a stranger, is told in Chinese what is missing, and saves; a
device's retried POST to the endpoint makes one record."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from fangxian.accounts.roles import Role
from fangxian.checkpoints.models import Passage, Shift, ShiftMember
from tests import factories

pytestmark = pytest.mark.browser


@pytest.fixture
def on_duty(town):
    """A checkpoint of 瓦房村 and its staff member, on a shift now."""
    checkpoint = factories.make_checkpoint(region=town["wafang"], name="瓦房村口卡点")
    staff = factories.make_user(
        role=Role.CHECKPOINT_STAFF, region=town["wafang"], username="kadian", full_name="值守员"
    )
    now = timezone.now()
    shift = Shift.objects.create(
        checkpoint=checkpoint, starts_at=now - timedelta(hours=3), ends_at=now + timedelta(hours=5)
    )
    ShiftMember.objects.create(shift=shift, user=staff, duty=ShiftMember.Duty.CADRE)
    return checkpoint, staff


def test_a_worker_registers_a_car_on_a_phone(phone_page, log_in, live_server, on_duty, town):
    _, staff = on_duty
    person = factories.make_person(
        region=town["wafang_1"], name="张三", id_number=factories.valid_id_number(sequence=123)
    )
    page = log_in(phone_page, staff)
    page.goto(f"{live_server.url}/checkpoints/")
    expect(page.get_by_test_id("current-shift")).to_contain_text("瓦房村口卡点")
    page.get_by_test_id("register").click()

    page.get_by_test_id("plate").fill("云a12345")
    page.get_by_test_id("id-number-0").fill(person.id_number)
    found = page.get_by_test_id("person-found")
    expect(found).to_contain_text("张三")
    expect(found).to_contain_text(person.id_number_masked)
    expect(found).not_to_contain_text(person.id_number)
    page.get_by_test_id("temperature-0").fill("38.1")
    page.get_by_test_id("colour-green-0").click()
    page.get_by_test_id("verified-0").click()
    page.get_by_test_id("more-people").click()
    page.locator("#id_people-1-name").fill("过路人")
    page.get_by_test_id("temperature-1").fill("36.4")
    page.get_by_test_id("decision-turned_back").click()
    # one thumb: the main targets are at least 44 px high
    for target in ("save", "decision-turned_back", "colour-green-0", "direction-in"):
        assert page.get_by_test_id(target).bounding_box()["height"] >= 44
    page.get_by_test_id("save").click()

    expect(page.locator("[data-field-error=decision_reason]")).to_contain_text("处置理由：")
    assert not Passage.objects.exists()
    page.locator("#id_decision_reason").fill("发热，劝返就医")
    page.get_by_test_id("save").click()

    expect(page.get_by_role("alert")).to_contain_text("通行已登记")
    passage = Passage.objects.get()
    assert (passage.plate, passage.decision, passage.fever_count) == ("云A12345", "turned_back", 1)
    rows = list(passage.people.order_by("id").values_list("name", "person_id", "fever"))
    assert rows == [("张三", person.pk, True), ("过路人", None, False)]


def test_a_retried_device_post_makes_one_passage(page, log_in, live_server, on_duty):
    checkpoint, staff = on_duty
    page = log_in(page, staff)
    page.goto(f"{live_server.url}/checkpoints/{checkpoint.pk}/passages/new/")
    body = {
        "checkpoint": checkpoint.pk,
        "client_id": str(uuid.uuid4()),
        "direction": "in",
        "decision": "released",
        "plate": "云A54321",
        "people": [{"name": "李司机", "temperature": 36.5}],
    }
    answers = page.evaluate(
        """async (body) => {
            const token = document.cookie.split('; ').find(c => c.startsWith('csrftoken=')).split('=')[1];
            const send = () => fetch('/checkpoints/api/passages/', {
                method: 'POST', body: JSON.stringify(body),
                headers: {'Content-Type': 'application/json', 'X-CSRFToken': token}});
            const first = await send(); const second = await send();
            return [[first.status, await first.json()], [second.status, await second.json()]];
        }""",
        body,
    )
    (first_status, first), (second_status, second) = answers
    assert (first_status, second_status) == (201, 200)
    assert first["id"] == second["id"] == Passage.objects.get().pk
    assert json.dumps(second, ensure_ascii=False).count("李司机") == 0


def test_a_passage_sent_again_after_a_lost_answer_is_registered_once(
    phone_page, log_in, live_server, on_duty
):
    """The answer to the first save is lost (the server did save it); the worker opens the form
    again, finds what they typed restored from the phone, and saves: still one passage."""
    checkpoint, staff = on_duty
    page = log_in(phone_page, staff)
    url = f"{live_server.url}/checkpoints/{checkpoint.pk}/passages/new/"
    page.goto(url)
    client_id = page.get_by_test_id("client-id").input_value()
    page.get_by_test_id("plate").fill("云A67890")
    page.locator("#id_people-0-name").fill("夜归人")

    def lose_the_answer(route):
        route.fetch()  # the server receives and saves it
        route.abort()  # but the phone never hears back

    page.route(
        url,
        lambda route: (
            lose_the_answer(route) if route.request.method == "POST" else route.continue_()
        ),
    )
    page.get_by_test_id("save").click()
    with pytest.raises(PlaywrightTimeoutError):  # no answer, so no next form
        page.wait_for_url("**?saved=1", timeout=2000)
    page.unroute(url)
    assert Passage.objects.count() == 1

    page.goto(url)
    expect(page.get_by_test_id("draft-restored")).to_be_visible()
    expect(page.get_by_test_id("plate")).to_have_value("云A67890")
    assert page.get_by_test_id("client-id").input_value() == client_id
    page.get_by_test_id("save").click()
    expect(page.get_by_role("alert")).to_contain_text("通行已登记")
    assert Passage.objects.count() == 1
    # the draft is gone once the server has answered
    page.goto(url)
    expect(page.get_by_test_id("draft-restored")).to_be_hidden()
    expect(page.get_by_test_id("plate")).to_have_value("")
