"""The distribution pages in English: translated, and no internal names in either language."""

import pytest
from django.urls import reverse
from django.utils import translation

from distribution import services

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    # A request in English leaves English active in this thread; later tests expect the default.
    yield
    translation.deactivate()


def _english(client, user):
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/sebaran/"})
    return client


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/sebaran/wilayah/32/", "Facilitator distribution: "),
        ("/sebaran/beban-kerja/?region=32.04", "Facilitator workload: "),
        ("/sebaran/redistribusi/32/?cluster=pkh", "Redeployment and recruitment need: "),
        ("/sebaran/standar/", "Facilitator staffing standards"),
        ("/sebaran/data/", "Need and population data"),
    ],
)
def test_pages_read_in_english_when_chosen(world, client, admin, url, heading):
    # given
    client = _english(client, admin)
    # when
    html = client.get(url).content.decode()
    # then
    assert heading in html
    assert "Klaster/program</label>" not in html and "Dasbor</a>" not in html


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_dashboard_names_no_job_command_or_algorithm(world, client, admin, language):
    # given: figures read from the stored counts, the case that explains where they come from
    services.actual_aggregates_refresh()
    client.force_login(admin)
    client.post(reverse("set_language"), {"language": language, "next": "/sebaran/"})
    # when
    pages = [
        client.get(url).content.decode()
        for url in ("/sebaran/wilayah/32/", "/sebaran/redistribusi/32/?cluster=pkh")
    ]
    # then
    for html in pages:
        for word in ("distribution_refresh", "distribution_snapshot", "min-cost", "manage.py"):
            assert word not in html


def test_the_chart_series_are_named_in_the_page_language(world, client, admin):
    # given
    client = _english(client, admin)
    # when
    html = client.get("/sebaran/wilayah/32/").content.decode()
    # then: the charts' data carries the series names the script draws
    assert '"actual": "Actual"' in html and '"required": "Required"' in html
