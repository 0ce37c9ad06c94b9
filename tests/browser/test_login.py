import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser


def test_grid_worker_logs_in_and_lands_on_their_grid(page, live_server, grid_worker, town):
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form")
    form.locator("[name=username]").fill("grid")
    form.locator("[name=password]").fill(factories.PASSWORD)
    form.locator("[type=submit]").click()

    expect(page).to_have_url(live_server.url + town["wafang_1"].get_absolute_url())
    expect(page.get_by_test_id("current-user")).to_have_text(grid_worker.full_name)
    expect(page.get_by_test_id("totals")).to_be_visible()
