"""Assessments: scheduling one, and recording its unit results."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from competency import access
from competency.models import Assessment, Assessor, Scheme, TestSite, UnitResult, Verdict
from competency.services.certification import _licence_valid_on, _require_certification_manager
from competency.services.common import _actor_ref
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
    _require_certification_manager(actor)
    lsp = scheme.lsp
    if not scheme.is_active:
        raise ValidationError({"scheme": "Skema tidak aktif."})
    if not lsp.is_active:
        raise ValidationError({"scheme": f"LSP pemilik skema ({lsp.name}) tidak aktif."})
    if not _licence_valid_on(lsp, scheduled_on):
        raise ValidationError(
            {
                "scheduled_on": f"Lisensi {lsp.name} tidak berlaku pada tanggal uji "
                f"{scheduled_on:%d-%m-%Y}."
            }
        )
    if assessor.lsp_id != scheme.lsp_id or (test_site and test_site.lsp_id != scheme.lsp_id):
        raise ValidationError("Asesor dan TUK harus dari LSP pemilik skema.")
    if not assessor.is_active:
        raise ValidationError({"assessor": "Asesor tidak aktif."})
    assessment = Assessment.objects.create(
        person=person,
        scheme=scheme,
        assessor=assessor,
        test_site=test_site,
        scheduled_on=scheduled_on,
        created_by=_actor_ref(actor),
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
    access.require(access.can_judge(actor, assessment), "Asesmen ini tidak ditugaskan kepada Anda.")
    if assessment.status != Assessment.Status.SCHEDULED:
        raise ValidationError("Asesmen ini sudah ditutup.")
    unit_code = unit_code.strip().upper()
    if not assessment.scheme.units.filter(unit_code=unit_code).exists():
        raise ValidationError({"unit_code": "Unit ini tidak termasuk skema asesmen."})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "Keputusan harus Kompeten atau Belum Kompeten."})
    previous = assessment.results.filter(unit_code=unit_code).order_by("-attempt").first()
    if previous and previous.verdict == Verdict.COMPETENT:
        raise ValidationError({"unit_code": "Unit ini sudah dinyatakan Kompeten."})
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
