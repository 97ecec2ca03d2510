"""The certification managers' pages: LSP, skema, TUK, asesor and the assessment schedule.

Every page is the national administrator's alone (competency.access.can_manage_certification);
each write leaves an audit entry, and a refused or invalid submission writes nothing.
"""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.models import AuditEntry
from competency import services
from competency.models import Assessment, Assessor, CertificationBody, Scheme
from competency.models import TestSite as Tuk  # not collected as a test class
from tests.competency.conftest import U
from tests.factories import EngagementFactory, PersonFactory, UserFactory

REQUIRED = "Bidang ini harus diisi."


@pytest.fixture
def manager(db):
    return UserFactory(role="admin_nasional", username="pengelola-sertifikasi")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def scheme(actor, framework, lsp):
    return services.scheme_create(
        actor=actor,
        lsp=lsp,
        code="pendamping-iii",
        name="Pendamping Pembangunan III",
        unit_codes=[U[1], U[2]],
        level=3,
    )


@pytest.fixture
def site(actor, lsp):
    return services.test_site_create(
        actor=actor, lsp=lsp, name="TUK Bandung", kind="sewaktu", regency_id="32.73"
    )


def _audit(obj, action: str, actor) -> AuditEntry | None:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action, actor=actor
    ).first()


def _page(response) -> str:
    return response.content.decode()


# -- LSP ----------------------------------------------------------------------------------------


def test_lsp_form_creates_the_lsp_with_an_audit_entry(manager_client, manager):
    # when
    response = manager_client.post(
        reverse("competency:lsp-create"),
        {
            "name": "LSP Pemberdayaan Masyarakat",
            "kind": "P3",
            "licence_number": "BNSP-LSP/123/2024",
            "licence_valid_from": "2024-01-01",
            "licence_valid_until": "2029-12-31",
        },
    )

    # then
    lsp = CertificationBody.objects.get(name="LSP Pemberdayaan Masyarakat")
    assert response.status_code == 302
    assert response["Location"] == reverse("competency:lsp-list")
    assert (lsp.kind, lsp.licence_number) == ("P3", "BNSP-LSP/123/2024")
    assert lsp.licence_valid_from == dt.date(2024, 1, 1)
    assert lsp.licence_valid_until == dt.date(2029, 12, 31)
    assert _audit(lsp, AuditEntry.Action.CREATE, manager) is not None


def test_lsp_edit_saves_the_change_and_audits_the_difference(manager_client, manager, lsp):
    # given
    url = reverse("competency:lsp-update", args=[lsp.pk])
    assert 'value="BNSP-LSP/001/2021"' in _page(manager_client.get(url))

    # when: a new licence, and the LSP deactivated (an unticked box is not sent)
    response = manager_client.post(
        url,
        {
            "name": lsp.name,
            "kind": "P1",
            "licence_number": "BNSP-LSP/001/2026",
            "licence_valid_until": "2031-06-30",
        },
    )

    # then
    lsp.refresh_from_db()
    entry = _audit(lsp, AuditEntry.Action.UPDATE, manager)
    assert response.status_code == 302
    assert (lsp.kind, lsp.licence_number, lsp.is_active) == ("P1", "BNSP-LSP/001/2026", False)
    assert entry.changes["licence_valid_until"] == ["2030-12-31", "2031-06-30"]
    assert entry.changes["is_active"] == [True, False]
    assert "name" not in entry.changes


def test_invalid_lsp_shows_indonesian_errors_and_writes_nothing(manager_client):
    # given
    audits = AuditEntry.objects.count()

    # when
    response = manager_client.post(
        reverse("competency:lsp-create"),
        {
            "name": "",
            "kind": "P9",
            "licence_number": "X",
            "licence_valid_from": "2025-01-01",
            "licence_valid_until": "2024-01-01",
        },
    )

    # then
    html = _page(response)
    assert response.status_code == 200
    assert REQUIRED in html
    assert "Masukkan pilihan yang valid" in html
    assert "Lisensi tidak boleh berakhir sebelum mulai berlaku." in html
    assert not CertificationBody.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_a_duplicate_lsp_name_is_refused_in_indonesian(manager_client, lsp):
    response = manager_client.post(
        reverse("competency:lsp-create"),
        {
            "name": lsp.name,
            "kind": "P2",
            "licence_number": "BNSP-LSP/999/2024",
            "licence_valid_until": "2029-12-31",
        },
    )

    assert response.status_code == 200
    assert "sudah ada" in _page(response) or "telah ada" in _page(response)
    assert CertificationBody.objects.count() == 1


# -- Skema --------------------------------------------------------------------------------------


