"""Writes for incentives: indexes, area lists, scales, allowances, scenarios, adoptions.

Every write checks ``incentives.access``, runs in a transaction and is audited. A scale or index
changes only while it is a draft; after that it moves forward through its states (agreed → in
force → superseded) and the history stays.
"""

import datetime as dt
import json
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import access as accounts_access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from incentives import access
from incentives.facts import FactsProvider
from incentives.models import (
    LEVELS,
    Adoption,
    Allowance,
    AllowanceKind,
    AreaCategory,
    AreaDesignation,
    AreaList,
    Purpose,
    RegionalIndex,
    RegionalIndexValue,
    Scale,
    ScaleAmount,
    Scenario,
    State,
)
from incentives.tables import normalise_code, parse_decimal
from regions.models import District, Province, Regency
from registry.models import Programme

DATA_DIR = Path(__file__).resolve().parent / "data"
ALLOWANCE_FIELDS = [
    "kind",
    "name",
    "amount",
    "percent",
    "threshold",
    "per_unit",
    "max_units",
    "area_category",
    "programme_id",
    "min_level",
    "max_level",
    "effective_from",
    "effective_to",
    "legal_basis",
]


def _require_standard(actor: User) -> None:
    accounts_access.require(
        access.can_manage_standard(actor), "Hanya administrator nasional yang menetapkan standar."
    )


def _require_scenarios(actor: User) -> None:
    accounts_access.require(
        access.can_manage_scenarios(actor), "Peran Anda tidak boleh menyusun skenario."
    )


def _audit(actor: User, action: str, obj, changes: dict | None = None, note: str = "") -> None:
    audit_record(actor=actor, action=action, obj=obj, changes=changes or {}, note=note)


# --- Regional index ----------------------------------------------------------------------------


def _index_values_clean(rows: Iterable[dict[str, str]]) -> list[RegionalIndexValue]:
    """Validate table rows; every error names its row so that the office can fix the file."""
    provinces = set(Province.objects.values_list("code", flat=True))
    regencies = dict(Regency.objects.values_list("code", "province_id"))
    errors, values, seen = [], [], set()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        province = normalise_code(row.get("province", ""), 1)
        regency = normalise_code(row.get("regency", ""), 2)
        value = parse_decimal(row.get("value", ""))
        if regency and not province:
            province = regencies.get(regency, "")
        if province not in provinces:
            errors.append(f"Baris {number}: kode provinsi '{province}' tidak dikenal.")
            continue
        if regency and regencies.get(regency) != province:
            errors.append(f"Baris {number}: kabupaten/kota '{regency}' bukan bagian provinsi.")
            continue
        if value is None or value <= 0 or value >= 100:
            errors.append(f"Baris {number}: indeks harus angka positif, mis. 1,0556.")
            continue
        if value.as_tuple().exponent < -4:
            errors.append(f"Baris {number}: indeks paling banyak 4 angka di belakang koma.")
            continue
        key = regency or province
        if key in seen:
            errors.append(f"Baris {number}: wilayah {key} tercantum dua kali.")
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
        raise ValidationError([f"Indeks provinsi belum ada untuk: {', '.join(sorted(missing))}."])
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
        _require_standard(actor)
    else:
        _require_scenarios(actor)
    if not source.strip():
        raise ValidationError({"source": "Sebutkan sumber indeks (regulasi/data dan tahunnya)."})
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
    _audit(actor, AuditEntry.Action.CREATE, index, {"values": len(values), "year": year})
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
        _require_standard(actor)
    else:
        _require_scenarios(actor)
    if not index.is_editable:
        raise ValidationError("Indeks yang sudah disepakati tidak dapat diubah; buat salinan.")
    regencies = dict(Regency.objects.values_list("code", "province_id"))
    changes: dict[str, list[str]] = {}
    for code, value in values.items():
        value = Decimal(value)
        if value <= 0 or value.as_tuple().exponent < -4:
            raise ValidationError({code: "Indeks harus positif dengan paling banyak 4 desimal."})
        if "." in code:
            if code not in regencies:
                raise ValidationError({code: "Kabupaten/kota tidak dikenal."})
            current = index.values.filter(regency_id=code).first()
            if current is None:
                current = RegionalIndexValue(
                    index=index, province_id=regencies[code], regency_id=code, value=value
                )
        else:
            current = index.values.filter(province_id=code, regency__isnull=True).first()
            if current is None:
                raise ValidationError({code: "Provinsi tidak ada pada indeks ini."})
        if current.pk and current.value == value:
            continue
        changes[code] = [str(current.value) if current.pk else "", str(value)]
        current.value = value
        current.save()
    if changes:
        _audit(actor, AuditEntry.Action.UPDATE, index, {"values": changes})
    return len(changes)


