"""Certificate notifications: sending one (in-app and e-mail) and marking one read."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from competency.models import Certificate, Notification


def notify(
    *,
    certificate: Certificate,
    kind: str,
    title: str,
    body: str,
    key: str = "",
    email: bool = False,
) -> Notification | None:
    """One notification per certificate event (in-app for the holder's account, and an e-mail
    when asked and an address is known). A second call for the same event does nothing."""
    person = certificate.person
    user = User.objects.filter(person=person, is_active=True).first()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                person=person,
                user=user,
                kind=kind,
                title=title,
                body=body,
                url=f"/kompetensi/sertifikat/{certificate.uid}/",
                certificate=certificate,
                key=key,
            )
    except IntegrityError:
        return None
    address = person.email or (user.email if user else "")
    if email and address:
        sent = send_mail(
            subject=f"[Satu Pintu] {title}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
            fail_silently=True,
        )
        if sent:
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return notification


@transaction.atomic
def notification_read(*, actor: User, notification: Notification) -> Notification:
    if notification.user_id != actor.pk and not (
        actor.person_id and notification.person_id == actor.person_id
    ):
        raise PermissionDenied(_("Notifikasi ini bukan untuk Anda."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
