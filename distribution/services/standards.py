"""Staffing standards: the WISN computation, adding one in force, loading them from JSON."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from distribution.models import StaffingStandard, WisnActivity
from distribution.services.permissions import programme_allowed, require_national_writer
from registry.models import Programme


def staffing_standard_compute(*, standard: StaffingStandard) -> StaffingStandard:
    """Derive staff per unit of need and the individual allowance in full-time equivalents.

    WISN (WHO, Workload Indicators of Staffing Need, user's manual 2010):

    1. Available working time AWT = (working days − holidays − leave − sick − other) × hours/day.
    2. Standard workload of a service activity = AWT ÷ unit time; the annual workload per unit
       of need is its frequency per case per year, so staff per unit = Σ frequency × unit
       time ÷ AWT.
    3. Category allowance factor CAF = 1 ÷ (1 − Σ category allowance hours ÷ AWT).
    4. Individual allowance factor IAF = Σ (hours × staff) ÷ AWT, added once per region at
       the standard's allowance level.

    Required = need × staff per unit × CAF + IAF. A caseload ratio 1:N is staff per unit 1/N.
    """
    if standard.kind == StaffingStandard.Kind.RATIO:
        standard.staff_per_unit = 1 / float(standard.caseload_per_facilitator)
        standard.individual_allowance_fte = 0.0
    else:
        awt_hours = standard.available_hours
        if awt_hours <= 0:
            raise ValidationError(gettext("Waktu kerja tersedia (AWT) harus lebih dari nol."))
        activities = list(standard.activities.all())
        service_hours = sum(
            float(a.times_per_case or 0) * float(a.minutes_each or 0) / 60
            for a in activities
            if a.kind == WisnActivity.Kind.SERVICE
        )
        category_hours = sum(
            float(a.hours_per_year or 0) for a in activities if a.kind == WisnActivity.Kind.CATEGORY
        )
        if category_hours >= awt_hours:
            raise ValidationError(
                gettext(
                    "Tunjangan kategori menghabiskan seluruh waktu kerja tersedia; periksa jamnya."
                )
            )
        caf = 1 / (1 - category_hours / awt_hours)
        standard.staff_per_unit = service_hours / awt_hours * caf
        standard.individual_allowance_fte = (
            sum(
                float(a.hours_per_year or 0) * float(a.staff_count or 0)
                for a in activities
                if a.kind == WisnActivity.Kind.INDIVIDUAL
            )
            / awt_hours
        )
    standard.save(update_fields=["staff_per_unit", "individual_allowance_fte"])
    return standard


@transaction.atomic
def staffing_standard_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    kind: str,
    source: str,
    need_unit: str,
    caseload_per_facilitator: Decimal | float | None = None,
    wisn: dict[str, Any] | None = None,
    activities: Iterable[dict[str, Any]] = (),
    is_demo: bool = False,
    valid_from: dt.date | None = None,
    overload_index: float = 1.2,
    underload_index: float = 0.5,
) -> StaffingStandard:
    """Add a standard and make it the one in force for its programme."""
    require_national_writer(actor, gettext("standar kebutuhan pendamping"))
    access.require(
        programme_allowed(actor, programme), gettext("Klaster/program di luar cakupan Anda.")
    )
    if not source.strip():
        raise ValidationError({"source": gettext("Sumber/dasar standar wajib diisi.")})
    previous = StaffingStandard.objects.filter(programme=programme, is_current=True)
    previous_ids = list(previous.values_list("pk", flat=True))
    previous.update(is_current=False)
    wisn = wisn or {}
    standard = StaffingStandard(
        programme=programme,
        name=name,
        kind=kind,
        source=source,
        need_unit=need_unit,
        is_demo=is_demo,
        valid_from=valid_from,
        caseload_per_facilitator=(
            Decimal(str(caseload_per_facilitator)) if caseload_per_facilitator else None
        ),
        overload_index=Decimal(str(overload_index)),
        underload_index=Decimal(str(underload_index)),
        **{
            key: Decimal(str(value)) if key != "allowance_level" else value
            for key, value in wisn.items()
        },
    )
    standard.full_clean()
    standard.save()
    for order, activity in enumerate(activities):
        item = WisnActivity(standard=standard, order=order, **activity)
        item.full_clean()
        item.save()
    staffing_standard_compute(standard=standard)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=standard,
        changes={
            "programme": programme.slug,
            "kind": kind,
            "staff_per_unit": standard.staff_per_unit,
            "individual_allowance_fte": standard.individual_allowance_fte,
            "replaces": previous_ids,
        },
        note=f"Standar kebutuhan pendamping berlaku: {name} ({source})",
    )
    return standard


def staffing_standards_load(*, actor: User, items: list[dict[str, Any]]) -> int:
    """Load standards from a list of dicts (the JSON format of distribution/data/)."""
    programmes = {p.slug: p for p in Programme.objects.all()}
    count = 0
    with transaction.atomic():
        for item in items:
            item = dict(item)
            slug = item.pop("programme")
            if slug not in programmes:
                raise ValidationError(
                    gettext("Klaster/program '%(slug)s' tidak dikenal.") % {"slug": slug}
                )
            if item.get("valid_from"):
                item["valid_from"] = dt.date.fromisoformat(item["valid_from"])
            staffing_standard_create(actor=actor, programme=programmes[slug], **item)
            count += 1
    return count
