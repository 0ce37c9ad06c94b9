"""Exposure search (流调) in a browser: a tracer finds the case in the ledger as they type, states
the purpose, runs the search and reads the contacts masked; reveals one; asks for the second
ring and sees it once the background job is done."""

import pytest
from playwright.sync_api import expect

from fangxian.core.masking import mask_id_number
from fangxian.tracing.models import Search
from fangxian.tracing.tests.conftest import scenario, tracer  # noqa: F401

pytestmark = pytest.mark.browser


def test_a_tracer_runs_a_search_and_reads_the_contacts(
    phone_page,
    log_in,
    live_server,
    scenario,  # noqa: F811
    tracer,  # noqa: F811
):
    page = log_in(phone_page, tracer)
    page.goto(f"{live_server.url}/tracing/")
    page.get_by_test_id("new-search").click()

    page.get_by_test_id("subject-q").fill("张三")
    candidate = page.get_by_test_id("candidate")
    expect(candidate).to_have_count(1)
    expect(page.locator("#candidates")).to_contain_text(mask_id_number(scenario.subject.id_number))
    candidate.check()
    page.locator("#id_purpose").fill("确诊病例张三的密接排查")
    page.get_by_test_id("run-search").click()

    rows = page.get_by_test_id("contact-row")
    expect(rows).to_have_count(8)
    li = scenario.people["李四"]
    expect(page.locator("main")).to_contain_text("李四")
    expect(page.locator("main")).to_contain_text("过客甲")
    expect(page.locator("main")).not_to_contain_text(li.id_number)
    expect(page.get_by_test_id("purpose")).to_contain_text("确诊病例张三的密接排查")

    zhou = rows.filter(has_text="周九")
    zhou.get_by_test_id("reveal").click()
    expect(zhou).to_contain_text(scenario.people["周九"].id_number)

    page.get_by_test_id("second-ring").click()
    expect(page.get_by_test_id("ring2")).to_be_visible()
    search = Search.objects.get()
    assert search.ring2_status == Search.Ring2.DONE
    assert search.ring2_count > 0
    page.get_by_test_id("ring2").click()
    expect(page.get_by_test_id("contact-row")).to_have_count(search.ring2_count)
