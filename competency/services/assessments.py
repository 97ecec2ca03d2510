"""Assessments: scheduling one, recording the assessor's unit decisions (the status follows
them) and the assessor's recommendation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from competency import access
from competency.models import (
    Assessment,
    Assessor,
    Certificate,
    Scheme,
    TestSite,
    UnitResult,
    Verdict,
)
from competency.services.certification import licence_valid_on, require_certification_manager
from competency.services.common import actor_ref
from registry.models import Person


@transaction.atomic
def assessment_schedule(
    *,
    actor: User,
    person: Person,
    scheme: Scheme,
    assessor: Assessor,
    scheduled_on: dt.date,
    test_site: TestSite | None = None,
) -> Assessment:
    """Schedule a person's assessment under an active scheme of an active LSP whose BNSP
    licence covers the day (a certificate from an unlicensed LSP is not recognised), by an
    active assessor of that LSP, at one of its TUK."""
    require_certification_manager(actor)
    lsp = scheme.lsp
    if not scheme.is_active:
        raise ValidationError({"scheme": _("Skema tidak aktif.")})
    if not lsp.is_active:
        raise ValidationError(
            {"scheme": _("LSP pemilik skema (%(lsp)s) tidak aktif.") % {"lsp": lsp.name}}
        )
    if not licence_valid_on(lsp, scheduled_on):
        raise ValidationError(
            {
                "scheduled_on": _("Lisensi %(lsp)s tidak berlaku pada tanggal uji %(date)s.")
                % {"lsp": lsp.name, "date": f"{scheduled_on:%d-%m-%Y}"}
            }
        )
    if assessor.lsp_id != scheme.lsp_id or (test_site and test_site.lsp_id != scheme.lsp_id):
        raise ValidationError(_("Asesor dan TUK harus dari LSP pemilik skema."))
    if not assessor.is_active:
        raise ValidationError({"assessor": _("Asesor tidak aktif.")})
    assessment = Assessment.objects.create(
        person=person,
        scheme=scheme,
        assessor=assessor,
        test_site=test_site,
        scheduled_on=scheduled_on,
        created_by=actor_ref(actor),
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=assessment, person_id=person.pk)
    return assessment


@dataclass(frozen=True)
class UnitDecision:
    """The assessor's decision on one unit: its verdict, the day it was assessed (today when
    not given), the evidence file and a note."""

    unit_code: str
    verdict: str
    assessed_on: dt.date | None = None
    evidence: UploadedFile | None = None
    note: str = ""


# A problem with one unit's decision names the unit (and the field): "Unit Q.880000.001.01:
# tanggal uji tidak boleh setelah hari ini." The unit code is in the error's params, so that a
# form can show the problem next to that unit's field.
UNIT_PROBLEM = gettext_lazy("Unit %(unit)s: %(problem)s.")
FIELD_LABELS = {
    "unit_code": gettext_lazy("unit"),
    "verdict": gettext_lazy("keputusan"),
    "assessed_on": gettext_lazy("tanggal uji"),
    "evidence": gettext_lazy("bukti"),
    "note": gettext_lazy("catatan"),
}


def unit_problem(unit_code: str, problem: str, *, code: str = "invalid") -> ValidationError:
    return ValidationError(
        UNIT_PROBLEM, code=code, params={"unit": unit_code, "problem": str(problem)}
    )


def _latest_results(assessment: Assessment) -> dict[str, UnitResult]:
    latest: dict[str, UnitResult] = {}
    for result in assessment.results.order_by("attempt"):
        latest[result.unit_code] = result
    return latest


def _latest_verdicts(assessment: Assessment) -> dict[str, str]:
    return {code: r.verdict for code, r in _latest_results(assessment).items()}


def _require_judging(actor: User, assessment: Assessment) -> None:
    access.require(
        access.can_judge(actor, assessment), _("Asesmen ini tidak ditugaskan kepada Anda.")
    )
    if not assessment.is_open:
        raise ValidationError(_("Asesmen ini sudah direkomendasikan atau ditutup."))


def _result_build(
    *,
    actor: User,
    assessment: Assessment,
    decision: UnitDecision,
    scheme_codes: set[str],
    latest: dict[str, UnitResult],
) -> UnitResult:
    """The unit's next attempt, validated and not saved. Raises a ValidationError keyed by
    field, each message naming the unit."""
    code = decision.unit_code.strip().upper()
    if code not in scheme_codes:
        raise ValidationError(
            {"unit_code": unit_problem(code, _("tidak termasuk skema asesmen ini"))}
        )
    if decision.verdict not in Verdict.values:
        raise ValidationError(
            {"verdict": unit_problem(code, _("keputusan harus Kompeten atau Belum Kompeten"))}
        )
    previous = latest.get(code)
    if previous and previous.verdict == Verdict.COMPETENT:
        raise ValidationError(
            {
                "unit_code": unit_problem(
                    code, _("sudah dinyatakan Kompeten, tidak dapat diputuskan lagi")
                )
            }
        )
    assessed_on = decision.assessed_on or timezone.localdate()
    if assessed_on > timezone.localdate():
        raise ValidationError(
            {"assessed_on": unit_problem(code, _("tanggal uji tidak boleh setelah hari ini"))}
        )
    result = UnitResult(
        assessment=assessment,
        unit_code=code,
        attempt=(previous.attempt + 1) if previous else 1,
        verdict=decision.verdict,
        assessor=actor.assessor,
        assessed_on=assessed_on,
        note=decision.note.strip(),
    )
    if decision.evidence is not None:
        result.evidence = decision.evidence
    try:
        result.full_clean()
    except ValidationError as error:
        raise ValidationError(
            {
                field: [
                    unit_problem(code, f"{FIELD_LABELS.get(field, field)}: {message}")
                    for message in messages
                ]
                for field, messages in error.message_dict.items()
            }
        ) from error
    return result


def _results_save(actor: User, assessment: Assessment, results: list[UnitResult]) -> None:
    """Save the results (their evidence files first) and audit each. A failure part way
    removes the evidence files already stored, as the transaction drops their rows."""
    saved: list[UnitResult] = []
    try:
        for result in results:
            result.save()
            saved.append(result)
            audit_record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                obj=result,
                changes={
                    "unit": result.unit_code,
                    "verdict": result.verdict,
                    "attempt": result.attempt,
                },
                person_id=assessment.person_id,
            )
    except Exception:
        for result in saved:
            if result.evidence:
                result.evidence.delete(save=False)
        raise


def _status_follow(actor: User, assessment: Assessment) -> None:
    """An open assessment's status from the latest verdict of every scheme unit: one Belum
    Kompeten → a retake is due; all Kompeten → ready for the recommendation; some judged →
    being assessed; none → scheduled."""
    latest = _latest_verdicts(assessment)
    verdicts = [latest.get(c) for c in assessment.scheme.units.values_list("unit_code", flat=True)]
    if Verdict.NOT_YET in verdicts:
        status = Assessment.Status.NOT_YET
    elif verdicts and all(v == Verdict.COMPETENT for v in verdicts):
        status = Assessment.Status.READY
    elif any(verdicts):
        status = Assessment.Status.IN_PROGRESS
    else:
        status = Assessment.Status.SCHEDULED
    if status == assessment.status:
        return
    before = assessment.status
    assessment.status = status
    assessment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=assessment,
        changes={"status": [before, status]},
        person_id=assessment.person_id,
    )


@transaction.atomic
def unit_results_record(
    *, actor: User, assessment: Assessment, decisions: Sequence[UnitDecision]
) -> list[UnitResult]:
    """Record the assessor's decisions on several units of one assessment, all or none.

    1. Only the assessor the assessment is assigned to, while it is open.
    2. Each decision is checked (a unit of the scheme, decided once in this submission, not
       already Kompeten — a Belum Kompeten unit is retaken as its next attempt — a verdict,
       a day not after today, a valid evidence file); every problem is reported, each naming
       its unit, and then nothing is written.
    3. The results are saved with an audit entry each, and the assessment's status follows
       the decisions (_status_follow).
    Units without a decision are left as they are; no decision at all is refused.
    """
    _require_judging(actor, assessment)
    if not decisions:
        raise ValidationError(_("Belum ada unit yang diputuskan: tidak ada yang disimpan."))
    scheme_codes = set(assessment.scheme.units.values_list("unit_code", flat=True))
    latest = _latest_results(assessment)
    results: list[UnitResult] = []
    problems: dict[str, list[ValidationError]] = {}
    seen: set[str] = set()
    for decision in decisions:
        code = decision.unit_code.strip().upper()
        if code in seen:
            problems.setdefault("unit_code", []).append(
                unit_problem(code, _("diputuskan dua kali dalam satu kiriman"))
            )
            continue
        seen.add(code)
        try:
            results.append(
                _result_build(
                    actor=actor,
                    assessment=assessment,
                    decision=decision,
                    scheme_codes=scheme_codes,
                    latest=latest,
                )
            )
        except ValidationError as error:
            for field, errors in error.error_dict.items():
                problems.setdefault(field, []).extend(errors)
    if problems:
        raise ValidationError(problems)
    _results_save(actor, assessment, results)
    _status_follow(actor, assessment)
    return results


def unit_result_record(
    *,
    actor: User,
    assessment: Assessment,
    unit_code: str,
    verdict: str,
    assessed_on: dt.date | None = None,
    evidence: UploadedFile | None = None,
    note: str = "",
) -> UnitResult:
    """Judge one unit (the API's single decision): unit_results_record with one decision. A
    unit judged Belum Kompeten may be judged again (a new attempt); one already Kompeten may
    not."""
    decision = UnitDecision(
        unit_code=unit_code, verdict=verdict, assessed_on=assessed_on, evidence=evidence, note=note
    )
    return unit_results_record(actor=actor, assessment=assessment, decisions=[decision])[0]


@transaction.atomic
def assessment_recommend(*, actor: User, assessment: Assessment, note: str = "") -> Assessment:
    """The assessor's recommendation (the maker): every scheme unit Kompeten (its latest
    attempt) and, for a renewal under surveillance, the evidence of continued practice. The
    LSP's decision maker then decides and issues (certificate_issue)."""
    _require_judging(actor, assessment)
    latest = _latest_verdicts(assessment)
    codes = list(assessment.scheme.units.values_list("unit_code", flat=True))
    not_yet = [c for c in codes if latest.get(c) != Verdict.COMPETENT]
    if not_yet:
        raise ValidationError(
            _(
                "Belum semua unit dinyatakan Kompeten: %(units)s. Nilai unit tersebut sebelum "
                "merekomendasikan."
            )
            % {"units": ", ".join(not_yet)}
        )
    if (
        assessment.renews_id
        and assessment.scheme.renewal_rule == Scheme.RenewalRule.SURVEILLANCE
        and not assessment.practice_evidence
    ):
        raise ValidationError(
            {
                "practice_evidence": _(
                    "Skema ini memperpanjang dengan bukti praktik berkelanjutan: unggah bukti "
                    "praktik sebelum merekomendasikan."
                )
            }
        )
    before = assessment.status
    assessment.status = Assessment.Status.RECOMMENDED
    assessment.recommended_by = actor
    assessment.recommended_at = timezone.now()
    assessment.recommendation_note = note.strip()
    assessment.save(
        update_fields=["status", "recommended_by", "recommended_at", "recommendation_note"]
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=assessment,
        changes={"status": [before, assessment.status], "units": codes},
        person_id=assessment.person_id,
    )
    return assessment


