"""The console's flows in a real browser (see conftest.py for how it runs)."""

import os
import pathlib
import re
import time
import uuid

import pytest

from conftest import BASE, sign_in
from receiver import Receiver

HERE = pathlib.Path(__file__).parent
AXE = HERE / "vendor" / "axe.min.js"
DOCS = os.environ.get("ONYX_SCREENSHOTS_DIR")


def docs_shot(page, name):
    """Saves a README screenshot when asked to (`.ci/browser.sh --screenshots`)."""
    if DOCS:
        pathlib.Path(DOCS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(pathlib.Path(DOCS) / name), full_page=False)


def poll(page, check, timeout=40.0):
    deadline = time.time() + timeout
    while True:
        if check():
            return
        if time.time() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.5)
        page.reload()


def state_badge(page):
    return page.locator("main > p .badge").first.inner_text().strip()


def plan_package(page):
    values = page.eval_on_selector_all("#package_id option", "els => els.map(e => e.value)")
    plans = [v for v in values if re.fullmatch(r"[a-z]{2}-\d+gb-\d+d", v)]
    assert plans, f"no plan package offered: {values}"
    return plans[0]


def create_order(page, reference):
    page.goto(f"{BASE}/console/orders/new")
    page.fill("#customer_reference", reference)
    page.select_option("#package_id", plan_package(page))
    page.check("input[name=identity_verified]")
    page.click("button:has-text('Create order')")
    page.wait_for_url(re.compile(r".*/console/orders/ord_[A-Za-z0-9]+$"))


def test_sign_in_shows_the_environment_and_overview(owner):
    page = owner
    assert "SANDBOX" in page.locator(".envbar").inner_text()
    assert page.locator("h1").inner_text() == "Overview"
    assert page.locator("text=EUR available").count() == 1
    # Times are shown in the viewer's zone by the script; the UTC time stays in the title.
    for t in page.locator("time").all()[:3]:
        assert t.get_attribute("title").endswith("UTC")
    assert not [e for e in page.csp_errors if "Content Security Policy" in e], page.csp_errors
    docs_shot(page, "console-overview.png")


def test_wrong_password_is_a_sentence(page):
    page.goto(f"{BASE}/console/login")
    page.fill("#email", f"nobody-{uuid.uuid4().hex[:8]}@example.com")
    page.fill("#password", "not the password at all")
    page.click("button[type=submit]")
    assert "The email or password is wrong." in page.locator("[role=alert]").inner_text()


def test_sandbox_order_to_active_with_activation_materials(owner):
    page = owner
    reference = f"browser-{uuid.uuid4().hex[:10]}"
    create_order(page, reference)
    poll(page, lambda: state_badge(page) == "completed")
    assert page.locator("ol.timeline li").count() >= 2
    assert page.locator("ol.timeline").inner_text().count("order.") >= 2
    docs_shot(page, "console-order.png")
    page.click("a[href^='/console/services/svc_']")
    poll(page, lambda: state_badge(page) == "ready to install")
    service_url = page.url
    # Revealed only on an explicit click (a POST), with the QR code as an image.
    assert page.locator(".secret").count() == 0
    page.click("button:has-text('Reveal activation materials')")
    code = page.locator("dd.secret").first.inner_text()
    assert code.startswith("LPA:1$"), code
    page.wait_for_function("() => document.querySelector('img.qr').naturalWidth > 0")
    # The customer installs (the sandbox helper), and the service is active.
    page.goto(service_url)
    page.click("button:has-text('Simulate the customer')")
    poll(page, lambda: state_badge(page) == "active")
    # The reveal is in the audit log like the API's reads.
    page.goto(f"{BASE}/console/audit?action=activation.read")
    assert page.locator("table.list tbody tr").count() >= 2


def test_webhook_endpoint_and_delivery(owner):
    page = owner
    receiver = Receiver()
    try:
        page.goto(f"{BASE}/console/webhooks")
        page.fill("#url", receiver.url)
        page.fill("#description", "Browser test receiver")
        page.click("button:has-text('Add endpoint')")
        assert page.locator("#shown-secret").inner_text().startswith("whsec_")
        # The secret is shown once: not on the next visit.
        row = page.locator("tr", has_text=receiver.url)
        row.locator("button:has-text('Send test event')").click()
        page.wait_for_url(re.compile(r".*/console/deliveries\?endpoint_id=.*"))
        poll(page, lambda: page.locator("details.delivery .badge.ok").count() >= 1)
        assert receiver.requests, "the receiver got no request"
        path, headers, body = receiver.requests[0]
        assert b"webhook.test" in body
        page.locator("details.delivery").first.evaluate("d => d.open = true")
        page.locator("details.request").first.evaluate("d => d.open = true")
        delivery = page.locator("details.delivery").first.inner_text()
        assert "HTTP 200" in delivery
        assert '"type": "webhook.test"' in delivery, delivery
        docs_shot(page, "console-webhooks.png")
        page.goto(f"{BASE}/console/webhooks")
        assert page.locator("#shown-secret").count() == 0
    finally:
        receiver.close()


