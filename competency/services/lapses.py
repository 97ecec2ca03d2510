"""Lapses: revoking and expiring certificates, and the level reviews a lapse opens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record, audit_record_many
from competency import access
from competency.models import Certificate, Notification
from competency.selectors import engine_in_force, unit_sets
from competency.services.common import actor_ref
from competency.services.notifications import notify
from registry.level_reviews import ReviewRequest, decided_engagements, level_reviews_raise
from registry.models import ROMAN, LevelReview


@dataclass
class LapseReport:
    certificates: list[int] = field(default_factory=list)
    levels: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)  # before, after
    reviews_raised: list[int] = field(default_factory=list)
    reviews_refreshed: list[int] = field(default_factory=list)
    notifications: int = 0


def _lapse_reviews(
    *,
    person_ids: list[int],
    lapsed_ids: list[int],
    on: dt.date,
    actor: User | None,
    cause: str,
    report: LapseReport,
) -> None:
    """Attained level with and without the lapsed certificates; a fall below a decided position
    level (SK) opens a review case (kind sertifikat_berakhir). Positions stay as they are."""
    engine = engine_in_force()
    if engine is None or not person_ids:
        return
    before = engine.assess_groups(
        unit_sets(on=on, people=person_ids, assume_valid=lapsed_ids), with_cover=False
    )
    after = engine.assess_groups(unit_sets(on=on, people=person_ids), with_cover=False)
    lowered: dict[int, tuple[int | None, int | None]] = {}
    for pid in person_ids:
        b = before[pid].attained if pid in before else None
        a = after[pid].attained if pid in after else None
        report.levels[pid] = (b, a)
        if (a or 0) < (b or 0):
            lowered[pid] = (b, a)
    requests = []
    for engagement in decided_engagements(person_ids=lowered):
        b, a = lowered[engagement.person_id]
        if (a or 0) >= engagement.position_level:
            continue
        requests.append(
            ReviewRequest(
                engagement_id=engagement.pk,
                proposed_level=a,
                reason=(
                    f"{cause} menurunkan jenjang capaian dari {ROMAN.get(b or 0, '—')} menjadi "
                    f"{ROMAN.get(a or 0, 'tanpa jenjang')}, di bawah jenjang jabatan "
                    f"{ROMAN.get(engagement.position_level, '?')} yang ditetapkan dengan SK "
                    f"{engagement.position_sk_number}. Jenjang jabatan tidak diubah otomatis; "
                    "putuskan melalui SK baru atau tutup kasus ini."
                ),
                details={"attained_before": b, "attained_after": a, "certificates": lapsed_ids},
            )
        )
    result = level_reviews_raise(
        requests=requests, kind=LevelReview.Kind.CERTIFICATE_LAPSE, actor=actor, note=cause
    )
    report.reviews_raised += result.raised
    report.reviews_refreshed += result.refreshed


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> LapseReport:
    """Revoke: the certificate stops counting at once; a lowered level may open review cases."""
    access.require(
        access.can_revoke(actor), _("Hanya administrator nasional yang mencabut sertifikat.")
    )
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan pencabutan wajib diisi.")})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError(_("Sertifikat ini sudah dicabut."))
    before = certificate.status
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by = actor_ref(actor)
    certificate.status = Certificate.Status.REVOKED
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=certificate,
        changes={"status": [before, certificate.status], "reason": certificate.revoked_reason},
        person_id=certificate.person_id,
    )
    report = LapseReport(certificates=[certificate.pk])
    _lapse_reviews(
        person_ids=[certificate.person_id],
        lapsed_ids=[certificate.pk],
        on=timezone.localdate(),
        actor=actor,
        cause=f"Pencabutan sertifikat {certificate.number}",
        report=report,
    )
    if notify(
        certificate=certificate,
        kind=Notification.Kind.REVOKED,
        title=f"Sertifikat {certificate.number} dicabut",
        body=f"Sertifikat kompetensi {certificate.number} ({certificate.scheme.name}) telah "
        f"dicabut. Alasan: {certificate.revoked_reason}",
        email=True,
    ):
        report.notifications += 1
    return report


@transaction.atomic
def certificates_expire(*, actor: User | None = None, on: dt.date | None = None) -> LapseReport:
    """Mark certificates past their validity as expired, notify their holders, and open review
    cases where the lapse lowered a decided level. Counting never waited for this: validity is
    derived from the dates; this records it and acts on it."""
    on = on or timezone.localdate()
    lapsed = list(
        Certificate.objects.select_for_update()
        .filter(status=Certificate.Status.VALID, revoked_at__isnull=True, valid_until__lt=on)
        .select_related("person", "scheme")
    )
    report = LapseReport(certificates=[c.pk for c in lapsed])
    if not lapsed:
        return report
    Certificate.objects.filter(pk__in=report.certificates).update(status=Certificate.Status.EXPIRED)
    now = timezone.now()
    audit_record_many(
        [
            AuditEntry(
                at=now,
                actor=actor_ref(actor),
                actor_label=actor.username if actor else "sistem",
                action=AuditEntry.Action.UPDATE,
                object_type="competency.certificate",
                object_id=str(c.pk),
                object_repr=c.number,
                person_id_ref=c.person_id,
                changes={"status": [Certificate.Status.VALID, Certificate.Status.EXPIRED]},
                note=f"Berakhir {c.valid_until:%d-%m-%Y}",
            )
            for c in lapsed
        ]
    )
    _lapse_reviews(
        person_ids=sorted({c.person_id for c in lapsed}),
        lapsed_ids=report.certificates,
        on=on,
        actor=actor,
        cause="Berakhirnya masa berlaku sertifikat",
        report=report,
    )
    for c in lapsed:
        if notify(
            certificate=c,
            kind=Notification.Kind.EXPIRED,
            title=f"Sertifikat {c.number} kedaluwarsa",
            body=f"Masa berlaku sertifikat kompetensi {c.number} ({c.scheme.name}) berakhir "
            f"pada {c.valid_until:%d-%m-%Y}. Unit-unitnya tidak lagi dihitung untuk jenjang "
            "Anda sampai sertifikat diperbarui.",
            email=True,
        ):
            report.notifications += 1
    return report
