"""The web pages: scoped, and the public verification page shows nothing personal."""

import datetime as dt

import pytest
from django.urls import reverse

from competency import services
from competency.forms import unit_prefix
from competency.models import Certificate, verification_code_display
from competency.pdf import certificate_html
from tests.competency.conftest import U
from tests.factories import EngagementFactory, PersonFactory, UserFactory


@pytest.fixture
def certificate(person, certify):
    EngagementFactory(person=person)
    return certify(person, [1, 2, 3], level=3)


@pytest.fixture
def admin_client(client, actor):
    admin = UserFactory(role="admin_nasional", username="admin-kompetensi")
    client.force_login(admin)
    return client


def test_public_verification_page_shows_validity_without_personal_data(client, certificate):
    response = client.get(f"/verifikasi/{certificate.public_id}/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "SAH" in html and "Siti Aminah" in html and certificate.number in html
    assert certificate.person.nik not in html
    assert "siti@example.org" not in html and certificate.person.phone not in html


def test_public_page_says_revoked_and_unknown_ids_are_404(client, actor, certificate):
    services.certificate_revoke(actor=actor, certificate=certificate, reason="Rahasia internal")

    html = client.get(f"/verifikasi/{certificate.public_id}/").content.decode()
    assert "dicabut" in html
    assert "Rahasia internal" not in html  # the reason is not published
    assert client.get("/verifikasi/tidak-ada-yang-begini/").status_code == 404


def test_a_verification_code_is_typed_from_paper_in_any_case(client, certificate):
    # given: the code as printed (groups of four), typed in lower case, O for 0 and l for 1
    code = certificate.public_id
    assert len(code) == 20 and not set(code) & set("ILOU")
    printed = verification_code_display(code)
    typed = printed.lower().replace("0", "o").replace("1", "l")

    # when: typed in the public box, or pasted as the whole link
    found = client.get("/verifikasi/", {"kode": typed})
    pasted = client.get("/verifikasi/", {"kode": f"https://contoh.id/verifikasi/{code}/"})

    # then: both open the certificate's page, which shows the printed code
    assert found.status_code == 302 and found["Location"] == f"/verifikasi/{code}/"
    assert pasted["Location"] == f"/verifikasi/{code}/"
    page = client.get(found["Location"]).content.decode()
    assert printed in page and "SAH" in page


def test_an_unknown_verification_code_says_what_to_check(client, certificate):
    response = client.get("/verifikasi/", {"kode": "ABCD-EFGH"})

    html = response.content.decode()
    assert response.status_code == 404
    assert "ABCD-EFGH" in html and "tidak ditemukan" in html and 'name="kode"' in html
    assert client.get("/verifikasi/").status_code == 200


def test_status_list_and_keys_are_public(client, certificate):
    jwks = client.get("/.well-known/jwks.json").json()
    assert jwks["keys"][0]["kty"] == "OKP"
    assert client.get("/verifikasi/jwks.json").json() == jwks
    status = client.get("/verifikasi/status/pencabutan-1/")
    assert status["Content-Type"] == "application/vc+jwt"
    assert status.content.count(b".") == 2


def test_admin_pages_render(admin_client, certificate, django_assert_max_num_queries):
    person = certificate.person
    for url in [
        reverse("competency:index"),
        reverse("competency:course-list"),
        reverse("competency:certificate-list"),
        reverse("competency:certificate-detail", args=[certificate.uid]),
        reverse("competency:person-path", args=[person.uid]),
        reverse("competency:needs"),
        reverse("competency:promotions"),
        reverse("competency:notifications"),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_certificate_list_has_no_n_plus_one(
    admin_client, person, certify, django_assert_max_num_queries
):
    EngagementFactory(person=person)
    for _ in range(3):
        certify(person, [1, 2])
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("competency:certificate-list"))
    assert response.content.decode().count("Skema uji") == 3


def test_pdf_in_indonesian_with_a_qr_code(admin_client, certificate):
    response = admin_client.get(reverse("competency:certificate-pdf", args=[certificate.uid]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_printed_certificate_carries_its_code_signatory_and_stamp_space(certificate, settings):
    # given: the configured public address
    settings.COMPETENCY_PUBLIC_BASE_URL = "https://satupintu.kemensos.go.id"

    # when
    html = certificate_html(certificate)

    # then: the typed code and where to type it, the LSP's manager who decided, the assessor
    assert verification_code_display(certificate.public_id) in html
    assert "https://satupintu.kemensos.go.id/verifikasi/" in html
    decided_by = certificate.created_by.get_full_name() or certificate.created_by.username
    assert "Manajer Sertifikasi" in html and decided_by in html
    assert "tempat cap dan tanda tangan" in html
    assert certificate.assessment.assessor.registration_number in html
    assert "127.0.0.1" not in html


def test_a_facilitator_sees_their_own_path_only(client, person, certify):
    EngagementFactory(person=person)
    certify(person, [1, 2, 3])
    me = UserFactory(role="pendamping", person=person)
    other = PersonFactory()
    EngagementFactory(person=other)
    client.force_login(me)

    assert client.get(reverse("competency:person-path", args=[person.uid])).status_code == 200
    assert client.get(reverse("competency:person-path", args=[other.uid])).status_code == 404
    assert client.get(reverse("competency:needs")).status_code == 403


def test_out_of_scope_certificate_is_not_found(client, certificate):
    operator = UserFactory(
        role="operator_provinsi", scope_province_id="11"
    )  # Aceh; he serves in 32
    client.force_login(operator)

    assert (
        client.get(reverse("competency:certificate-detail", args=[certificate.uid])).status_code
        == 404
    )


def test_assessor_judges_a_retake_and_recommends_then_the_lsp_issues(
    client, actor, person, framework, lsp, assessor, assessor_user
):
    EngagementFactory(person=person)
    scheme = services.scheme_create(
        actor=actor,
        lsp=lsp,
        code="skema-web",
        name="Skema web",
        unit_codes=[U[1], U[2]],
        level=None,
    )
    assessment = services.assessment_schedule(
        actor=actor, person=person, scheme=scheme, assessor=assessor, scheduled_on=dt.date.today()
    )
    client.force_login(assessor_user)
    url = reverse("competency:assessment-detail", args=[assessment.uid])
    today = dt.date.today().isoformat()

    assert person.full_name in client.get(reverse("competency:assessor-worklist")).content.decode()
    one, two = unit_prefix(U[1]), unit_prefix(U[2])
    client.post(url, {f"{one}-verdict": "BK", f"{one}-assessed_on": today})
    client.post(  # the retake and the other unit, in the one form
        url,
        {
            f"{one}-verdict": "K",
            f"{one}-assessed_on": today,
            f"{two}-verdict": "K",
            f"{two}-assessed_on": today,
        },
    )
    client.post(reverse("competency:assessment-recommend", args=[assessment.uid]))
    client.force_login(actor)  # the LSP's decision (here a national administrator)
    response = client.post(reverse("competency:certificate-issue", args=[assessment.uid]))

    certificate = Certificate.objects.get(assessment=assessment)
    assert response.status_code == 302
    assert list(assessment.results.filter(unit_code=U[1]).values_list("verdict", "attempt")) == [
        ("BK", 1),
        ("K", 2),
    ]
    assert certificate.valid_until == services.validity_end(dt.date.today(), 3)


def test_enrolment_respects_capacity_with_a_waiting_list(client, actor, person, framework):
    provider = services.training_provider_create(actor=actor, name="Balai Uji")
    course = services.course_create(
        actor=actor,
        provider=provider,
        code="dasar",
        title="Dasar",
        hours=10,
        mode="daring",
        unit_codes=[U[1]],
    )
    training_class = services.training_class_create(
        actor=actor,
        course=course,
        name="Angkatan I",
        start_date=dt.date(2030, 1, 1),
        end_date=dt.date(2030, 1, 5),
        place="Bandung",
        capacity=1,
    )
    EngagementFactory(person=person)
    second = PersonFactory()
    EngagementFactory(person=second)
    operator = UserFactory(role="operator_provinsi", scope_province_id="32")
    client.force_login(operator)
    url = reverse("competency:class-enrol", args=[training_class.uid])

    client.post(url, {"nik": person.nik})
    response = client.post(url, {"nik": second.nik}, follow=True)

    # beyond the capacity: the waiting list, never a second seat
    assert training_class.enrolments.filter(status="terdaftar").count() == 1
    assert training_class.enrolments.get(person=second).status == "menunggu"
    assert "Kapasitas penuh" in response.content.decode()
