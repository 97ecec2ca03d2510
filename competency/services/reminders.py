"""Expiry reminders, and the daily job that sends them and then expires certificates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competency.models import Certificate, Notification
from competency.services.lapses import certificates_expire
from competency.services.notifications import notify
from jobs.outcomes import JobOutcome, count

REMINDER_DAYS = (90, 30, 7)


def certificate_reminders_send(
    *, on: dt.date | None = None, days: Iterable[int] = REMINDER_DAYS
) -> dict[str, int]:
    """Remind holders before expiry: one notification (and e-mail) per threshold reached.

    A certificate with ``d`` days left gets the reminder of the smallest threshold ≥ ``d``
    unless that one was already sent; so a run missed for a week still sends one reminder,
    and running twice sends nothing new.
    """
    on = on or timezone.localdate()
    thresholds = sorted(set(days))
    horizon = on + dt.timedelta(days=thresholds[-1])
    sent = emailed = 0
    candidates = Certificate.objects.filter(
        revoked_at__isnull=True,
        renewed_by__isnull=True,
        valid_until__gte=on,
        valid_until__lte=horizon,
    ).select_related("person", "scheme")
    for c in candidates.iterator(chunk_size=500):
        left = (c.valid_until - on).days
        threshold = next(t for t in thresholds if t >= left)
        notification = notify(
            certificate=c,
            kind=Notification.Kind.EXPIRY_REMINDER,
            key=str(threshold),
            title=f"Sertifikat {c.number} berakhir dalam {left} hari",
            body=f"Sertifikat kompetensi {c.number} ({c.scheme.name}) berlaku sampai "
            f"{c.valid_until:%d-%m-%Y}. Ajukan perpanjangan (sertifikasi ulang) kepada "
            f"{c.lsp.name} sebelum tanggal itu agar unit-unitnya tetap dihitung.",
            email=True,
        )
        if notification is not None:
            sent += 1
            emailed += notification.emailed_at is not None
    return {"notifications": sent, "emails": emailed}


def certificate_reminders_job(job, progress) -> dict[str, Any]:
    """Job handler (kind ``competency_reminders``): reminders, then the expiry pass."""
    progress(0, 2, "Mengirim pengingat masa berlaku…")
    reminders = certificate_reminders_send()
    progress(1, 2, "Menandai sertifikat kedaluwarsa…")
    report = certificates_expire(actor=job.owner)
    return {
        **reminders,
        "expired": len(report.certificates),
        "reviews_raised": len(report.reviews_raised),
    }


def certificate_reminders_outcome(job) -> JobOutcome:
    """How a finished ``competency_reminders`` job reads (jobs.outcomes)."""
    result = job.result
    sent, emailed = int(result.get("notifications", 0)), int(result.get("emails", 0))
    expired, reviews = int(result.get("expired", 0)), int(result.get("reviews_raised", 0))
    if sent:
        reminders = ngettext(
            "%(n)s pengingat masa berlaku sertifikat dikirim (%(emailed)s lewat surel).",
            "%(n)s pengingat masa berlaku sertifikat dikirim (%(emailed)s lewat surel).",
            sent,
        ) % {"n": count(sent), "emailed": count(emailed)}
    else:
        reminders = _("Tidak ada sertifikat yang perlu diingatkan masa berlakunya.")
    sentences = [reminders]
    if expired:
        sentences.append(
            ngettext(
                "%(n)s sertifikat ditandai kedaluwarsa.",
                "%(n)s sertifikat ditandai kedaluwarsa.",
                expired,
            )
            % {"n": count(expired)}
        )
    if reviews:
        sentences.append(
            ngettext(
                "%(n)s kasus tinjauan jenjang dibuka.",
                "%(n)s kasus tinjauan jenjang dibuka.",
                reviews,
            )
            % {"n": count(reviews)}
        )
    return JobOutcome(sentences=sentences)
