"""The engagement count caches give the live figures, and are never read when stale."""

import datetime as dt

import pytest

from distribution import selectors, services
from distribution.models import AggregateState
from tests.distribution.conftest import engage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _figures(user, code="", cluster=""):
    data = selectors.dashboard(user=user, code=code, cluster=cluster)
    rows = {(r.code, r.is_remainder): (r.total.actual, r.total.required) for r in data["rows"]}
    return rows, data["persons"], data["breakdown"]["levels"], data["breakdown"]["employment"]


@pytest.mark.parametrize("code", ["", "32", "32.04"])
def test_cache_equals_live(world, admin, code):
    live = _figures(admin, code)
    services.actual_aggregates_refresh()
    assert selectors.aggregates_as_of() is not None
    assert _figures(admin, code) == live
    cached_pkh = _figures(admin, code, "pkh")
    AggregateState.objects.all().delete()  # back to live counting
    assert cached_pkh == _figures(admin, code, "pkh")


def test_scoped_users_read_the_cache_through_the_access_filter(world, programmes):
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    cluster_admin = UserFactory(role="admin_klaster", programmes=[programmes["pkh"]])
    live = [_figures(operator), _figures(cluster_admin)]
    services.actual_aggregates_refresh()
    assert [_figures(operator), _figures(cluster_admin)] == live


def test_stale_cache_is_not_used(world, admin, programmes):
    services.actual_aggregates_refresh()
    engage(programmes["pkh"], "32.04", "32.04.05")  # after the refresh
    cached = selectors.dashboard(user=admin, code="32")["total"].total.actual
    AggregateState.objects.update(refreshed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    live = selectors.dashboard(user=admin, code="32")["total"].total.actual
    assert live == cached + 1
