"""Registry-side writes for approved HR decisions (the registry owns writes to its models).

The collaboration app runs the maker-checker workflow (who submits, verifies, approves) and
calls here only once a step is allowed; these functions change the registry records, audit the
change with the request it came from (``request_ref``), and return what changed. They do not
check roles again: the workflow's checks are stricter than the registry's write roles (a regency
verifier may approve a data correction without being a registry writer).
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import audit_diff, audit_record, audit_snapshot
from registry.models import (
    EmploymentStatus,
    Engagement,
    LevelReview,
    Person,
    Programme,
    Verification,
)
from registry.services import (
    PERSON_FIELDS,
    clean_region_chain,
    name_key,
    person_flags_refresh,
)

# What a facilitator may ask to correct about themselves; NIK, sex and birth date go through
# the operator's edit form because they are checked against the NIK.
CORRECTABLE_FIELDS = [
    "full_name",
    "titles_front",
    "titles_back",
    "birth_place",
    "phone",
    "email",
    "education_level",
    "education_field",
]


def _audit(
    *,
    actor: User,
    obj: models.Model,
    changes: dict[str, Any],
    request_ref: str,
    person_id: int,
    action: str | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action or AuditEntry.Action.UPDATE,
        obj=obj,
        changes=changes,
        note=f"permohonan {request_ref}",
        person_id=person_id,
    )


@transaction.atomic
def person_verification_set(
    *, actor: User, person: Person, state: str, request_ref: str, note: str = ""
) -> dict[str, Any]:
    """Move a person and their not-yet-decided engagements to a verification state.

    ``terverifikasi`` (regency verifier), ``disetujui`` (administrator) or ``dikembalikan``
    (sent back, the reason in ``note``). Engagements already approved stay approved.
    """
    if state not in Verification.values:
        raise ValidationError("Status verifikasi tidak dikenal.")
    before = person.verification
    person.verification = state
    person.save(update_fields=["verification", "updated_at"])
    count = (
        person.engagements.exclude(verification=Verification.APPROVED)
        .exclude(verification=state)
        .update(verification=state, updated_at=timezone.now())
    )
    changes = {"verification": [before, state], "engagements": count}
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VERIFY,
        obj=person,
        changes=changes,
        note=f"permohonan {request_ref}" + (f": {note}" if note else ""),
        person_id=person.pk,
    )
    return changes


@transaction.atomic
def engagement_promote(
    *,
    actor: User,
    engagement: Engagement,
    level: int,
    sk_number: str,
    sk_date: dt.date,
    effective_date: dt.date,
    request_ref: str,
) -> dict[str, Any]:
    """Set the position level by decree (SK) from its effective date (TMT)."""
    if not 1 <= level <= 9:
        raise ValidationError({"level": "Jenjang harus antara I dan IX."})
    if not sk_number.strip():
        raise ValidationError({"sk_number": "Nomor SK wajib diisi."})
    fields = ["position_level", "position_sk_number", "position_effective_date"]
    before = audit_snapshot(engagement, fields)
    engagement.position_level = level
    engagement.position_sk_number = sk_number.strip()
    engagement.position_effective_date = effective_date
    changes = audit_diff(before, audit_snapshot(engagement, fields))
    changes["sk_date"] = [None, sk_date.isoformat()]
    engagement.save(update_fields=[*fields, "updated_at"])
    _audit(
        actor=actor,
        obj=engagement,
        changes=changes,
        request_ref=request_ref,
        person_id=engagement.person_id,
    )
    return changes


def _engagement_write(
    *, actor: User, engagement: Engagement, data: dict[str, Any], request_ref: str
) -> dict[str, Any]:
    fields = list(data)
    before = audit_snapshot(engagement, fields)
    for key, value in data.items():
        setattr(engagement, key, value)
    changes = audit_diff(before, audit_snapshot(engagement, fields))
    engagement.full_clean(exclude=["sk_document"])
    engagement.save(update_fields=[*fields, "updated_at"])
    _audit(
        actor=actor,
        obj=engagement,
        changes=changes,
        request_ref=request_ref,
        person_id=engagement.person_id,
    )
    # Dates and status decide who is paid in which month: recompute the one-payment flags.
    person_flags_refresh(person_ids=[engagement.person_id], source=f"permohonan {request_ref}")
    return changes


@transaction.atomic
def engagement_transfer(
    *,
    actor: User,
    engagement: Engagement,
    regency_id: str,
    district_id: str | None,
    village_id: str | None,
    sk_number: str,
    sk_date: dt.date | None,
    request_ref: str,
) -> dict[str, Any]:
    """Move an engagement to another regency (and district/village) by a transfer decree."""
    data: dict[str, Any] = {
        "regency_id": regency_id,
        "district_id": district_id or None,
        "village_id": village_id or None,
    }
    clean_region_chain(data)
    clash = (
        Engagement.objects.filter(
            person_id=engagement.person_id,
            programme_id=engagement.programme_id,
            regency_id=regency_id,
        )
        .exclude(pk=engagement.pk)
        .exists()
    )
    if clash:
        raise ValidationError("Orang ini sudah punya penugasan di program dan wilayah tujuan.")
    data.update(sk_number=sk_number, sk_date=sk_date)
    return _engagement_write(actor=actor, engagement=engagement, data=data, request_ref=request_ref)


@transaction.atomic
def engagement_status_change(
    *, actor: User, engagement: Engagement, employment_status: str, request_ref: str
) -> dict[str, Any]:
    if employment_status not in EmploymentStatus.values:
        raise ValidationError({"employment_status": "Status kepegawaian tidak dikenal."})
    return _engagement_write(
        actor=actor,
        engagement=engagement,
        data={"employment_status": employment_status},
        request_ref=request_ref,
    )


@transaction.atomic
def engagement_contract_renew(
    *,
    actor: User,
    engagement: Engagement,
    end_date: dt.date,
    sk_number: str,
    sk_date: dt.date | None,
    request_ref: str,
) -> dict[str, Any]:
    """Extend a contract to a new end date under a new decree; an ended one becomes active."""
    return _engagement_write(
        actor=actor,
        engagement=engagement,
        data={
            "end_date": end_date,
            "sk_number": sk_number,
            "sk_date": sk_date,
            "status": Engagement.Status.ACTIVE,
        },
        request_ref=request_ref,
    )


@transaction.atomic
def engagement_end(
    *, actor: User, engagement: Engagement, end_date: dt.date, today: dt.date, request_ref: str
) -> dict[str, Any]:
    """End an engagement on ``end_date``. A future end date keeps it active until then (the
    status follows the date; the registry lists read ``end_date``)."""
    data: dict[str, Any] = {"end_date": end_date}
    if end_date <= today:
        data["status"] = Engagement.Status.ENDED
    return _engagement_write(actor=actor, engagement=engagement, data=data, request_ref=request_ref)


@transaction.atomic
def person_correct(
    *, actor: User, person: Person, data: dict[str, Any], request_ref: str
) -> dict[str, Any]:
    """Apply an approved data correction (only ``CORRECTABLE_FIELDS``)."""
    unknown = set(data) - set(CORRECTABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Kolom tidak dapat dikoreksi di sini: {', '.join(sorted(unknown))}.")
    before = audit_snapshot(person, PERSON_FIELDS)
    for key, value in data.items():
        setattr(person, key, value)
    person.name_key = name_key(person.full_name)
    changes = audit_diff(before, audit_snapshot(person, PERSON_FIELDS))
    person.full_clean()
    person.save(update_fields=[*data, "name_key", "updated_at"])
    _audit(actor=actor, obj=person, changes=changes, request_ref=request_ref, person_id=person.pk)
    return changes


@transaction.atomic
def level_review_resolve(*, actor: User, review: LevelReview, note: str) -> LevelReview:
    """Close a level review case with the decision taken (keep, or a promotion request)."""
    if not note.strip():
        raise ValidationError({"note": "Tuliskan keputusan atas kasus ini."})
    if review.status != LevelReview.Status.OPEN:
        raise ValidationError("Kasus ini sudah ditutup.")
    review.status = LevelReview.Status.RESOLVED
    review.resolved_at, review.resolved_by = timezone.now(), actor
    review.resolution_note = note.strip()
    review.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=review,
        changes={"status": [LevelReview.Status.OPEN, LevelReview.Status.RESOLVED]},
        note=note.strip(),
        person_id=review.engagement.person_id,
    )
    return review


@transaction.atomic
def engagement_claim_apply(
    *,
    actor: User,
    person: Person,
    facts: dict[str, Any],
    request_ref: str,
    created_by: User | None = None,
) -> dict[str, Any]:
    """The confirmed engagement of a claim (an import row for a person outside the uploader's
    scope, ``collaboration.services.engagement_claim_submit``): only the engagement the row
    stated is added; none of the person's own data is taken from the row."""
    programme = Programme.objects.get(pk=facts["programme_id"])
    data: dict[str, Any] = {
        "regency_id": facts["regency_id"],
        "district_id": facts.get("district_id") or None,
        "village_id": facts.get("village_id") or None,
    }
    clean_region_chain(data)
    if Engagement.objects.filter(
        person=person, programme=programme, regency_id=data["regency_id"]
    ).exists():
        raise ValidationError(
            "Orang ini sudah punya penugasan di klaster/program dan kabupaten/kota ini."
        )

    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(facts[key]) if facts.get(key) else None

    engagement = Engagement(
        person=person,
        programme=programme,
        legacy_title=str(facts.get("legacy_title") or "").strip(),
        employment_status=facts.get("employment_status") or EmploymentStatus.CONTRACT,
        monthly_incentive=facts.get("monthly_incentive"),
        sk_number=facts.get("sk_number") or "",
        sk_date=day("sk_date"),
        start_date=day("start_date"),
        created_by=created_by,
        **{
            k: v
            for k, v in data.items()
            if k in {"regency_id", "province_id", "district_id", "village_id"}
        },
    )
    engagement.full_clean(exclude=["sk_document"])
    engagement.save()
    changes = audit_diff({}, audit_snapshot(engagement))
    _audit(
        actor=actor,
        obj=engagement,
        changes=changes,
        request_ref=request_ref,
        person_id=person.pk,
        action=AuditEntry.Action.CREATE,
    )
    person_flags_refresh(person_ids=[person.pk], source=f"permohonan {request_ref}")
    return {"engagement": str(engagement.uid), **changes}
