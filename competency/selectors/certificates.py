"""Certificate reads: the scoped list, the public verification view, notifications."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.models import User
from competency import access
from competency.models import (
    Assessment,
    Certificate,
    Notification,
    verification_code_read,
)
from registry.models import Person


def certificate_list(
    *, user: User, status: str = "", q: str = "", person: Person | None = None
) -> QuerySet[Certificate]:
    today = timezone.localdate()
    qs = (
        access.certificates_visible(user)
        if person is None
        else access.certificates_of(user, person)
    )
    qs = qs.select_related("person", "scheme", "lsp")
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
    """For the public verification page: nothing but the certificate's own facts. The code as
    given (links issued before the typed codes), else as read from paper (any case, dashes)."""
    qs = Certificate.objects.select_related("person", "scheme", "lsp", "renewed_by")
    found = qs.filter(public_id=public_id).first()
    if found is None:
        read = verification_code_read(public_id)
        if read and read != public_id:
            found = qs.filter(public_id=read).first()
    return found


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    q = Q(user=user)
    if user.person_id:
        q |= Q(person_id=user.person_id)
    qs = Notification.objects.filter(q).select_related("certificate")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


@dataclass(frozen=True)
class HistoryStep:
    when: dt.datetime
    what: str
    who: str = ""
    note: str = ""


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user else ""


def certificate_history(*, certificate: Certificate) -> list[HistoryStep]:
    """The certificate's steps, oldest first: the assessor's recommendation (the maker), the
    LSP's decision and issue (the checker), a renewal it made or that replaced it, revocation."""
    steps: list[HistoryStep] = []
    assessment = (
        Assessment.objects.select_related("recommended_by", "renews")
        .filter(pk=certificate.assessment_id)
        .first()
    )
    if assessment is not None and assessment.recommended_at:
        steps.append(
            HistoryStep(
                assessment.recommended_at,
                _("Asesor merekomendasikan kompeten (perpanjangan %(number)s)")
                % {"number": assessment.renews.number}
                if assessment.renews
                else _("Asesor merekomendasikan kompeten"),
                _name(assessment.recommended_by),
                assessment.recommendation_note,
            )
        )
    issuer = User.objects.filter(pk=certificate.created_by_id).first()
    steps.append(
        HistoryStep(
            certificate.created_at,
            _("%(lsp)s memutuskan dan menerbitkan") % {"lsp": certificate.lsp.name},
            _name(issuer),
        )
    )
    if certificate.renewed_by_id:
        renewal = certificate.renewed_by
        steps.append(
            HistoryStep(
                renewal.created_at,
                _("Diperpanjang dengan sertifikat %(number)s") % {"number": renewal.number},
                _name(User.objects.filter(pk=renewal.created_by_id).first()),
            )
        )
    if certificate.revoked_at:
        steps.append(
            HistoryStep(
                certificate.revoked_at,
                pgettext("status sertifikat", "Dicabut"),
                _name(certificate.revoked_by),
                certificate.revoked_reason,
            )
        )
    return sorted(steps, key=lambda s: s.when)
