"""Referral village and transfer destination are typed by name, not by code."""

import pytest
from django.urls import reverse
from django.utils import translation

from collaboration.models import Referral, Request

pytestmark = pytest.mark.django_db


def test_referral_village_found_by_name(client, world):
    client.force_login(world.budi.user)
    page = client.get(
        reverse("collaboration:referral-create"), {"desa": "Cileunyi Kulon"}
    ).content.decode()
    assert "Desa Cileunyi Kulon, Kec. Cileunyi" in page
    assert "Rina" in page  # the village's district's facilitators are offered
    # the lookup shows the village by name, the code kept in its hidden input; the referral
    # form carries the code only (a second box to type the village in would confuse)
    assert 'value="Cileunyi Kulon — Cileunyi, Kab. Bandung, Jawa Barat"' in page
    assert 'name="desa__kode" value="32.04.05.2001"' in page
    assert '<input type="hidden" name="village" value="32.04.05.2001"' in page
    assert 'name="village__kode"' not in page


def test_referral_page_asks_for_the_village_first(client, world):
    client.force_login(world.budi.user)
    page = client.get(reverse("collaboration:referral-create")).content.decode()
    assert "Mulai dari desa/kelurahan tempat orang yang dirujuk tinggal" in page
    assert 'id="f-desa"' in page
    # the rest of the referral waits for the village: its receivers depend on it
    assert 'id="referral-send"' not in page


def test_referral_lookup_explains_an_ambiguous_village(client, world):
    client.force_login(world.budi.user)
    page = client.get(
        reverse("collaboration:referral-create"), {"desa": "Sukamaju"}
    ).content.decode()
    assert "Desa/kelurahan: “Sukamaju” cocok dengan" in page


def test_referral_sent_with_village_by_name(client, world, programmes):
    client.force_login(world.budi.user)
    response = client.post(
        reverse("collaboration:referral-create"),
        {
            "village": "cileunyi kulon",
            "receiver_programme": programmes["lanjut-usia"].pk,
            "receiver": world.rina.user.pk,
            "subject_name": "Mbah Sarinah",
            "need": "Butuh alat bantu",
            "urgency": "biasa",
            "consent": "on",
            "consent_note": "Lisan, disaksikan kader",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    referral = Referral.objects.get()
    assert referral.village_id == "32.04.05.2001"
    assert referral.receiver_id == world.rina.user.pk


def test_transfer_destination_typed_by_name(client, world):
    # given: the regency operator of Kab. Bandung moves a facilitator to the city
    client.force_login(world.operator)
    e = world.rina.engagement
    # when: the destination is typed as offices say it, outside the operator's own regency
    response = client.post(
        reverse("collaboration:request-create", args=[e.person.uid]),
        {
            "kind": "mutasi",
            "engagement": str(e.uid),
            "regency_id": "Kota Bandung",
            "district_id": "Sukajadi",
            "sk_number": "SK-MUTASI-9",
            "sk_date": "2026-02-01",
            "effective_date": "2026-03-01",
        },
    )
    # then: the request carries the codes
    assert response.status_code == 302, response.context["form"].errors
    request = Request.objects.get()
    assert request.payload["regency_id"] == "32.73"
    assert request.payload["district_id"] == "32.73.07"
    # and its page says so in words, not field codes
    page = client.get(reverse("collaboration:request-detail", args=[request.uid])).content.decode()
    assert "Kota Bandung" in page and "Sukajadi" in page and "01-02-2026" in page
    assert "regency_id:" not in page and "district_id:" not in page


def test_transfer_to_an_ambiguous_name_is_explained(client, world):
    client.force_login(world.operator)
    e = world.rina.engagement
    response = client.post(
        reverse("collaboration:request-create", args=[e.person.uid]),
        {"kind": "mutasi", "engagement": str(e.uid), "regency_id": "Bandung"},
    )
    assert response.status_code == 200
    (message,) = response.context["form"].errors["regency_id"]
    assert message.startswith("Kabupaten/kota tujuan (mutasi): “Bandung” cocok dengan 2 wilayah")
    assert not Request.objects.exists()


@pytest.fixture
def english_afterwards_reset():
    # A request in English leaves English active in this thread; later tests expect the default.
    yield
    translation.deactivate()


@pytest.mark.usefixtures("english_afterwards_reset")
def test_the_referral_need_reads_need_in_english(client, world):
    # "Kebutuhan" alone is the distribution app's "Required" (a staffing column): the two
    # catalogues share one merged dictionary, so the referral's field says which it means.
    client.force_login(world.budi.user)
    client.cookies["django_language"] = "en"
    page = client.get(
        reverse("collaboration:referral-create"), {"desa": "32.04.05.2001"}
    ).content.decode()
    assert '<label for="id_need">Need:</label>' in page
    assert "Required:" not in page
