"""The writes that had an API but no page (certificate renewal, the RPL assessor and more RPL
evidence), and training providers on both.

Each action goes through its service and leaves an audit entry; a role without the right is
refused (403) and an object out of reach is not found (404), with nothing written; bad input
is answered in Indonesian.
"""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from competency import services
from competency.models import RplEvidence, TrainingProvider
from tests.api_errors import field_errors
from tests.competency.conftest import U
from tests.factories import EngagementFactory, PersonFactory, UserFactory

API = "/api/v1/competency"


@pytest.fixture
def login(client):
    """``login(user)``: the test client, signed in as that user."""

    def make(user):
        client.force_login(user)
        return client

    return make


@pytest.fixture
def as_user(db):
    def make(user) -> APIClient:
        api = APIClient()
        api.force_authenticate(user)
        return api

    return make


@pytest.fixture
def certificate(person, certify):
    EngagementFactory(person=person)  # in Jawa Barat (32)
    return certify(person, [1, 2], issued_on=dt.date(2022, 3, 1))


@pytest.fixture
def application(actor, framework, person):
    EngagementFactory(person=person)
    return services.rpl_apply(
        actor=actor,
        person=person,
        unit_codes=[U[1]],
        evidence=[("dokumen", SimpleUploadedFile("cv.pdf", b"%PDF-1.4"), "Riwayat kerja")],
    )


@pytest.fixture
def holder(person):
    return UserFactory(role="pendamping", person=person, username="pemegang")


@pytest.fixture
def provider(actor):
    return services.training_provider_create(actor=actor, name="Balai Diklat Bandung")


@pytest.fixture
def staff(provider):
    user = UserFactory(role="penyelenggara_pelatihan", username="staf-balai")
    provider.staff.add(user)
    return user


def _audited(obj, action: str, actor) -> AuditEntry | None:
    return AuditEntry.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action, actor=actor
    ).first()


def _shown(web, response) -> list[str]:
    """The messages shown by the page a POST redirected to (showing them uses them up)."""
    assert response.status_code == 302
    return [str(m) for m in web.get(response["Location"]).context["messages"]]


def _pdf(name: str = "bukti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 bukti", "application/pdf")


# Certificate renewal (an assessment under the scheme rule): see test_maker_checker.py


# -- RPL: assessor --------------------------------------------------------------------------------


def test_a_manager_assigns_the_rpl_assessor_from_its_page(
    login, national_admin, application, assessor
):
    # given
    web = login(national_admin)
    detail = reverse("competency:rpl-detail", args=[application.uid])
    page = web.get(detail).content.decode()
    assert "Tugaskan asesor" in page and "MET.000.001" in page

    # when
    response = web.post(
        reverse("competency:rpl-assign", args=[application.uid]), {"assessor": assessor.pk}
    )

    # then
    application.refresh_from_db()
    entry = _audited(application, AuditEntry.Action.UPDATE, national_admin)
    assert response.status_code == 302 and response["Location"] == detail
    assert application.assessor == assessor
    assert entry.changes == {"assessor": assessor.pk}
    assert _shown(web, response) == [f"Asesor {assessor.user} ditugaskan."]
    assert "Ganti asesor" in web.get(detail).content.decode()


def test_only_managers_assign_an_rpl_assessor(
    login, application, assessor, assessor_user, person, db
):
    # given: the applicant and an operator in scope see the page; none of them, nor an
    # assessor, may choose the assessor
    applicant = UserFactory(role="pendamping", person=person)
    operator = UserFactory(role="operator_provinsi", scope_province_id="32")
    url = reverse("competency:rpl-assign", args=[application.uid])
    detail = reverse("competency:rpl-detail", args=[application.uid])
    audits = AuditEntry.objects.count()

    # when / then
    for user in (applicant, operator, assessor_user):
        web = login(user)
        assert web.post(url, {"assessor": assessor.pk}).status_code == 403
    for user in (applicant, operator):
        assert "Tugaskan asesor" not in login(user).get(detail).content.decode()
    application.refresh_from_db()
    assert application.assessor is None
    assert AuditEntry.objects.count() == audits


