"""Referral reminders and escalations past the response window, and their job."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from collaboration.models import RESPONSE_WINDOW, Referral
from collaboration.services.notifications import notification_send, recipients_language
from collaboration.services.referrals import referral_event, referral_supervisors
from jobs.outcomes import JobOutcome, count


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
            referral_event(referral, None, "pengingat", "", now)
            deadline = f"{timezone.localtime(referral.deadline):%d-%m-%Y %H:%M}"
            with recipients_language():
                title = _("Pengingat: rujukan menunggu tanggapan")
                body = _("Batas tanggapan %(deadline)s.") % {"deadline": deadline}
            notification_send(
                users=[referral.receiver] if referral.receiver else referral_supervisors(referral),
                title=title,
                body=body,
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
            referral_event(
                referral,
                None,
                "eskalasi",
                f"Melewati batas tanggapan; diteruskan kepada {referral.escalated_to or '—'}.",
                now,
            )
            deadline = f"{timezone.localtime(referral.deadline):%d-%m-%Y %H:%M}"
            with recipients_language():
                title = _("Eskalasi: rujukan belum ditanggapi")
                body = _("Batas tanggapan %(deadline)s terlewati.") % {"deadline": deadline}
            notification_send(
                users=[*supervisors, referral.sender],
                title=title,
                body=body,
                url=reverse("collaboration:referral-detail", args=[referral.uid]),
                now=now,
            )
        escalated += 1
    return {"reminded": reminded, "escalated": escalated}


def referral_escalations_job(job, progress) -> dict:
    progress(0, 1, gettext_lazy("Memeriksa batas tanggapan rujukan…"))
    return referral_escalations()


def referral_escalations_outcome(job) -> JobOutcome:
    """How a finished ``referral_escalations`` job reads (jobs.outcomes)."""
    result = job.result
    reminded, escalated = int(result.get("reminded", 0)), int(result.get("escalated", 0))
    if not reminded and not escalated:
        return JobOutcome(sentences=[_("Tidak ada rujukan yang perlu diingatkan atau dieskalasi.")])
    sentences = []
    if reminded:
        sentences.append(
            ngettext(
                "%(n)s rujukan diingatkan kepada penerimanya (separuh batas tanggapan lewat).",
                "%(n)s rujukan diingatkan kepada penerimanya (separuh batas tanggapan lewat).",
                reminded,
            )
            % {"n": count(reminded)}
        )
    if escalated:
        sentences.append(
            ngettext(
                "%(n)s rujukan dieskalasi ke koordinator (batas tanggapan lewat).",
                "%(n)s rujukan dieskalasi ke koordinator (batas tanggapan lewat).",
                escalated,
            )
            % {"n": count(escalated)}
        )
    return JobOutcome(sentences=sentences)