@pytest.fixture
def viewer_page(browser):
    ctx = browser.new_context(viewport={"width": 390, "height": 844})
    ctx.set_default_timeout(15000)
    pg = ctx.new_page()
    yield pg
    ctx.close()


def test_invited_viewer_cannot_create_orders(owner, viewer_page):
    page = owner
    email = f"viewer-{uuid.uuid4().hex[:8]}@example.com"
    page.goto(f"{BASE}/console/team")
    page.fill("#invite-email", email)
    page.select_option("#role", "viewer")
    page.click("button:has-text('Send invitation')")
    link = page.locator("#invite-link").get_attribute("href")
    assert "/console/accept?token=" in link
    viewer = viewer_page
    viewer.goto(link)
    viewer.fill("#name", "Vera Viewer")
    viewer.fill("#password", "a long viewer passphrase")
    viewer.click("button:has-text('Accept invitation')")
    viewer.wait_for_url(re.compile(r".*/console/login\?reason=accepted"))
    sign_in(viewer, email, "a long viewer passphrase")
    viewer.goto(f"{BASE}/console/orders")
    assert viewer.locator("text=Create an order").count() == 0
    assert viewer.locator("nav.side a:has-text('Webhooks')").count() == 0
    # A forged order form (with the viewer's own CSRF token) is refused and creates nothing.
    csrf = viewer.locator("input[name=csrf]").first.get_attribute("value")
    reference = f"forged-{uuid.uuid4().hex[:8]}"
    resp = viewer.request.post(
        f"{BASE}/console/orders",
        form={
            "csrf": csrf,
            "type": "activate_subscription",
            "customer_reference": reference,
            "package_id": "de-1gb-7d",
        },
    )
    assert resp.status == 403
    assert "may not create, cancel or retry orders" in resp.text()
    page.goto(f"{BASE}/console/orders?q={reference}")
    assert page.locator("text=No order matches.").count() == 1


def test_ledger_csv_export(owner):
    page = owner
    page.goto(f"{BASE}/console/wallet")
    assert page.locator("h2:has-text('Ledger')").count() == 1
    with page.expect_download() as download:
        page.click("#export-csv")
    content = pathlib.Path(download.value.path()).read_text()
    header = content.splitlines()[0]
    assert header.startswith("id,"), header
    assert "credit" in content


def test_support_case_refused_for_a_secret_then_opened(owner):
    page = owner
    page.goto(f"{BASE}/console/support/new")
    page.fill("#subject", "Customer cannot connect")
    page.fill("#issue", "The customer paid with 4111 1111 1111 1111 and has no data since this morning.")
    page.select_option("#category", "connectivity")
    page.click("button:has-text('Open case')")
    alert = page.locator("[role=alert]").inner_text()
    assert "payment card" in alert, alert
    # What was typed is kept; the clean text is accepted.
    assert page.locator("#subject").input_value() == "Customer cannot connect"
    page.fill("#issue", "The customer has had no data since this morning; the service shows active.")
    page.click("button:has-text('Open case')")
    page.wait_for_url(re.compile(r".*/console/support/[a-z]+_[A-Za-z0-9]+$"))
    assert page.locator("h1").inner_text() == "Customer cannot connect"


MAIN_PAGES = [
    "/console/",
    "/console/catalogue",
    "/console/orders",
    "/console/orders/new",
    "/console/services",
    "/console/wallet",
    "/console/invoices",
    "/console/webhooks",
    "/console/deliveries",
    "/console/credentials",
    "/console/team",
    "/console/support",
    "/console/support/new",
    "/console/readiness",
    "/console/audit",
]


def axe_violations(page):
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    return [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_accessibility_of_the_main_pages(browser):
    # axe is injected as a script tag: this context alone bypasses the console's CSP.
    ctx = browser.new_context(bypass_csp=True)
    page = ctx.new_page()
    try:
        page.goto(f"{BASE}/console/login")
        assert axe_violations(page) == []
        sign_in(page)
        found = {}
        for path in MAIN_PAGES:
            page.goto(f"{BASE}{path}")
            v = axe_violations(page)
            if v:
                found[path] = v
        assert found == {}, found
    finally:
        ctx.close()
