"""The competency API's writes: the same services, access rules and messages as the web pages.

Each endpoint creates (201) or updates (200) through its service, refuses a role without the
right (403; an object out of reach is 404) and answers bad input with a 400 that says why.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from competency import services
from competency.models import (
    Assessment,
    Attendance,
    Certificate,
    CertificationBody,
    Course,
    Enrolment,
    RplApplication,
    Scheme,
)
from competency.models import TestSite as Tuk  # not collected as a test class
from tests.api_errors import field_errors
from tests.competency.conftest import U
from tests.factories import EngagementFactory, PersonFactory, UserFactory

BASE = "/api/v1/competency"


@pytest.fixture
def as_user(db):
    """``as_user(user)``: an API client signed in as that user."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def manager(db):
    return UserFactory(role="admin_nasional", username="pengelola-api")


@pytest.fixture
def manager_api(as_user, manager):
    return as_user(manager)


@pytest.fixture
def operator(db):
    return UserFactory(role="operator_provinsi", username="op-jabar", scope_province_id="32")


@pytest.fixture
def provider(actor):
    return services.training_provider_create(actor=actor, name="Balai Diklat Bandung")


@pytest.fixture
def staff(provider):
    user = UserFactory(role="penyelenggara_pelatihan", username="staf-balai")
    provider.staff.add(user)
    return user


@pytest.fixture
def course(actor, framework, provider):
    return services.course_create(
        actor=actor,
        provider=provider,
        code="dasar",
        title="Pendampingan dasar",
        hours=24,
        mode="daring",
        unit_codes=[U[1], U[2]],
    )


@pytest.fixture
def training_class(actor, course):
    return services.training_class_create(
        actor=actor,
        course=course,
        name="Angkatan I",
        start_date=dt.date(2030, 1, 6),
        end_date=dt.date(2030, 1, 10),
        place="Bandung",
        capacity=20,
    )


@pytest.fixture
def enrolment(actor, training_class, person):
    EngagementFactory(person=person)
    return services.enrolment_create(actor=actor, training_class=training_class, person=person)


@pytest.fixture
def scheme(actor, framework, lsp):
    return services.scheme_create(
        actor=actor, lsp=lsp, code="pendamping-iii", name="Pendamping III", unit_codes=[U[1], U[2]]
    )


def _audited(obj, action: str, actor) -> bool:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action, actor=actor
    ).exists()


# -- Training -----------------------------------------------------------------------------------


def test_provider_staff_create_a_course(as_user, staff, provider, framework):
    # given
    api = as_user(staff)
    assert api.get(f"{BASE}/providers/").json()["results"] == [
        {"id": provider.pk, "name": provider.name, "address": "", "is_active": True}
    ]

    # when
    response = api.post(
        f"{BASE}/courses/",
        {
            "provider": provider.pk,
            "code": "Lanjut",
            "title": "Pendampingan lanjut",
            "hours": 40,
            "mode": "campuran",
            "units": [U[5], U[3]],
        },
        format="json",
    )

    # then
    course = Course.objects.get(code="lanjut")
    assert response.status_code == 201, response.json()
    assert response.json()["units"] == [U[3], U[5]]
    assert response.json()["provider"] == provider.name
    assert _audited(course, AuditEntry.Action.CREATE, staff)


def test_course_creation_refuses_other_roles_and_other_providers(
    as_user, actor, provider, framework, person
):
    # given
    elsewhere = services.training_provider_create(actor=actor, name="Balai Lain")
    outsider = UserFactory(role="penyelenggara_pelatihan", username="staf-lain")
    elsewhere.staff.add(outsider)
    body = {
        "provider": provider.pk,
        "code": "x",
        "title": "X",
        "hours": 1,
        "mode": "daring",
        "units": [U[1]],
    }

    # when
    facilitator = as_user(UserFactory(role="pendamping", person=person)).post(
        f"{BASE}/courses/", body, format="json"
    )
    other_provider = as_user(outsider).post(f"{BASE}/courses/", body, format="json")

    # then
    assert facilitator.status_code == 403
    assert other_provider.status_code == 400
    assert "provider" in field_errors(other_provider)
    assert not Course.objects.filter(code="x").exists()


