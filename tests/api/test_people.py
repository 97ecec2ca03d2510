"""/api/v1/people/: list with the registry filters, detail, create and update."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEntry
from registry.models import Flag, Person
from tests.api_errors import field_errors
from tests.factories import EngagementFactory, PersonFactory, make_nik

PEOPLE_URL = "/api/v1/people/"
NEW = {
    "nik": make_nik(regency="32.04", birth_date=dt.date(1991, 4, 9), sex="P", serial=21),
    "full_name": "Rina Susanti",
    "sex": "P",
    "birth_date": "1991-04-09",
    "phone": "+6281311112222",
}


def names(response) -> set[str]:
    return {row["full_name"] for row in response.json()["results"]}


def test_create_person(admin_api, national_admin):
    # when
    response = admin_api.post(PEOPLE_URL, NEW, format="json")

    # then
    assert response.status_code == 201
    body = response.json()
    person = Person.objects.get(uid=body["id"])
    assert body["nik"] == NEW["nik"]
    assert body["verification"] == "menunggu"
    assert body["flags"] == []
    assert person.created_by == national_admin
    entry = AuditEntry.objects.get(action="create", object_type="registry.person")
    assert entry.actor == national_admin
    assert entry.note == "API"


@pytest.mark.parametrize(
    ("nik", "message"),
    [
        ("320401490491002", "NIK harus 16 digit, bukan 15 digit."),
        ("32040149049100211", "NIK harus 16 digit, bukan 17 digit."),
        ("3204013504910021", "Digit tanggal lahir NIK (35) tidak sah"),
        ("32040149A4910021", "NIK hanya boleh berisi angka."),
        ("9904014904910021", "Kode provinsi NIK (99) tidak ada"),
        ("3204014904910000", "Nomor urut NIK (4 digit terakhir) tidak boleh 0000."),
    ],
)
def test_create_person_with_a_bad_nik_explains_in_indonesian(admin_api, nik, message):
    # when
    response = admin_api.post(PEOPLE_URL, {**NEW, "nik": nik}, format="json")

    # then
    assert response.status_code == 400
    assert any(message in error for error in field_errors(response)["nik"])
    assert not Person.objects.exists()


def test_create_person_twice_is_refused(admin_api):
    # given
    admin_api.post(PEOPLE_URL, NEW, format="json")

    # when
    response = admin_api.post(PEOPLE_URL, {**NEW, "full_name": "Rina S."}, format="json")

    # then
    assert response.status_code == 400
    assert "sudah terdaftar" in field_errors(response)["nik"][0]
    assert Person.objects.count() == 1


def test_create_with_the_nik_of_someone_out_of_scope_discloses_nothing(
    api_client_for, regency_operator, programmes
):
    # given: someone who serves only in 73.03
    stored = PersonFactory(
        nik=make_nik(regency="73.03", birth_date=dt.date(1986, 5, 4), serial=77),
        full_name="ADIKA MAHESWARA",
        phone="+6285298765432",
    )
    EngagementFactory(person=stored, programme=programmes["lanjut-usia"], regency_id="73.03")

    # when: the Bandung operator registers "a new person" with that NIK
    response = api_client_for(regency_operator).post(
        PEOPLE_URL,
        {**NEW, "nik": stored.nik, "sex": "L", "birth_date": "1986-05-04"},
        format="json",
    )

    # then: refused on the NIK, saying why and what to do, and nothing of theirs
    assert response.status_code == 400
    (message,) = field_errors(response)["nik"]
    assert "di luar cakupan Anda" in message and "impor" in message
    assert "ADIKA" not in response.content.decode() and "98765432" not in response.content.decode()
    stored.refresh_from_db()
    assert (stored.full_name, stored.phone) == ("ADIKA MAHESWARA", "+6285298765432")


def test_create_person_whose_sex_disagrees_with_the_nik_is_flagged(admin_api):
    # when: the NIK's day (49) encodes a woman
    response = admin_api.post(PEOPLE_URL, {**NEW, "sex": "L"}, format="json")

    # then
    assert response.status_code == 201
    assert response.json()["flags"] == [Flag.Code.NIK_SEX]


def test_create_person_with_missing_fields(admin_api):
    # when
    response = admin_api.post(PEOPLE_URL, {"nik": NEW["nik"]}, format="json")

    # then
    assert response.status_code == 400
    assert set(field_errors(response)) == {"full_name", "sex", "birth_date"}


def test_patch_person(admin_api, roster, national_admin):
    # given
    ani = roster["ani"]

    # when
    response = admin_api.patch(
        f"{PEOPLE_URL}{ani.uid}/", {"birth_place": "Soreang", "titles_back": "S.Sos"}, format="json"
    )

    # then
    assert response.status_code == 200
    assert response.json()["birth_place"] == "Soreang"
    ani.refresh_from_db()
    assert (ani.birth_place, ani.titles_back) == ("Soreang", "S.Sos")
    entry = AuditEntry.objects.get(action="update", object_id=str(ani.pk))
    assert entry.changes["birth_place"] == ["", "Soreang"]
    assert entry.actor == national_admin


def test_patch_birth_date_against_the_nik_raises_a_flag(admin_api, roster):
    # when
    response = admin_api.patch(
        f"{PEOPLE_URL}{roster['ani'].uid}/", {"birth_date": "1990-03-13"}, format="json"
    )

    # then
    assert response.status_code == 200
    assert Flag.objects.filter(person=roster["ani"], code=Flag.Code.NIK_BIRTH_DATE).exists()


def test_patch_cannot_change_the_nik(admin_api, roster):
    # when
    response = admin_api.patch(
        f"{PEOPLE_URL}{roster['ani'].uid}/", {"nik": NEW["nik"]}, format="json"
    )

    # then
    assert response.status_code == 200
    roster["ani"].refresh_from_db()
    assert roster["ani"].nik != NEW["nik"]


def test_detail(admin_api, roster):
    # when
    response = admin_api.get(f"{PEOPLE_URL}{roster['ani'].uid}/")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Ani Rahmawati"
    assert [e["cluster"] for e in body["engagements"]] == ["anak"]
    engagement = body["engagements"][0]
    assert (engagement["province_code"], engagement["regency_code"]) == ("32", "32.04")
    assert engagement["district_code"] == "32.04.05"
    assert engagement["qualification_level"] == "III"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Ani Rahmawati", "Lukas Hutapea", "Sari Wulandari", "Budi Santoso"}),
        ("cluster=anak", {"Ani Rahmawati"}),
        ("cluster=pkh", {"Sari Wulandari"}),
        ("province=32", {"Ani Rahmawati", "Lukas Hutapea", "Budi Santoso"}),
        ("province=35", {"Sari Wulandari"}),
        ("regency=32.73", {"Lukas Hutapea"}),
        ("regency=32.04", {"Ani Rahmawati", "Budi Santoso"}),
        ("level=III", {"Ani Rahmawati"}),
        ("level=5", {"Lukas Hutapea"}),
        ("level=none", {"Sari Wulandari", "Budi Santoso"}),
        ("status=berakhir", {"Sari Wulandari"}),
        ("status=aktif", {"Ani Rahmawati", "Lukas Hutapea", "Budi Santoso"}),
        ("verification=terverifikasi", {"Lukas Hutapea"}),
        ("q=wulan", {"Sari Wulandari"}),
        ("q=ani rahma", {"Ani Rahmawati"}),
        ("q=3273", {"Lukas Hutapea"}),
        ("q=3204", {"Ani Rahmawati", "Budi Santoso"}),
        ("cluster=anak&province=35", set()),
    ],
)
def test_list_filters(admin_api, roster, query, expected):
    # when
    response = admin_api.get(f"{PEOPLE_URL}?{query}")

    # then
    assert response.status_code == 200
    assert names(response) == expected


def test_list_is_scoped_and_masked_for_a_coordinator(api_client_for, roster, programmes):
    # given
    from tests.factories import UserFactory

    coordinator = UserFactory(
        role="koordinator",
        scope_province_id="32",
        scope_regency_id="32.04",
        programmes=[programmes["tksk"]],
        password=None,
    )

    # when
    response = api_client_for(coordinator).get(PEOPLE_URL)

    # then
    [row] = response.json()["results"]
    assert row["full_name"] == "Budi Santoso"
    assert row["nik"] == roster["budi"].nik[:4] + "*" * 12


def test_pagination(admin_api, roster):
    # when
    first = admin_api.get(f"{PEOPLE_URL}?limit=3").json()
    second = admin_api.get(first["next"]).json()
    back = admin_api.get(second["previous"]).json()

    # then: ordered by name, no one twice, no one lost, and back to where we were
    assert [r["full_name"] for r in first["results"]] == [
        "Ani Rahmawati",
        "Budi Santoso",
        "Lukas Hutapea",
    ]
    assert [r["full_name"] for r in second["results"]] == ["Sari Wulandari"]
    assert "limit=3" in first["next"] and "cursor=" in first["next"]
    assert first["previous"] is None
    assert second["next"] is None
    assert [r["full_name"] for r in back["results"]] == [r["full_name"] for r in first["results"]]


def _people_with_flags(serials: range, programmes) -> None:
    for serial in serials:
        person = PersonFactory(nik=make_nik(serial=serial))
        EngagementFactory(person=person, programme=programmes["anak"], harmonised_level=4)
        EngagementFactory(person=person, programme=programmes["pkh"], regency_id="32.73")
        Flag.objects.create(person=person, code=Flag.Code.CONFLICT, reason="uji")


def _count_queries(client, url: str, *, skip: str = "\0") -> int:
    """Queries made to answer ``url``, leaving out those that mention ``skip``."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len([q for q in captured.captured_queries if skip not in q["sql"]])


def test_people_list_has_no_n_plus_1(admin_api, programmes, django_assert_max_num_queries):
    # given
    _people_with_flags(range(500, 501), programmes)
    one = _count_queries(admin_api, PEOPLE_URL)
    _people_with_flags(range(501, 530), programmes)

    # when / then
    with django_assert_max_num_queries(one):
        response = admin_api.get(PEOPLE_URL)
    assert len(response.json()["results"]) == 30


def test_people_list_engagements_have_no_n_plus_1(admin_api, programmes):
    """30 people cost the same number of queries as one."""
    # given
    _people_with_flags(range(500, 501), programmes)
    one = _count_queries(admin_api, PEOPLE_URL, skip='FROM "registry_flag"')
    _people_with_flags(range(501, 530), programmes)

    # when
    thirty = _count_queries(admin_api, PEOPLE_URL, skip='FROM "registry_flag"')

    # then
    assert thirty == one
