"""In real headless Chromium, under the Content-Security-Policy (issue 12, item 9): pages with
htmx, Chart.js and auto-submitting selects work and the browser reports no violation."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_registry_browser import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shared_connection_lock")]


def test_pages_work_under_the_policy(page, live_server, reference_data):
    # given
    UserFactory(username="admin-csp", role="admin_nasional")
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )

    # when: signed in (the registry list loads its rows with htmx)
    sign_in(page, "admin-csp")
    response = page.goto("/registri/tinjau/")

    # then: the header is there, and the select sends its form without an inline handler
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "no-store" in response.headers["cache-control"]
    page.select_option("select[name=code]", index=1)
    page.wait_for_url("**/registri/tinjau/?code=*")

    # when: the distribution dashboard (Chart.js, htmx) and the language switch
    page.goto("/sebaran/")
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")

    # then
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert violations == []