def _agree(actor: User, obj, decision_ref: str) -> None:
    if obj.state != State.DRAFT:
        raise ValidationError("Hanya draf yang dapat disepakati.")
    if obj.purpose != Purpose.STANDARD:
        raise ValidationError("Skenario tidak dapat ditetapkan; salin menjadi skala standar.")
    if not decision_ref.strip():
        raise ValidationError({"decision_ref": "Sebutkan nomor keputusan atau berita acara."})
    obj.state, obj.agreed_by, obj.agreed_at = State.AGREED, actor, timezone.now()
    obj.decision_ref = decision_ref.strip()
    obj.save(update_fields=["state", "agreed_by", "agreed_at", "decision_ref"])
    _audit(
        actor, AuditEntry.Action.UPDATE, obj, {"state": [State.DRAFT, State.AGREED]}, decision_ref
    )


@transaction.atomic
def regional_index_agree(*, actor: User, index: RegionalIndex, decision_ref: str) -> RegionalIndex:
    _require_standard(actor)
    _agree(actor, index, decision_ref)
    return index


@transaction.atomic
def regional_index_enact(*, actor: User, index: RegionalIndex) -> RegionalIndex:
    """Put an agreed index in force for its year; the one in force for that year is superseded."""
    _require_standard(actor)
    index = RegionalIndex.objects.select_for_update().get(pk=index.pk)
    if index.state != State.AGREED:
        raise ValidationError("Hanya indeks yang sudah disepakati yang dapat diberlakukan.")
    now = timezone.now()
    for old in RegionalIndex.objects.select_for_update().filter(
        purpose=Purpose.STANDARD, state=State.IN_FORCE, year=index.year
    ):
        old.state, old.superseded_at = State.SUPERSEDED, now
        old.save(update_fields=["state", "superseded_at"])
        _audit(actor, AuditEntry.Action.UPDATE, old, {"state": [State.IN_FORCE, State.SUPERSEDED]})
    index.state, index.enacted_by, index.enacted_at = State.IN_FORCE, actor, now
    index.save(update_fields=["state", "enacted_by", "enacted_at"])
    _audit(actor, AuditEntry.Action.UPDATE, index, {"state": [State.AGREED, State.IN_FORCE]})
    return index


# --- Special areas -----------------------------------------------------------------------------


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
    _require_standard(actor)
    regencies = set(Regency.objects.values_list("code", flat=True))
    districts = set(District.objects.values_list("code", flat=True))
    categories = set(AreaCategory.values)
    errors, items, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        category = (row.get("category") or "").strip().lower()
        regency = normalise_code(row.get("regency", ""), 2)
        district = row.get("district", "").strip()
        if category not in categories:
            errors.append(f"Baris {number}: kategori harus {', '.join(sorted(categories))}.")
            continue
        if district:
            if district not in districts:
                errors.append(f"Baris {number}: kecamatan '{district}' tidak dikenal.")
                continue
            regency = ""
        elif regency not in regencies:
            errors.append(f"Baris {number}: kabupaten/kota '{regency}' tidak dikenal.")
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
    _audit(actor, AuditEntry.Action.CREATE, area_list, {"areas": len(items), "year": year})
    return area_list


# --- Scales and allowances ---------------------------------------------------------------------


def _amounts_clean(amounts: dict[Any, Any]) -> dict[int, int]:
    clean: dict[int, int] = {}
    for level, amount in amounts.items():
        level = int(level)
        if level not in LEVELS:
            raise ValidationError({"amounts": f"Jenjang {level} di luar III–IX."})
        if amount in (None, ""):
            continue
        amount = int(amount)
        if amount <= 0:
            raise ValidationError({"amounts": "Jumlah dasar harus bilangan Rupiah positif."})
        clean[level] = amount
    return clean


