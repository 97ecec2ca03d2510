"""The cascading region selects of the registry forms: each one points at a select that exists on
its page, and the form works without JavaScript too."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from registry.models import Person
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik


@pytest.fixture
def operator(db):
    return UserFactory(
        username="op-bandung",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
        password=None,
    )


@pytest.fixture
def engagement(db):
    person = PersonFactory(
        address_province_id="32", address_regency_id="32.04", address_district_id="32.04.05"
    )
    return EngagementFactory(person=person, regency_id="32.04", district_id="32.04.05")


def _pages(engagement) -> dict[str, str]:
    person = engagement.person
    return {
        "person-create": reverse("registry:person-create"),
        "person-edit": reverse("registry:person-edit", kwargs={"uid": person.uid}),
        "engagement-create": reverse("registry:engagement-create", kwargs={"uid": person.uid}),
        "engagement-edit": reverse("registry:engagement-edit", kwargs={"uid": engagement.uid}),
    }


@pytest.mark.parametrize(
    "page", ["person-create", "person-edit", "engagement-create", "engagement-edit"]
)
def test_every_region_select_fills_a_select_of_its_page(client, operator, engagement, page):
    # given
    client.force_login(operator)

    # when
    body = client.get(_pages(engagement)[page]).content.decode()

    # then
    ids = set(re.findall(r'<select[^>]*\bid="([^"]+)"', body))
    targets = re.findall(r'<select[^>]*\bhx-target="#([^"]+)"', body)
    assert targets, "no cascading select on the page"
    assert all(t in ids for t in targets), (targets, ids)
    # province -> regency -> district -> village, for each region group of the page
    assert len(targets) == 3 * sum(1 for i in ids if i.endswith("province"))


def test_without_javascript_the_button_loads_the_regencies_and_saves_nothing(client, operator):
    # given
    client.force_login(operator)
    people = Person.objects.count()
    data = {
        "p-nik": make_nik(regency="32.04", birth_date=dt.date(1991, 4, 9), serial=77),
        "p-full_name": "Rina Susanti",
        "p-sex": "L",
        "p-birth_date": "1991-04-09",
        "e-legacy_title": "Sakti Peksos",
        "e-province": "32",
        "_wilayah": "regency",
    }

    # when
    response = client.post(reverse("registry:person-create"), data)

    # then
    body = response.content.decode()
    assert response.status_code == 200 and Person.objects.count() == people
    regency = re.search(r'<select name="e-regency".*?</select>', body, re.S).group(0)
    assert "Kabupaten Bandung (32.04)" in regency or "Kabupaten Bandung" in regency
    assert 'value="1991-04-09"' in body  # what was typed stays
    assert "errorlist" not in body  # a refresh is not a failed save
    assert "Tampilkan kabupaten/kota" in body  # the fallback button, inside <noscript>
