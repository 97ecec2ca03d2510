"""The registry forms guide: nothing preselected that must be chosen, errors that name their
field, rupiah written the way people write them."""

import re

import pytest
from django.urls import reverse

from tests.factories import EngagementFactory, UserFactory

CREATE = reverse("registry:person-create")


@pytest.fixture
def operator(client, db):
    user = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04", password=None
    )
    client.force_login(user)
    return user


def _selected(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)


def test_nothing_is_preselected_that_the_operator_must_choose(client, operator):
    # when
    body = client.get(CREATE).content.decode()

    # then: not "PNS", not "Laki-laki": the blank choice
    assert _selected(body, "e-employment_status") == [""]
    assert _selected(body, "p-sex") == [""]
    assert _selected(body, "e-programme") == [""]


def test_an_empty_submit_names_each_missing_field(client, operator):
    # when
    response = client.post(CREATE, {"p-full_name": ""})  # a browser always sends the fields

    # then
    body = response.content.decode()
    for message in (
        "NIK wajib diisi.",
        "Nama lengkap (tanpa gelar) wajib diisi.",
        "Jenis kelamin wajib diisi.",
        "Tanggal lahir wajib diisi.",
        "Status kepegawaian wajib diisi.",
        "Kabupaten/kota wajib diisi.",
    ):
        assert message in body
    assert "Bidang ini harus diisi" not in body


@pytest.mark.parametrize("typed", ["2500000", "2.500.000", "Rp 2.500.000", "Rp2.500.000,00"])
def test_rupiah_are_read_as_people_write_them(client, operator, typed):
    # given
    engagement = EngagementFactory(regency_id="32.04", monthly_incentive=1_000_000)
    url = reverse("registry:engagement-edit", kwargs={"uid": engagement.uid})
    data = {
        "e-legacy_title": engagement.legacy_title,
        "e-employment_status": "kontrak",
        "e-province": "32",
        "e-regency": "32.04",
        "e-status": "aktif",
        "e-monthly_incentive": typed,
    }

    # when
    response = client.post(url, data)

    # then
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.monthly_incentive == 2_500_000
    shown = client.get(url).content.decode()
    assert 'value="2.500.000"' in shown  # and shown back the same way


def test_rupiah_that_are_not_a_number_are_refused_with_an_example(client, operator):
    # given
    engagement = EngagementFactory(regency_id="32.04")
    url = reverse("registry:engagement-edit", kwargs={"uid": engagement.uid})

    # when
    response = client.post(url, {"e-monthly_incentive": "dua juta", "e-province": "32"})

    # then
    assert "mis. 2.500.000 atau Rp 2.500.000" in response.content.decode()
