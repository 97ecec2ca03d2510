"""Assessments: scheduling one, and recording its unit results."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

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


@transaction.atomic
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
    """Judge one unit. A unit judged Belum Kompeten may be judged again (a new attempt); one
    already Kompeten may not."""
    access.require(
        access.can_judge(actor, assessment), _("Asesmen ini tidak ditugaskan kepada Anda.")
    )
    if assessment.status != Assessment.Status.SCHEDULED:
        raise ValidationError(_("Asesmen ini sudah ditutup."))
    unit_code = unit_code.strip().upper()
    if not assessment.scheme.units.filter(unit_code=unit_code).exists():
        raise ValidationError({"unit_code": _("Unit ini tidak termasuk skema asesmen.")})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Keputusan harus Kompeten atau Belum Kompeten.")})
    previous = assessment.results.filter(unit_code=unit_code).order_by("-attempt").first()
    if previous and previous.verdict == Verdict.COMPETENT:
        raise ValidationError({"unit_code": _("Unit ini sudah dinyatakan Kompeten.")})
    result = UnitResult(
        assessment=assessment,
        unit_code=unit_code,
        attempt=(previous.attempt + 1) if previous else 1,
        verdict=verdict,
        assessor=actor.assessor,
        assessed_on=assessed_on or timezone.localdate(),
        note=note.strip(),
    )
    if evidence is not None:
        result.evidence = evidence
    result.full_clean()
    result.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=result,
        changes={"unit": unit_code, "verdict": verdict, "attempt": result.attempt},
        person_id=assessment.person_id,
    )
    return result


def _latest_verdicts(assessment: Assessment) -> dict[str, str]:
    latest: dict[str, str] = {}
    for result in assessment.results.order_by("attempt"):
        latest[result.unit_code] = result.verdict
    return latest


@transaction.atomic
def assessment_recommend(*, actor: User, assessment: Assessment, note: str = "") -> Assessment:
    """The assessor's recommendation (the maker): every scheme unit Kompeten (its latest
    attempt) and, for a renewal under surveillance, the evidence of continued practice. The
    LSP's decision maker then decides and issues (certificate_issue)."""
    access.require(
        access.can_judge(actor, assessment), _("Asesmen ini tidak ditugaskan kepada Anda.")
    )
    if assessment.status != Assessment.Status.SCHEDULED:
        raise ValidationError(_("Asesmen ini sudah direkomendasikan atau ditutup."))
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
        changes={"status": [Assessment.Status.SCHEDULED, assessment.status], "units": codes},
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
