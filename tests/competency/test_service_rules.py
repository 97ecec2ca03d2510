"""Business rules that live in competency.services, whatever the caller (page, API, command):
an LSP licence that ends before it starts, scheduling only under an active scheme of an active
LSP licensed on the day, and assigning an RPL assessor only while the application awaits a
decision."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import AuditEntry
from competency import services
from competency.models import Assessment, CertificationBody, RplApplication
from tests.api_errors import field_errors
from tests.competency.conftest import U
from tests.factories import EngagementFactory, UserFactory

BACKWARDS = "Lisensi tidak boleh berakhir sebelum mulai berlaku."


# -- lsp_create: the licence dates ---------------------------------------------------------------


def test_lsp_create_refuses_a_licence_that_ends_before_it_starts(actor):
    # given
    audits = AuditEntry.objects.count()

    # when
    with pytest.raises(ValidationError) as refused:
        services.lsp_create(
            actor=actor,
            name="LSP Mundur",
            kind="P1",
            licence_number="BNSP-LSP/009/2025",
            licence_valid_from=dt.date(2025, 1, 1),
            licence_valid_until=dt.date(2024, 12, 31),
        )

    # then
    assert refused.value.message_dict == {"licence_valid_until": [BACKWARDS]}
    assert not CertificationBody.objects.exists()
    assert AuditEntry.objects.count() == audits


def test_lsp_create_accepts_a_licence_of_one_day_or_without_a_start(actor):
    # when
    one_day = services.lsp_create(
        actor=actor,
        name="LSP Sehari",
        kind="P1",
        licence_number="L-1",
        licence_valid_from=dt.date(2025, 1, 1),
        licence_valid_until=dt.date(2025, 1, 1),
    )
    no_start = services.lsp_create(
        actor=actor,
        name="LSP Tanpa Awal",
        kind="P2",
        licence_number="L-2",
        licence_valid_until=dt.date(2025, 1, 1),
    )

    # then
    assert one_day.pk and no_start.pk
    assert no_start.licence_valid_from is None


def test_lsp_update_uses_the_same_rule_against_the_stored_start(actor, lsp):
    # given
    services.lsp_update(actor=actor, lsp=lsp, data={"licence_valid_from": dt.date(2021, 1, 1)})

    # when
    with pytest.raises(ValidationError) as refused:
        services.lsp_update(
            actor=actor, lsp=lsp, data={"licence_valid_until": dt.date(2020, 12, 31)}
        )

    # then
    assert refused.value.message_dict == {"licence_valid_until": [BACKWARDS]}
    lsp.refresh_from_db()
    assert lsp.licence_valid_until == dt.date(2030, 12, 31)


# -- assessment_schedule: active scheme, active LSP, licence valid on the day --------------------


@pytest.fixture
def scheme(actor, framework, lsp):
    return services.scheme_create(
        actor=actor, lsp=lsp, code="skema-aturan", name="Skema aturan", unit_codes=[U[1], U[2]]
    )


@pytest.fixture
def schedule(actor, person, scheme, assessor):
    """schedule(day) -> Assessment, through the service."""

    def make(day: dt.date) -> Assessment:
        return services.assessment_schedule(
            actor=actor, person=person, scheme=scheme, assessor=assessor, scheduled_on=day
        )

    return make


def test_scheduling_under_an_inactive_scheme_is_refused(actor, scheme, schedule):
    # given
    services.scheme_update(actor=actor, scheme=scheme, data={"is_active": False})

    # when
    with pytest.raises(ValidationError) as refused:
        schedule(dt.date(2026, 3, 2))

    # then
    assert refused.value.message_dict == {"scheme": ["Skema tidak aktif."]}
    assert not Assessment.objects.exists()


def test_scheduling_under_an_inactive_lsp_is_refused(actor, lsp, schedule):
    # given
    services.lsp_update(actor=actor, lsp=lsp, data={"is_active": False})

    # when
    with pytest.raises(ValidationError) as refused:
        schedule(dt.date(2026, 3, 2))

    # then
    assert refused.value.message_dict == {
        "scheme": ["LSP pemilik skema (LSP Uji Pendamping) tidak aktif."]
    }
    assert not Assessment.objects.exists()


def test_scheduling_outside_the_lsp_licence_is_refused(actor, lsp, schedule):
    # given: licensed from 1 March 2021 to 31 December 2030
    services.lsp_update(actor=actor, lsp=lsp, data={"licence_valid_from": dt.date(2021, 3, 1)})

    # when
    with pytest.raises(ValidationError) as after:
        schedule(dt.date(2031, 1, 1))
    with pytest.raises(ValidationError) as before:
        schedule(dt.date(2021, 2, 28))

    # then
    assert after.value.message_dict == {
        "scheduled_on": ["Lisensi LSP Uji Pendamping tidak berlaku pada tanggal uji 01-01-2031."]
    }
    assert before.value.message_dict == {
        "scheduled_on": ["Lisensi LSP Uji Pendamping tidak berlaku pada tanggal uji 28-02-2021."]
    }
    assert not Assessment.objects.exists()


def test_the_first_and_last_day_of_the_licence_may_be_scheduled(actor, lsp, schedule):
    # given
    services.lsp_update(actor=actor, lsp=lsp, data={"licence_valid_from": dt.date(2021, 3, 1)})

    # when
    first = schedule(dt.date(2021, 3, 1))
    last = schedule(dt.date(2030, 12, 31))

    # then
    assert first.status == last.status == Assessment.Status.SCHEDULED
    assert Assessment.objects.count() == 2


def test_the_api_reports_an_unlicensed_day_on_the_date(person, scheme, assessor):
    # given
    EngagementFactory(person=person)
    api = APIClient()
    api.force_authenticate(UserFactory(role="admin_nasional", username="pengelola-aturan"))
    body = {"scheme": scheme.pk, "assessor": assessor.pk, "person_uid": str(person.uid)}

    # when
    response = api.post(
        "/api/v1/competency/assessments/", {**body, "scheduled_on": "2031-01-01"}, format="json"
    )

    # then
    assert response.status_code == 400
    assert field_errors(response) == {
        "scheduled_on": ["Lisensi LSP Uji Pendamping tidak berlaku pada tanggal uji 01-01-2031."]
    }
    assert not Assessment.objects.exists()


# -- rpl_assign: only while the application awaits a decision ------------------------------------


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
def other_assessor(actor, lsp):
    return services.assessor_create(
        actor=actor,
        user=UserFactory(role="asesor", username="asesor-lain"),
        lsp=lsp,
        registration_number="MET.000.002",
    )


def test_an_application_awaiting_a_decision_may_be_reassigned(
    actor, application, assessor, other_assessor
):
    # given
    services.rpl_assign(actor=actor, application=application, assessor=assessor)

    # when
    services.rpl_assign(actor=actor, application=application, assessor=other_assessor)

    # then
    application.refresh_from_db()
    assert application.assessor == other_assessor


def test_a_decided_application_keeps_its_assessor(
    actor, application, assessor, assessor_user, other_assessor
):
    # given
    services.rpl_assign(actor=actor, application=application, assessor=assessor)
    services.rpl_decide(actor=assessor_user, application=application, decisions={U[1]: True})

    # when
    with pytest.raises(ValidationError) as refused:
        services.rpl_assign(actor=actor, application=application, assessor=other_assessor)

    # then
    assert refused.value.messages == ["Permohonan ini tidak lagi menunggu keputusan."]
    application.refresh_from_db()
    assert application.assessor == assessor
    assert application.status == RplApplication.Status.DECIDED


def test_a_withdrawn_application_gets_no_assessor(actor, application, assessor):
    # given: withdrawn (no service withdraws yet; the status is what the rule reads)
    application.status = RplApplication.Status.WITHDRAWN
    application.save(update_fields=["status"])
    audits = AuditEntry.objects.count()

    # when
    with pytest.raises(ValidationError) as refused:
        services.rpl_assign(actor=actor, application=application, assessor=assessor)

    # then
    assert refused.value.messages == ["Permohonan ini tidak lagi menunggu keputusan."]
    application.refresh_from_db()
    assert application.assessor is None
    assert AuditEntry.objects.count() == audits


# -- renewal: the date and the issuer ------------------------------------------------------------


def test_a_renewal_is_dated_between_the_original_and_today_by_a_licensed_lsp(
    actor, person, certify, lsp, assessor, assessor_user
):
    # given: a renewal assessment judged and recommended by the assessor
    certificate = certify(person, [1, 2], issued_on=dt.date(2024, 3, 1))
    renewal_assessment = services.certificate_renewal_start(
        actor=actor, certificate=certificate, assessor=assessor, scheduled_on=dt.date(2024, 12, 1)
    )
    for n in (1, 2):
        services.unit_result_record(
            actor=assessor_user, assessment=renewal_assessment, unit_code=U[n], verdict="K"
        )
    services.assessment_recommend(actor=assessor_user, assessment=renewal_assessment)
    audits = AuditEntry.objects.count()

    # when: in the future, before the original, or by an LSP no longer licensed that day
    future = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as in_future:
        services.certificate_issue(actor=actor, assessment=renewal_assessment, issued_on=future)
    with pytest.raises(ValidationError) as too_early:
        services.certificate_issue(
            actor=actor, assessment=renewal_assessment, issued_on=dt.date(2024, 2, 28)
        )
    CertificationBody.objects.filter(pk=lsp.pk).update(licence_valid_until=dt.date(2024, 12, 31))
    with pytest.raises(ValidationError) as unlicensed:
        services.certificate_issue(
            actor=actor, assessment=renewal_assessment, issued_on=dt.date(2025, 1, 2)
        )

    # then
    assert "masa depan" in in_future.value.message_dict["issued_on"][0]
    assert "01-03-2024" in too_early.value.message_dict["issued_on"][0]
    assert (
        "lisensinya tidak berlaku pada 02-01-2025" in unlicensed.value.message_dict["issued_on"][0]
    )
    certificate.refresh_from_db()
    assert certificate.renewed_by is None
    assert AuditEntry.objects.count() == audits

    # and a day within the licence renews
    renewal = services.certificate_issue(
        actor=actor, assessment=renewal_assessment, issued_on=dt.date(2024, 12, 31)
    )
    certificate.refresh_from_db()
    assert certificate.renewed_by == renewal and renewal.issued_on == dt.date(2024, 12, 31)