def test_course_with_bad_input_is_a_clear_400(as_user, staff, provider, framework):
    api = as_user(staff)
    body = {"provider": provider.pk, "code": "y", "title": "Y", "mode": "daring"}

    no_hours = api.post(f"{BASE}/courses/", {**body, "hours": 0, "units": [U[1]]}, format="json")
    bad_unit = api.post(f"{BASE}/courses/", {**body, "hours": 8, "units": ["X.1"]}, format="json")

    assert no_hours.status_code == 400 and "hours" in field_errors(no_hours)
    assert bad_unit.status_code == 400
    assert field_errors(bad_unit) == {"units": ["Kode unit tidak sesuai format SKKNI: X.1."]}
    assert not Course.objects.filter(code="y").exists()


def test_staff_create_a_class_for_their_course(as_user, staff, course, operator):
    # given
    body = {
        "name": "Angkatan II",
        "start_date": "2030-02-03",
        "end_date": "2030-02-07",
        "place": "Cimahi",
        "capacity": 25,
        "regency": "32.77",
    }
    url = f"{BASE}/courses/{course.code}/classes/"

    # when
    created = as_user(staff).post(url, body, format="json")
    refused = as_user(operator).post(url, body, format="json")
    backwards = as_user(staff).post(url, {**body, "end_date": "2030-02-01"}, format="json")

    # then
    assert created.status_code == 201, created.json()
    data = created.json()
    assert (data["course"], data["regency_id"], data["enrolled"]) == ("dasar", "32.77", 0)
    assert data["status"] == "pendaftaran"
    assert refused.status_code == 403
    assert backwards.status_code == 400
    assert field_errors(backwards) == {
        "end_date": ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    }
    assert course.classes.count() == 1
    assert as_user(staff).post(f"{BASE}/courses/tidak-ada/classes/", body).status_code == 404


def test_attendance_and_completion(as_user, staff, enrolment):
    # given
    api = as_user(staff)
    base = f"{BASE}/enrolments/{enrolment.uid}"

    # when
    present = api.post(f"{base}/attendance/", {"day": "2030-01-07"}, format="json")
    absent = api.post(f"{base}/attendance/", {"day": "2030-01-08", "present": False}, format="json")
    outside = api.post(f"{base}/attendance/", {"day": "2030-02-01"}, format="json")
    no_outcome = api.post(f"{base}/completion/", {}, format="json")
    done = api.post(
        f"{base}/completion/",
        {"passed": True, "completed_on": "2030-01-10", "note": "Baik"},
        format="json",
    )

    # then
    assert present.status_code == 201
    assert present.json() == {"enrolment": str(enrolment.uid), "day": "2030-01-07", "present": True}
    assert absent.status_code == 201
    assert outside.status_code == 400
    assert field_errors(outside) == {"day": ["Tanggal di luar jadwal angkatan."]}
    assert dict(Attendance.objects.filter(enrolment=enrolment).values_list("day", "present")) == {
        dt.date(2030, 1, 7): True,
        dt.date(2030, 1, 8): False,
    }
    assert no_outcome.status_code == 400 and "passed" in field_errors(no_outcome)
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["completed_on"]) == ("lulus", "2030-01-10")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PASSED
    assert _audited(enrolment, AuditEntry.Action.UPDATE, staff)


def test_enrolments_of_other_classes_are_not_found(as_user, actor, enrolment, operator):
    # given: staff of another provider, and an operator who sees the person but runs no class
    elsewhere = services.training_provider_create(actor=actor, name="Balai Lain")
    outsider = UserFactory(role="penyelenggara_pelatihan", username="staf-lain")
    elsewhere.staff.add(outsider)
    base = f"{BASE}/enrolments/{enrolment.uid}"

    for user in (outsider, operator):
        api = as_user(user)
        # when / then
        assert api.post(f"{base}/attendance/", {"day": "2030-01-07"}).status_code == 404
        assert api.post(f"{base}/completion/", {"passed": True}).status_code == 404
    assert not Attendance.objects.exists()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


# -- LSP, skema, TUK, asesor --------------------------------------------------------------------


