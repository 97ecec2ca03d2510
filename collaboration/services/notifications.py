"""In-app notifications (and their e-mail): sent and marked read."""

import datetime as dt
from contextlib import AbstractContextManager

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import User
from collaboration.models import Notification


def recipients_language() -> AbstractContextManager:
    """The language of a notice to someone else (a notification, an e-mail to a receiving unit).

    People have no language of their own yet and the text is stored as it is sent: it is
    written in the site's language, whatever language the sender's screen shows, so that an
    English screen does not write to an Indonesian office in English."""
    return translation.override(settings.LANGUAGE_CODE)


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
