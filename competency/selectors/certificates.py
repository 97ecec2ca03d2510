"""Certificate reads: the scoped list, the public verification view, notifications."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from competency import access
from competency.models import Certificate, Notification
from registry.models import Person


def certificate_list(
    *, user: User, status: str = "", q: str = "", person: Person | None = None
) -> QuerySet[Certificate]:
    today = timezone.localdate()
    qs = access.certificates_visible(user).select_related("person", "scheme", "lsp")
    if person is not None:
        qs = qs.filter(person=person)
    if status == Certificate.Status.VALID:
        qs = qs.filter(revoked_at__isnull=True, valid_until__gte=today, renewed_by__isnull=True)
    elif status == Certificate.Status.EXPIRED:
        qs = qs.filter(revoked_at__isnull=True, valid_until__lt=today, renewed_by__isnull=True)
    elif status == Certificate.Status.REVOKED:
        qs = qs.filter(revoked_at__isnull=False)
    elif status == Certificate.Status.RENEWED:
        qs = qs.filter(revoked_at__isnull=True, renewed_by__isnull=False)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(person__full_name__icontains=q))
    return qs.order_by("-issued_on", "-id")


def certificate_public(*, public_id: str) -> Certificate | None:
    """For the public verification page: nothing but the certificate's own facts."""
    return (
        Certificate.objects.select_related("person", "scheme", "lsp", "renewed_by")
        .prefetch_related("units")
        .filter(public_id=public_id)
        .first()
    )


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    q = Q(user=user)
    if user.person_id:
        q |= Q(person_id=user.person_id)
    qs = Notification.objects.filter(q).select_related("certificate")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")