def test_manager_creates_lists_and_edits_an_lsp(manager_api, manager):
    # when
    created = manager_api.post(
        f"{BASE}/lsps/",
        {
            "name": "LSP Pekerja Sosial",
            "kind": "P3",
            "licence_number": "BNSP-LSP/050/2023",
            "licence_valid_from": "2023-05-01",
            "licence_valid_until": "2028-04-30",
        },
        format="json",
    )
    pk = created.json()["id"]
    listing = manager_api.get(f"{BASE}/lsps/", {"q": "pekerja"})
    edited = manager_api.patch(f"{BASE}/lsps/{pk}/", {"is_active": False}, format="json")

    # then
    lsp = CertificationBody.objects.get(pk=pk)
    assert created.status_code == 201
    assert created.json()["kind_label"] == "LSP P3"
    assert [row["name"] for row in listing.json()["results"]] == ["LSP Pekerja Sosial"]
    assert edited.status_code == 200 and edited.json()["is_active"] is False
    assert lsp.licence_valid_until == dt.date(2028, 4, 30) and not lsp.is_active
    assert lsp.licence_valid_from == dt.date(2023, 5, 1)  # a partial update keeps the rest
    assert _audited(lsp, AuditEntry.Action.CREATE, manager)
    assert _audited(lsp, AuditEntry.Action.UPDATE, manager)


def test_lsp_bad_input_is_a_clear_400(manager_api, lsp):
    backwards = manager_api.post(
        f"{BASE}/lsps/",
        {
            "name": "LSP Mundur",
            "kind": "P1",
            "licence_number": "L",
            "licence_valid_from": "2025-01-01",
            "licence_valid_until": "2024-01-01",
        },
        format="json",
    )
    # Only the end date sent: checked against the stored start by the service.
    lsp.licence_valid_from = dt.date(2021, 1, 1)
    lsp.save(update_fields=["licence_valid_from"])
    patch = manager_api.patch(
        f"{BASE}/lsps/{lsp.pk}/", {"licence_valid_until": "2020-01-01"}, format="json"
    )

    assert backwards.status_code == 400
    assert field_errors(backwards) == {
        "licence_valid_until": ["Lisensi tidak boleh berakhir sebelum mulai berlaku."]
    }
    assert patch.status_code == 400
    assert patch.json() == backwards.json()
    assert not CertificationBody.objects.filter(name="LSP Mundur").exists()
    lsp.refresh_from_db()
    assert lsp.licence_valid_until == dt.date(2030, 12, 31)


def test_manager_creates_and_edits_a_scheme(manager_api, manager, framework, lsp):
    # when
    created = manager_api.post(
        f"{BASE}/schemes/",
        {"lsp": lsp.pk, "code": "madya", "name": "Madya", "units": [U[7], U[1]], "level": 5},
        format="json",
    )
    pk = created.json()["id"]
    edited = manager_api.patch(
        f"{BASE}/schemes/{pk}/", {"units": [U[1]], "validity_years": 5}, format="json"
    )
    duplicate = manager_api.post(
        f"{BASE}/schemes/",
        {"lsp": lsp.pk, "code": "madya", "name": "Lagi", "units": [U[1]]},
        format="json",
    )
    unknown_unit = manager_api.post(
        f"{BASE}/schemes/",
        {"lsp": lsp.pk, "code": "lain", "name": "Lain", "units": ["Q.123456.001.01"]},
        format="json",
    )

    # then
    scheme = Scheme.objects.get(pk=pk)
    assert created.status_code == 201
    assert created.json()["units"] == [U[1], U[7]]
    assert (created.json()["level"], created.json()["validity_years"]) == (5, 3)
    assert edited.status_code == 200
    assert (edited.json()["units"], edited.json()["validity_years"]) == ([U[1]], 5)
    assert _audited(scheme, AuditEntry.Action.UPDATE, manager)
    assert duplicate.status_code == 400
    assert field_errors(duplicate) == {
        "__all__": ["Skema sertifikasi dengan Lsp dan Kode skema yang sama sudah ada."]
    }
    assert unknown_unit.status_code == 400
    assert "Unit tidak ada dalam kerangka yang berlaku" in field_errors(unknown_unit)["units"][0]
    assert Scheme.objects.count() == 1


def test_manager_creates_and_edits_a_test_site(manager_api, manager, lsp):
    created = manager_api.post(
        f"{BASE}/test-sites/",
        {"lsp": lsp.pk, "name": "TUK Cimahi", "kind": "sewaktu", "regency": "32.77"},
        format="json",
    )
    pk = created.json()["id"]
    edited = manager_api.patch(
        f"{BASE}/test-sites/{pk}/", {"address": "Jl. Baros 3"}, format="json"
    )
    bad = manager_api.post(
        f"{BASE}/test-sites/",
        {"lsp": lsp.pk, "name": "TUK", "kind": "keliling", "regency": "99.99"},
        format="json",
    )

    site = Tuk.objects.get(pk=pk)
    assert created.status_code == 201
    assert (created.json()["regency"], created.json()["kind_label"]) == ("32.77", "TUK sewaktu")
    assert edited.status_code == 200 and site.address == "Jl. Baros 3"
    assert site.regency_id == "32.77"
    assert _audited(site, AuditEntry.Action.UPDATE, manager)
    assert bad.status_code == 400 and set(field_errors(bad)) == {"kind", "regency"}
    assert Tuk.objects.count() == 1


