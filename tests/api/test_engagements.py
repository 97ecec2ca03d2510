"""/api/v1/engagements/: list with the registry filters, detail, create and update, in scope."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from registry.models import Engagement, Flag
from tests.api_errors import field_errors
from tests.factories import EngagementFactory, PersonFactory, make_nik

URL = "/api/v1/engagements/"


def payload(person, **overrides) -> dict:
    return {
        "person": str(person.uid),
        "cluster": "pkh",
        "legacy_title": "Pendamping Sosial PKH",
        "regency_code": "32.04",
        "district_code": "32.04.05",
        "employment_status": "kontrak",
        "start_date": "2025-01-01",
        "monthly_incentive": 3_000_000,
        **overrides,
    }


def test_create_in_scope(api_client_for, regency_operator, roster):
    # when
    response = api_client_for(regency_operator).post(URL, payload(roster["ani"]), format="json")

    # then
    assert response.status_code == 201
    body = response.json()
    assert (body["cluster"], body["province_code"], body["regency_code"]) == ("pkh", "32", "32.04")
    assert body["district_code"] == "32.04.05"
    assert body["verification"] == "menunggu"
    engagement = Engagement.objects.get(uid=body["id"])
    assert engagement.created_by == regency_operator
    assert AuditEntry.objects.filter(action="create", object_id=str(engagement.pk)).exists()


def test_create_a_second_paid_engagement_flags_the_person(admin_api, roster):
    # given: Ani already has a paid engagement (the factory pays 2.5 million a month)

    # when
    response = admin_api.post(URL, payload(roster["ani"]), format="json")

    # then
    assert response.status_code == 201
    assert Flag.objects.filter(
        person=roster["ani"], code="rangkap_bayar", resolved_at=None
    ).exists()


def test_create_outside_the_regency_is_forbidden(api_client_for, regency_operator, roster):
    # when
    response = api_client_for(regency_operator).post(
        URL, payload(roster["ani"], regency_code="32.73", district_code=None), format="json"
    )

    # then
    assert response.status_code == 403
    assert "di luar cakupan" in response.json()["detail"]
    assert roster["ani"].engagements.count() == 1


def test_create_for_a_person_out_of_scope_is_not_found(api_client_for, regency_operator, roster):
    # when
    response = api_client_for(regency_operator).post(URL, payload(roster["sari"]), format="json")

    # then
    assert response.status_code == 404
    assert roster["sari"].engagements.count() == 1


def test_create_twice_in_the_same_programme_and_regency_is_refused(admin_api, roster):
    # when
    response = admin_api.post(URL, payload(roster["ani"], cluster="anak"), format="json")

    # then
    assert response.status_code == 400
    assert "sudah punya penugasan" in field_errors(response)["regency"][0]


def test_create_with_a_district_of_another_regency_is_refused(admin_api, roster):
    # when
    response = admin_api.post(URL, payload(roster["ani"], regency_code="32.73"), format="json")

    # then
    assert response.status_code == 400
    assert field_errors(response)["district"] == [
        "Kecamatan tidak berada di kabupaten/kota yang dipilih."
    ]


def test_create_ending_before_it_starts_is_refused_in_indonesian(admin_api, roster):
    # when
    response = admin_api.post(
        URL, payload(roster["ani"], start_date="2025-05-01", end_date="2025-01-31"), format="json"
    )

    # then
    assert response.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in str(response.json())


def test_patch(api_client_for, regency_operator, roster):
    # given
    engagement = roster["ani"].engagements.get()

    # when
    response = api_client_for(regency_operator).patch(
        f"{URL}{engagement.uid}/",
        {"legacy_title": "Sakti Peksos", "status": "berakhir"},
        format="json",
    )

    # then
    assert response.status_code == 200
    engagement.refresh_from_db()
    assert (engagement.legacy_title, engagement.status) == ("Sakti Peksos", "berakhir")
    entry = AuditEntry.objects.get(action="update", object_id=str(engagement.pk))
    assert entry.changes["legacy_title"] == ["Pendamping Lansia", "Sakti Peksos"]


def test_patch_moving_out_of_scope_is_forbidden(api_client_for, regency_operator, roster):
    # given
    engagement = roster["ani"].engagements.get()

    # when
    response = api_client_for(regency_operator).patch(
        f"{URL}{engagement.uid}/", {"regency_code": "35.78", "district_code": None}, format="json"
    )

    # then
    assert response.status_code == 403
    engagement.refresh_from_db()
    assert engagement.regency_id == "32.04"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"anak", "lanjut-usia", "pkh", "tksk"}),
        ("cluster=tksk", {"tksk"}),
        ("province=32", {"anak", "lanjut-usia", "tksk"}),
        ("regency=35.78", {"pkh"}),
        ("level=III", {"anak"}),
        ("level=none", {"pkh", "tksk"}),
        ("status=berakhir", {"pkh"}),
        ("q=hutapea", {"lanjut-usia"}),
        ("q=3204", {"anak", "tksk"}),
    ],
)
def test_list_filters(admin_api, roster, query, expected):
    # when
    response = admin_api.get(f"{URL}?{query}")

    # then
    assert response.status_code == 200
    assert {row["cluster"] for row in response.json()["results"]} == expected


def test_list_is_scoped(api_client_for, regency_operator, roster):
    # when
    response = api_client_for(regency_operator).get(URL)

    # then
    people = {row["person"] for row in response.json()["results"]}
    assert people == {str(roster["ani"].uid), str(roster["budi"].uid)}


def test_list_has_no_n_plus_1(admin_api, programmes):
    # given
    def add(serials):
        for serial in serials:
            EngagementFactory(
                person=PersonFactory(nik=make_nik(serial=serial)), programme=programmes["anak"]
            )

    add(range(600, 601))
    with CaptureQueriesContext(connection) as one:
        admin_api.get(URL)
    add(range(601, 630))

    # when
    with CaptureQueriesContext(connection) as thirty:
        response = admin_api.get(URL)

    # then
    assert len(response.json()["results"]) == 30
    assert len(thirty) == len(one)
