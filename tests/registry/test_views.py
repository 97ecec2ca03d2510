"""Registry pages: list, filters and search, htmx partials, forms, region pickers."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry
from registry import services
from registry.forms import EngagementForm, PersonForm
from registry.models import Engagement, Flag, Person, Verification
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

LIST = reverse("registry:person-list")
CREATE = reverse("registry:person-create")
NEW_NIK = make_nik(regency="32.04", birth_date=dt.date(1991, 4, 9), sex="P", serial=41)


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
def signed_in(client, operator):
    client.force_login(operator)
    return client


@pytest.fixture
def roster(db, programmes):
    def person(name, nik_regency, serial, slug, regency, **engagement):
        birth_date = dt.date(1985, 8, 17)
        p = PersonFactory(
            full_name=name,
            name_key=services.name_key(name),
            nik=make_nik(regency=nik_regency, birth_date=birth_date, serial=serial),
        )
        EngagementFactory(person=p, programme=programmes[slug], regency_id=regency, **engagement)
        return p

    return {
        "ani": person("Ani Rahmawati", "32.04", 51, "anak", "32.04", harmonised_level=3),
        "lina": person("Lina Marlina", "32.04", 52, "lanjut-usia", "32.04", status="berakhir"),
        "lukas": person("Lukas Hutapea", "32.73", 53, "lanjut-usia", "32.73", harmonised_level=5),
        "sari": person("Sari Wulandari", "35.78", 54, "pkh", "35.78"),
    }


def names_in(response) -> set[str]:
    return {p.full_name for p in response.context["page"]}


def errors_of(form) -> list[str]:
    return [message for messages in form.errors.values() for message in messages]


def person_post(**overrides) -> dict[str, str]:
    data = {
        "p-nik": NEW_NIK,
        "p-full_name": "Rina Susanti",
        "p-titles_back": "S.Sos",
        "p-sex": "P",
        "p-birth_date": "1991-04-09",
        "p-phone": "081311112222",
        "e-programme": "",
        "e-legacy_title": "Sakti Peksos",
        "e-employment_status": "kontrak",
        "e-province": "32",
        "e-regency": "32.04",
        "e-district": "32.04.05",
        "e-start_date": "2025-01-01",
        "e-monthly_incentive": "2000000",
        "e-status": "aktif",
    }
    return {**data, **overrides}


# --- the list -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Ani Rahmawati", "Lina Marlina", "Lukas Hutapea", "Sari Wulandari"}),
        ("cluster=lanjut-usia", {"Lina Marlina", "Lukas Hutapea"}),
        ("province=32", {"Ani Rahmawati", "Lina Marlina", "Lukas Hutapea"}),
        ("province=32&regency=32.73", {"Lukas Hutapea"}),
        ("level=III", {"Ani Rahmawati"}),
        ("level=none", {"Lina Marlina", "Sari Wulandari"}),
        ("status=berakhir", {"Lina Marlina"}),
        ("q=marlina", {"Lina Marlina"}),
        ("q=SARI  wulandari", {"Sari Wulandari"}),
        ("q=3273", {"Lukas Hutapea"}),
        ("q=3204 01", {"Ani Rahmawati", "Lina Marlina"}),
        ("q=9999", set()),
    ],
)
def test_list_filters_and_search(client, national_admin, roster, query, expected):
    # given
    client.force_login(national_admin)

    # when
    response = client.get(f"{LIST}?{query}")

    # then
    assert response.status_code == 200
    assert names_in(response) == expected


def test_list_keeps_the_filters_in_the_form(client, national_admin, roster):
    # given
    client.force_login(national_admin)

    # when
    body = client.get(f"{LIST}?cluster=anak&province=32&regency=32.04&q=ani").content.decode()

    # then
    assert '<option value="anak" selected>' in body
    assert '<option value="32" selected>' in body
    assert '<option value="32.04" selected>' in body  # the regency list follows the province
    assert 'value="ani"' in body


def test_htmx_request_gets_only_the_rows(signed_in, roster):
    # when
    response = signed_in.get(
        f"{LIST}?cluster=anak", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )

    # then
    body = response.content.decode()
    assert [t.name for t in response.templates] == ["registry/_person_rows.html"]
    assert "<html" not in body and 'id="filters"' not in body
    assert 'id="person-table"' in body
    assert "Ani Rahmawati" in body and "Lina Marlina" not in body


def test_htmx_request_for_another_target_gets_the_page(signed_in, roster):
    # when
    response = signed_in.get(LIST, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")

    # then
    assert "registry/person_list.html" in [t.name for t in response.templates]


def test_the_region_filter_offers_only_the_users_scope(client, signed_in, national_admin, roster):
    # given: a regency operator (Kab. Bandung) and a province operator (Jawa Barat)
    province_operator = UserFactory(role="operator_provinsi", scope_province_id="32", password=None)

    # when / then: the regency operator is offered its province and its regency only
    page = signed_in.get(LIST, {"province": "32"})
    assert [p.code for p in page.context["provinces"]] == ["32"]
    assert [r.code for r in page.context["regencies"]] == ["32.04"]
    options = signed_in.get(
        reverse("regions:options-regency"), {"province": "32", "dalam_cakupan": "1"}
    )
    assert re.findall(r'value="([\d.]+)"', options.content.decode()) == ["32.04"]
    # and the address pickers still offer every regency of the province
    every = signed_in.get(reverse("regions:options-regency"), {"province": "32"})
    assert len(re.findall(r'value="([\d.]+)"', every.content.decode())) == 27

    # the province operator: its province, all 27 of its regencies
    client.force_login(province_operator)
    page = client.get(LIST, {"province": "32"})
    assert [p.code for p in page.context["provinces"]] == ["32"]
    assert len(page.context["regencies"]) == 27

    # the national administrator: every province
    client.force_login(national_admin)
    assert len(client.get(LIST).context["provinces"]) == 38


def test_list_query_count_does_not_grow_with_rows(client, national_admin, programmes):
    # given
    client.force_login(national_admin)

    def add(serials):
        for serial in serials:
            person = PersonFactory(nik=make_nik(serial=serial))
            EngagementFactory(person=person, programme=programmes["anak"], harmonised_level=4)
            EngagementFactory(person=person, programme=programmes["pkh"], regency_id="32.73")
            Flag.objects.create(person=person, code=Flag.Code.CONFLICT, reason="uji")

    add(range(700, 701))
    client.get(LIST)  # per-process caches (programme choices, the search backend) fill once
    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    add(range(701, 740))

    # when
    with CaptureQueriesContext(connection) as forty:
        response = client.get(LIST)

    # then
    assert len(response.context["page"].people) == 40
    assert response.context["matching"].value == 40
    assert len(forty) == len(one)


# --- creating a person --------------------------------------------------------------------------


def test_create_form_offers_only_writable_programmes(client, programmes):
    # given
    cluster_admin = UserFactory(
        role="admin_klaster", programmes=[programmes["anak"]], password=None
    )
    client.force_login(cluster_admin)

    # when
    form = client.get(CREATE).context["engagement_form"]

    # then
    assert list(form.fields["programme"].queryset) == [programmes["anak"]]


def test_create_success_redirects_to_a_pending_person(signed_in, operator, programmes):
    # when
    response = signed_in.post(CREATE, person_post(**{"e-programme": programmes["anak"].pk}))

    # then
    person = Person.objects.get(nik=NEW_NIK)
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person-detail", kwargs={"uid": person.uid})
    assert person.verification == Verification.PENDING
    assert (person.full_name, person.titles_back, person.created_by) == (
        "Rina Susanti",
        "S.Sos",
        operator,
    )
    engagement = person.engagements.get()
    assert (engagement.regency_id, engagement.district_id) == ("32.04", "32.04.05")
    assert engagement.verification == Verification.PENDING
    page = signed_in.get(response["Location"])
    body = page.content.decode()
    assert "Data tersimpan dan menunggu verifikasi." in body
    assert "Menunggu verifikasi" in body
    assert "Rina Susanti, S.Sos" in body


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"p-nik": NEW_NIK[:15]}, "nik", "NIK harus 16 digit, bukan 15 digit."),
        ({"p-nik": NEW_NIK[:6] + "35" + NEW_NIK[8:]}, "nik", "tidak sah"),
        ({"p-nik": "99" + NEW_NIK[2:]}, "nik", "Kode provinsi NIK (99)"),
        (
            {"e-start_date": "2025-05-01", "e-end_date": "2025-01-31"},
            "end_date",
            "Tanggal selesai tidak boleh sebelum tanggal mulai.",
        ),
        ({"e-district": "32.73.01"}, "district", "Masukkan pilihan yang valid."),
        ({"e-regency": "35.78"}, "regency", "Masukkan pilihan yang valid."),
    ],
)
def test_create_shows_errors_in_indonesian(signed_in, programmes, overrides, field, message):
    # when
    response = signed_in.post(
        CREATE, person_post(**{"e-programme": programmes["anak"].pk, **overrides})
    )

    # then
    assert response.status_code == 200
    forms = [response.context["person_form"], response.context["engagement_form"]]
    form = next(f for f in forms if field in f.errors)
    assert any(message in error for error in form.errors[field])
    assert message.split(" (")[0] in response.content.decode()
    assert not Person.objects.filter(full_name="Rina Susanti").exists()


def test_create_without_required_fields(signed_in):
    # when
    response = signed_in.post(CREATE, {"p-nik": NEW_NIK})

    # then
    errors = response.context["person_form"].errors
    assert set(errors) >= {"full_name", "sex", "birth_date"}
    assert errors["full_name"] == ["Nama lengkap (tanpa gelar) wajib diisi."]  # names the field
    assert set(response.context["engagement_form"].errors) >= {
        "programme",
        "legacy_title",
        "province",
        "regency",
    }


def test_create_outside_the_regency_keeps_nothing(signed_in, programmes):
    # when: the province is real but the regency is not the operator's
    response = signed_in.post(
        CREATE,
        person_post(
            **{"e-programme": programmes["anak"].pk, "e-regency": "32.73", "e-district": ""}
        ),
    )

    # then
    assert response.status_code == 200
    assert "di luar cakupan Anda" in response.content.decode()
    assert not Person.objects.filter(nik=NEW_NIK).exists()


def test_create_with_a_known_nik_points_to_the_person(signed_in, roster, programmes):
    # when
    response = signed_in.post(
        CREATE, person_post(**{"e-programme": programmes["anak"].pk, "p-nik": roster["ani"].nik})
    )

    # then
    assert "NIK ini sudah terdaftar" in " ".join(errors_of(response.context["person_form"]))


# --- editing and engagements --------------------------------------------------------------------


def test_edit_shows_the_current_values_without_the_nik(signed_in, roster):
    # when
    response = signed_in.get(reverse("registry:person-edit", kwargs={"uid": roster["ani"].uid}))

    # then
    form = response.context["person_form"]
    assert "nik" not in form.fields
    assert form.initial["full_name"] == "Ani Rahmawati"


def test_edit_saves_and_audits(signed_in, operator, roster):
    # given
    ani = roster["ani"]
    data = {
        "p-full_name": "Ani Rahmawati",
        "p-titles_front": "Dra.",
        "p-sex": "L",
        "p-birth_date": "1985-08-17",
        "p-address_province": "32",
        "p-address_regency": "32.04",
    }

    # when
    response = signed_in.post(reverse("registry:person-edit", kwargs={"uid": ani.uid}), data)

    # then
    assert response.status_code == 302
    ani.refresh_from_db()
    assert (ani.titles_front, ani.address_regency_id, ani.address_province_id) == (
        "Dra.",
        "32.04",
        "32",
    )
    entry = AuditEntry.objects.get(action="update", object_id=str(ani.pk))
    assert entry.actor == operator
    assert entry.changes["titles_front"] == ["", "Dra."]


def test_edit_with_errors_stays_on_the_form(signed_in, roster):
    # when
    response = signed_in.post(
        reverse("registry:person-edit", kwargs={"uid": roster["ani"].uid}),
        {"p-full_name": "", "p-sex": "L", "p-birth_date": "17-08-1985x"},
    )

    # then
    assert response.status_code == 200
    assert set(response.context["person_form"].errors) == {"full_name", "birth_date"}


def test_add_engagement(signed_in, operator, roster, programmes):
    # given
    ani = roster["ani"]
    data = {
        "e-programme": programmes["tksk"].pk,
        "e-legacy_title": "TKSK Cileunyi",
        "e-employment_status": "relawan",
        "e-province": "32",
        "e-regency": "32.04",
        "e-district": "32.04.05",
        "e-status": "aktif",
    }

    # when
    response = signed_in.post(reverse("registry:engagement-create", kwargs={"uid": ani.uid}), data)

    # then
    assert response.status_code == 302
    engagement = ani.engagements.get(programme=programmes["tksk"])
    assert (engagement.created_by, engagement.verification) == (operator, Verification.PENDING)
    body = signed_in.get(response["Location"]).content.decode()
    assert "TKSK Cileunyi" in body and "Penugasan ditambahkan dan menunggu verifikasi." in body


def test_edit_engagement(signed_in, roster):
    # given
    engagement = roster["ani"].engagements.get()
    data = {
        "e-legacy_title": "Sakti Peksos",
        "e-employment_status": "kontrak",
        "e-province": "32",
        "e-regency": "32.04",
        "e-start_date": "2025-01-01",
        "e-end_date": "2025-12-31",
        "e-status": "berakhir",
    }

    # when
    response = signed_in.post(
        reverse("registry:engagement-edit", kwargs={"uid": engagement.uid}), data
    )

    # then
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert (engagement.legacy_title, engagement.status) == ("Sakti Peksos", Engagement.Status.ENDED)
    assert engagement.end_date == dt.date(2025, 12, 31)


def test_person_page_shows_engagements_flags_and_history(client, national_admin, programmes):
    # given: entered through the services, so the history has entries
    person = services.person_create(
        actor=national_admin,
        nik=NEW_NIK,
        full_name="Rina Susanti",
        sex="L",
        birth_date=dt.date(1991, 4, 9),
    )
    services.engagement_create(
        actor=national_admin,
        person=person,
        programme=programmes["anak"],
        regency_id="32.04",
        legacy_title="Sakti Peksos",
        employment_status="kontrak",
    )
    client.force_login(national_admin)

    # when
    body = client.get(
        reverse("registry:person-detail", kwargs={"uid": person.uid})
    ).content.decode()

    # then
    assert re.search(r"<h1>Rina Susanti\s*<span", body)
    assert "Sakti Peksos" in body and "Kabupaten Bandung" in body
    assert "Jenis kelamin tercatat L" in body  # the NIK says woman: flagged, not refused
    assert body.count("<td>admin</td>") >= 2  # created person and engagement, by whom


# --- region pickers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "query", "prefix", "example", "count"),
    [
        ("regions:options-regency", "province=32", "32.", "Kabupaten Bandung (32.04)", 27),
        ("regions:options-regency", "p-address_province=32", "32.", "Kota Bandung (32.73)", 27),
        ("regions:options-district", "e-regency=32.04", "32.04.", "Cileunyi (32.04.05)", 31),
        ("regions:options-village", "district=32.04.05", "32.04.05.", "(32.04.05.", None),
        ("regions:options-regency", "province=", "", "", 0),
    ],
)
def test_region_options_cascade(signed_in, name, query, prefix, example, count):
    # when
    response = signed_in.get(f"{reverse(name)}?{query}")

    # then
    body = response.content.decode()
    values = re.findall(r'<option value="([^"]*)"', body)
    assert values[0] == ""  # the blank choice comes first
    assert all(v.startswith(prefix) for v in values[1:])
    assert example in body
    if count is None:
        assert len(values) > 1
    else:
        assert len(values) - 1 == count


def test_region_widgets_point_at_the_option_endpoints(db):
    # given
    person_form, engagement_form = PersonForm(prefix="p"), EngagementForm(prefix="e")

    # when
    urls = {
        name: form.fields[name].widget.attrs.get("hx-get")
        for form, name in [
            (person_form, "address_province"),
            (person_form, "address_regency"),
            (person_form, "address_district"),
            (engagement_form, "province"),
            (engagement_form, "regency"),
            (engagement_form, "district"),
        ]
    }

    # then
    assert urls["address_province"] == urls["province"] == reverse("regions:options-regency")
    assert urls["address_regency"] == urls["regency"] == reverse("regions:options-district")
    assert urls["address_district"] == urls["district"] == reverse("regions:options-village")


def test_bound_form_limits_regencies_to_the_chosen_province(db):
    # when
    form = EngagementForm(data={"e-province": "32", "e-regency": "32.04"}, prefix="e")

    # then
    regencies = set(form.fields["regency"].queryset.values_list("code", flat=True))
    districts = form.fields["district"].queryset
    assert len(regencies) == 27 and "32.04" in regencies
    assert districts.count() == 31


def test_language_can_switch_to_english(client, national_admin):
    # given
    client.force_login(national_admin)

    # when
    client.post(reverse("set_language"), {"language": "en", "next": LIST})
    body = client.get(LIST).content.decode()

    # then
    assert '<html lang="en">' in body


def test_a_list_row_shows_each_engagement_in_scope_its_level_and_open_flags(signed_in, programmes):
    # given: one person serving in Bandung (in scope) and in Surabaya (not), two open flags
    from django.utils import timezone

    from regions.models import Regency

    person = PersonFactory(full_name="Rina Lestari", name_key="RINA LESTARI")
    EngagementFactory(
        person=person, programme=programmes["pkh"], regency_id="32.04", harmonised_level=4
    )
    EngagementFactory(person=person, programme=programmes["anak"], regency_id="35.78")
    Flag.objects.create(person=person, code=Flag.Code.NIK_SEX, reason="open")
    Flag.objects.create(person=person, code=Flag.Code.CONFLICT, reason="open")
    Flag.objects.create(
        person=person, code=Flag.Code.NIK_BIRTH_DATE, reason="closed", resolved_at=timezone.now()
    )

    # when
    body = signed_in.get(LIST).content.decode()

    # then
    row = re.search(r"<tr>\s*<td><a[^>]*>Rina Lestari</a>.*?</tr>", body, re.S).group(0)
    bandung = Regency.objects.get(code="32.04").name
    assert f"{programmes['pkh'].name} · {bandung}" in row and "(Aktif)" in row
    assert programmes["anak"].name not in row  # Surabaya is outside a Bandung operator's scope
    assert "<div>IV</div>" in row
    assert "2 tanda" in row