def test_manager_registers_and_deactivates_an_assessor(manager_api, manager, lsp):
    # given
    UserFactory(role="asesor", username="asesor-api", first_name="Dewi")
    UserFactory(role="auditor", username="auditor-api")

    # when
    created = manager_api.post(
        f"{BASE}/assessors/",
        {"username": "asesor-api", "lsp": lsp.pk, "registration_number": "MET.9"},
        format="json",
    )
    pk = created.json()["id"]
    again = manager_api.post(
        f"{BASE}/assessors/",
        {"username": "asesor-api", "lsp": lsp.pk, "registration_number": "MET.9"},
        format="json",
    )
    not_an_assessor = manager_api.post(
        f"{BASE}/assessors/",
        {"username": "auditor-api", "lsp": lsp.pk, "registration_number": "MET.10"},
        format="json",
    )
    edited = manager_api.patch(f"{BASE}/assessors/{pk}/", {"is_active": False}, format="json")
    listing = manager_api.get(f"{BASE}/assessors/").json()["results"]

    # then
    assert created.status_code == 201
    assert (created.json()["name"], created.json()["lsp_name"]) == ("Dewi", lsp.name)
    assert again.status_code == 400 and "username" in field_errors(again)
    assert not_an_assessor.status_code == 400 and "username" in field_errors(not_an_assessor)
    assert edited.status_code == 200 and edited.json()["is_active"] is False
    assert [(row["username"], row["is_active"]) for row in listing] == [("asesor-api", False)]


# -- Jadwal asesmen -----------------------------------------------------------------------------


def test_manager_schedules_by_uid_or_nik(manager_api, manager, person, scheme, assessor):
    # given
    EngagementFactory(person=person)
    body = {"scheme": scheme.pk, "assessor": assessor.pk, "scheduled_on": "2030-04-01"}

    # when
    by_uid = manager_api.post(
        f"{BASE}/assessments/", {**body, "person_uid": str(person.uid)}, format="json"
    )
    by_nik = manager_api.post(f"{BASE}/assessments/", {**body, "nik": person.nik}, format="json")

    # then
    assert by_uid.status_code == 201 and by_nik.status_code == 201
    data = by_uid.json()
    assessment = Assessment.objects.get(uid=data["uid"])
    assert (data["person_uid"], data["scheme"], data["assessor"]) == (
        str(person.uid),
        scheme.pk,
        assessor.pk,
    )
    assert (data["scheduled_on"], data["status"]) == ("2030-04-01", "dijadwalkan")
    assert _audited(assessment, AuditEntry.Action.CREATE, manager)
    assert person.assessments.count() == 2


def test_scheduling_bad_input_is_a_clear_400(manager_api, actor, person, scheme, assessor):
    # given
    EngagementFactory(person=person)
    other = services.lsp_create(
        actor=actor,
        name="LSP Lain",
        kind="P1",
        licence_number="L",
        licence_valid_until=dt.date(2030, 1, 1),
    )
    foreign = services.test_site_create(actor=actor, lsp=other, name="TUK Lain", kind="mandiri")
    body = {"scheme": scheme.pk, "assessor": assessor.pk, "scheduled_on": "2030-04-01"}
    url = f"{BASE}/assessments/"

    # when
    nobody = manager_api.post(url, body, format="json")
    unknown = manager_api.post(url, {**body, "nik": "3204011708859999"}, format="json")
    mismatched = manager_api.post(
        url, {**body, "nik": person.nik, "test_site": foreign.pk}, format="json"
    )

    # then
    assert nobody.status_code == 400
    assert field_errors(nobody) == {
        "person_uid": ["Isi salah satu: person_uid atau nik peserta uji."]
    }
    assert unknown.status_code == 400
    assert field_errors(unknown) == {"nik": ["Orang tidak ditemukan dalam cakupan Anda."]}
    assert mismatched.status_code == 400
    assert field_errors(mismatched) == {"__all__": ["Asesor dan TUK harus dari LSP pemilik skema."]}
    assert not Assessment.objects.exists()


