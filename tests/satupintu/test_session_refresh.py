"""A signed-in session stays alive while it is used, but is written at most once every
SESSION_REFRESH_SECONDS, not on every request (issue 14: SESSION_SAVE_EVERY_REQUEST wrote a
row per page view)."""

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satupintu import middleware
from tests.factories import UserFactory

PAGE = "/registri/"


@pytest.fixture
def clock(monkeypatch):
    now = {"t": 1_800_000_000.0}
    monkeypatch.setattr(middleware.time, "time", lambda: now["t"])
    return now


def _session_writes(client, path=PAGE) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return sum(
        1
        for q in queries.captured_queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith("UPDATE")
    )


def test_a_session_in_use_is_written_once_per_interval(client, db, clock, settings):
    settings.SESSION_REFRESH_SECONDS = 300
    client.force_login(UserFactory(role="admin_nasional", password=None))
    key = client.session.session_key
    assert _session_writes(client) == 1  # the first page after sign-in marks the refresh
    first_expiry = Session.objects.get(pk=key).expire_date

    # within the interval: pages are served without writing the session
    clock["t"] += 120
    assert _session_writes(client) == 0
    assert _session_writes(client) == 0
    assert Session.objects.get(pk=key).expire_date == first_expiry

    # past it: the next page writes it again, and the idle limit moves on
    clock["t"] += 300
    assert _session_writes(client) == 1
    assert Session.objects.get(pk=key).expire_date > first_expiry


def test_visitors_who_are_not_signed_in_get_no_session_row(client, db, clock):
    before = Session.objects.count()
    assert client.get("/masuk/").status_code == 200
    assert Session.objects.count() == before
