"""Real headless Chromium (Debian's package, never a downloaded browser) for the browser tests.

Without Chromium the tests are skipped with a message, except in CI (CI=true), where a missing
browser is a failure: CI must run them (.ci/run installs the package).
"""

import io
import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import connection

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")


@pytest.fixture(scope="session")
def chromium() -> str:
    path = chromium_path()
    if path is None:
        missing = f"Chromium not found ({CHROMIUM} or `chromium` on PATH)"
        install = "install Debian's package: apt-get install chromium"
        if os.environ.get("CI") == "true":
            pytest.fail(
                f"{missing}; CI=true, so the browser tests must run: {install}.", pytrace=False
            )
        pytest.skip(f"{missing}: browser tests skipped; to run them, {install}.")
    return path


@pytest.fixture(scope="session")
def browser(chromium: str):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an asyncio loop in this thread for as long as the browser
    # lives; Django would then refuse the ORM calls the tests make to set up their data.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium, headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Traffic:
    """Every URL the page asked for, and every response that failed."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.failures: list[str] = []

    def on_response(self, response) -> None:
        if response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


class InFlight:
    """How many live-server requests are running. Closing the browser does not stop a request
    the server has begun (the inbox badge loads on every page), and emptying the tables under it
    fails on SQLite ("database table is locked"): the page fixture waits for them to end."""

    def __init__(self) -> None:
        self.count = 0
        self.changed = threading.Condition()

    def started(self, **kwargs) -> None:
        with self.changed:
            self.count += 1

    def finished(self, **kwargs) -> None:
        with self.changed:
            self.count = max(self.count - 1, 0)
            self.changed.notify_all()

    def wait_until_idle(self, timeout: float = 30) -> None:
        with self.changed:
            self.changed.wait_for(lambda: self.count == 0, timeout=timeout)


@pytest.fixture
def page(browser, live_server, transactional_db, traffic: Traffic) -> Iterator:
    # transactional_db by name: pytest-django orders tests by the fixtures they name, and the
    # live server flushes every table after the test; named here, every browser test runs after
    # the tests that rely on the migrated reference data (regions, programmes).
    in_flight = InFlight()
    request_started.connect(in_flight.started, dispatch_uid="browser-in-flight-start")
    request_finished.connect(in_flight.finished, dispatch_uid="browser-in-flight-finish")
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.on("request", lambda request: traffic.requests.append(request.url))
    page.on("response", traffic.on_response)
    yield page
    context.close()
    in_flight.wait_until_idle()
    request_started.disconnect(dispatch_uid="browser-in-flight-start")
    request_finished.disconnect(dispatch_uid="browser-in-flight-finish")


@pytest.fixture
def reference_data(transactional_db, settings) -> None:
    """Regions and programmes. A transactional test empties every table when it ends, so the
    next one loads them again (about two seconds)."""
    from regions.models import Province
    from registry.models import Programme

    if Province.objects.count() != 38 or not Programme.objects.exists():
        call_command("load_reference", verbosity=0, stdout=io.StringIO())
    # Sign-in goes through the real login form; a cheap hasher keeps it quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def shared_connection_lock(live_server) -> Iterator:
    """On in-memory SQLite, a lock that every live-server request holds while it runs; ``None``
    on other databases.

    There the server's threads share the test thread's connection (pytest-django, like Django's
    LiveServerTestCase), and Django requires that no two threads use it at once: every request
    may write the session (SessionRefreshMiddleware) in its own ``atomic`` block, so an htmx poll
    or badge overlapping another request, or work the test thread does meanwhile (hold the lock
    for that), breaks the other's transaction. PostgreSQL gives each thread its own connection.
    """
    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        yield None
        return
    lock, held = threading.Lock(), threading.local()

    def started(**kwargs) -> None:
        lock.acquire()
        held.taken = True

    def finished(**kwargs) -> None:
        # A response may be closed twice; release only what this thread took.
        if getattr(held, "taken", False):
            held.taken = False
            lock.release()

    request_started.connect(started, dispatch_uid="browser-shared-connection-start")
    request_finished.connect(finished, dispatch_uid="browser-shared-connection-finish")
    yield lock
    request_started.disconnect(dispatch_uid="browser-shared-connection-start")
    request_finished.disconnect(dispatch_uid="browser-shared-connection-finish")
