"""Yearly lists of special (remote, border, underdeveloped) areas, loaded from a table."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import AuditEntry, User
from incentives.models import AreaCategory, AreaDesignation, AreaList
from incentives.services.common import audit, require_standard
from incentives.tables import region_code
from regions.models import District, Regency


@transaction.atomic
def area_list_load(
    *,
    actor: User,
    name: str,
    year: int,
    source: str,
    rows: Iterable[dict[str, str]],
    is_example: bool = False,
) -> AreaList:
    """A yearly list of remote/border/underdeveloped regencies or districts from table rows."""
    require_standard(actor)
    regencies = set(Regency.objects.values_list("code", flat=True))
    districts = set(District.objects.values_list("code", flat=True))
    categories = set(AreaCategory.values)
    errors, items, seen = [], [], set()
    for position, row in enumerate(rows, start=2):
        number = getattr(row, "row", position)  # as the spreadsheet shows it
        category = (row.get("category") or "").strip().lower()
        regency = region_code(row.get("regency", ""), "regency")
        district = region_code(row.get("district", ""), "district")
        if category not in categories:
            errors.append(
                gettext("Baris %(row)s: kategori harus %(allowed)s.")
                % {"row": number, "allowed": ", ".join(sorted(categories))}
            )
            continue
        if district:
            if district not in districts:
                errors.append(
                    gettext("Baris %(row)s: kecamatan '%(code)s' tidak dikenal.")
                    % {"row": number, "code": district}
                )
                continue
            regency = ""
        elif regency not in regencies:
            errors.append(
                gettext("Baris %(row)s: kabupaten/kota '%(code)s' tidak dikenal.")
                % {"row": number, "code": regency}
            )
            continue
        key = (category, regency, district)
        if key in seen:
            continue
        seen.add(key)
        items.append(
            AreaDesignation(
                category=category,
                regency_id=regency or None,
                district_id=district or None,
                basis=(row.get("basis") or "")[:200],
            )
        )
    if errors:
        raise ValidationError(errors[:50])
    area_list = AreaList(
        name=name,
        year=year,
        source=source,
        is_example=is_example,
        created_by=actor if actor.pk else None,
    )
    area_list.full_clean()
    area_list.save()
    for item in items:
        item.area_list = area_list
    AreaDesignation.objects.bulk_create(items)
    audit(actor, AuditEntry.Action.CREATE, area_list, {"areas": len(items), "year": year})
    return area_list