def test_rpl_assignment_errors_are_shown_in_indonesian(
    login, national_admin, actor, application, assessor, assessor_user, lsp
):
    # given: an inactive assessor is not on offer
    retired = services.assessor_create(
        actor=actor,
        user=UserFactory(role="asesor", username="asesor-pensiun"),
        lsp=lsp,
        registration_number="MET.OLD",
    )
    services.assessor_update(actor=actor, assessor=retired, data={"is_active": False})
    web = login(national_admin)
    url = reverse("competency:rpl-assign", args=[application.uid])
    assert (
        "MET.OLD"
        not in web.get(reverse("competency:rpl-detail", args=[application.uid])).content.decode()
    )

    # when
    unknown = _shown(web, web.post(url, {"assessor": 999999}))
    inactive = _shown(web, web.post(url, {"assessor": retired.pk}))
    missing = web.post(reverse("competency:rpl-assign", args=[uuid.uuid4()]), {})

    # then
    choice = (
        "Asesor: Masukkan pilihan yang valid. Pilihan tersebut bukan salah satu dari pilihan "
        "yang tersedia."
    )
    assert unknown == [choice]
    assert inactive == [choice]
    assert missing.status_code == 404
    application.refresh_from_db()
    assert application.assessor is None

    # and a decided application keeps its assessor
    services.rpl_assign(actor=actor, application=application, assessor=assessor)
    services.rpl_decide(actor=assessor_user, application=application, decisions={U[1]: True})
    other = services.assessor_create(
        actor=actor,
        user=UserFactory(role="asesor", username="asesor-2"),
        lsp=lsp,
        registration_number="MET.2",
    )
    decided = web.post(url, {"assessor": other.pk})
    application.refresh_from_db()
    assert _shown(web, decided) == ["Permohonan ini tidak lagi menunggu keputusan."]
    assert application.assessor == assessor
    assert "Tugaskan asesor" not in web.get(decided["Location"]).content.decode()


# -- RPL: more evidence ---------------------------------------------------------------------------


def test_the_applicant_adds_rpl_evidence_from_its_page(login, application, person):
    # given
    me = UserFactory(role="pendamping", person=person)
    web = login(me)
    detail = reverse("competency:rpl-detail", args=[application.uid])
    assert "Tambah bukti" in web.get(detail).content.decode()

    # when
    response = web.post(
        reverse("competency:rpl-evidence", args=[application.uid]),
        {"kind": "surat_tugas", "file": _pdf("sk.pdf"), "description": "Surat tugas 2019"},
    )

    # then
    item = application.evidence.order_by("id").last()
    assert response.status_code == 302 and response["Location"] == detail
    assert application.evidence.count() == 2
    assert (item.kind, item.description, item.uploaded_by) == (
        "surat_tugas",
        "Surat tugas 2019",
        me,
    )
    assert _audited(item, AuditEntry.Action.CREATE, me) is not None
    assert _shown(web, response) == ["Bukti ditambahkan."]
    assert "Surat tugas 2019" in web.get(detail).content.decode()


def test_the_assigned_assessor_adds_evidence_too(
    login, actor, application, assessor, assessor_user
):
    services.rpl_assign(actor=actor, application=application, assessor=assessor)

    response = login(assessor_user).post(
        reverse("competency:rpl-evidence", args=[application.uid]),
        {"kind": "lainnya", "file": _pdf(), "description": "Hasil wawancara"},
    )

    assert response.status_code == 302
    assert _audited(application.evidence.last(), AuditEntry.Action.CREATE, assessor_user)


def test_rpl_evidence_is_refused_to_others(login, actor, application, assessor, lsp):
    # given: an auditor sees the application but may not add to it; another facilitator and
    # an assessor it is not assigned to do not see it at all
    services.rpl_assign(actor=actor, application=application, assessor=assessor)
    colleague = UserFactory(role="asesor", username="asesor-2")
    services.assessor_create(actor=actor, user=colleague, lsp=lsp, registration_number="MET.2")
    auditor = UserFactory(role="auditor")
    stranger = UserFactory(role="pendamping", person=PersonFactory())
    url = reverse("competency:rpl-evidence", args=[application.uid])
    audits = AuditEntry.objects.count()

    # when / then
    web = login(auditor)
    page = web.get(reverse("competency:rpl-detail", args=[application.uid])).content.decode()
    assert "Tambah bukti" not in page
    assert web.post(url, {"kind": "dokumen", "file": _pdf()}).status_code == 403
    for user in (stranger, colleague):
        assert login(user).post(url, {"kind": "dokumen", "file": _pdf()}).status_code == 404
    assert application.evidence.count() == 1
    assert AuditEntry.objects.count() == audits