@transaction.atomic
def certificate_renewal_start(
    *,
    actor: User,
    certificate: Certificate,
    assessor: Assessor,
    scheduled_on: dt.date,
    test_site: TestSite | None = None,
    practice_evidence: UploadedFile | None = None,
) -> Assessment:
    """Start a renewal: an assessment of the certificate's scheme, by the rule of that scheme.

    1. Only the issuing LSP (its decision maker, or a national administrator) starts it; a
       revoked or already renewed certificate has no renewal.
    2. Surveillance schemes need the holder's evidence of continued practice (now or before
       the assessor recommends); a full re-assessment judges every unit again.
    3. The assessor judges and recommends; the LSP decides and issues the renewal, which the
       old certificate then points at (certificate_issue).
    """
    access.require(
        access.can_issue_certificate(actor, lsp_id=certificate.lsp_id),
        _("Hanya LSP penerbit yang memperpanjang sertifikat."),
    )
    if certificate.revoked_at or certificate.renewed_by_id:
        raise ValidationError(
            _("Sertifikat yang dicabut atau sudah diperbarui tidak dapat diperpanjang.")
        )
    open_renewal = certificate.renewal_assessments.exclude(
        status__in=[Assessment.Status.DONE, Assessment.Status.CANCELLED]
    ).first()
    if open_renewal is not None:
        raise ValidationError(
            _("Perpanjangan sertifikat ini sudah berjalan (asesmen %(date)s).")
            % {"date": f"{open_renewal.scheduled_on:%d-%m-%Y}"}
        )
    scheme = Scheme.objects.select_related("lsp").get(pk=certificate.scheme_id)
    if assessor.lsp_id != certificate.lsp_id:
        raise ValidationError({"assessor": _("Asesor harus dari LSP penerbit sertifikat.")})
    if not assessor.is_active:
        raise ValidationError({"assessor": _("Asesor tidak aktif.")})
    if not scheme.lsp.is_active or not licence_valid_on(scheme.lsp, scheduled_on):
        raise ValidationError(
            {
                "scheduled_on": _(
                    "%(lsp)s tidak aktif atau lisensinya tidak berlaku pada %(date)s: pilih "
                    "tanggal dalam masa lisensi."
                )
                % {"lsp": scheme.lsp.name, "date": f"{scheduled_on:%d-%m-%Y}"}
            }
        )
    assessment = Assessment(
        person_id=certificate.person_id,
        scheme=scheme,
        assessor=assessor,
        test_site=test_site,
        scheduled_on=scheduled_on,
        renews=certificate,
        created_by=actor_ref(actor),
    )
    if practice_evidence is not None:
        assessment.practice_evidence = practice_evidence
    assessment.full_clean()
    assessment.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=assessment,
        changes={"renews": certificate.number, "rule": scheme.renewal_rule},
        person_id=certificate.person_id,
    )
    return assessment
