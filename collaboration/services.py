"""Writes for HR requests, referrals and notifications. Each step is checked, recorded as an
event, audited, and announced to whoever must act next (in-app and by e-mail)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts import access
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from collaboration import access as collab_access
from collaboration.models import (
    RESPONSE_WINDOW,
    Notification,
    Referral,
    ReferralEvent,
    Request,
    RequestEvent,
    Urgency,
)
from registry import workflows
from registry.models import EmploymentStatus, Engagement, Flag, LevelReview, Person, Verification
from registry.services import flag_resolve

# What each kind's payload must carry (the form, the API and the apply step share this).
PAYLOAD_FIELDS: dict[str, list[str]] = {
    Request.Kind.VERIFICATION: [],
    Request.Kind.PROMOTION: ["level", "sk_number", "sk_date"],
    Request.Kind.TRANSFER: ["regency_id", "sk_number"],
    Request.Kind.STATUS_CHANGE: ["employment_status"],
    Request.Kind.CONTRACT_RENEWAL: ["end_date", "sk_number"],
    Request.Kind.END: [],
    Request.Kind.DATA_CORRECTION: [],
}
NEEDS_ENGAGEMENT = set(PAYLOAD_FIELDS) - {Request.Kind.VERIFICATION, Request.Kind.DATA_CORRECTION}
NEEDS_EFFECTIVE_DATE = NEEDS_ENGAGEMENT


# --- notifications ------------------------------------------------------------------------


def notification_send(
    *, users: list[User], title: str, body: str = "", url: str = "", now: dt.datetime | None = None
) -> list[Notification]:
    """An in-app notification per user, and an e-mail (after commit) to those with an address."""
    now = now or timezone.now()
    unique = {u.pk: u for u in users if u is not None and u.pk}
    rows = Notification.objects.bulk_create(
        [
            Notification(user=u, title=title[:200], body=body, url=url, created_at=now)
            for u in unique.values()
        ]
    )
    recipients = [u.email for u in unique.values() if u.email]
    if recipients:
        # Mail is sent only once the step is committed: a rolled-back step must not announce.
        message = f"{body}\n\n{getattr(settings, 'SITE_URL', '')}{url}"

        def _mail() -> None:
            send_mail(
                f"[Satu Pintu] {title}", message.strip(), None, recipients, fail_silently=True
            )

        transaction.on_commit(_mail)
        Notification.objects.filter(pk__in=[r.pk for r in rows if r.user.email]).update(
            emailed=True
        )
    return rows


def notification_read(*, user: User, ids: list[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    return qs.update(read_at=timezone.now())


# --- requests -----------------------------------------------------------------------------


def _event(request: Request, actor: User | None, action: str, note: str, now) -> None:
    RequestEvent.objects.create(
        request=request, at=now, actor=actor, action=action, status_after=request.status, note=note
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VERIFY if action != "ajukan" else AuditEntry.Action.CREATE,
        obj=request,
        changes={"status": request.status, "action": action},
        note=note,
        person_id=request.person_id,
    )


def _notify_next(request: Request, now) -> None:
    url = reverse("collaboration:request-detail", args=[request.uid])
    step = collab_access.STEP_FOR_STATUS.get(request.status)
    if step is not None:
        users = [
            u
            for u in collab_access.users_covering(
                collab_access.step_roles(request.kind, step),
                regency_id=request.regency_id,
                programme_id=request.programme_id,
            )
            if not collab_access.is_own(u, request)
        ]
        notification_send(
            users=users,
            title=f"{request.get_kind_display()} menunggu tindakan Anda",
            body=f"{request.person.display_name}: {request.get_status_display()}.",
            url=url,
            now=now,
        )
    else:
        notification_send(
            users=[request.submitted_by],
            title=f"{request.get_kind_display()} {request.get_status_display().lower()}",
            body=request.return_reason or request.reason,
            url=url,
            now=now,
        )


def _clean_payload(kind: str, payload: dict[str, Any], engagement: Engagement | None) -> dict:
    missing = [f for f in PAYLOAD_FIELDS[kind] if not str(payload.get(f) or "").strip()]
    if missing:
        raise ValidationError({f: "Wajib diisi." for f in missing})
    if kind == Request.Kind.PROMOTION:
        level = int(payload["level"])
        if not 1 <= level <= 9:
            raise ValidationError({"level": "Jenjang harus antara I dan IX."})
        payload["level"] = level
    if (
        kind == Request.Kind.STATUS_CHANGE
        and payload["employment_status"] not in EmploymentStatus.values
    ):
        raise ValidationError({"employment_status": "Status kepegawaian tidak dikenal."})
    if kind == Request.Kind.DATA_CORRECTION:
        payload = {k: v for k, v in payload.items() if k in workflows.CORRECTABLE_FIELDS and v}
        if not payload:
            raise ValidationError("Tuliskan sedikitnya satu data yang perlu dikoreksi.")
    for key in ("sk_date", "end_date"):
        if payload.get(key):
            payload[key] = dt.date.fromisoformat(str(payload[key])).isoformat()
    return payload


@transaction.atomic
def request_submit(
    *,
    actor: User,
    kind: str,
    person: Person,
    engagement: Engagement | None = None,
    payload: dict[str, Any] | None = None,
    effective_date: dt.date | None = None,
    reason: str = "",
    source: str = Request.Source.OPERATOR,
    evidence: dict[str, Any] | None = None,
    level_review: LevelReview | None = None,
    now: dt.datetime | None = None,
) -> Request:
    """Submit a request (the maker's step). The qualification engine submits promotions with
    ``source=mesin_kualifikasi`` and its evidence; a facilitator only corrections of their own."""
    now = now or timezone.now()
    if kind not in Request.Kind.values:
        raise ValidationError({"kind": "Jenis permohonan tidak dikenal."})
    if engagement is not None and engagement.person_id != person.pk:
        raise ValidationError({"engagement": "Penugasan bukan milik orang ini."})
    if kind in NEEDS_ENGAGEMENT and engagement is None:
        raise ValidationError({"engagement": "Pilih penugasan yang dimaksud."})
    if not collab_access.can_submit_for(actor, engagement=engagement, person=person):
        raise PermissionDenied("Anda tidak berwenang mengajukan permohonan untuk data ini.")
    if actor.role == Role.FACILITATOR:
        if kind != Request.Kind.DATA_CORRECTION:
            raise PermissionDenied("Pendamping hanya dapat mengajukan koreksi data sendiri.")
        source = Request.Source.FACILITATOR
    if kind in NEEDS_EFFECTIVE_DATE and effective_date is None:
        raise ValidationError({"effective_date": "Tanggal berlaku (TMT) wajib diisi."})
    if kind == Request.Kind.VERIFICATION and person.verification not in {
        Verification.PENDING,
        Verification.RETURNED,
    }:
        raise ValidationError("Data orang ini sudah diverifikasi.")
    if kind == Request.Kind.END and not reason.strip():
        raise ValidationError({"reason": "Tuliskan alasan pengakhiran."})
    open_one = Request.objects.filter(
        kind=kind, person=person, engagement=engagement, status__in=[*Request.OPEN, "dikembalikan"]
    ).exists()
    if open_one:
        raise ValidationError("Sudah ada permohonan jenis ini yang belum selesai.")
    home = engagement or (
        person.engagements.filter(status=Engagement.Status.ACTIVE).order_by("pk").first()
        or person.engagements.order_by("pk").first()
    )
    if home is None:
        raise ValidationError("Orang ini belum punya penugasan; wilayah permohonan tidak dikenal.")
    request = Request(
        kind=kind,
        source=source,
        person=person,
        engagement=engagement,
        level_review=level_review,
        regency_id=home.regency_id,
        programme_id=home.programme_id,
        payload=_clean_payload(kind, dict(payload or {}), engagement),
        evidence=evidence or {},
        effective_date=effective_date,
        reason=reason.strip(),
        submitted_by=actor,
    )
    request.full_clean()
    request.save()
    _event(request, actor, "ajukan", reason, now)
    _notify_next(request, now)
    return request


def _require_step(actor: User, request: Request) -> None:
    if collab_access.is_own(actor, request):
        raise PermissionDenied(collab_access.SELF_MESSAGE)
    if not request.is_open:
        raise ValidationError("Permohonan ini tidak sedang menunggu tindakan.")
    if not collab_access.can_act(actor, request):
        raise PermissionDenied("Langkah ini bukan wewenang peran atau cakupan Anda.")


def _lock(request: Request) -> Request:
    # Two checkers clicking at once must not both move the request.
    # ``of=("self",)``: PostgreSQL cannot lock the nullable side of the engagement join.
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("person", "engagement")
        .get(pk=request.pk)
    )


@transaction.atomic
def request_verify(
    *, actor: User, request: Request, note: str = "", now: dt.datetime | None = None
) -> Request:
    """The checker's first step. For a registration, the registry record becomes verified."""
    now = now or timezone.now()
    request = _lock(request)
    _require_step(actor, request)
    if request.status != Request.Status.SUBMITTED:
        raise ValidationError("Permohonan ini sudah diverifikasi.")
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
    _event(request, actor, "verifikasi", note, now)
    _notify_next(request, now)
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
        case Request.Kind.DATA_CORRECTION:
            return workflows.person_correct(
                actor=actor, person=request.person, data=p, request_ref=ref
            )
    raise ValidationError("Jenis permohonan tidak dikenal.")


@transaction.atomic
def request_approve(
    *, actor: User, request: Request, note: str = "", now: dt.datetime | None = None
) -> Request:
    """The final decision: the change is applied to the registry in the same transaction."""
    now = now or timezone.now()
    request = _lock(request)
    _require_step(actor, request)
    if request.status != Request.Status.VERIFIED:
        raise ValidationError("Permohonan harus diverifikasi lebih dahulu.")
    request.applied_changes = _apply(actor, request, timezone.localdate(now))
    request.status, request.decided_by, request.decided_at = Request.Status.APPROVED, actor, now
    request.save(
        update_fields=["status", "decided_by", "decided_at", "applied_changes", "updated_at"]
    )
    _event(request, actor, "setujui", note, now)
    _notify_next(request, now)
    return request


@transaction.atomic
def request_return(
    *, actor: User, request: Request, reason: str, now: dt.datetime | None = None
) -> Request:
    """Send back to the maker with a reason, at either step."""
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": "Tuliskan alasan pengembalian."})
    request = _lock(request)
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
    _event(request, actor, "kembalikan", reason.strip(), now)
    _notify_next(request, now)
    return request


@transaction.atomic
def request_reject(
    *, actor: User, request: Request, reason: str, now: dt.datetime | None = None
) -> Request:
    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError({"reason": "Tuliskan alasan penolakan."})
    request = _lock(request)
    _require_step(actor, request)
    request.status, request.decided_by, request.decided_at = Request.Status.REJECTED, actor, now
    request.return_reason = reason.strip()
    request.save(
        update_fields=["status", "decided_by", "decided_at", "return_reason", "updated_at"]
    )
    _event(request, actor, "tolak", reason.strip(), now)
    _notify_next(request, now)
    return request


@transaction.atomic
def request_resubmit(
    *,
    actor: User,
    request: Request,
    payload: dict[str, Any] | None = None,
    effective_date: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Request:
    """The maker corrects a returned request and submits it again."""
    now = now or timezone.now()
    request = _lock(request)
    if request.status != Request.Status.RETURNED:
        raise ValidationError("Hanya permohonan yang dikembalikan yang dapat diajukan ulang.")
    if actor.pk != request.submitted_by_id:
        raise PermissionDenied("Hanya pengaju yang dapat mengajukan ulang.")
    if payload is not None:
        request.payload = _clean_payload(request.kind, dict(payload), request.engagement)
    if effective_date is not None:
        request.effective_date = effective_date
    if request.kind == Request.Kind.VERIFICATION:
        workflows.person_verification_set(
            actor=actor,
            person=request.person,
            state=Verification.PENDING,
            request_ref=str(request.uid),
        )
    request.status = Request.Status.SUBMITTED
    request.save(update_fields=["status", "payload", "effective_date", "updated_at"])
    _event(request, actor, "ajukan_ulang", note, now)
    _notify_next(request, now)
    return request


# --- flags and level reviews, resolved from the same inbox ---------------------------------


def inbox_flag_resolve(*, actor: User, flag: Flag, note: str) -> Flag:
    return flag_resolve(actor=actor, flag=flag, note=note)


def inbox_level_review_resolve(*, actor: User, review: LevelReview, note: str) -> LevelReview:
    access.require(
        collab_access.covers(
            actor,
            regency_id=review.engagement.regency_id,
            programme_id=review.engagement.programme_id,
        )
        and actor.role in collab_access.step_roles("default", "approve"),
        "Kasus tinjauan jenjang diputuskan administrator klaster/program.",
    )
    return workflows.level_review_resolve(actor=actor, review=review, note=note)


# --- referrals ----------------------------------------------------------------------------


def _referral_event(
    referral: Referral, actor: User | None, action: str, note: str, now: dt.datetime
) -> None:
    ReferralEvent.objects.create(referral=referral, at=now, actor=actor, action=action, note=note)
    # The audit names the case, not the referred person: their data stay in the case.
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if action == "kirim" else AuditEntry.Action.UPDATE,
        obj=referral,
        changes={"status": referral.status, "action": action},
        note=note[:500],
    )


def referral_supervisors(referral: Referral) -> list[User]:
    """Coordinators of the receiver's area and cluster; the regency operators when none."""
    users = collab_access.users_covering(
        {Role.COORDINATOR},
        regency_id=referral.regency_id,
        programme_id=referral.receiver_programme_id,
    )
    if referral.is_child:
        # Children's cases only to coordinators named for the programme (fewest eyes).
        users = [u for u in users if u._programme_scope is not None]
    if not users:
        users = collab_access.users_covering(
            {Role.REGENCY_OPERATOR},
            regency_id=referral.regency_id,
            programme_id=referral.receiver_programme_id,
        )
    return users


@transaction.atomic
def referral_create(
    *,
    actor: User,
    receiver_programme,
    village,
    subject_name: str,
    need: str,
    urgency: str,
    consent: bool,
    consent_note: str = "",
    subject_nik: str = "",
    is_child: bool = False,
    receiver: User | None = None,
    service_name: str = "",
    sender_programme=None,
    now: dt.datetime | None = None,
) -> Referral:
    """Send a case. Refused without the referred person's (or guardian's) consent."""
    now = now or timezone.now()
    if not collab_access.can_refer(actor):
        raise PermissionDenied("Peran Anda tidak dapat mengirim rujukan.")
    if not consent:
        raise ValidationError(
            {"consent": "Rujukan hanya dapat dikirim dengan persetujuan orang yang dirujuk."}
        )
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": "Tingkat urgensi tidak dikenal."})
    if not subject_name.strip() or not need.strip():
        raise ValidationError("Nama dan kebutuhan wajib diisi.")
    nik = subject_nik.replace(" ", "")
    if nik and (len(nik) != 16 or not nik.isdigit()):
        raise ValidationError({"subject_nik": "NIK harus 16 angka (boleh dikosongkan)."})
    if receiver is not None:
        if receiver.pk == actor.pk:
            raise ValidationError({"receiver": "Anda tidak dapat merujuk kepada diri sendiri."})
        if receiver.role not in {Role.FACILITATOR, Role.COORDINATOR} or not receiver.is_active:
            raise ValidationError({"receiver": "Penerima harus pendamping atau koordinator."})
    if sender_programme is None and actor.person_id:
        home = (
            Engagement.objects.filter(person_id=actor.person_id, status=Engagement.Status.ACTIVE)
            .order_by("pk")
            .first()
        )
        sender_programme = home.programme if home else None
    district = village.district
    child = bool(
        is_child
        or receiver_programme.handles_children
        or (sender_programme is not None and sender_programme.handles_children)
    )
    referral = Referral(
        sender=actor,
        sender_programme=sender_programme,
        receiver=receiver,
        receiver_programme=receiver_programme,
        service_name=service_name.strip(),
        province_id=district.regency.province_id,
        regency_id=district.regency_id,
        district=district,
        village=village,
        subject_name=subject_name.strip(),
        subject_nik=nik,
        is_child=child,
        need=need.strip(),
        urgency=urgency,
        consent=True,
        consent_note=consent_note.strip(),
        consent_at=now,
        deadline=now + RESPONSE_WINDOW[urgency],
        created_at=now,
    )
    referral.full_clean()
    referral.save()
    _referral_event(referral, actor, "kirim", need.strip(), now)
    receivers = [receiver] if receiver else referral_supervisors(referral)
    notification_send(
        users=receivers,
        title=f"Rujukan baru ({referral.get_urgency_display()})",
        body=f"Mohon ditanggapi sebelum {timezone.localtime(referral.deadline):%d-%m-%Y %H:%M}.",
        url=reverse("collaboration:referral-detail", args=[referral.uid]),
        now=now,
    )
    return referral


# The lifecycle: which action moves which status where, and who may take it.
REFERRAL_MOVES = {
    "terima": (Referral.Status.SENT, Referral.Status.ACCEPTED),
    "tolak": (Referral.Status.SENT, Referral.Status.DECLINED),
    "proses": (Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS),
    "selesai": (Referral.Status.IN_PROGRESS, Referral.Status.COMPLETED),
}


@transaction.atomic
def referral_respond(
    *, actor: User, referral: Referral, action: str, note: str = "", now: dt.datetime | None = None
) -> Referral:
    """The receiver accepts or declines (with a reason), starts and completes the case."""
    now = now or timezone.now()
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if action == "catat":
        return referral_note(actor=actor, referral=referral, note=note, now=now)
    if action not in REFERRAL_MOVES:
        raise ValidationError("Tindakan tidak dikenal.")
    if not collab_access.can_respond(actor, referral):
        raise PermissionDenied("Hanya penerima rujukan yang dapat menanggapinya.")
    before, after = REFERRAL_MOVES[action]
    if referral.status != before:
        raise ValidationError(
            f"Rujukan berstatus {referral.get_status_display().lower()}; tindakan ini tidak "
            "berlaku."
        )
    if action == "tolak" and not note.strip():
        raise ValidationError({"note": "Tuliskan alasan penolakan dan saran tujuan lain."})
    fields = ["status"]
    referral.status = after
    if before == Referral.Status.SENT:
        referral.responded_at = now
        fields.append("responded_at")
    if referral.receiver_id is None:
        # A service case is taken by the coordinator who answers it.
        referral.receiver = actor
        fields.append("receiver")
    if after == Referral.Status.COMPLETED:
        referral.completed_at = now
        fields.append("completed_at")
    referral.save(update_fields=fields)
    _referral_event(referral, actor, action, note.strip(), now)
    notification_send(
        users=[referral.sender],
        title=f"Rujukan {referral.get_status_display().lower()}",
        body=note.strip(),
        url=reverse("collaboration:referral-detail", args=[referral.uid]),
        now=now,
    )
    return referral


@transaction.atomic
def referral_note(
    *, actor: User, referral: Referral, note: str, now: dt.datetime | None = None
) -> Referral:
    """A progress note from either party."""
    now = now or timezone.now()
    if actor.pk not in {referral.sender_id, referral.receiver_id}:
        raise PermissionDenied("Hanya pihak dalam rujukan yang dapat menambah catatan.")
    if not note.strip():
        raise ValidationError({"note": "Catatan kosong."})
    _referral_event(referral, actor, "catat", note.strip(), now)
    return referral


def referral_escalations(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Remind receivers when half the response window is gone; escalate when it has passed.

    1. Unanswered (terkirim) referrals past half their window and not yet reminded: a reminder
       to the receiver (or the service's coordinators).
    2. Unanswered referrals past their deadline and not yet escalated: escalated to the
       supervisor (the coordinator of the receiver's area and cluster), who then sees the case.
    Each referral is handled in its own transaction so one failure does not hold the others.
    """
    now = now or timezone.now()
    reminded = escalated = 0
    waiting = Referral.objects.filter(status=Referral.Status.SENT).select_related(
        "receiver", "sender"
    )
    for referral in waiting.filter(reminded_at__isnull=True, deadline__gt=now):
        window = RESPONSE_WINDOW[referral.urgency]
        if now < referral.deadline - window / 2:
            continue
        with transaction.atomic():
            referral.reminded_at = now
            referral.save(update_fields=["reminded_at"])
            _referral_event(referral, None, "pengingat", "", now)
            notification_send(
                users=[referral.receiver] if referral.receiver else referral_supervisors(referral),
                title="Pengingat: rujukan menunggu tanggapan",
                body=f"Batas tanggapan {timezone.localtime(referral.deadline):%d-%m-%Y %H:%M}.",
                url=reverse("collaboration:referral-detail", args=[referral.uid]),
                now=now,
            )
        reminded += 1
    for referral in waiting.filter(escalated_at__isnull=True, deadline__lte=now):
        supervisors = referral_supervisors(referral)
        with transaction.atomic():
            referral.escalated_at = now
            referral.escalated_to = supervisors[0] if supervisors else None
            referral.save(update_fields=["escalated_at", "escalated_to"])
            _referral_event(
                referral,
                None,
                "eskalasi",
                f"Melewati batas tanggapan; diteruskan kepada {referral.escalated_to or '—'}.",
                now,
            )
            notification_send(
                users=[*supervisors, referral.sender],
                title="Eskalasi: rujukan belum ditanggapi",
                body=f"Batas tanggapan {timezone.localtime(referral.deadline):%d-%m-%Y %H:%M} "
                "terlewati.",
                url=reverse("collaboration:referral-detail", args=[referral.uid]),
                now=now,
            )
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def referral_escalations_job(job, progress) -> dict:
    progress(0, 1, "Memeriksa batas tanggapan rujukan…")
    return referral_escalations()


def referral_read_audit(*, actor: User, referral: Referral) -> None:
    """A children's case opened by someone who is not a party (an auditor) leaves a trace."""
    if referral.is_child and actor.pk not in {referral.sender_id, referral.receiver_id}:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.OTHER,
            obj=referral,
            note="membuka kasus anak",
        )