def test_rpl_evidence_errors_are_shown_in_indonesian(
    login, actor, application, person, assessor, assessor_user
):
    # given
    web = login(UserFactory(role="pendamping", person=person))
    url = reverse("competency:rpl-evidence", args=[application.uid])

    # when
    no_file = _shown(web, web.post(url, {"kind": "dokumen"}))
    bad_kind = _shown(web, web.post(url, {"kind": "foto", "file": _pdf()}))

    # then
    assert no_file == ["Berkas bukti: Bidang ini harus diisi."]
    assert bad_kind == [
        "Jenis bukti: Masukkan pilihan yang valid. foto bukan salah satu dari pilihan yang "
        "tersedia."
    ]
    assert application.evidence.count() == 1

    # and once decided, no more evidence
    services.rpl_assign(actor=actor, application=application, assessor=assessor)
    services.rpl_decide(actor=assessor_user, application=application, decisions={U[1]: False})
    late = web.post(url, {"kind": "dokumen", "file": _pdf()})
    assert _shown(web, late) == ["Permohonan ini sudah diputuskan."]
    assert RplEvidence.objects.filter(application=application).count() == 1
    assert "Tambah bukti" not in web.get(late["Location"]).content.decode()


# -- Training providers: pages --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin_nasional", "admin_klaster"])
def test_an_administrator_registers_a_provider_with_its_staff(login, role, programmes):
    # given: a cluster administrator has a cluster (one without may write nothing)
    clusters = [programmes["anak"]] if role == "admin_klaster" else None
    admin = UserFactory(role=role, username=f"{role}-1", programmes=clusters)
    web = login(admin)
    officer = UserFactory(role="penyelenggara_pelatihan", username="petugas-balai")
    assert (
        reverse("competency:provider-list") in web.get(reverse("competency:index")).content.decode()
    )
    assert "petugas-balai" in web.get(reverse("competency:provider-create")).content.decode()

    # when
    response = web.post(
        reverse("competency:provider-create"),
        {"name": "  Balai Diklat Makassar ", "address": "Jl. Perintis 10", "staff": [officer.pk]},
    )

    # then
    provider = TrainingProvider.objects.get(name="Balai Diklat Makassar")
    entry = _audited(provider, AuditEntry.Action.CREATE, admin)
    assert response.status_code == 302
    assert response["Location"] == reverse("competency:provider-list")
    assert list(provider.staff.all()) == [officer]
    assert entry.changes == {"staff": ["petugas-balai"]}
    assert _shown(web, response) == ["Penyelenggara pelatihan Balai Diklat Makassar didaftarkan."]
    assert "Balai Diklat Makassar" in web.get(response["Location"]).content.decode()


def test_provider_pages_are_refused_to_other_roles(login, provider, staff, actor, person):
    # given
    elsewhere = services.training_provider_create(actor=actor, name="Balai Lain")
    operator = UserFactory(role="operator_provinsi", scope_province_id="32")
    facilitator = UserFactory(role="pendamping", person=person)
    body = {"name": "Balai Liar"}
    audits = AuditEntry.objects.count()

    # when / then: staff see their own provider only, and may not register one
    web = login(staff)
    listing = web.get(reverse("competency:provider-list")).content.decode()
    assert provider.name in listing and elsewhere.name not in listing
    assert reverse("competency:provider-create") not in listing
    assert web.get(reverse("competency:provider-create")).status_code == 403
    assert web.post(reverse("competency:provider-create"), body).status_code == 403
    for user in (operator, facilitator):
        web = login(user)
        assert web.get(reverse("competency:provider-list")).status_code == 403
        assert web.post(reverse("competency:provider-create"), body).status_code == 403
        assert (
            reverse("competency:provider-list")
            not in web.get(reverse("competency:index")).content.decode()
        )
    assert not TrainingProvider.objects.filter(name="Balai Liar").exists()
    assert AuditEntry.objects.count() == audits


def test_provider_form_errors_are_in_indonesian(login, national_admin, provider, db):
    # given
    web = login(national_admin)
    not_staff = UserFactory(role="auditor")
    url = reverse("competency:provider-create")

    # when
    empty = web.post(url, {"name": ""}).content.decode()
    duplicate = web.post(url, {"name": provider.name}).content.decode()
    wrong_staff = web.post(url, {"name": "Balai Baru", "staff": [not_staff.pk]}).content.decode()

    # then
    assert "Bidang ini harus diisi." in empty
    assert "Penyelenggara pelatihan dengan Nama telah ada." in duplicate
    assert f"Masukkan pilihan yang valid. {not_staff.pk} bukan salah satu" in wrong_staff
    assert list(TrainingProvider.objects.values_list("name", flat=True)) == [provider.name]


