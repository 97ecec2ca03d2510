"""Referrals: sent with consent, answered, noted, and audited when a child's case is opened."""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from collaboration import access as collab_access
from collaboration.models import RESPONSE_WINDOW, Referral, ReferralEvent, Urgency
from collaboration.selectors import referral_receiver_allowed
from collaboration.services.notifications import notification_send, recipients_language
from registry.models import Engagement


def referral_event(
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
    receiving_unit=None,
    now: dt.datetime | None = None,
) -> Referral:
    """Send a case. Refused without the referred person's (or guardian's) consent.

    To a registered unit of another agency (``receiving_unit``): the unit is e-mailed a signed
    link to answer without an account (``services.units``)."""
    now = now or timezone.now()
    if not collab_access.can_refer(actor):
        raise PermissionDenied(_("Peran Anda tidak dapat mengirim rujukan."))
    if not consent:
        raise ValidationError(
            {"consent": _("Rujukan hanya dapat dikirim dengan persetujuan orang yang dirujuk.")}
        )
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Tingkat urgensi tidak dikenal.")})
    if not subject_name.strip() or not need.strip():
        raise ValidationError(_("Nama dan kebutuhan wajib diisi."))
    nik = subject_nik.replace(" ", "")
    if nik and (len(nik) != 16 or not nik.isdigit()):
        raise ValidationError({"subject_nik": _("NIK harus 16 angka (boleh dikosongkan).")})
    if receiver is not None:
        if receiver.pk == actor.pk:
            raise ValidationError({"receiver": _("Anda tidak dapat merujuk kepada diri sendiri.")})
        if not referral_receiver_allowed(
            receiver=receiver, village=village, programme_id=receiver_programme.pk
        ):
            raise ValidationError(
                {
                    "receiver": _(
                        "Penerima harus pendamping aktif di Kecamatan %(district)s (tempat desa "
                        "rujukan) atau koordinator kabupaten/kota itu untuk layanan tujuan. Pilih "
                        "penerima dari daftar, atau kosongkan agar koordinator layanan menanggapi."
                    )
                    % {"district": village.district.name}
                }
            )
    if receiving_unit is not None:
        if not receiving_unit.is_active:
            raise ValidationError(
                {
                    "receiving_unit": _("Unit %(unit)s tidak aktif; pilih unit lain.")
                    % {"unit": receiving_unit.name}
                }
            )
        if receiver is not None:
            raise ValidationError(
                {"receiving_unit": _("Pilih pendamping tujuan atau unit penerima, bukan keduanya.")}
            )
        service_name = receiving_unit.name
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
        receiving_unit=receiving_unit,
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
    referral_event(referral, actor, "kirim", need.strip(), now)
    receivers = [receiver] if receiver else referral_supervisors(referral)
    with recipients_language():
        title = _("Rujukan baru (%(urgency)s)") % {"urgency": referral.get_urgency_display()}
        body = _("Mohon ditanggapi sebelum %(deadline)s.") % {
            "deadline": f"{timezone.localtime(referral.deadline):%d-%m-%Y %H:%M}"
        }
    notification_send(
        users=receivers,
        title=title,
        body=body,
        url=reverse("collaboration:referral-detail", args=[referral.uid]),
        now=now,
    )
    if receiving_unit is not None:
        # Inside: at module level a cycle (collaboration.services.units imports this module).
        from collaboration.services.units import unit_link_send

        unit_link_send(referral)
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
        raise ValidationError(_("Tindakan tidak dikenal."))
    if not collab_access.can_respond(actor, referral):
        raise PermissionDenied(_("Hanya penerima rujukan yang dapat menanggapinya."))
    before, after = REFERRAL_MOVES[action]
    if referral.status != before:
        raise ValidationError(
            _("Rujukan berstatus %(status)s; tindakan ini tidak berlaku.")
            % {"status": referral.get_status_display().lower()}
        )
    if action == "tolak" and not note.strip():
        raise ValidationError({"note": _("Tuliskan alasan penolakan dan saran tujuan lain.")})
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
    referral_event(referral, actor, action, note.strip(), now)
    with recipients_language():
        title = _("Rujukan %(status)s") % {"status": referral.get_status_display().lower()}
    notification_send(
        users=[referral.sender],
        title=title,
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
        raise PermissionDenied(_("Hanya pihak dalam rujukan yang dapat menambah catatan."))
    if not note.strip():
        raise ValidationError({"note": _("Catatan kosong.")})
    referral_event(referral, actor, "catat", note.strip(), now)
    return referral


def referral_read_audit(*, actor: User, referral: Referral) -> None:
    """A children's case opened by someone who is not a party (an auditor) leaves a trace."""
    if referral.is_child and actor.pk not in {referral.sender_id, referral.receiver_id}:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.OTHER,
            obj=referral,
            note="membuka kasus anak",
        )