def test_scheme_form_creates_the_scheme_with_its_units(manager_client, manager, framework, lsp):
    # when
    response = manager_client.post(
        reverse("competency:scheme-create"),
        {
            "lsp": lsp.pk,
            "code": "Pendamping-IV",
            "name": "Pendamping Pembangunan Muda",
            "level": "4",
            "units": f"{U[5]}; {U[1]}\n{U[2]}",
            "validity_years": "3",
        },
    )

    # then
    scheme = Scheme.objects.get(lsp=lsp, code="pendamping-iv")
    entry = _audit(scheme, AuditEntry.Action.CREATE, manager)
    assert response.status_code == 302
    assert (scheme.level, scheme.validity_years) == (4, 3)
    assert list(scheme.units.values_list("unit_code", flat=True)) == [U[1], U[2], U[5]]
    assert entry.changes == {"units": [U[1], U[2], U[5]]}


def test_scheme_with_a_unit_outside_the_framework_is_refused(manager_client, framework, lsp):
    response = manager_client.post(
        reverse("competency:scheme-create"),
        {
            "lsp": lsp.pk,
            "code": "salah",
            "name": "Skema salah",
            "level": "",
            "units": f"{U[1]}, Q.123456.001.01",
            "validity_years": "3",
        },
    )

    assert response.status_code == 200
    assert "Unit tidak ada dalam kerangka yang berlaku: Q.123456.001.01." in _page(response)
    assert not Scheme.objects.exists()


def test_a_duplicate_scheme_code_says_it_already_exists(manager_client, scheme):
    response = manager_client.post(
        reverse("competency:scheme-create"),
        {
            "lsp": scheme.lsp_id,
            "code": scheme.code,
            "name": "Lagi",
            "units": U[1],
            "validity_years": "3",
        },
    )

    html = _page(response)
    assert response.status_code == 200
    assert "yang sama sudah ada" in html
    assert "tidak ada." not in html  # Django's own Indonesian message says the opposite
    assert Scheme.objects.count() == 1


def test_scheme_units_change_until_an_assessment_uses_them(
    manager_client, manager, actor, scheme, assessor, person
):
    # given
    url = reverse("competency:scheme-update", args=[scheme.pk])
    form = {
        "name": "Pendamping Pembangunan III (2025)",
        "level": "3",
        "units": f"{U[1]}, {U[2]}, {U[3]}",
        "validity_years": "4",
        "is_active": "on",
        "code": "diabaikan",  # the code is fixed: a posted value is ignored
    }

    # when: no assessment yet
    first = manager_client.post(url, form)

    # then
    scheme.refresh_from_db()
    assert first.status_code == 302
    assert (scheme.code, scheme.validity_years) == ("pendamping-iii", 4)
    assert scheme.units.count() == 3
    entry = _audit(scheme, AuditEntry.Action.UPDATE, manager)
    assert entry.changes["units"] == [[U[1], U[2]], [U[1], U[2], U[3]]]

    # given: an assessment under the scheme
    EngagementFactory(person=person)
    services.assessment_schedule(
        actor=actor, person=person, scheme=scheme, assessor=assessor, scheduled_on=dt.date.today()
    )

    # when
    second = manager_client.post(url, {**form, "units": U[1], "name": "Tidak tersimpan"})

    # then
    scheme.refresh_from_db()
    assert second.status_code == 200
    assert "Unit skema tidak dapat diubah setelah ada asesmen" in _page(second)
    assert scheme.units.count() == 3 and scheme.name == "Pendamping Pembangunan III (2025)"


# -- TUK ----------------------------------------------------------------------------------------


def test_test_site_form_creates_and_edits_the_site(manager_client, manager, lsp):
    # when
    created = manager_client.post(
        reverse("competency:test-site-create"),
        {
            "lsp": lsp.pk,
            "name": "TUK Balai Bandung",
            "kind": "tempat_kerja",
            "regency": "32.04",
            "address": "Jl. Soekarno-Hatta 1",
        },
    )
    site = Tuk.objects.get(name="TUK Balai Bandung")
    edited = manager_client.post(
        reverse("competency:test-site-update", args=[site.pk]),
        {"name": site.name, "kind": "mandiri", "regency": "", "address": "Jl. Asia Afrika 2"},
    )

    # then
    site.refresh_from_db()
    assert created.status_code == 302 and edited.status_code == 302
    assert (site.lsp, site.kind, site.regency_id) == (lsp, "mandiri", None)
    assert _audit(site, AuditEntry.Action.CREATE, manager) is not None
    changes = _audit(site, AuditEntry.Action.UPDATE, manager).changes
    assert changes["regency_id"] == ["32.04", None]
    assert changes["kind"] == ["tempat_kerja", "mandiri"]


def test_test_site_with_an_unknown_regency_is_refused(manager_client, lsp):
    response = manager_client.post(
        reverse("competency:test-site-create"),
        {"lsp": lsp.pk, "name": "TUK", "kind": "sewaktu", "regency": "99.99"},
    )

    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in _page(response)
    assert not Tuk.objects.exists()