MANAGER_ENDPOINTS = [
    ("get", "/lsps/"),
    ("post", "/lsps/"),
    ("get", "/lsps/{lsp}/"),
    ("patch", "/lsps/{lsp}/"),
    ("get", "/schemes/"),
    ("post", "/schemes/"),
    ("get", "/schemes/{scheme}/"),
    ("patch", "/schemes/{scheme}/"),
    ("get", "/test-sites/"),
    ("post", "/test-sites/"),
    ("get", "/test-sites/{site}/"),
    ("patch", "/test-sites/{site}/"),
    ("get", "/assessors/"),
    ("post", "/assessors/"),
    ("get", "/assessors/{assessor}/"),
    ("patch", "/assessors/{assessor}/"),
    ("post", "/assessments/"),
]

NOT_MANAGERS = [
    {"role": "admin_klaster"},
    {"role": "operator_provinsi", "scope_province_id": "32"},
    {"role": "asesor"},
    {"role": "penyelenggara_pelatihan"},
    {"role": "pendamping"},
    {"role": "auditor"},
]


@pytest.mark.parametrize("spec", NOT_MANAGERS, ids=[s["role"] for s in NOT_MANAGERS])
def test_certification_endpoints_refuse_everyone_but_managers(
    as_user, actor, spec, person, scheme, assessor
):
    # given
    EngagementFactory(person=person)
    site = services.test_site_create(actor=actor, lsp=scheme.lsp, name="TUK", kind="sewaktu")
    ids = {"lsp": scheme.lsp_id, "scheme": scheme.pk, "site": site.pk, "assessor": assessor.pk}
    body = {
        "name": "Diubah",
        "kind": "P1",
        "licence_number": "L",
        "licence_valid_until": "2030-01-01",
        "lsp": scheme.lsp_id,
        "code": "baru",
        "units": [U[1]],
        "nik": person.nik,
        "scheme": scheme.pk,
        "assessor": assessor.pk,
        "scheduled_on": "2030-01-01",
    }
    api = as_user(UserFactory(**spec))
    audits = AuditEntry.objects.count()

    for method, path in MANAGER_ENDPOINTS:
        # when
        response = getattr(api, method)(BASE + path.format(**ids), body, format="json")
        # then
        assert response.status_code == 403, (method, path)

    assert AuditEntry.objects.count() == audits
    assert not Assessment.objects.exists()
    assert CertificationBody.objects.get(pk=scheme.lsp_id).name == "LSP Uji Pendamping"


def test_anonymous_callers_are_refused(db, lsp):
    api = APIClient()

    assert api.get(f"{BASE}/lsps/").status_code in (401, 403)
    assert api.post(f"{BASE}/lsps/", {"name": "X"}, format="json").status_code in (401, 403)
    assert CertificationBody.objects.count() == 1


# -- RPL ----------------------------------------------------------------------------------------


@pytest.fixture
def application(actor, framework, person):
    EngagementFactory(person=person)
    return services.rpl_apply(
        actor=actor,
        person=person,
        unit_codes=[U[1]],
        evidence=[("dokumen", SimpleUploadedFile("cv.pdf", b"%PDF-1.4"), "Riwayat kerja")],
    )


def test_applicant_adds_rpl_evidence(as_user, person, application):
    # given
    me = UserFactory(role="pendamping", person=person)
    url = f"{BASE}/rpl/{application.uid}/evidence/"

    # when
    added = as_user(me).post(
        url,
        {
            "kind": "surat_tugas",
            "file": SimpleUploadedFile("sk.pdf", b"%PDF-1.4"),
            "description": "Surat tugas 2019",
        },
        format="multipart",
    )
    bad = as_user(me).post(
        url, {"kind": "foto", "file": SimpleUploadedFile("a.pdf", b"x")}, format="multipart"
    )
    no_file = as_user(me).post(url, {"kind": "dokumen"}, format="multipart")

    # then
    assert added.status_code == 201
    assert (added.json()["kind"], added.json()["description"]) == (
        "surat_tugas",
        "Surat tugas 2019",
    )
    assert bad.status_code == 400 and "kind" in field_errors(bad)
    assert no_file.status_code == 400 and "file" in field_errors(no_file)
    assert application.evidence.count() == 2
    assert _audited(application.evidence.last(), AuditEntry.Action.CREATE, me)


