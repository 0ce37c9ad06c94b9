"""The command dashboard (大屏) on a 1920×1080 screen: every chart draws (ECharts canvases with
more than a background in them), the figures are those of the records, an image of a chart
downloads, the figures refresh in place (no reload), no JavaScript error reaches the console;
and on a phone it is one column without sideways scrolling."""

import importlib
import re

import pytest
from django.apps import apps
from django.conf import settings
from playwright.sync_api import expect

from fangxian.accounts.roles import Role
from fangxian.quarantine.models import QuarantineKind
from fangxian.reports.models import Indicator
from fangxian.reports.rollup import figures_refresh
from fangxian.reports.tests.ops_scenario import Scenario
from tests import factories
from tests.browser.conftest import _new_context

pytestmark = pytest.mark.browser
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"
CHARTS = 7


def _seed_defaults():
    """A live-server test before this one flushed the rows the data migrations seeded."""
    if not QuarantineKind.objects.exists():
        importlib.import_module("fangxian.quarantine.migrations.0002_default_settings").seed(
            apps, None
        )
    if not Indicator.objects.exists():
        for name in ("0002_default_settings", "0004_ops_indicators"):
            importlib.import_module(f"fangxian.reports.migrations.{name}").seed(apps, None)


@pytest.fixture
def scenario(town, hq_user):
    _seed_defaults()
    cadre = factories.make_user(role=Role.VILLAGE_CADRE, region=town["wafang"], username="cadre")
    built = Scenario(town, hq_user, cadre).build()
    figures_refresh(first=built.days[0], last=built.today)
    return built


@pytest.fixture
def big_screen(browser):
    context = _new_context(browser, viewport={"width": 1920, "height": 1080}, accept_downloads=True)
    yield context.new_page()
    context.close()


def _watch(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


# Distinct colours in each chart's canvas (a blank chart has one or two).
COLOURS = """() => Array.from(document.querySelectorAll('.fx-chart canvas')).map((canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const seen = new Set();
  for (let i = 0; i < data.length; i += 16) { seen.add(data[i] << 16 | data[i + 1] << 8 | data[i + 2]); }
  return seen.size;
})"""


def test_the_dashboard_draws_its_charts_on_a_big_screen(
    big_screen, log_in, live_server, scenario, hq_user, tmp_path
):
    page = log_in(big_screen, hq_user)
    errors = _watch(page)
    page.goto(f"{live_server.url}/reports/dashboard/")
    expect(page.get_by_test_id("dashboard-title")).to_contain_text("乌龙镇")
    expect(page.locator(".fx-chart canvas")).to_have_count(CHARTS)
    page.wait_for_timeout(1500)  # ECharts animates the first drawing
    colours = page.evaluate(COLOURS)
    assert len(colours) == CHARTS and min(colours) > 5, colours
    series = page.evaluate(
        "() => Object.values(window.fxDashboard.charts).map((c) => c.getOption().series.length)"
    )
    assert len(series) == CHARTS and min(series) >= 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "dashboard-1920x1080.png")

    # The figures of the records, and the time they are as of.
    people = page.locator('[data-testid="headlines"] [data-key="checkpoints.people"]')
    expect(people.get_by_test_id("value")).to_have_text("13人次")
    expect(people).to_contain_text("较昨日 ↑10")
    expect(page.get_by_test_id("as-of")).to_have_text(re.compile(r"^\d\d:\d\d:\d\d$"))
    expect(page.get_by_test_id("missing-units")).to_contain_text("碑棋社区")

    # A chart saved as an image.
    with page.expect_download() as download_info:
        page.locator('[data-image="trend_traffic"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    saved = tmp_path / "chart.png"
    download.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and saved.stat().st_size > 5000

    # New records, the roll-up refreshed: the page takes the figures without reloading.
    page.evaluate("() => { window.fxStayed = true; }")
    scenario.passage("wafang", 2, people=4, plate="云A77777")
    figures_refresh(first=scenario.today, last=scenario.today)
    page.evaluate("() => window.fxDashboard.refresh()")
    expect(people.get_by_test_id("value")).to_have_text("17人次")
    assert page.evaluate("() => window.fxStayed") is True

    # A tile opens the list behind it.
    people.click()
    expect(page.get_by_test_id("records")).to_contain_text("瓦房卡点")
    assert errors == []


def test_the_dashboard_is_one_column_on_a_phone(phone_page, log_in, live_server, scenario, hq_user):
    page = log_in(phone_page, hq_user)
    errors = _watch(page)
    page.goto(f"{live_server.url}/reports/dashboard/")
    expect(page.locator(".fx-chart canvas")).to_have_count(CHARTS)
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth,"
        " document.querySelector('.fx-chart').getBoundingClientRect().width]"
    )
    assert widths[0] <= widths[1] and widths[2] > widths[1] * 0.8, widths
    assert errors == []