# -- Asesor -------------------------------------------------------------------------------------


def test_assessor_form_registers_an_assessor_account(manager_client, manager, lsp):
    # given
    account = UserFactory(role="asesor", username="asesor-baru", first_name="Rina")
    UserFactory(role="operator_provinsi", username="bukan-asesor", scope_province_id="32")
    page = _page(manager_client.get(reverse("competency:assessor-create")))
    assert "asesor-baru" in page and "bukan-asesor" not in page

    # when
    response = manager_client.post(
        reverse("competency:assessor-create"),
        {"user": account.pk, "lsp": lsp.pk, "registration_number": " MET.000.777 "},
    )

    # then
    assessor = Assessor.objects.get(user=account)
    assert response.status_code == 302
    assert (assessor.lsp, assessor.registration_number) == (lsp, "MET.000.777")
    assert _audit(assessor, AuditEntry.Action.CREATE, manager) is not None


def test_only_assessor_accounts_can_be_registered(manager_client, lsp):
    other = UserFactory(role="auditor", username="auditor-1")

    response = manager_client.post(
        reverse("competency:assessor-create"),
        {"user": other.pk, "lsp": lsp.pk, "registration_number": "MET.1"},
    )

    assert response.status_code == 200
    assert "Masukkan pilihan yang valid" in _page(response)
    assert not Assessor.objects.filter(user=other).exists()


def test_deactivating_an_assessor_is_audited(manager_client, manager, assessor):
    response = manager_client.post(
        reverse("competency:assessor-update", args=[assessor.pk]),
        {"registration_number": "MET.000.001-B"},
    )

    assessor.refresh_from_db()
    assert response.status_code == 302
    assert (assessor.registration_number, assessor.is_active) == ("MET.000.001-B", False)
    changes = _audit(assessor, AuditEntry.Action.UPDATE, manager).changes
    assert changes == {
        "registration_number": ["MET.000.001", "MET.000.001-B"],
        "is_active": [True, False],
    }


# -- Jadwal asesmen -----------------------------------------------------------------------------


def test_scheduling_an_assessment_creates_it_for_the_assessor(
    manager_client, manager, person, scheme, assessor, site
):
    # given
    EngagementFactory(person=person)

    # when
    response = manager_client.post(
        reverse("competency:assessment-schedule"),
        {
            "nik": person.nik,
            "scheme": scheme.pk,
            "assessor": assessor.pk,
            "test_site": site.pk,
            "scheduled_on": "2030-03-15",
        },
    )

    # then
    assessment = Assessment.objects.get(person=person)
    entry = _audit(assessment, AuditEntry.Action.CREATE, manager)
    assert response.status_code == 302
    assert response["Location"] == reverse("competency:assessment-detail", args=[assessment.uid])
    assert (assessment.scheme, assessment.assessor, assessment.test_site) == (
        scheme,
        assessor,
        site,
    )
    assert assessment.scheduled_on == dt.date(2030, 3, 15)
    assert entry.person_id_ref == person.pk


def test_scheduling_refuses_an_unknown_nik_and_a_foreign_test_site(
    manager_client, actor, person, scheme, assessor
):
    # given
    EngagementFactory(person=person)
    other_lsp = services.lsp_create(
        actor=actor,
        name="LSP Lain",
        kind="P1",
        licence_number="L-2",
        licence_valid_until=dt.date(2030, 1, 1),
    )
    foreign = services.test_site_create(actor=actor, lsp=other_lsp, name="TUK Lain", kind="mandiri")
    url = reverse("competency:assessment-schedule")
    form = {"scheme": scheme.pk, "assessor": assessor.pk, "scheduled_on": "2030-03-15"}

    # when
    unknown = manager_client.post(url, {**form, "nik": "3204011708850999"})
    short = manager_client.post(url, {**form, "nik": "1234"})
    mismatched = manager_client.post(url, {**form, "nik": person.nik, "test_site": foreign.pk})

    # then
    assert "NIK tidak ditemukan dalam cakupan Anda." in _page(unknown)
    assert "NIK harus 16 digit angka." in _page(short)
    assert "Asesor dan TUK harus dari LSP pemilik skema." in _page(mismatched)
    assert not Assessment.objects.exists()


# -- Access -------------------------------------------------------------------------------------

PAGES = [
    "lsp-list",
    "lsp-create",
    "lsp-update",
    "scheme-list",
    "scheme-create",
    "scheme-update",
    "test-site-list",
    "test-site-create",
    "test-site-update",
    "assessor-list",
    "assessor-create",
    "assessor-update",
    "assessment-schedule",
]