def test_the_course_form_links_to_the_providers(login, staff, framework):
    page = login(staff).get(reverse("competency:course-create")).content.decode()

    assert reverse("competency:provider-list") in page
    assert reverse("competency:provider-create") not in page  # staff do not register providers


def test_the_provider_list_has_no_n_plus_one(login, national_admin, actor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    web = login(national_admin)
    web.get(reverse("competency:provider-list"))  # the first page after sign-in writes the session

    def queries_with(count: int) -> tuple[int, str]:
        for n in range(count):
            provider = services.training_provider_create(actor=actor, name=f"Balai {count}-{n}")
            provider.staff.add(
                UserFactory(role="penyelenggara_pelatihan", username=f"staf-{count}-{n}")
            )
        with CaptureQueriesContext(connection) as queries:
            page = web.get(reverse("competency:provider-list")).content.decode()
        return len(queries), page

    one, _ = queries_with(1)
    five, page = queries_with(4)  # five providers listed now

    assert five == one
    assert all(f"staf-4-{n}" in page for n in range(4))


# -- Training providers: API ----------------------------------------------------------------------


def test_an_administrator_registers_a_provider_through_the_api(as_user, national_admin, db):
    # given
    officer = UserFactory(role="penyelenggara_pelatihan", username="petugas-api")
    api = as_user(national_admin)
    assert api.get(f"{API}/providers/").json()["results"] == []  # none yet, and not refused

    # when
    response = api.post(
        f"{API}/providers/",
        {"name": "Balai Diklat Medan", "address": "Jl. Gatot Subroto", "staff": [officer.pk]},
        format="json",
    )

    # then
    provider = TrainingProvider.objects.get(name="Balai Diklat Medan")
    assert response.status_code == 201, response.json()
    assert response.json() == {
        "id": provider.pk,
        "name": "Balai Diklat Medan",
        "address": "Jl. Gatot Subroto",
        "is_active": True,
    }
    assert list(provider.staff.all()) == [officer]
    assert _audited(provider, AuditEntry.Action.CREATE, national_admin) is not None
    assert [p["name"] for p in api.get(f"{API}/providers/").json()["results"]] == [provider.name]


def test_provider_registration_through_the_api_is_refused_to_others(as_user, staff, person, db):
    # given
    operator = UserFactory(role="operator_provinsi", scope_province_id="32")
    facilitator = UserFactory(role="pendamping", person=person)
    audits = AuditEntry.objects.count()

    # when
    responses = [
        as_user(user).post(f"{API}/providers/", {"name": "Balai Liar"}, format="json")
        for user in (staff, operator, facilitator)
    ]

    # then
    assert [r.status_code for r in responses] == [403, 403, 403]
    assert responses[0].json()["detail"] == (
        "Hanya administrator yang boleh mendaftarkan penyelenggara pelatihan."
    )
    assert not TrainingProvider.objects.filter(name="Balai Liar").exists()
    assert AuditEntry.objects.count() == audits


def test_provider_registration_with_bad_input_is_a_400_in_indonesian(
    as_user, national_admin, provider
):
    # given
    api = as_user(national_admin)
    not_staff = UserFactory(role="auditor")

    # when
    empty = api.post(f"{API}/providers/", {"name": "  "}, format="json")
    duplicate = api.post(f"{API}/providers/", {"name": provider.name}, format="json")
    wrong_staff = api.post(
        f"{API}/providers/", {"name": "Balai Baru", "staff": [not_staff.pk]}, format="json"
    )

    # then
    assert empty.status_code == 400
    assert field_errors(empty) == {"name": ["Bidang ini tidak boleh kosong."]}
    assert duplicate.status_code == 400
    assert field_errors(duplicate) == {"name": ["Penyelenggara pelatihan dengan Nama telah ada."]}
    assert wrong_staff.status_code == 400
    assert field_errors(wrong_staff) == {
        "staff": [f'Objek dengan primary key "{not_staff.pk}" tidak ditemukan.']
    }
    assert list(TrainingProvider.objects.values_list("name", flat=True)) == [provider.name]