@transaction.atomic
def scale_create(
    *,
    actor: User,
    name: str,
    effective_from: dt.date,
    amounts: dict[Any, Any],
    effective_to: dt.date | None = None,
    programme: Programme | None = None,
    regional_index: RegionalIndex | None = None,
    area_list: AreaList | None = None,
    legal_basis: str = "",
    covers_asn: bool = False,
    notes: str = "",
    is_example: bool = False,
    purpose: str = Purpose.STANDARD,
    based_on: Scale | None = None,
) -> Scale:
    if purpose == Purpose.STANDARD:
        _require_standard(actor)
    else:
        _require_scenarios(actor)
    scale = Scale(
        name=name,
        effective_from=effective_from,
        effective_to=effective_to,
        programme=programme,
        regional_index=regional_index,
        area_list=area_list,
        legal_basis=legal_basis,
        covers_asn=covers_asn,
        notes=notes,
        is_example=is_example,
        purpose=purpose,
        based_on=based_on,
        created_by=actor if actor.pk else None,
    )
    scale.full_clean()
    scale.save()
    clean = _amounts_clean(amounts)
    ScaleAmount.objects.bulk_create(
        [ScaleAmount(scale=scale, level=lv, base_amount=amt) for lv, amt in clean.items()]
    )
    _audit(
        actor, AuditEntry.Action.CREATE, scale, {"amounts": {str(k): v for k, v in clean.items()}}
    )
    return scale


def _require_editable(actor: User, scale: Scale) -> None:
    if scale.purpose == Purpose.STANDARD:
        _require_standard(actor)
    else:
        _require_scenarios(actor)
    if not scale.is_editable:
        raise ValidationError("Skala yang sudah disepakati tidak dapat diubah; buat salinan.")


@transaction.atomic
def scale_update(*, actor: User, scale: Scale, data: dict[str, Any]) -> Scale:
    """Change a draft scale's fields and, with ``amounts``, its base amounts per level."""
    _require_editable(actor, scale)
    fields = [
        "name",
        "effective_from",
        "effective_to",
        "regional_index",
        "area_list",
        "legal_basis",
        "covers_asn",
        "notes",
        "programme",
    ]
    changes: dict[str, Any] = {}
    for name in fields:
        if name in data and getattr(scale, name) != data[name]:
            changes[name] = [str(getattr(scale, name) or ""), str(data[name] or "")]
            setattr(scale, name, data[name])
    scale.full_clean()
    scale.save()
    if "amounts" in data:
        clean = _amounts_clean(data["amounts"])
        before = dict(scale.amounts.values_list("level", "base_amount"))
        if before != clean:
            changes["amounts"] = [
                {str(k): v for k, v in before.items()},
                {str(k): v for k, v in clean.items()},
            ]
            scale.amounts.all().delete()
            ScaleAmount.objects.bulk_create(
                [ScaleAmount(scale=scale, level=lv, base_amount=amt) for lv, amt in clean.items()]
            )
    if changes:
        _audit(actor, AuditEntry.Action.UPDATE, scale, changes)
    return scale


def _allowance_apply(allowance: Allowance, data: dict[str, Any]) -> None:
    for name in ALLOWANCE_FIELDS:
        if name in data:
            setattr(allowance, name, data[name])
    if allowance.kind == AllowanceKind.CASELOAD and allowance.threshold is None:
        raise ValidationError({"threshold": "Tunjangan beban kasus memerlukan standar beban."})
    allowance.full_clean()


@transaction.atomic
def allowance_create(*, actor: User, scale: Scale, data: dict[str, Any]) -> Allowance:
    _require_editable(actor, scale)
    allowance = Allowance(scale=scale)
    _allowance_apply(allowance, data)
    allowance.save()
    _audit(actor, AuditEntry.Action.CREATE, allowance, {"scale": str(scale.uid)})
    return allowance


@transaction.atomic
def allowance_update(*, actor: User, allowance: Allowance, data: dict[str, Any]) -> Allowance:
    _require_editable(actor, allowance.scale)
    before = {n: str(getattr(allowance, n)) for n in ALLOWANCE_FIELDS}
    _allowance_apply(allowance, data)
    allowance.save()
    after = {n: str(getattr(allowance, n)) for n in ALLOWANCE_FIELDS}
    changes = {k: [before[k], after[k]] for k in ALLOWANCE_FIELDS if before[k] != after[k]}
    if changes:
        _audit(actor, AuditEntry.Action.UPDATE, allowance, changes)
    return allowance


@transaction.atomic
def allowance_delete(*, actor: User, allowance: Allowance) -> None:
    _require_editable(actor, allowance.scale)
    _audit(actor, AuditEntry.Action.DELETE, allowance, {"scale": str(allowance.scale.uid)})
    allowance.delete()


