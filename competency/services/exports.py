"""Signed credentials, the revocation status list, and bulk credential exports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access as accounts_access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from competency import access, credentials
from competency.models import Certificate
from competency.qualification import catalogue_in_force
from registry.models import Person


def credential_for(certificate: Certificate) -> str:
    """The certificate's signed VC-JWT."""
    catalogue = catalogue_in_force()
    title = catalogue.level_titles.get(certificate.level or 0, "") if catalogue else ""
    return credentials.sign(credentials.certificate_credential(certificate, level_title=title))


def status_list_token() -> str:
    """The revocation status list credential, signed, as of now."""
    revoked = list(
        Certificate.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True)
    )
    return credentials.sign(credentials.status_list_credential(revoked, issued=timezone.now()))


def credentials_export_audit(
    *, actor: User, count: int, target: str, person: Person | None
) -> None:
    """Exports of personal data in bulk are always logged (UU PDP)."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="competency.credential",
        object_repr=f"Ekspor {count} kredensial",
        changes={"count": count, "target": target},
        person_id=person.pk if person else None,
    )


def certificates_for_export(
    *, actor: User, nik: str = ""
) -> tuple[list[Certificate], Person | None]:
    """Valid certificates the actor may export (all in scope, or one person's by NIK)."""
    qs = (
        access.certificates_visible(actor)
        .select_related("person", "scheme", "lsp")
        .prefetch_related("units")
    )
    if not (accounts_access.can_export(actor) or access.can_manage_certification(actor)):
        raise PermissionDenied(_("Peran Anda tidak boleh mengekspor kredensial."))
    # A credential carries a salted hash of the NIK with its salt: only for those who see
    # NIKs in full (see access.can_download_credential).
    if not accounts_access.sees_nik(actor):
        raise PermissionDenied(access.CREDENTIAL_ONLY)
    today = timezone.localdate()
    qs = qs.filter(revoked_at__isnull=True, issued_on__lte=today, valid_until__gte=today)
    person = None
    if nik:
        person = access.people_visible(actor).filter(nik=nik.strip()).first()
        if person is None:
            raise ValidationError({"nik": _("NIK tidak ditemukan dalam cakupan Anda.")})
        qs = qs.filter(person=person)
    return list(qs.order_by("issued_on", "id")), person
