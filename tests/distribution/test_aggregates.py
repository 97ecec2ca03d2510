"""The engagement count caches give the live figures, and are never read when stale."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

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


def _page(client, user, code=""):
    client.force_login(user)
    url = reverse("distribution:region", args=[code]) if code else reverse("distribution:dashboard")
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("code", ["", "32", "32.04"])
def test_a_page_of_cached_figures_says_from_when(client, world, admin, code):
    # given: the caches were rebuilt five minutes ago
    services.actual_aggregates_refresh()
    refreshed = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    AggregateState.objects.update(refreshed_at=refreshed)

    # when
    html = _page(client, admin, code)

    # then: the time of the cache read, in Jakarta time and the Indonesian date order
    local = timezone.localtime(refreshed)
    assert f"Angka per {local:%d-%m-%Y %H:%M}" in html


def test_a_page_counted_live_names_no_cache_time(client, world, admin):
    # given: a fresh cache, but a district's page counts its villages live
    services.actual_aggregates_refresh()

    # when / then
    assert "Angka per" not in _page(client, admin, "32.04.05")
    AggregateState.objects.all().delete()  # and without a cache nothing is cached anywhere
    assert "Angka per" not in _page(client, admin, "32")
