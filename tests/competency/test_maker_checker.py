"""Maker-checker in certification: the assessor recommends, the LSP's certification manager /
decision maker decides and issues, and both steps are on the certificate's history. Renewal
follows the scheme's rule (surveillance with evidence of practice, or a full re-assessment):
an assessment judged by an assessor and issued by the LSP, never a one-click reissue."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from competency import services
from competency.models import Assessment, Certificate
from tests.api_errors import field_errors
from tests.competency.conftest import U
from tests.factories import EngagementFactory, UserFactory


@pytest.fixture
def scheme(actor, lsp, framework):
    return services.scheme_create(
        actor=actor,
        lsp=lsp,
        code="skema-iii",
        name="Asisten Pendamping Pembangunan",
        unit_codes=[U[1], U[2]],
        level=3,
    )


@pytest.fixture
def judged(actor, person, scheme, assessor, assessor_user):
    """An assessment whose every unit the assessor judged Kompeten (not yet recommended)."""
    EngagementFactory(person=person)
    assessment = services.assessment_schedule(
        actor=actor, person=person, scheme=scheme, assessor=assessor, scheduled_on=dt.date.today()
    )
    for n in (1, 2):
        services.unit_result_record(
            actor=assessor_user, assessment=assessment, unit_code=U[n], verdict="K"
        )
    return assessment


@pytest.fixture
def manager(lsp):
    """The LSP's certification manager (decision maker)."""
    user = UserFactory(role="auditor", username="manajer-lsp", first_name="Rina")
    lsp.decision_makers.add(user)
    return user


def test_the_assessor_cannot_issue_the_certificate(client, judged, assessor_user):
    # given: every unit Kompeten
    client.force_login(assessor_user)
    page = client.get(reverse("competency:assessment-detail", args=[judged.uid]))
    api = APIClient()
    api.force_authenticate(assessor_user)

    # when
    web = client.post(reverse("competency:certificate-issue", args=[judged.uid]))
    through_api = api.post(f"/api/v1/competency/assessments/{judged.uid}/certificate/")
    with pytest.raises(PermissionDenied):
        services.certificate_issue(actor=assessor_user, assessment=judged)

    # then: no button, no certificate; the assessor is offered the recommendation instead
    assert "Terbitkan sertifikat" not in page.content.decode()
    assert "Rekomendasikan kompeten" in page.content.decode()
    assert web.status_code == 302 and through_api.status_code == 403
    assert not Certificate.objects.exists()


def test_the_assessor_recommends_and_the_lsps_decision_maker_issues(
    client, judged, assessor_user, manager
):
    # when: the assessor recommends (the maker)
    client.force_login(assessor_user)
    client.post(
        reverse("competency:assessment-recommend", args=[judged.uid]),
        {"note": "Portofolio lengkap"},
    )
    judged.refresh_from_db()
    # the decision maker sees it waiting and decides (the checker)
    client.force_login(manager)
    page = client.get(reverse("competency:assessment-detail", args=[judged.uid])).content.decode()
    response = client.post(reverse("competency:certificate-issue", args=[judged.uid]))

    # then
    certificate = Certificate.objects.get(assessment=judged)
    assert judged.status == Assessment.Status.RECOMMENDED
    assert judged.recommended_by == assessor_user
    assert "Putuskan kompeten dan terbitkan sertifikat" in page
    assert response["Location"] == reverse("competency:certificate-detail", args=[certificate.uid])
    assert certificate.created_by == manager
    detail = client.get(response["Location"]).content.decode()
    assert "Riwayat sertifikat" in detail
    assert "Asesor merekomendasikan kompeten (asesor-uji): Portofolio lengkap" in detail
    assert "LSP Uji Pendamping memutuskan dan menerbitkan (Rina)" in detail


def test_nothing_is_issued_before_the_recommendation_nor_by_its_maker(
    actor, judged, assessor_user, lsp
):
    # given: not yet recommended
    with pytest.raises(ValidationError) as early:
        services.certificate_issue(actor=actor, assessment=judged)

    # when: the assessor, also one of the LSP's decision makers, recommends
    lsp.decision_makers.add(assessor_user)
    services.assessment_recommend(actor=assessor_user, assessment=judged)

    # then: they may not decide their own recommendation
    with pytest.raises(PermissionDenied):
        services.certificate_issue(actor=assessor_user, assessment=judged)
    assert "belum merekomendasikan" in early.value.messages[0]
    assert not Certificate.objects.exists()


