"""HR requests, the checker's steps: verify, approve (applied to the registry), return, reject."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from collaboration import access as collab_access
from collaboration.models import Request
from collaboration.services.request_submission import event, lock, notify_next
from registry import services as registry_services
from registry import workflows
from registry.models import Merge, Verification


def _require_step(actor: User, request: Request) -> None:
    if collab_access.is_own(actor, request):
        raise PermissionDenied(collab_access.SELF_MESSAGE)
    if not request.is_open:
        raise ValidationError(_("Permohonan ini tidak sedang menunggu tindakan."))
    if not collab_access.can_act(actor, request):
        raise PermissionDenied(_("Langkah ini bukan wewenang peran atau cakupan Anda."))


@transaction.atomic
def request_verify(
    *, actor: User, request: Request, note: str = "", now: dt.datetime | None = None
) -> Request:
    """The checker's first step. For a registration, the registry record becomes verified."""
    now = now or timezone.now()
    request = lock(request)
    _require_step(actor, request)
    if request.status != Request.Status.SUBMITTED:
        raise ValidationError(_("Permohonan ini sudah diverifikasi."))
    if request.kind == Request.Kind.VERIFICATION:
        workflows.person_verification_set(
            actor=actor,
            person=request.person,
            state=Verification.VERIFIED,
            request_ref=str(request.uid),
        )
    request.status, request.verified_by, request.verified_at = (
        Request.Status.VERIFIED,
        actor,
        now,
    )
    request.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    event(request, actor, "verifikasi", note, now)
    notify_next(request, now)
    return request


def _apply(actor: User, request: Request, today: dt.date) -> dict[str, Any]:
    """Apply an approved request to the registry (registry.workflows owns the writes)."""
    p, ref, e = request.payload, str(request.uid), request.engagement

    def day(key: str) -> dt.date | None:
        return dt.date.fromisoformat(p[key]) if p.get(key) else None

    match request.kind:
        case Request.Kind.VERIFICATION:
            return workflows.person_verification_set(
                actor=actor, person=request.person, state=Verification.APPROVED, request_ref=ref
            )
        case Request.Kind.PROMOTION:
            result = workflows.engagement_promote(
                actor=actor,
                engagement=e,
                level=int(p["level"]),
                sk_number=p["sk_number"],
                sk_date=day("sk_date"),
                effective_date=request.effective_date,
                request_ref=ref,
            )
            if request.level_review_id and request.level_review.status == "terbuka":
                workflows.level_review_resolve(
                    actor=actor,
                    review=request.level_review,
                    note=f"Diputuskan dengan SK {p['sk_number']} (permohonan {ref}).",
                )
            return result
        case Request.Kind.TRANSFER:
            return workflows.engagement_transfer(
                actor=actor,
                engagement=e,
                regency_id=p["regency_id"],
                district_id=p.get("district_id"),
                village_id=p.get("village_id"),
                sk_number=p["sk_number"],
                sk_date=day("sk_date"),
                request_ref=ref,
            )
        case Request.Kind.STATUS_CHANGE:
            return workflows.engagement_status_change(
                actor=actor, engagement=e, employment_status=p["employment_status"], request_ref=ref
            )
        case Request.Kind.CONTRACT_RENEWAL:
            return workflows.engagement_contract_renew(
                actor=actor,
                engagement=e,
                end_date=day("end_date"),
                sk_number=p["sk_number"],
                sk_date=day("sk_date"),
                request_ref=ref,
            )
        case Request.Kind.END:
            return workflows.engagement_end(
                actor=actor,
                engagement=e,
                end_date=request.effective_date,
                today=today,
                request_ref=ref,
            )
        case Request.Kind.ENGAGEMENT_CLAIM:
            return workflows.engagement_claim_apply(
                actor=actor,
                person=request.person,
                facts=p,
                request_ref=ref,
                created_by=request.submitted_by,
            )
        case Request.Kind.MERGE_UNDO:
            return registry_services.person_merge_undo(
                actor=actor,
                merge=Merge.objects.get(uid=p["merge"]),
                request_ref=ref,
            )
        case Request.Kind.DATA_CORRECTION:
            return workflows.person_correct(
                actor=actor, person=request.person, data=p, request_ref=ref
            )
    raise ValidationError(_("Jenis permohonan tidak dikenal."))


@transaction.atomic
def request_approve(
    *, actor: User, request: Request, note: str = "", now: dt.datetime | None = None
) -> Request:
    """The final decision: the change is applied to the registry in the same transaction."""
    now = now or timezone.now()
    request = lock(request)
    _require_step(actor, request)
    if request.status != Request.Status.VERIFIED:
        raise ValidationError(_("Permohonan harus diverifikasi lebih dahulu."))
    # Where the change lands: the request's regency, the engagement's before and after (a
    # transfer moves it), a claim's or transfer's target.
    regencies = {request.regency_id, request.payload.get("regency_id") or ""}
    if request.engagement is not None:
        regencies.add(request.engagement.regency_id)
    request.applied_changes = _apply(actor, request, timezone.localdate(now))
    if request.engagement is not None:
        request.engagement.refresh_from_db(fields=["regency"])
        regencies.add(request.engagement.regency_id)
    registry_services.counts_refresh_enqueue(regency_ids=regencies)
    request.status, request.decided_by, request.decided_at = Request.Status.APPROVED, actor, now
    request.save(
        update_fields=["status", "decided_by", "decided_at", "applied_changes", "updated_at"]
    )
    event(request, actor, "setujui", note, now)
    notify_next(request, now)
    return request


@transaction.atomic
def request_return(
    *, actor: User, request: Request, reason: str, now: dt.datetime | None = None
) -> Request:
    """Send back to the maker with a reason, at either step."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan pengembalian.")})
    request = lock(request)
    _require_step(actor, request)
    if request.kind == Request.Kind.VERIFICATION:
        workflows.person_verification_set(
            actor=actor,
            person=request.person,
            state=Verification.RETURNED,
            request_ref=str(request.uid),
            note=reason.strip(),
        )
    request.status, request.return_reason = Request.Status.RETURNED, reason.strip()
    # Verifying again after a resubmission is a fresh check.
    request.verified_by, request.verified_at = None, None
    request.save(
        update_fields=["status", "return_reason", "verified_by", "verified_at", "updated_at"]
    )
    event(request, actor, "kembalikan", reason.strip(), now)
    notify_next(request, now)
    return request


@transaction.atomic
def request_reject(
    *, actor: User, request: Request, reason: str, now: dt.datetime | None = None
) -> Request:
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": _("Tuliskan alasan penolakan.")})
    request = lock(request)
    _require_step(actor, request)
    request.status, request.decided_by, request.decided_at = Request.Status.REJECTED, actor, now
    request.return_reason = reason.strip()
    request.save(
        update_fields=["status", "decided_by", "decided_at", "return_reason", "updated_at"]
    )
    event(request, actor, "tolak", reason.strip(), now)
    notify_next(request, now)
    return request