# Every role but the national administrator (the one role of CERTIFICATION_MANAGE).
OTHERS = [
    {"role": "admin_klaster"},
    {"role": "operator_provinsi", "scope_province_id": "32"},
    {"role": "operator_kabkota", "scope_province_id": "32", "scope_regency_id": "32.04"},
    {"role": "verifikator_kabkota", "scope_province_id": "32", "scope_regency_id": "32.04"},
    {"role": "koordinator"},
    {"role": "asesor"},
    {"role": "penyelenggara_pelatihan"},
    {"role": "pendamping"},
    {"role": "auditor"},
]


@pytest.fixture
def objects(scheme, site, assessor):
    return {"lsp": scheme.lsp, "scheme": scheme, "test-site": site, "assessor": assessor}


def _url(name: str, objects) -> str:
    if name.endswith("-update"):
        return reverse(f"competency:{name}", args=[objects[name.removesuffix("-update")].pk])
    return reverse(f"competency:{name}")


@pytest.mark.parametrize("spec", OTHERS, ids=[s["role"] for s in OTHERS])
def test_other_roles_are_refused_every_page(client, objects, person, spec):
    # given
    client.force_login(UserFactory(**spec))
    EngagementFactory(person=person)
    counts = [m.objects.count() for m in (CertificationBody, Scheme, Tuk, Assessor)]
    before = (counts, Assessment.objects.count(), AuditEntry.objects.count())
    post = {
        "name": "Diubah",
        "kind": "P1",
        "licence_number": "X",
        "licence_valid_until": "2030-01-01",
        "lsp": objects["lsp"].pk,
        "code": "baru",
        "units": U[1],
        "validity_years": "3",
        "registration_number": "X",
        "nik": person.nik,
        "scheme": objects["scheme"].pk,
        "assessor": objects["assessor"].pk,
        "scheduled_on": "2030-01-01",
    }

    for name in PAGES:
        url = _url(name, objects)
        # when / then
        assert client.get(url).status_code == 403, name
        assert client.post(url, post).status_code == 403, name

    counts = [m.objects.count() for m in (CertificationBody, Scheme, Tuk, Assessor)]
    assert (counts, Assessment.objects.count(), AuditEntry.objects.count()) == before
    objects["lsp"].refresh_from_db()
    assert objects["lsp"].name != "Diubah"


def test_anonymous_is_sent_to_sign_in(client, objects):
    for name in PAGES:
        response = client.get(_url(name, objects))
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_record_is_not_found(manager_client, db):
    for name in ("lsp-update", "scheme-update", "test-site-update", "assessor-update"):
        assert manager_client.get(reverse(f"competency:{name}", args=[999999])).status_code == 404


def test_the_index_links_the_pages_for_managers_only(manager_client, client):
    # when
    managers = _page(manager_client.get(reverse("competency:index")))
    operator = UserFactory(role="operator_provinsi", scope_province_id="32")
    client.force_login(operator)
    others = _page(client.get(reverse("competency:index")))

    # then
    for name in ("lsp-list", "scheme-list", "test-site-list", "assessor-list"):
        assert reverse(f"competency:{name}") in managers
        assert reverse(f"competency:{name}") not in others
    assert reverse("competency:assessment-schedule") in managers


def test_lists_and_forms_render_without_n_plus_one(
    manager_client, actor, framework, django_assert_max_num_queries
):
    # given: three LSPs, each with a scheme, a TUK and an assessor
    for n in range(3):
        lsp = services.lsp_create(
            actor=actor,
            name=f"LSP {n}",
            kind="P2",
            licence_number=f"L-{n}",
            licence_valid_until=dt.date(2030, 1, 1),
        )
        services.scheme_create(
            actor=actor, lsp=lsp, code=f"s-{n}", name=f"Skema {n}", unit_codes=[U[1], U[2]]
        )
        services.test_site_create(actor=actor, lsp=lsp, name=f"TUK {n}", kind="sewaktu")
        services.assessor_create(
            actor=actor,
            user=UserFactory(role="asesor", username=f"asesor-{n}"),
            lsp=lsp,
            registration_number=f"MET.{n}",
        )
    person = PersonFactory()
    EngagementFactory(person=person)

    for name, text in [
        ("lsp-list", "LSP 2"),
        ("scheme-list", "Skema 2"),
        ("test-site-list", "TUK 2"),
        ("assessor-list", "MET.2"),
        ("assessment-schedule", "Skema 2"),
        ("assessor-create", "LSP 2"),
    ]:
        # when
        with django_assert_max_num_queries(12):
            response = manager_client.get(reverse(f"competency:{name}"))
        # then
        assert response.status_code == 200, name
        assert text in _page(response), name

    lsp_page = _page(manager_client.get(reverse("competency:lsp-list")))
    assert lsp_page.count('<td class="num">1</td>') == 9  # 1 scheme, 1 TUK, 1 assessor each