@transaction.atomic
def scale_copy(
    *,
    actor: User,
    scale: Scale,
    name: str,
    purpose: str = Purpose.STANDARD,
    effective_from: dt.date | None = None,
) -> Scale:
    """A draft copy of a scale with its amounts and allowances, to change and then agree."""
    copy = scale_create(
        actor=actor,
        name=name,
        effective_from=effective_from or scale.effective_from,
        amounts=dict(scale.amounts.values_list("level", "base_amount")),
        programme=scale.programme,
        regional_index=scale.regional_index,
        area_list=scale.area_list,
        legal_basis=scale.legal_basis,
        covers_asn=scale.covers_asn,
        notes=scale.notes,
        is_example=scale.is_example,
        purpose=purpose,
        based_on=scale,
    )
    Allowance.objects.bulk_create(
        [
            Allowance(scale=copy, **{n: getattr(a, n) for n in ALLOWANCE_FIELDS})
            for a in scale.allowances.all()
        ]
    )
    return copy


@transaction.atomic
def scale_agree(*, actor: User, scale: Scale, decision_ref: str) -> Scale:
    _require_standard(actor)
    if not scale.amounts.exists():
        raise ValidationError("Skala belum memuat jumlah dasar.")
    _agree(actor, scale, decision_ref)
    return scale


@transaction.atomic
def scale_enact(*, actor: User, scale: Scale) -> Scale:
    """Put an agreed scale in force for its scope; the previous one closes the day before.

    The previous scale of the same scope (general, or the same programme) becomes superseded and
    its ``effective_to`` is set to the day before the new scale starts, so past months are still
    priced under the scale that applied to them.
    """
    _require_standard(actor)
    scale = Scale.objects.select_for_update().get(pk=scale.pk)
    if scale.state != State.AGREED:
        raise ValidationError("Hanya skala yang sudah disepakati yang dapat diberlakukan.")
    now = timezone.now()
    for old in Scale.objects.select_for_update().filter(
        purpose=Purpose.STANDARD, state=State.IN_FORCE, programme=scale.programme
    ):
        if old.effective_from >= scale.effective_from:
            raise ValidationError(
                {
                    "effective_from": "Skala baru harus mulai sesudah "
                    f"{old.effective_from:%d-%m-%Y} (mulai berlakunya '{old.name}')."
                }
            )
        day_before = scale.effective_from - dt.timedelta(days=1)
        if old.effective_to is None or old.effective_to > day_before:
            old.effective_to = day_before
        old.state, old.superseded_at = State.SUPERSEDED, now
        old.save(update_fields=["state", "superseded_at", "effective_to"])
        _audit(
            actor,
            AuditEntry.Action.UPDATE,
            old,
            {"state": [State.IN_FORCE, State.SUPERSEDED], "effective_to": str(old.effective_to)},
        )
    scale.state, scale.enacted_by, scale.enacted_at = State.IN_FORCE, actor, now
    scale.save(update_fields=["state", "enacted_by", "enacted_at"])
    _audit(actor, AuditEntry.Action.UPDATE, scale, {"state": [State.AGREED, State.IN_FORCE]})
    return scale


# --- Scenarios ---------------------------------------------------------------------------------


def scale_in_force(*, programme: Programme | None = None) -> Scale | None:
    return Scale.objects.filter(
        purpose=Purpose.STANDARD, state=State.IN_FORCE, programme=programme
    ).first()


