"""Browser tests of the console (/console) in headless Chromium.

.ci/browser.sh starts `onyx serve --demo` and passes its address and the demo owner's
sign-in in ONYX_CONSOLE_BASE, ONYX_OWNER_EMAIL and ONYX_OWNER_PASSWORD. Chromium is
Debian's package (`/usr/bin/chromium`, or CHROMIUM_PATH); Playwright drives it, no
browser download. A failing test leaves a screenshot in tests/browser/artifacts/.
"""

import os
import pathlib
import re

import pytest
from playwright.sync_api import sync_playwright

HERE = pathlib.Path(__file__).parent
ARTIFACTS = HERE / "artifacts"
BASE = os.environ.get("ONYX_CONSOLE_BASE", "http://127.0.0.1:8080").rstrip("/")
OWNER_EMAIL = os.environ.get("ONYX_OWNER_EMAIL", "owner@demo-partner.example")
OWNER_PASSWORD = os.environ.get("ONYX_OWNER_PASSWORD", "")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 860}, accept_downloads=True)
    ctx.set_default_timeout(15000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, request):
    pg = context.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.csp_errors = errors
    yield pg


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for name in ("page", "viewer_page"):
            pg = item.funcargs.get(name)
            if pg is None:
                continue
            try:
                path = ARTIFACTS / f"{item.name}-{name}.png"
                pg.screenshot(path=str(path), full_page=True)
                print(f"screenshot: {path}")
            except Exception as e:  # the page may be gone
                print(f"no screenshot: {e}")


def sign_in(page, email=OWNER_EMAIL, password=OWNER_PASSWORD):
    page.goto(f"{BASE}/console/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/console/$"))


@pytest.fixture
def owner(page):
    sign_in(page)
    return page
