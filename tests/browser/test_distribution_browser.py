"""The distribution dashboard in real headless Chromium: it renders, drill-down works, and no
request leaves localhost (charts and cartogram come from the project's own static files)."""

import os
from urllib.parse import urlparse

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from distribution import services
from regions.models import Village
from registry.models import Programme
from tests.distribution.conftest import engage, write_csv
from tests.factories import UserFactory

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
# (tests/browser/conftest.py sets it too, and provides the Chromium ``browser``, which skips
# with a message when /usr/bin/chromium is missing, unless CI=true.)
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "rahasia-uji-123"
LOCAL_HOSTS = {"localhost", "127.0.0.1"}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),  # a no-op off in-memory SQLite
]


@pytest.fixture
def distribution_world(transactional_db, tmp_path):
    # A transactional test before this one may have emptied the tables: reload if so.
    if not Village.objects.exists() or not Programme.objects.exists():
        call_command("load_reference", verbosity=0)
    admin = UserFactory(role="admin_nasional", username="browser-admin")
    programmes = {p.slug: p for p in Programme.objects.all()}
    services.staffing_standard_create(
        actor=admin,
        programme=programmes["pkh"],
        name="Uji PKH 1:250",
        kind="rasio",
        source="Uji",
        need_unit="keluarga",
        caseload_per_facilitator=250,
    )
    path = write_csv(
        tmp_path / "pkh.csv",
        ["kode_wilayah", "klaster", "jumlah"],
        [["32.04.05", "pkh", 1000], ["32.04.06", "pkh", 750], ["11.01.01", "pkh", 250]],
    )
    services.need_dataset_import(actor=admin, path=path, name="PKH", source="Uji", period="2025")
    for _ in range(3):
        engage(programmes["pkh"], "32.04", "32.04.05")
    engage(programmes["pkh"], "32.04", "32.04.06")
    engage(programmes["pkh"], "11.01", "11.01.01")
    return admin


@pytest.fixture
def dist_page(distribution_world, browser, live_server):
    """A fresh context on the session's Chromium (tests/browser/conftest.py) that records and
    refuses every request not addressed to this test server."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    outside: list[str] = []

    def guard(route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.outside_requests = outside
    yield page
    context.close()


def _login(page, live_server) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("input[name=username]", "browser-admin")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_dashboard_renders_drills_down_and_stays_local(dist_page, live_server):
    page = dist_page
    # given a signed-in national administrator
    _login(page, live_server)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # when the national dashboard opens
    page.goto(f"{live_server.url}/sebaran/")
    page.wait_for_load_state("networkidle")
    # then it shows the figures, one tile per province and the per-province table
    assert "Sebaran pendamping: Indonesia" in page.inner_text("#dash-title")
    assert page.locator("#cartogram .tile").count() == 38
    assert page.locator("#region-table tbody tr").count() == 38
    assert "Jawa Barat" in page.inner_text("#region-table")
    if finders.find("vendor/chartjs/chart.umd.min.js"):
        # Chart.js is served from node_modules via STATICFILES_DIRS: the charts are drawn.
        assert page.evaluate("typeof window.Chart") == "function"
        assert page.evaluate("window.distributionCharts.length") >= 1

    # when the Jawa Barat tile is clicked, then the province page lists its regencies
    page.click('#cartogram a[data-code="32"]')
    page.wait_for_url("**/sebaran/wilayah/32/")
    assert "Jawa Barat" in page.inner_text("#dash-title")
    assert "Kabupaten Bandung" in page.inner_text("#region-table")

    # and a table link goes one level further down, to the districts of the regency
    page.click("#region-table >> text=Kabupaten Bandung")
    page.wait_for_url("**/sebaran/wilayah/32.04/")
    table = page.inner_text("#region-table")
    assert "Cileunyi" in table and "Cimenyan" in table
    assert page.locator("#cartogram .tile").count() >= 30

    # and nothing was requested from outside this server
    assert page.outside_requests == []
    assert requested and all(urlparse(u).hostname in LOCAL_HOSTS for u in requested)
