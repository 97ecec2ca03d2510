"""Receiving units of other agencies: kept by the operators of their region, sent referrals by
e-mail with a signed, expiring link, and answering through it without an account."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_diff, audit_record, audit_snapshot
from collaboration import access as collab_access
from collaboration.models import ReceivingUnit, Referral
from collaboration.services.notifications import notification_send, recipients_language
from collaboration.services.referrals import referral_event

UNIT_FIELDS = ["name", "agency_type", "regency_id", "email", "is_active"]
SALT = "collaboration.referral-unit"


@transaction.atomic
def receiving_unit_save(
    *, actor: User, data: dict[str, Any], unit: ReceivingUnit | None = None
) -> ReceivingUnit:
    """Create or change a receiving unit in the actor's region; audited."""
    if not collab_access.can_manage_units(actor):
        raise PermissionDenied(_("Peran Anda tidak dapat mengelola unit penerima rujukan."))
    regency_id = str(data.get("regency_id") or "")
    if not collab_access.unit_region_in_scope(actor, regency_id):
        raise PermissionDenied(
            _("Kabupaten/kota %(code)s di luar cakupan Anda; pilih wilayah Anda.")
            % {"code": regency_id or _("(kosong)")}
        )
    creating = unit is None
    unit = unit or ReceivingUnit()
    before = {} if creating else audit_snapshot(unit, UNIT_FIELDS)
    for key in UNIT_FIELDS:
        if key in data:
            setattr(unit, key, data[key])
    unit.full_clean()
    unit.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        obj=unit,
        changes=audit_diff(before, audit_snapshot(unit, UNIT_FIELDS)),
    )
    return unit


def unit_link_token(referral: Referral) -> str:
    return signing.dumps({"r": str(referral.uid), "u": referral.receiving_unit_id}, salt=SALT)


def unit_link_send(referral: Referral) -> None:
    """E-mail the unit its link once the referral is committed (no personal data but the name
    of the person referred; the need is on the page behind the link)."""
    unit = referral.receiving_unit
    url = f"{settings.COMPETENCY_PUBLIC_BASE_URL}" + reverse(
        "collaboration:referral-unit-answer", args=[unit_link_token(referral)]
    )
    with recipients_language():
        subject = "[Satu Pintu] " + _("Rujukan baru untuk unit Anda")
        message = _(
            "Yth. %(unit)s,\n\nAnda menerima rujukan (%(urgency)s) di %(regency)s. Mohon terima "
            "atau tolak, dengan catatan, melalui tautan berikut (berlaku %(days)s hari, sekali "
            "pakai, tanpa akun):\n\n%(url)s\n"
        ) % {
            "unit": unit.name,
            "urgency": referral.get_urgency_display(),
            "regency": referral.regency,
            "days": settings.REFERRAL_UNIT_LINK_DAYS,
            "url": url,
        }
    transaction.on_commit(
        lambda: send_mail(
            subject,
            message,
            None,
            [unit.email],
            fail_silently=True,
        )
    )


def unit_link_referral(token: str) -> Referral:
    """The referral behind a unit's link, or a ValidationError saying why the link no longer
    serves: code ``expired``, ``invalid`` (altered or cut) or ``not_found``."""
    max_age = dt.timedelta(days=settings.REFERRAL_UNIT_LINK_DAYS)
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ValidationError(
            _(
                "Tautan ini sudah kedaluwarsa (berlaku %(days)s hari). Hubungi pengirim rujukan "
                "untuk meminta tautan baru."
            )
            % {"days": settings.REFERRAL_UNIT_LINK_DAYS},
            code="expired",
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _(
                "Tautan ini tidak valid (mungkin terpotong saat disalin). Buka tautan lengkap dari "
                "surel, atau hubungi pengirim rujukan."
            ),
            code="invalid",
        ) from None
    referral = (
        Referral.objects.select_related("receiving_unit", "regency", "village", "sender")
        .filter(uid=data.get("r"), receiving_unit_id=data.get("u"))
        .first()
    )
    if referral is None:
        raise ValidationError(_("Rujukan untuk tautan ini tidak ditemukan."), code="not_found")
    return referral


def unit_link_problem(referral: Referral) -> str:
    if referral.status != Referral.Status.SENT:
        when = timezone.localtime(referral.responded_at or referral.created_at)
        return _(
            "Tautan ini sudah dipakai: rujukan telah %(status)s pada %(when)s. Tidak ada yang "
            "perlu dilakukan lagi."
        ) % {"status": referral.get_status_display().lower(), "when": f"{when:%d-%m-%Y %H:%M}"}
    return ""


@transaction.atomic
def referral_unit_answer(
    *, token: str, accept: bool, note: str, now: dt.datetime | None = None
) -> Referral:
    """The unit accepts or declines through its link: recorded on the referral (status, time,
    the note in its history), audited (no account: the unit is named), the sender notified."""
    now = now or timezone.now()
    referral = unit_link_referral(token)
    # ``of=("self",)``: PostgreSQL cannot lock the nullable side of the unit join.
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("receiving_unit")
        .get(pk=referral.pk)
    )
    if problem := unit_link_problem(referral):
        raise ValidationError(problem)
    if not accept and not note.strip():
        raise ValidationError({"note": _("Tuliskan alasan penolakan dan saran tujuan lain.")})

    referral.status = Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED
    referral.responded_at = now
    referral.save(update_fields=["status", "responded_at"])
    unit = referral.receiving_unit
    text = f"{unit.name} ({unit.email}): {note.strip()}".strip().rstrip(":")
    referral_event(referral, None, "terima" if accept else "tolak", text, now)
    with recipients_language():
        title = _("Rujukan %(status)s oleh %(unit)s") % {
            "status": referral.get_status_display().lower(),
            "unit": unit.name,
        }
    notification_send(
        users=[referral.sender],
        title=title,
        body=note.strip(),
        url=reverse("collaboration:referral-detail", args=[referral.uid]),
        now=now,
    )
    return referral
