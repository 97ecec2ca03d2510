"""A scope found large is remembered, so its next pages skip reading SMALL_SCOPE + 1 person
ids (issue 14); a small scope is probed afresh every time; either way a page is the same."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import selectors
from tests.factories import EngagementFactory, UserFactory


def _probes(user) -> tuple[selectors.Probe, int]:
    with CaptureQueriesContext(connection) as queries:
        probe = selectors.scope_probe(user, selectors.RegistryFilters())
    distinct = sum("DISTINCT" in q["sql"] for q in queries.captured_queries)
    return probe, distinct


@pytest.fixture
def bandung(db, programmes):
    for _ in range(4):
        EngagementFactory(regency_id="32.04")
    return UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04", password=None
    )


def test_a_large_scope_is_probed_once_then_remembered(bandung, monkeypatch):
    monkeypatch.setattr(selectors, "SMALL_SCOPE", 2)
    first, read = _probes(bandung)
    assert (first.scope_ids, first.people_seen, read) == (None, 3, 1)
    again, read = _probes(bandung)
    assert (again.scope_ids, again.people_seen, read) == (None, 3, 0)
    # and the page is the one a fresh probe gives
    walked = selectors.person_page(user=bandung, filters=selectors.RegistryFilters())
    assert len(walked.people) == 4


def test_a_small_scope_is_probed_every_time(bandung):
    first, read = _probes(bandung)
    assert len(first.scope_ids) == 4 and read == 1
    EngagementFactory(regency_id="32.04")  # a new person in scope is seen on the next page
    again, read = _probes(bandung)
    assert len(again.scope_ids) == 5 and read == 1
