"""HR requests, the maker's steps: payload rules, submit, resubmit, and each step's event."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from collaboration import access as collab_access
from collaboration.models import Request, RequestEvent
from collaboration.services.notifications import notification_send, recipients_language
from regions.models import Regency
from registry import access as registry_access
from registry import plausibility, workflows
from registry import services as registry_services
from registry.bulk.upsert import CLAIM_FACTS
from registry.models import (
    EmploymentStatus,
    Engagement,
    LevelReview,
    Merge,
    Person,
    Programme,
    Verification,
)

# What each kind's payload must carry (the form, the API and the apply step share this).
PAYLOAD_FIELDS: dict[str, list[str]] = {
    Request.Kind.VERIFICATION: [],
    Request.Kind.PROMOTION: ["level", "sk_number", "sk_date"],
    Request.Kind.TRANSFER: ["regency_id", "sk_number"],
    Request.Kind.STATUS_CHANGE: ["employment_status"],
    Request.Kind.CONTRACT_RENEWAL: ["end_date", "sk_number"],
    Request.Kind.END: [],
    Request.Kind.DATA_CORRECTION: [],
    Request.Kind.ENGAGEMENT_CLAIM: ["programme_id", "regency_id", "legacy_title"],
    Request.Kind.MERGE_UNDO: ["merge"],
}


NEEDS_ENGAGEMENT = set(PAYLOAD_FIELDS) - {
    Request.Kind.VERIFICATION,
    Request.Kind.DATA_CORRECTION,
    Request.Kind.ENGAGEMENT_CLAIM,
    Request.Kind.MERGE_UNDO,
}


NEEDS_EFFECTIVE_DATE = NEEDS_ENGAGEMENT


def event(request: Request, actor: User | None, action: str, note: str, now) -> None:
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


def notify_next(request: Request, now) -> None:
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
        with recipients_language():
            title = _("%(kind)s menunggu tindakan Anda") % {"kind": request.get_kind_display()}
            body = f"{request.person.display_name}: {request.get_status_display()}."
        notification_send(
            users=users,
            title=title,
            body=body,
            url=url,
            now=now,
        )
    else:
        with recipients_language():
            title = f"{request.get_kind_display()} {request.get_status_display().lower()}"
        notification_send(
            users=[request.submitted_by],
            title=title,
            body=request.return_reason or request.reason,
            url=url,
            now=now,
        )


def _payload_level(value: Any) -> int:
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not text.isdigit() or not 1 <= int(text) <= 9:
        raise ValidationError(
            {"level": _("Jenjang ditulis sebagai angka 1 sampai 9 (mis. 5 untuk jenjang V).")}
        )
    return int(text)


def _payload_date(key: str, value: Any) -> str:
    labels = {"sk_date": _("Tanggal SK"), "end_date": _("Tanggal selesai kontrak")}
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if day is None:
        raise ValidationError(
            {
                key: _("%(field)s tidak valid (%(value)s); tulis TTTT-BB-HH, mis. 2026-02-28.")
                % {"field": labels[key], "value": f"{value!s:.20}"}
            }
        )
    if problem := plausibility.record_date_problem(day, label=labels[key]):
        raise ValidationError({key: problem})
    return day.isoformat()


def _clean_payload(kind: str, payload: dict[str, Any], engagement: Engagement | None) -> dict:
    # Every value is a plain text or number: an object or a list where a code or a date belongs
    # is refused here, naming the field, rather than failing later when it is applied.
    nested = [k for k, v in payload.items() if isinstance(v, dict | list)]
    if nested:
        raise ValidationError(
            {
                k: _(
                    "Isi dengan teks atau angka (mis. kode wilayah 32.04), bukan objek atau daftar."
                )
                for k in nested
            }
        )
    missing = [f for f in PAYLOAD_FIELDS[kind] if not str(payload.get(f) or "").strip()]
    if missing:
        raise ValidationError(
            {f: ValidationError(_("Wajib diisi."), code="required") for f in missing}
        )
    if kind == Request.Kind.PROMOTION:
        payload["level"] = _payload_level(payload["level"])
    if (
        kind == Request.Kind.STATUS_CHANGE
        and payload["employment_status"] not in EmploymentStatus.values
    ):
        raise ValidationError({"employment_status": _("Status kepegawaian tidak dikenal.")})
    if (
        kind == Request.Kind.TRANSFER
        and not Regency.objects.filter(pk=str(payload["regency_id"]).strip()).exists()
    ):
        raise ValidationError(
            {
                "regency_id": _(
                    "Kabupaten/kota tujuan %(code)s tidak dikenal; tulis kode Kemendagri, "
                    "mis. 32.04."
                )
                % {"code": f"{payload['regency_id']!s:.20}"}
            }
        )
    if kind == Request.Kind.DATA_CORRECTION:
        payload = {k: v for k, v in payload.items() if k in workflows.CORRECTABLE_FIELDS and v}
        if not payload:
            raise ValidationError(_("Tuliskan sedikitnya satu data yang perlu dikoreksi."))
    for key in ("sk_date", "end_date"):
        if payload.get(key):
            payload[key] = _payload_date(key, payload[key])
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
        raise ValidationError({"kind": _("Jenis permohonan tidak dikenal.")})
    if kind == Request.Kind.ENGAGEMENT_CLAIM:
        raise ValidationError(
            {"kind": _("Konfirmasi penugasan dibuat oleh impor, tidak dapat diajukan langsung.")}
        )
    if engagement is not None and engagement.person_id != person.pk:
        raise ValidationError({"engagement": _("Penugasan bukan milik orang ini.")})
    # Everything the kind asks for and the form left empty, said at once, each at its field.
    missing: dict[str, Any] = {}
    if kind in NEEDS_ENGAGEMENT and engagement is None:
        missing["engagement"] = _("Pilih penugasan yang dimaksud.")
    if kind in NEEDS_EFFECTIVE_DATE and effective_date is None:
        missing["effective_date"] = _("Tanggal berlaku (TMT) wajib diisi.")
    if kind == Request.Kind.END and not reason.strip():
        missing["reason"] = _("Tuliskan alasan pengakhiran.")
    if kind != Request.Kind.MERGE_UNDO:
        for name in PAYLOAD_FIELDS[kind]:
            if not str((payload or {}).get(name) or "").strip():
                missing[name] = ValidationError(_("Wajib diisi."), code="required")
    if missing:
        raise ValidationError(missing)
    if not collab_access.can_submit_for(actor, engagement=engagement, person=person):
        raise PermissionDenied(_("Anda tidak berwenang mengajukan permohonan untuk data ini."))
    if actor.role == Role.FACILITATOR:
        if kind != Request.Kind.DATA_CORRECTION:
            raise PermissionDenied(_("Pendamping hanya dapat mengajukan koreksi data sendiri."))
        source = Request.Source.FACILITATOR
    if kind == Request.Kind.VERIFICATION and person.verification not in {
        Verification.PENDING,
        Verification.RETURNED,
    }:
        raise ValidationError(_("Data orang ini sudah diverifikasi."))
    if kind == Request.Kind.MERGE_UNDO:
        payload = {"merge": str(merge_undoable(actor, person, (payload or {}).get("merge")).uid)}
    open_one = Request.objects.filter(
        kind=kind, person=person, engagement=engagement, status__in=[*Request.OPEN, "dikembalikan"]
    ).exists()
    if open_one:
        raise ValidationError(_("Sudah ada permohonan jenis ini yang belum selesai."))
    home = engagement or (
        person.engagements.filter(status=Engagement.Status.ACTIVE).order_by("pk").first()
        or person.engagements.order_by("pk").first()
    )
    if home is None:
        raise ValidationError(
            _("Orang ini belum punya penugasan; wilayah permohonan tidak dikenal.")
        )
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
    event(request, actor, "ajukan", reason, now)
    notify_next(request, now)
    return request


def merge_undoable(actor: User, person: Person, merge_uid: Any, now=None) -> Merge:
    """The merge into ``person`` that ``actor`` may ask to undo, or the reason why not.

    The maker must be allowed to write where every engagement the merge moved or ended serves
    (undoing moves them back), besides seeing the kept person (``can_submit_for``)."""
    merge = (
        Merge.objects.filter(uid=str(merge_uid or "")).select_related("keep", "merged").first()
        if str(merge_uid or "").strip()
        else None
    )
    if merge is None or merge.keep_id != person.pk:
        raise ValidationError({"merge": _("Penggabungan tidak ditemukan pada data orang ini.")})
    engagements = Engagement.objects.filter(
        uid__in=list(merge.details.get("engagements", {}))
    ).select_related("programme")
    for engagement in engagements:
        if not registry_access.can_write_at(
            actor, programme=engagement.programme, regency_code=engagement.regency_id
        ):
            raise PermissionDenied(
                _(
                    "Penugasan %(programme)s di kabupaten/kota %(regency)s yang ikut dipulihkan "
                    "berada di luar cakupan Anda."
                )
                % {"programme": engagement.programme.name, "regency": engagement.regency_id}
            )
    if problem := registry_services.merge_undo_problem(merge, now=now):
        raise ValidationError(problem)
    return merge


def lock(request: Request) -> Request:
    # Two checkers clicking at once must not both move the request.
    # ``of=("self",)``: PostgreSQL cannot lock the nullable side of the engagement join.
    return (
        Request.objects.select_for_update(of=("self",))
        .select_related("person", "engagement")
        .get(pk=request.pk)
    )


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
    request = lock(request)
    if request.status != Request.Status.RETURNED:
        raise ValidationError(_("Hanya permohonan yang dikembalikan yang dapat diajukan ulang."))
    if actor.pk != request.submitted_by_id:
        raise PermissionDenied(_("Hanya pengaju yang dapat mengajukan ulang."))
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
    event(request, actor, "ajukan_ulang", note, now)
    notify_next(request, now)
    return request


@transaction.atomic
def engagement_claim_submit(
    *,
    actor: User,
    person_id: int,
    programme: Programme,
    facts: dict[str, Any],
    origin: str,
    now: dt.datetime | None = None,
) -> Request | None:
    """An import row matched, by NIK, a person the uploader cannot see: ask that person's scope
    holders to confirm the new engagement (the default verify/approve steps, routed to the region
    and programme where the person serves now; to the national level when they serve nowhere).

    Nothing of the person is disclosed to the uploader or changed until the claim is approved
    (``registry.workflows.engagement_claim_apply``); the uploader does not see the request
    either (``collaboration.access.requests_visible``). Returns None when the same claim is
    already open.
    """
    now = now or timezone.now()
    regency_id = facts.get("regency_id") or ""
    if not registry_access.can_write_at(actor, programme=programme, regency_code=regency_id):
        raise PermissionDenied(_("Klaster/program atau wilayah ini di luar cakupan Anda."))
    person = Person.objects.get(pk=person_id)
    payload = {k: _plain(facts.get(k)) for k in CLAIM_FACTS if facts.get(k) not in (None, "")}
    payload["programme_id"] = programme.pk
    open_claims = Request.objects.filter(
        kind=Request.Kind.ENGAGEMENT_CLAIM,
        person=person,
        status__in=[*Request.OPEN, Request.Status.RETURNED],
    )
    if any(
        (r.payload.get("programme_id"), r.payload.get("regency_id")) == (programme.pk, regency_id)
        for r in open_claims
    ):
        return None
    home = (
        person.engagements.filter(status=Engagement.Status.ACTIVE).order_by("pk").first()
        or person.engagements.order_by("pk").first()
    )
    if home is None:
        payload["national"] = True
    request = Request(
        kind=Request.Kind.ENGAGEMENT_CLAIM,
        source=Request.Source.OPERATOR,
        person=person,
        regency_id=home.regency_id if home else regency_id,
        programme_id=home.programme_id if home else None,
        payload=_clean_payload(Request.Kind.ENGAGEMENT_CLAIM, payload, None),
        # Written for the confirmers; it quotes only what the uploader sent, nothing stored.
        reason=(
            f"Impor oleh {actor.username} ({origin}): NIK ini diunggah untuk penugasan baru "
            f"di {programme.name}, kabupaten/kota {regency_id}. Konfirmasi bila orang ini memang "
            "bertugas di sana; tolak bila tidak (mis. NIK salah ketik)."
        ),
        submitted_by=actor,
    )
    request.full_clean()
    request.save()
    event(request, actor, "ajukan", "Dibuat oleh impor", now)
    notify_next(request, now)
    return request


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value
