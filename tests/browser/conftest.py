"""Playwright fixtures: Debian's Chromium, headless, against pytest-django's live_server.

`playwright install` cannot download browsers here, so the system Chromium is launched through
`executable_path` (FANGXIAN_CHROMIUM overrides the path). When it is missing the browser tests
are skipped on a laptop and fail under CI, so a CI run never passes without them.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

# Playwright's sync API keeps an asyncio event loop running in the test thread; Django would
# otherwise refuse database access from it (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    # No calls home: they fail with connection errors on a closed network.
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TIMEOUT_MS = 10_000
FAILURE_SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def chromium_path() -> str | None:
    configured = os.environ.get("FANGXIAN_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    path = chromium_path()
    if not path:
        message = "Chromium not found (apt-get install chromium, or set FANGXIAN_CHROMIUM)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _new_context(browser: Browser, **options) -> BrowserContext:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.fx_call_failed = report.failed
    return report


def _page_fixture(browser: Browser, request: pytest.FixtureRequest, **options) -> Iterator[Page]:
    context = _new_context(browser, **options)
    page = context.new_page()
    yield page
    if getattr(request.node, "fx_call_failed", False):
        FAILURE_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=FAILURE_SCREENSHOTS / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A desktop-sized page in a fresh context (no cookies); a screenshot is kept on failure."""
    yield from _page_fixture(browser, request)


@pytest.fixture
def phone_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page on a phone-sized touch screen (390×844, the size of a common Android phone)."""
    yield from _page_fixture(browser, request, **PHONE)


@pytest.fixture
def log_in(live_server):
    """Log a user into a page without the login form: put a fresh session cookie in its context."""

    def log_in(page: Page, user) -> Page:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return page

    return log_in