def test_rpl_evidence_is_refused_to_others(as_user, application):
    # given: an auditor sees the application (in scope) but may not add to it; a stranger
    # facilitator does not see it at all
    auditor = UserFactory(role="auditor")
    stranger = UserFactory(role="pendamping", person=PersonFactory())
    file = {"kind": "dokumen", "file": SimpleUploadedFile("x.pdf", b"%PDF")}

    # when
    refused = as_user(auditor).post(
        f"{BASE}/rpl/{application.uid}/evidence/", file, format="multipart"
    )
    hidden = as_user(stranger).post(
        f"{BASE}/rpl/{application.uid}/evidence/",
        {"kind": "dokumen", "file": SimpleUploadedFile("y.pdf", b"%PDF")},
        format="multipart",
    )

    # then
    assert refused.status_code == 403
    assert hidden.status_code == 404
    assert application.evidence.count() == 1


def test_manager_assigns_an_rpl_assessor(
    as_user, manager_api, manager, application, assessor, assessor_user
):
    # when
    refused = as_user(assessor_user).post(
        f"{BASE}/rpl/{application.uid}/assessor/", {"assessor": assessor.pk}, format="json"
    )
    bad = manager_api.post(
        f"{BASE}/rpl/{application.uid}/assessor/", {"assessor": 999999}, format="json"
    )
    assigned = manager_api.post(
        f"{BASE}/rpl/{application.uid}/assessor/", {"assessor": assessor.pk}, format="json"
    )

    # then
    application.refresh_from_db()
    assert refused.status_code == 403
    assert bad.status_code == 400 and "assessor" in field_errors(bad)
    assert assigned.status_code == 200
    assert application.assessor == assessor
    assert _audited(application, AuditEntry.Action.UPDATE, manager)


def test_a_decided_application_keeps_its_assessor(
    manager_api, actor, application, assessor, assessor_user, lsp
):
    # given
    services.rpl_assign(actor=actor, application=application, assessor=assessor)
    services.rpl_decide(actor=assessor_user, application=application, decisions={U[1]: True})
    other = services.assessor_create(
        actor=actor,
        user=UserFactory(role="asesor", username="asesor-2"),
        lsp=lsp,
        registration_number="MET.2",
    )

    # when
    response = manager_api.post(
        f"{BASE}/rpl/{application.uid}/assessor/", {"assessor": other.pk}, format="json"
    )

    # then
    application.refresh_from_db()
    assert response.status_code == 400
    assert field_errors(response) == {"__all__": ["Permohonan ini tidak lagi menunggu keputusan."]}
    assert application.assessor == assessor
    assert application.status == RplApplication.Status.DECIDED


# -- Renewal ------------------------------------------------------------------------------------


def test_a_holder_cannot_renew_their_own_certificate(as_user, person, certify):
    EngagementFactory(person=person)
    certificate = certify(person, [1, 2])
    holder = UserFactory(role="pendamping", person=person)

    response = as_user(holder).post(f"{BASE}/certificates/{certificate.uid}/renew/")

    assert response.status_code == 403
    assert response.json()["detail"] == "Hanya LSP penerbit yang memperpanjang sertifikat."
    assert Certificate.objects.count() == 1


# -- Schema -------------------------------------------------------------------------------------


def test_the_openapi_document_describes_the_new_endpoints(client, db):
    # when
    response = client.get("/api/v1/openapi.json")

    # then
    assert response.status_code == 200
    paths = response.json()["paths"]
    expected = {
        "/courses/": {"get", "post"},
        "/courses/{code}/classes/": {"post"},
        "/providers/": {"get"},
        "/enrolments/{uid}/attendance/": {"post"},
        "/enrolments/{uid}/completion/": {"post"},
        "/lsps/": {"get", "post"},
        "/lsps/{id}/": {"get", "patch"},
        "/schemes/": {"get", "post"},
        "/schemes/{id}/": {"get", "patch"},
        "/test-sites/": {"get", "post"},
        "/test-sites/{id}/": {"get", "patch"},
        "/assessors/": {"get", "post"},
        "/assessors/{id}/": {"get", "patch"},
        "/assessments/": {"post"},
        "/rpl/{uid}/evidence/": {"post"},
        "/rpl/{uid}/assessor/": {"post"},
        "/certificates/{uid}/renew/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths["/api/v1/competency" + path]) >= methods, path
    lsps = paths["/api/v1/competency/lsps/"]["get"]["responses"]["200"]
    assert lsps["content"]["application/json"]["schema"]["$ref"].endswith("PaginatedLspOutList")
