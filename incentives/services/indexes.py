"""Regional index versions: loaded from a table, copied, changed while a draft, agreed, enacted."""

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import AuditEntry, User
from incentives.models import Purpose, RegionalIndex, RegionalIndexValue, State
from incentives.services.common import agree, audit, require_scenarios, require_standard
from incentives.tables import parse_decimal, region_code
from regions.models import Province, Regency


def _index_values_clean(rows: Iterable[dict[str, str]]) -> list[RegionalIndexValue]:
    """Validate table rows; every error names its row so that the office can fix the file."""
    provinces = set(Province.objects.values_list("code", flat=True))
    regencies = dict(Regency.objects.values_list("code", "province_id"))
    errors, values, seen = [], [], set()
    for position, row in enumerate(rows, start=2):  # row 1 is the header
        number = getattr(row, "row", position)  # as the spreadsheet shows it
        province = region_code(row.get("province", ""), "province")
        regency = region_code(row.get("regency", ""), "regency")
        value = parse_decimal(row.get("value", ""))
        if regency and not province:
            province = regencies.get(regency, "")
        if province not in provinces:
            errors.append(
                gettext("Baris %(row)s: kode provinsi '%(code)s' tidak dikenal.")
                % {"row": number, "code": province}
            )
            continue
        if regency and regencies.get(regency) != province:
            errors.append(
                gettext("Baris %(row)s: kabupaten/kota '%(code)s' bukan bagian provinsi.")
                % {"row": number, "code": regency}
            )
            continue
        if value is None or value <= 0 or value >= 100:
            errors.append(
                gettext("Baris %(row)s: indeks harus angka positif, mis. 1,0556.") % {"row": number}
            )
            continue
        if value.as_tuple().exponent < -4:
            errors.append(
                gettext("Baris %(row)s: indeks paling banyak 4 angka di belakang koma.")
                % {"row": number}
            )
            continue
        key = regency or province
        if key in seen:
            errors.append(
                gettext("Baris %(row)s: wilayah %(code)s tercantum dua kali.")
                % {"row": number, "code": key}
            )
            continue
        seen.add(key)
        values.append(
            RegionalIndexValue(
                province_id=province,
                regency_id=regency or None,
                value=value,
                basis=row.get("basis", "")[:200],
            )
        )
    if errors:
        raise ValidationError(errors[:50])
    missing = provinces - {v.province_id for v in values if v.regency_id is None}
    if missing:
        # A province without a value leaves its facilitators unpriced; say so, do not guess 1.0.
        raise ValidationError(
            [
                gettext("Indeks provinsi belum ada untuk: %(codes)s.")
                % {"codes": ", ".join(sorted(missing))}
            ]
        )
    return values


@transaction.atomic
def regional_index_load(
    *,
    actor: User,
    name: str,
    year: int,
    source: str,
    rows: Iterable[dict[str, str]],
    method: str = "",
    is_example: bool = False,
    purpose: str = Purpose.STANDARD,
) -> RegionalIndex:
    """A new draft index version from table rows (province, regency, value, basis)."""
    if purpose == Purpose.STANDARD:
        require_standard(actor)
    else:
        require_scenarios(actor)
    if not source.strip():
        raise ValidationError(
            {"source": gettext("Sebutkan sumber indeks (regulasi/data dan tahunnya).")}
        )
    values = _index_values_clean(rows)
    index = RegionalIndex(
        name=name,
        year=year,
        source=source,
        method=method,
        is_example=is_example,
        purpose=purpose,
        created_by=actor if actor.pk else None,
    )
    index.full_clean()
    index.save()
    for value in values:
        value.index = index
    RegionalIndexValue.objects.bulk_create(values)
    audit(actor, AuditEntry.Action.CREATE, index, {"values": len(values), "year": year})
    return index


@transaction.atomic
def regional_index_copy(
    *, actor: User, index: RegionalIndex, name: str, purpose: str = Purpose.STANDARD
) -> RegionalIndex:
    """A draft copy to change (next year's table, or a scenario's own index)."""
    rows = [
        {
            "province": v.province_id,
            "regency": v.regency_id or "",
            "value": str(v.value),
            "basis": v.basis,
        }
        for v in index.values.all()
    ]
    copy = regional_index_load(
        actor=actor,
        name=name,
        year=index.year,
        source=index.source,
        rows=rows,
        method=index.method,
        is_example=index.is_example,
        purpose=purpose,
    )
    copy.based_on = index
    copy.save(update_fields=["based_on"])
    return copy


@transaction.atomic
def regional_index_values_update(
    *, actor: User, index: RegionalIndex, values: dict[str, Decimal]
) -> int:
    """Change values of a draft index: {province or regency code: value}. Returns changes."""
    if index.purpose == Purpose.STANDARD:
        require_standard(actor)
    else:
        require_scenarios(actor)
    if not index.is_editable:
        raise ValidationError(
            gettext("Indeks yang sudah disepakati tidak dapat diubah; buat salinan.")
        )
    regencies = dict(Regency.objects.values_list("code", "province_id"))
    changes: dict[str, list[str]] = {}
    for code, value in values.items():
        value = Decimal(value)
        if value <= 0 or value.as_tuple().exponent < -4:
            raise ValidationError(
                {code: gettext("Indeks harus positif dengan paling banyak 4 desimal.")}
            )
        if "." in code:
            if code not in regencies:
                raise ValidationError({code: gettext("Kabupaten/kota tidak dikenal.")})
            current = index.values.filter(regency_id=code).first()
            if current is None:
                current = RegionalIndexValue(
                    index=index, province_id=regencies[code], regency_id=code, value=value
                )
        else:
            current = index.values.filter(province_id=code, regency__isnull=True).first()
            if current is None:
                raise ValidationError({code: gettext("Provinsi tidak ada pada indeks ini.")})
        if current.pk and current.value == value:
            continue
        changes[code] = [str(current.value) if current.pk else "", str(value)]
        current.value = value
        current.save()
    if changes:
        audit(actor, AuditEntry.Action.UPDATE, index, {"values": changes})
    return len(changes)


@transaction.atomic
def regional_index_agree(*, actor: User, index: RegionalIndex, decision_ref: str) -> RegionalIndex:
    require_standard(actor)
    agree(actor, index, decision_ref)
    return index


@transaction.atomic
def regional_index_enact(*, actor: User, index: RegionalIndex) -> RegionalIndex:
    """Put an agreed index in force for its year; the one in force for that year is superseded."""
    require_standard(actor)
    index = RegionalIndex.objects.select_for_update().get(pk=index.pk)
    if index.state != State.AGREED:
        raise ValidationError(
            gettext("Hanya indeks yang sudah disepakati yang dapat diberlakukan.")
        )
    now = timezone.now()
    for old in RegionalIndex.objects.select_for_update().filter(
        purpose=Purpose.STANDARD, state=State.IN_FORCE, year=index.year
    ):
        old.state, old.superseded_at = State.SUPERSEDED, now
        old.save(update_fields=["state", "superseded_at"])
        audit(actor, AuditEntry.Action.UPDATE, old, {"state": [State.IN_FORCE, State.SUPERSEDED]})
    index.state, index.enacted_by, index.enacted_at = State.IN_FORCE, actor, now
    index.save(update_fields=["state", "enacted_by", "enacted_at"])
    audit(actor, AuditEntry.Action.UPDATE, index, {"state": [State.AGREED, State.IN_FORCE]})
    return index
