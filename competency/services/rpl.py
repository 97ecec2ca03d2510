"""Recognition of prior learning (RPL): applications, evidence, assignment, decisions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from competency import access
from competency.models import Assessor, RplApplication, RplEvidence, RplUnitDecision
from competency.services.certification import require_certification_manager
from competency.services.common import actor_ref, codes_of_units, validity_end
from registry.models import Person


@transaction.atomic
def rpl_apply(
    *,
    actor: User,
    person: Person,
    unit_codes: Iterable[str],
    evidence: Iterable[tuple[str, UploadedFile, str]] = (),
    note: str = "",
) -> RplApplication:
    """A facilitator (for themself) or an operator applies for recognition of prior learning
    with evidence (documents, letters of assignment, prior certificates)."""
    access.require(
        access.can_apply_rpl(actor, person), _("Anda tidak boleh mengajukan RPL untuk orang ini.")
    )
    codes = codes_of_units(unit_codes)
    if not codes:
        raise ValidationError({"units": _("Pilih sedikitnya satu unit yang diajukan.")})
    application = RplApplication.objects.create(
        person=person, requested_units=codes, note=note.strip(), submitted_by=actor_ref(actor)
    )
    for kind, file, description in evidence:
        rpl_evidence_add(
            actor=actor, application=application, kind=kind, file=file, description=description
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=application,
        changes={"units": codes},
        person_id=person.pk,
    )
    return application


@transaction.atomic
def rpl_evidence_add(
    *,
    actor: User,
    application: RplApplication,
    kind: str,
    file: UploadedFile,
    description: str = "",
) -> RplEvidence:
    access.require(
        access.can_add_rpl_evidence(actor, application),
        _("Anda tidak boleh menambah bukti pada permohonan ini."),
    )
    if application.status != RplApplication.Status.SUBMITTED:
        raise ValidationError(_("Permohonan ini sudah diputuskan."))
    item = RplEvidence(
        application=application,
        kind=kind,
        file=file,
        description=description.strip()[:250],
        uploaded_by=actor_ref(actor),
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=item,
        object_repr=f"Bukti RPL ({item.get_kind_display()})",
        person_id=application.person_id,
    )
    return item


@transaction.atomic
def rpl_assign(*, actor: User, application: RplApplication, assessor: Assessor) -> RplApplication:
    """Assign (or reassign) the assessor of an application awaiting a decision. A decided or
    withdrawn one keeps the assessor it had: the decision is theirs."""
    require_certification_manager(actor)
    if application.status != RplApplication.Status.SUBMITTED:
        raise ValidationError(_("Permohonan ini tidak lagi menunggu keputusan."))
    application.assessor = assessor
    application.save(update_fields=["assessor"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=application,
        changes={"assessor": assessor.pk},
        person_id=application.person_id,
    )
    return application


@transaction.atomic
def rpl_decide(
    *,
    actor: User,
    application: RplApplication,
    decisions: dict[str, bool],
    decided_on: dt.date | None = None,
    notes: dict[str, str] | None = None,
    validity_years: int = 3,
) -> RplApplication:
    """The assessor judges every requested unit; recognised units count like certified ones
    (source: RPL) for ``validity_years``."""
    access.require(
        access.can_judge_rpl(actor, application), _("Permohonan ini tidak ditugaskan kepada Anda.")
    )
    if application.status != RplApplication.Status.SUBMITTED:
        raise ValidationError(_("Permohonan ini sudah diputuskan."))
    requested = set(application.requested_units)
    if set(decisions) != requested:
        raise ValidationError(
            _("Putuskan setiap unit yang diajukan, tidak lebih dan tidak kurang.")
        )
    if not application.evidence.exists():
        raise ValidationError(_("Permohonan tanpa bukti tidak dapat dinilai."))
    decided_on = decided_on or timezone.localdate()
    notes = notes or {}
    rows = [
        RplUnitDecision(
            application=application,
            unit_code=code,
            recognised=recognised,
            assessor=actor.assessor,
            decided_on=decided_on,
            valid_until=validity_end(decided_on, validity_years) if recognised else None,
            note=notes.get(code, ""),
        )
        for code, recognised in sorted(decisions.items())
    ]
    RplUnitDecision.objects.bulk_create(rows)
    application.status = RplApplication.Status.DECIDED
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=application,
        changes={
            "recognised": sorted(c for c, ok in decisions.items() if ok),
            "not_recognised": sorted(c for c, ok in decisions.items() if not ok),
        },
        person_id=application.person_id,
    )
    return application
