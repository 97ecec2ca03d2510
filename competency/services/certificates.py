"""Certificates issued and renewed, with their numbers and status-list positions."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from competency import access
from competency.credentials import STATUS_LIST_BLOCK
from competency.models import (
    Assessment,
    Certificate,
    CertificateUnit,
    CertificationBody,
    Scheme,
    Verdict,
)
from competency.services.certification import licence_valid_on
from competency.services.common import actor_ref, titles_of_units, validity_end
from registry.models import Person

STATUS_INDEX_TRIES = 20


def _status_index() -> int:
    """A random free position in the status list, in a range twice the number of certificates
    (at least one 131,072-bit block), so that positions say nothing about the order of issue."""
    count = Certificate.objects.count()
    capacity = max(STATUS_LIST_BLOCK, -(-(2 * count) // STATUS_LIST_BLOCK) * STATUS_LIST_BLOCK)
    for _attempt in range(STATUS_INDEX_TRIES):
        index = secrets.randbelow(capacity)
        if not Certificate.objects.filter(status_index=index).exists():
            return index
    raise RuntimeError("Tidak menemukan posisi kosong di daftar status.")


def _certificate_number(scheme: Scheme, issued_on: dt.date) -> str:
    Scheme.objects.select_for_update().filter(pk=scheme.pk).first()  # serialise numbering
    prefix = f"{scheme.lsp_id:03d}/{scheme.code.upper()}/{issued_on.year}/"
    count = Certificate.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:06d}"


def _certificate_create(
    *,
    actor: User | None,
    person: Person,
    scheme: Scheme,
    unit_codes: list[str],
    issued_on: dt.date,
    assessment: Assessment | None,
    number: str = "",
) -> Certificate:
    certificate = Certificate(
        number=number or _certificate_number(scheme, issued_on),
        person=person,
        scheme=scheme,
        lsp=scheme.lsp,
        assessment=assessment,
        level=scheme.level,
        issued_on=issued_on,
        valid_until=validity_end(issued_on, scheme.validity_years),
        status_index=_status_index(),
        created_by=actor_ref(actor),
    )
    certificate.full_clean()
    certificate.save()
    titles = titles_of_units(unit_codes)
    CertificateUnit.objects.bulk_create(
        [
            CertificateUnit(certificate=certificate, unit_code=c, unit_title=titles[c])
            for c in unit_codes
        ]
    )
    return certificate


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    assessment: Assessment,
    issued_on: dt.date | None = None,
    number: str = "",
) -> Certificate:
    """The LSP's decision (the checker): issue the certificate of an assessment its assessor
    recommended. Whoever recommended it may not decide it. A renewal assessment's certificate
    renews the old one, which then points at it. The holder's attained level may rise."""
    scheme = assessment.scheme
    access.require(
        access.can_issue_certificate(actor, lsp_id=scheme.lsp_id),
        _(
            "Hanya manajer sertifikasi / pengambil keputusan LSP pemilik skema yang menerbitkan "
            "sertifikat; asesor merekomendasikan."
        ),
    )
    if assessment.status == Assessment.Status.CANCELLED:
        raise ValidationError(_("Asesmen ini dibatalkan."))
    if assessment.certificates.filter(revoked_at__isnull=True).exists():
        raise ValidationError(_("Sertifikat untuk asesmen ini sudah terbit."))
    if assessment.status != Assessment.Status.RECOMMENDED:
        raise ValidationError(
            _(
                "Asesor belum merekomendasikan asesmen ini: sertifikat diterbitkan setelah "
                "rekomendasi asesor."
            )
        )
    if assessment.recommended_by_id == actor.pk:
        raise PermissionDenied(
            _("Yang merekomendasikan tidak boleh memutuskan: keputusan diambil pihak LSP lain.")
        )
    latest: dict[str, str] = {}
    for result in assessment.results.order_by("attempt"):
        latest[result.unit_code] = result.verdict
    codes = list(scheme.units.values_list("unit_code", flat=True))
    not_yet = [c for c in codes if latest.get(c) != Verdict.COMPETENT]
    if not_yet:
        raise ValidationError(
            _("Belum semua unit dinyatakan Kompeten: %(units)s.") % {"units": ", ".join(not_yet)}
        )
    issued_on = issued_on or timezone.localdate()
    old = None
    if assessment.renews_id:
        if issued_on > timezone.localdate():
            raise ValidationError(
                {"issued_on": _("Tanggal terbit perpanjangan tidak boleh di masa depan.")}
            )
        old = Certificate.objects.select_for_update().get(pk=assessment.renews_id)
        if old.revoked_at or old.renewed_by_id:
            raise ValidationError(
                _("Sertifikat yang dicabut atau sudah diperbarui tidak dapat diperpanjang.")
            )
        if issued_on < old.issued_on:
            raise ValidationError(
                {
                    "issued_on": _(
                        "Tanggal terbit perpanjangan tidak boleh sebelum sertifikat asalnya "
                        "terbit (%(date)s)."
                    )
                    % {"date": f"{old.issued_on:%d-%m-%Y}"}
                }
            )
    lsp = CertificationBody.objects.get(pk=scheme.lsp_id)  # as it stands now
    if not lsp.is_active or not licence_valid_on(lsp, issued_on):
        raise ValidationError(
            {
                "issued_on": _(
                    "%(lsp)s tidak aktif atau lisensinya tidak berlaku pada %(date)s: sertifikat "
                    "tidak dapat diterbitkan olehnya."
                )
                % {"lsp": lsp.name, "date": f"{issued_on:%d-%m-%Y}"}
            }
        )
    certificate = _certificate_create(
        actor=actor,
        person=assessment.person,
        scheme=scheme,
        unit_codes=codes,
        issued_on=issued_on,
        assessment=assessment,
        number=number,
    )
    assessment.status = Assessment.Status.DONE
    assessment.save(update_fields=["status"])
    changes = {
        "number": certificate.number,
        "units": codes,
        "valid_until": certificate.valid_until.isoformat(),
        "recommended_by": assessment.recommended_by.username if assessment.recommended_by else "",
    }
    if old is not None:
        old.renewed_by = certificate
        old.status = Certificate.Status.RENEWED
        old.save(update_fields=["renewed_by", "status"])
        changes["renews"] = old.number
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=certificate,
        changes=changes,
        person_id=assessment.person_id,
    )
    return certificate