def test_a_recommendation_needs_every_unit_kompeten(actor, person, scheme, assessor, assessor_user):
    EngagementFactory(person=person)
    assessment = services.assessment_schedule(
        actor=actor, person=person, scheme=scheme, assessor=assessor, scheduled_on=dt.date.today()
    )
    services.unit_result_record(
        actor=assessor_user, assessment=assessment, unit_code=U[1], verdict="K"
    )

    with pytest.raises(ValidationError) as refused:
        services.assessment_recommend(actor=assessor_user, assessment=assessment)

    assert U[2] in refused.value.messages[0]
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_PROGRESS  # one unit judged, not recommended


def _renewal(actor, certificate, assessor, **kwargs):
    return services.certificate_renewal_start(
        actor=actor,
        certificate=certificate,
        assessor=assessor,
        scheduled_on=dt.date.today(),
        **kwargs,
    )


def test_renewal_is_an_assessment_not_a_fresh_certificate(
    client, actor, person, certify, assessor, assessor_user, manager
):
    # given: a certificate under a full re-assessment scheme (the default)
    EngagementFactory(person=person)
    certificate = certify(person, [1, 2], issued_on=dt.date(2023, 3, 1))
    client.force_login(manager)

    # when: the LSP starts the renewal from the certificate's page
    response = client.post(
        reverse("competency:certificate-renew", args=[certificate.uid]),
        {"assessor": assessor.pk, "scheduled_on": dt.date.today().isoformat()},
    )

    # then: no certificate yet, an assessment of every unit of the scheme
    renewal = Assessment.objects.get(renews=certificate)
    assert response["Location"] == reverse("competency:assessment-detail", args=[renewal.uid])
    assert Certificate.objects.count() == 1
    certificate.refresh_from_db()
    assert certificate.renewed_by is None

    # and after the assessor judges and recommends, the LSP issues the renewal
    for n in (1, 2):
        services.unit_result_record(
            actor=assessor_user, assessment=renewal, unit_code=U[n], verdict="K"
        )
    services.assessment_recommend(actor=assessor_user, assessment=renewal)
    new = services.certificate_issue(actor=manager, assessment=renewal)
    certificate.refresh_from_db()
    assert certificate.renewed_by == new
    assert certificate.current_status == Certificate.Status.RENEWED
    assert new.valid_until == services.validity_end(dt.date.today(), 3)


def test_a_surveillance_renewal_needs_evidence_of_practice(
    actor, person, certify, assessor, assessor_user
):
    # given: a scheme whose rule is surveillance
    EngagementFactory(person=person)
    certificate = certify(person, [1, 2], issued_on=dt.date(2023, 3, 1))
    certificate.scheme.renewal_rule = "surveilans"
    certificate.scheme.save(update_fields=["renewal_rule"])
    without = _renewal(actor, certificate, assessor)
    for n in (1, 2):
        services.unit_result_record(
            actor=assessor_user, assessment=without, unit_code=U[n], verdict="K"
        )

    # when
    with pytest.raises(ValidationError) as refused:
        services.assessment_recommend(actor=assessor_user, assessment=without)
    without.practice_evidence = SimpleUploadedFile("logbook.pdf", b"%PDF-1.4 praktik")
    without.save(update_fields=["practice_evidence"])
    services.assessment_recommend(actor=assessor_user, assessment=without)

    # then
    assert "bukti praktik" in refused.value.message_dict["practice_evidence"][0]
    without.refresh_from_db()
    assert without.status == Assessment.Status.RECOMMENDED


def test_renewal_through_the_api_starts_the_assessment(actor, person, certify, assessor):
    EngagementFactory(person=person)
    certificate = certify(person, [1, 2], issued_on=dt.date(2023, 3, 1))
    api = APIClient()
    api.force_authenticate(actor)
    url = f"/api/v1/competency/certificates/{certificate.uid}/renew/"

    started = api.post(
        url, {"assessor": assessor.pk, "scheduled_on": dt.date.today().isoformat()}, format="json"
    )
    again = api.post(
        url, {"assessor": assessor.pk, "scheduled_on": dt.date.today().isoformat()}, format="json"
    )

    assert started.status_code == 201, started.json()
    assert started.json()["renewal_rule"] == "asesmen_ulang"
    assert Assessment.objects.get(uid=started.json()["uid"]).renews == certificate
    assert again.status_code == 400
    assert "sudah berjalan" in field_errors(again)["__all__"][0]
    assert Certificate.objects.count() == 1