@transaction.atomic
def scenario_create(
    *,
    actor: User,
    name: str,
    source: Scale | None = None,
    description: str = "",
    transition_cap_percent: Decimal | None = None,
    start_year: int | None = None,
) -> Scenario:
    """Copy a scale (default: the general scale in force) and its index into a new scenario.

    The index is copied too, so that changing a scenario's index never touches the table in
    force or another scenario.
    """
    _require_scenarios(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Beri nama skenario."})
    if Scenario.objects.filter(name=name).exists():
        raise ValidationError({"name": "Nama skenario sudah dipakai."})
    source = source or scale_in_force()
    if source is None:
        raise ValidationError("Belum ada skala yang berlaku untuk disalin.")
    start_year = start_year or timezone.localdate().year
    from incentives.selectors import index_in_force

    index = source.regional_index or index_in_force(on=dt.date(start_year, 1, 1))
    if index is None:
        raise ValidationError("Belum ada indeks wilayah yang berlaku untuk disalin.")
    index_copy = regional_index_copy(
        actor=actor, index=index, name=f"{name} — indeks", purpose=Purpose.SCENARIO
    )
    scale = scale_copy(actor=actor, scale=source, name=name, purpose=Purpose.SCENARIO)
    scale.regional_index = index_copy
    scale.save(update_fields=["regional_index"])
    scenario = Scenario(
        name=name,
        description=description,
        scale=scale,
        transition_cap_percent=transition_cap_percent,
        start_year=start_year,
        created_by=actor if actor.pk else None,
    )
    scenario.full_clean()
    scenario.save()
    _audit(actor, AuditEntry.Action.CREATE, scenario, {"source": str(source.uid)})
    return scenario


@transaction.atomic
def scenario_update(
    *,
    actor: User,
    scenario: Scenario,
    amounts: dict[Any, Any] | None = None,
    index_values: dict[str, Decimal] | None = None,
    transition_cap_percent: Decimal | None | str = "",
    description: str | None = None,
    start_year: int | None = None,
) -> Scenario:
    """Change a scenario's amounts, index values, transition cap (None clears it) or text."""
    _require_scenarios(actor)
    if amounts is not None:
        scale_update(actor=actor, scale=scenario.scale, data={"amounts": amounts})
    if index_values:
        regional_index_values_update(
            actor=actor, index=scenario.scale.regional_index, values=index_values
        )
    fields = []
    if transition_cap_percent != "":
        scenario.transition_cap_percent = transition_cap_percent
        fields.append("transition_cap_percent")
    if description is not None:
        scenario.description = description
        fields.append("description")
    if start_year is not None:
        scenario.start_year = start_year
        fields.append("start_year")
    if fields:
        scenario.full_clean()
        scenario.save(update_fields=fields)
        _audit(
            actor,
            AuditEntry.Action.UPDATE,
            scenario,
            {f: str(getattr(scenario, f)) for f in fields},
        )
    return scenario


@transaction.atomic
def scenario_delete(*, actor: User, scenario: Scenario) -> None:
    _require_scenarios(actor)
    scale, index = scenario.scale, scenario.scale.regional_index
    _audit(actor, AuditEntry.Action.DELETE, scenario)
    scenario.delete()
    scale.delete()
    if index is not None and index.purpose == Purpose.SCENARIO and not index.scales.exists():
        index.delete()


# --- Adoption and the stored standard incentive ------------------------------------------------


@transaction.atomic
def adoption_record(
    *,
    actor: User,
    programme: Programme,
    effective_month: dt.date,
    decision_ref: str,
    note: str = "",
) -> Adoption:
    """Record that a programme pays the standard from a month on (one record per programme)."""
    _require_standard(actor)
    if not decision_ref.strip():
        raise ValidationError({"decision_ref": "Sebutkan nomor keputusan penerapan."})
    adoption, created = Adoption.objects.update_or_create(
        programme=programme,
        defaults={
            "effective_month": effective_month.replace(day=1),
            "decision_ref": decision_ref.strip(),
            "note": note,
            "decided_by": actor if actor.pk else None,
        },
    )
    _audit(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        adoption,
        {"programme": programme.slug, "effective_month": adoption.effective_month.isoformat()},
    )
    return adoption


def standard_incentives_recompute(
    *,
    actor: User,
    on: dt.date | None = None,
    facts_provider: FactsProvider | None = None,
    progress=None,
) -> dict[str, Any]:
    """Refresh ``Engagement.standard_incentive`` for every engagement under the standard on ``on``.

    1. Read every engagement as plain tuples (one query, no model instances).
    2. Price them with the engine under the scale(s) that apply on ``on``.
    3. Hand (id, amount) pairs to ``registry.payments``, which writes them set-based.
    Unpriceable engagements get NULL (the export then shows no standard), never a guess.
    """
    from incentives import selectors
    from registry.payments import engagement_standard_incentives_set

    _require_standard(actor)
    on = on or timezone.localdate()
    clock = time.perf_counter
    started = clock()
    rows = list(selectors.all_engagement_facts())
    read = clock()
    if progress:
        progress(0, len(rows), "Menghitung insentif standar…")
    results = selectors.calculator(on=on, facts_provider=facts_provider).amounts(rows)
    computed = clock()
    not_computable: dict[str, int] = {}
    for standard, reason in results:
        if standard is None:
            not_computable[reason] = not_computable.get(reason, 0) + 1
    if progress:
        progress(len(rows) // 2, len(rows), "Menulis hasil…")
    changed = engagement_standard_incentives_set(
        amounts=((row[0], standard) for row, (standard, _) in zip(rows, results, strict=True))
    )
    written = clock()
    summary = {
        "on": on.isoformat(),
        "engagements": len(rows),
        "changed": changed,
        "not_computable": not_computable,
        "seconds": round(written - started, 2),
        "phases": {
            "read": round(read - started, 2),
            "compute": round(computed - read, 2),
            "write": round(written - computed, 2),
        },
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="incentives.recompute",
        object_repr=f"Hitung ulang insentif standar ({len(rows)} penugasan, {changed} berubah)",
        changes=summary,
    )
    if progress:
        progress(len(rows), len(rows), "Selesai.")
    return summary


def standard_incentives_recompute_job(job, progress) -> dict:
    """Background handler (job kind ``incentives_recompute``), acting as the job's owner."""
    on = job.params.get("on")
    return standard_incentives_recompute(
        actor=job.owner,
        on=dt.date.fromisoformat(on) if on else None,
        progress=progress,
    )


# --- The shipped example -----------------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    from incentives.tables import read_table

    with open(path, "rb") as handle:
        return read_table(handle, path.name)


@transaction.atomic
def incentive_example_load(*, actor: User, if_empty: bool = False) -> dict[str, Any]:
    """Load the clearly labelled EXAMPLE index, area list and scale, and put them in force.

    The index is derived from PMK 32/2025 (SBM 2026) daily rates; the amounts are illustrative.
    Everything is marked ``is_example``. With ``if_empty`` nothing happens when a standard scale
    already exists (so ``make run`` can call it every time).
    """
    _require_standard(actor)
    if if_empty and Scale.objects.filter(purpose=Purpose.STANDARD).exists():
        return {"loaded": False}
    index = regional_index_load(
        actor=actor,
        name="CONTOH Indeks wilayah turunan SBM 2026",
        year=2026,
        source="Diturunkan dari PMK 32/2025 tentang Standar Biaya Masukan TA 2026, uang harian "
        "perjalanan dinas dalam negeri (luar kota) per provinsi",
        method="Indeks = uang harian provinsi ÷ Rp360.000 (tarif terendah: Aceh, Kalimantan "
        "Tengah), dibulatkan setengah ke atas pada 4 desimal. CONTOH, bukan ketetapan.",
        rows=_read_csv(DATA_DIR / "contoh_indeks_wilayah_2026.csv"),
        is_example=True,
    )
    regional_index_agree(actor=actor, index=index, decision_ref="CONTOH (data peragaan)")
    regional_index_enact(actor=actor, index=index)
    areas = area_list_load(
        actor=actor,
        name="CONTOH Daftar wilayah khusus 2026",
        year=2026,
        source="CONTOH ilustrasi; bukan daftar resmi (Perpres 63/2020, BNPP)",
        rows=_read_csv(DATA_DIR / "contoh_wilayah_khusus_2026.csv"),
        is_example=True,
    )
    spec = json.loads((DATA_DIR / "contoh_skala_2026.json").read_text(encoding="utf-8"))
    scale = scale_create(
        actor=actor,
        name=spec["name"],
        effective_from=dt.date.fromisoformat(spec["effective_from"]),
        amounts=spec["amounts"],
        area_list=areas,
        legal_basis=spec["legal_basis"],
        covers_asn=spec["covers_asn"],
        notes=spec["notes"],
        is_example=True,
    )
    programmes = dict(Programme.objects.values_list("slug", "pk"))
    for item in spec["allowances"]:
        data = {k: v for k, v in item.items() if k != "programme"}
        if "percent" in data:
            data["percent"] = Decimal(data["percent"])
        if item.get("programme"):
            if item["programme"] not in programmes:
                continue  # the programme list was not loaded; skip its rule rather than fail
            data["programme_id"] = programmes[item["programme"]]
        allowance_create(actor=actor, scale=scale, data=data)
    scale_agree(actor=actor, scale=scale, decision_ref="CONTOH (data peragaan)")
    scale_enact(actor=actor, scale=scale)
    return {
        "loaded": True,
        "index": str(index.uid),
        "scale": str(scale.uid),
        "areas": areas.areas.count(),
    }
