"""The assessor's decisions on an assessment's units (services.unit_results_record): several
units at once, all or none, each problem naming its unit; the assessment's status follows the
decisions; the recommendation and the LSP's issuing stay as they were (maker-checker)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEntry
from competency import services
from competency.models import Assessment, UnitResult
from competency.services import UnitDecision
from tests.competency.conftest import U
from tests.factories import UserFactory

TODAY = dt.date.today()
Status = Assessment.Status


@pytest.fixture
def assessment(three_unit_assessment):
    return three_unit_assessment(days_ago=1)


def decide(code, verdict, **kwargs):
    return UnitDecision(unit_code=code, verdict=verdict, assessed_on=TODAY, **kwargs)


def latest(assessment):
    out = {}
    for r in assessment.results.order_by("attempt"):
        out[r.unit_code] = (r.verdict, r.attempt)
    return out


def test_several_units_are_saved_at_once_and_the_status_follows(assessment, assessor_user):
    # when: two units decided, the third left undecided
    results = services.unit_results_record(
        actor=assessor_user,
        assessment=assessment,
        decisions=[decide(U[1], "K", note=" portofolio lengkap "), decide(U[2], "K")],
    )

    # then: both saved, by this assessor, the third untouched; the assessment is being assessed
    assert [r.unit_code for r in results] == [U[1], U[2]]
    assert latest(assessment) == {U[1]: ("K", 1), U[2]: ("K", 1)}
    assert assessment.results.get(unit_code=U[1]).note == "portofolio lengkap"
    assert {r.assessor.user_id for r in results} == {assessor_user.pk}
    assessment.refresh_from_db()
    assert assessment.status == Status.IN_PROGRESS

    # when: the last unit is judged Kompeten
    services.unit_results_record(
        actor=assessor_user, assessment=assessment, decisions=[decide(U[3], "K")]
    )

    # then: ready for the assessor's recommendation (not recommended by itself)
    assessment.refresh_from_db()
    assert assessment.status == Status.READY
    assert assessment.recommended_by is None


def test_a_belum_kompeten_unit_shows_and_its_retake_is_the_next_attempt(assessment, assessor_user):
    services.unit_results_record(
        actor=assessor_user,
        assessment=assessment,
        decisions=[decide(U[1], "K"), decide(U[2], "BK"), decide(U[3], "K")],
    )
    assessment.refresh_from_db()
    assert assessment.status == Status.NOT_YET

    services.unit_results_record(
        actor=assessor_user, assessment=assessment, decisions=[decide(U[2], "K")]
    )

    assert latest(assessment)[U[2]] == ("K", 2)
    assert list(assessment.results.filter(unit_code=U[2]).values_list("verdict", "attempt")) == [
        ("BK", 1),
        ("K", 2),
    ]
    assessment.refresh_from_db()
    assert assessment.status == Status.READY


def test_one_bad_unit_saves_nothing_and_every_problem_names_its_unit(assessment, assessor_user):
    # given: U[1] already Kompeten
    services.unit_results_record(
        actor=assessor_user, assessment=assessment, decisions=[decide(U[1], "K")]
    )
    entries = AuditEntry.objects.count()

    # when: a good decision, U[1] again, and a day after today
    with pytest.raises(ValidationError) as refused:
        services.unit_results_record(
            actor=assessor_user,
            assessment=assessment,
            decisions=[
                decide(U[3], "K"),
                decide(U[1], "BK"),
                UnitDecision(unit_code=U[2], verdict="K", assessed_on=TODAY + dt.timedelta(days=1)),
            ],
        )

    # then: nothing written (not even the good one), each problem names its unit and field
    assert sorted(refused.value.messages) == sorted(
        [
            f"Unit {U[1]}: sudah dinyatakan Kompeten, tidak dapat diputuskan lagi.",
            f"Unit {U[2]}: tanggal uji tidak boleh setelah hari ini.",
        ]
    )
    assert set(refused.value.error_dict) == {"unit_code", "assessed_on"}
    units = {e.params["unit"] for errors in refused.value.error_dict.values() for e in errors}
    assert units == {U[1], U[2]}
    assert latest(assessment) == {U[1]: ("K", 1)}
    assert AuditEntry.objects.count() == entries
    assessment.refresh_from_db()
    assert assessment.status == Status.IN_PROGRESS


def test_a_unit_outside_the_scheme_a_bad_verdict_or_a_unit_twice_is_refused(
    assessment, assessor_user
):
    with pytest.raises(ValidationError) as refused:
        services.unit_results_record(
            actor=assessor_user,
            assessment=assessment,
            decisions=[
                decide(U[9], "K"),
                decide(U[1], "X"),
                decide(U[2], "K"),
                decide(U[2], "BK"),
            ],
        )

    assert sorted(refused.value.messages) == sorted(
        [
            f"Unit {U[9]}: tidak termasuk skema asesmen ini.",
            f"Unit {U[1]}: keputusan harus Kompeten atau Belum Kompeten.",
            f"Unit {U[2]}: diputuskan dua kali dalam satu kiriman.",
        ]
    )
    assert not assessment.results.exists()


def test_no_decision_at_all_saves_nothing_and_says_so(assessment, assessor_user):
    with pytest.raises(ValidationError) as refused:
        services.unit_results_record(actor=assessor_user, assessment=assessment, decisions=[])

    assert refused.value.messages == ["Belum ada unit yang diputuskan: tidak ada yang disimpan."]
    assessment.refresh_from_db()
    assert assessment.status == Status.SCHEDULED


def test_only_the_assigned_assessor_judges_and_only_while_open(
    actor, assessment, assessor_user, lsp
):
    colleague = UserFactory(role="asesor", username="asesor-rekan")
    services.assessor_create(actor=actor, user=colleague, lsp=lsp, registration_number="MET.2")

    with pytest.raises(PermissionDenied):
        services.unit_results_record(
            actor=colleague, assessment=assessment, decisions=[decide(U[1], "K")]
        )

    services.unit_results_record(
        actor=assessor_user,
        assessment=assessment,
        decisions=[decide(U[1], "K"), decide(U[2], "K"), decide(U[3], "K")],
    )
    services.assessment_recommend(actor=assessor_user, assessment=assessment)
    with pytest.raises(ValidationError, match="sudah direkomendasikan atau ditutup"):
        services.unit_results_record(
            actor=assessor_user, assessment=assessment, decisions=[decide(U[1], "BK")]
        )
    assert not UnitResult.objects.filter(verdict="BK").exists()


def test_evidence_is_stored_and_every_decision_and_the_status_are_audited(
    assessment, assessor_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    evidence = SimpleUploadedFile("observasi.pdf", b"%PDF-1.4 bukti", "application/pdf")

    services.unit_results_record(
        actor=assessor_user,
        assessment=assessment,
        decisions=[decide(U[1], "K", evidence=evidence), decide(U[2], "BK")],
    )

    stored = assessment.results.get(unit_code=U[1]).evidence
    assert stored.name.startswith("kompetensi/bukti/") and stored.name.endswith("observasi.pdf")
    assert stored.read() == b"%PDF-1.4 bukti"
    entries = AuditEntry.objects.filter(actor=assessor_user).order_by("pk")
    assert [(e.action, e.changes) for e in entries] == [
        ("create", {"unit": U[1], "verdict": "K", "attempt": 1}),
        ("create", {"unit": U[2], "verdict": "BK", "attempt": 1}),
        ("update", {"status": [Status.SCHEDULED, Status.NOT_YET]}),
    ]


def test_the_single_decision_of_the_api_shares_the_rules_and_the_status(assessment, assessor_user):
    services.unit_result_record(
        actor=assessor_user, assessment=assessment, unit_code=U[1].lower(), verdict="BK"
    )

    result = assessment.results.get()
    assert (result.unit_code, result.assessed_on) == (U[1], TODAY)  # the day defaults to today
    assessment.refresh_from_db()
    assert assessment.status == Status.NOT_YET
    with pytest.raises(ValidationError) as refused:
        services.unit_result_record(
            actor=assessor_user, assessment=assessment, unit_code=U[9], verdict="K"
        )
    assert refused.value.message_dict == {
        "unit_code": [f"Unit {U[9]}: tidak termasuk skema asesmen ini."]
    }


def test_the_recommendation_needs_every_unit_kompeten_and_the_lsp_issues(
    actor, assessment, assessor_user
):
    services.unit_results_record(
        actor=assessor_user,
        assessment=assessment,
        decisions=[decide(U[1], "K"), decide(U[2], "BK"), decide(U[3], "K")],
    )
    with pytest.raises(ValidationError, match=U[2]):
        services.assessment_recommend(actor=assessor_user, assessment=assessment)

    services.unit_results_record(
        actor=assessor_user, assessment=assessment, decisions=[decide(U[2], "K")]
    )
    services.assessment_recommend(actor=assessor_user, assessment=assessment)
    with pytest.raises(PermissionDenied):  # the maker never decides
        services.certificate_issue(actor=assessor_user, assessment=assessment)
    certificate = services.certificate_issue(actor=actor, assessment=assessment)

    assessment.refresh_from_db()
    assert assessment.status == Status.DONE
    assert sorted(certificate.units.values_list("unit_code", flat=True)) == [U[1], U[2], U[3]]
    recommended = AuditEntry.objects.filter(changes__status__1=Status.RECOMMENDED).get()
    assert recommended.changes["status"] == [Status.READY, Status.RECOMMENDED]
