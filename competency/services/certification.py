"""Certification bodies: LSPs, schemes, test sites (TUK) and assessors, created and updated."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_diff, audit_record, audit_snapshot
from competency import access
from competency.models import Assessor, CertificationBody, Scheme, SchemeUnit, TestSite
from competency.services.common import codes_of_units


def require_certification_manager(actor: User) -> None:
    access.require(
        access.can_manage_certification(actor),
        _("Hanya administrator nasional yang mengelola LSP, skema, TUK dan asesor."),
    )


@transaction.atomic
def lsp_create(
    *,
    actor: User,
    name: str,
    kind: str,
    licence_number: str,
    licence_valid_until: dt.date,
    licence_valid_from: dt.date | None = None,
) -> CertificationBody:
    require_certification_manager(actor)
    lsp = CertificationBody(
        name=name.strip(),
        kind=kind,
        licence_number=licence_number.strip(),
        licence_valid_from=licence_valid_from,
        licence_valid_until=licence_valid_until,
    )
    _licence_dates_check(lsp)
    lsp.full_clean()
    lsp.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=lsp)
    return lsp


@transaction.atomic
def scheme_create(
    *,
    actor: User,
    lsp: CertificationBody,
    code: str,
    name: str,
    unit_codes: Iterable[str],
    level: int | None = None,
    validity_years: int = 3,
    renewal_rule: str = Scheme.RenewalRule.REASSESSMENT,
) -> Scheme:
    require_certification_manager(actor)
    codes = codes_of_units(unit_codes)
    if not codes:
        raise ValidationError({"units": _("Skema harus memuat sedikitnya satu unit kompetensi.")})
    scheme = Scheme(
        lsp=lsp,
        code=code.strip().lower(),
        name=name.strip(),
        level=level,
        validity_years=validity_years,
        renewal_rule=renewal_rule,
    )
    scheme.full_clean()
    scheme.save()
    SchemeUnit.objects.bulk_create([SchemeUnit(scheme=scheme, unit_code=c) for c in codes])
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=scheme, changes={"units": codes})
    return scheme


@transaction.atomic
def test_site_create(
    *,
    actor: User,
    lsp: CertificationBody,
    name: str,
    kind: str,
    regency_id: str | None = None,
    address: str = "",
) -> TestSite:
    require_certification_manager(actor)
    site = TestSite(lsp=lsp, name=name.strip(), kind=kind, regency_id=regency_id, address=address)
    site.full_clean()
    site.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=site)
    return site


@transaction.atomic
def assessor_create(
    *, actor: User, user: User, lsp: CertificationBody, registration_number: str
) -> Assessor:
    require_certification_manager(actor)
    if user.role != Role.ASSESSOR:
        raise ValidationError({"user": _("Pengguna harus berperan asesor.")})
    assessor = Assessor(user=user, lsp=lsp, registration_number=registration_number.strip())
    assessor.full_clean()
    assessor.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=assessor)
    return assessor


# What an update may change. The owning LSP, a scheme's code and an assessor's account are
# fixed: assessments, certificate numbers and worklists hang on them; a change there is a new
# record, not an edit.
LSP_FIELDS = [
    "name",
    "kind",
    "licence_number",
    "licence_valid_from",
    "licence_valid_until",
    "is_active",
]


SCHEME_FIELDS = ["name", "level", "validity_years", "renewal_rule", "is_active"]


TEST_SITE_FIELDS = ["name", "kind", "regency_id", "address"]


ASSESSOR_FIELDS = ["registration_number", "is_active"]


def _fields_apply(
    obj, data: dict[str, Any], fields: list[str], check: Callable[[Any], None] | None = None
) -> dict[str, list[Any]]:
    """Set the allowed fields from ``data``, validate (``check``, then the model), save what
    changed; return the diff for the audit entry."""
    before = audit_snapshot(obj, fields)
    for key, value in data.items():
        if key in fields:
            setattr(obj, key, value.strip() if isinstance(value, str) else value)
    changes = audit_diff(before, audit_snapshot(obj, fields))
    if changes:
        if check is not None:
            check(obj)
        obj.full_clean()
        obj.save(update_fields=list(changes))
    return changes


def lsp_licence_dates_check(*, valid_from: dt.date | None, valid_until: dt.date | None) -> None:
    """Refuse a licence that ends before it starts (the start is optional). lsp_create and
    lsp_update run it; the API's input check runs it too, to report it with other input errors."""
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(
            {"licence_valid_until": _("Lisensi tidak boleh berakhir sebelum mulai berlaku.")}
        )


def _licence_dates_check(lsp: CertificationBody) -> None:
    lsp_licence_dates_check(valid_from=lsp.licence_valid_from, valid_until=lsp.licence_valid_until)


def licence_valid_on(lsp: CertificationBody, day: dt.date) -> bool:
    return (lsp.licence_valid_from is None or lsp.licence_valid_from <= day) and (
        day <= lsp.licence_valid_until
    )


@transaction.atomic
def lsp_update(*, actor: User, lsp: CertificationBody, data: dict[str, Any]) -> CertificationBody:
    require_certification_manager(actor)
    changes = _fields_apply(lsp, data, LSP_FIELDS, check=_licence_dates_check)
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=lsp, changes=changes)
    return lsp


@transaction.atomic
def scheme_update(*, actor: User, scheme: Scheme, data: dict[str, Any]) -> Scheme:
    """Change a scheme's name, level, validity or activity, and its units while no assessment
    uses it (an assessment is judged, and its certificate issued, against the scheme's units)."""
    require_certification_manager(actor)
    changes = _fields_apply(scheme, data, SCHEME_FIELDS)
    if "unit_codes" in data:
        codes = codes_of_units(data["unit_codes"])
        if not codes:
            raise ValidationError(
                {"units": _("Skema harus memuat sedikitnya satu unit kompetensi.")}
            )
        current = sorted(scheme.units.values_list("unit_code", flat=True))
        if codes != current:
            if scheme.assessments.exists():
                raise ValidationError(
                    {
                        "units": _(
                            "Unit skema tidak dapat diubah setelah ada asesmen; buat skema baru."
                        )
                    }
                )
            scheme.units.all().delete()
            SchemeUnit.objects.bulk_create([SchemeUnit(scheme=scheme, unit_code=c) for c in codes])
            changes["units"] = [current, codes]
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=scheme, changes=changes)
    return scheme


@transaction.atomic
def test_site_update(*, actor: User, site: TestSite, data: dict[str, Any]) -> TestSite:
    require_certification_manager(actor)
    changes = _fields_apply(site, data, TEST_SITE_FIELDS)
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=site, changes=changes)
    return site


@transaction.atomic
def assessor_update(*, actor: User, assessor: Assessor, data: dict[str, Any]) -> Assessor:
    """Change the registration number or (de)activate; an inactive assessor keeps the results
    already recorded but gets no new assessment and loses their worklist."""
    require_certification_manager(actor)
    changes = _fields_apply(assessor, data, ASSESSOR_FIELDS)
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=assessor, changes=changes)
    return assessor
