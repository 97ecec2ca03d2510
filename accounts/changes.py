"""Audit changes as sentences a district operator reads: field labels, names, Indonesian numbers
and dates, "old → new" (issue 13: "Sentences, not dumps").

An entry's ``changes`` is stored as written by the services: a field's ``[before, after]`` for an
update, plain values for the rest (counts, a period, a format). The stored form stays as it is
(the audit is evidence); only its display is translated here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.formats import number_format

from accounts.models import AuditEntry, User

# Labels for the keys services write that are not model fields.
KEY_LABELS = {
    "region": "Wilayah",
    "regency": "Kabupaten/kota",
    "province": "Provinsi",
    "district": "Kecamatan",
    "village": "Desa/kelurahan",
    "regency_id": "Kabupaten/kota",
    "province_id": "Provinsi",
    "district_id": "Kecamatan",
    "village_id": "Desa/kelurahan",
    "address_regency_id": "Kabupaten/kota alamat",
    "month": "Bulan",
    "period": "Periode",
    "on": "Per tanggal",
    "format": "Format",
    "rows": "Baris",
    "held_out": "Ditahan",
    "total": "Jumlah",
    "amount": "Besaran",
    "payment_details_masked": "Rekening dan NPWP disamarkan",
    "nik_masked": "NIK disamarkan",
    "state": "Status",
    "status": "Status",
    "scale": "Skala",
    "engagements": "Penugasan",
    "changed": "Berubah",
    "not_computable": "Tidak dapat dihitung",
    "seconds": "Lama proses (detik)",
    "action": "Langkah",
    "people": "Orang",
    "created": "Dibuat",
    "updated": "Diperbarui",
    "skipped": "Dilewati",
    "rejected": "Ditolak",
    "accepted": "Diterima",
    "file": "Berkas",
    "filters": "Saringan",
    "count": "Jumlah",
    "reason": "Alasan",
    "merged_nik": "NIK yang digabungkan",
    "kept_nik": "NIK yang dipertahankan",
    "level": "Jenjang",
    "version": "Versi",
    "kind": "Jenis",
    "programme": "Klaster/program",
    "asn": "ASN",
    "flags": "Tanda",
    "as_of": "Per tanggal",
    "combinations": "Kombinasi fakta",
    "written": "Penugasan ditulis",
    "level_changes": "Berubah jenjang",
    "transitions": "Perpindahan jenjang",
    "title_changes": "Berubah nomenklatur",
    "unmatched": "Belum cocok",
    "reviews_raised": "Kasus tinjauan baru",
    "reviews_updated": "Kasus tinjauan diperbarui",
    "audited_changes": "Perubahan diaudit",
}
# What an entry is about, where it is not a model (a file, a run, a page of the API).
OBJECT_LABELS = {
    "api.people": "Daftar orang (API)",
    "competency.credential": "Kredensial digital",
    "competency.demo": "Data demo kompetensi",
    "distribution.demo": "Data demo sebaran",
    "distribution.export": "Unduhan sebaran",
    "framework.harmonisation": "Harmonisasi jenjang",
    "incentives.recompute": "Hitung ulang insentif standar",
    "incentives.roster": "Daftar nominatif",
    "incentives.scenario_export": "Unduhan skenario insentif",
    "registry.demo": "Data demo registri",
    "registry.export": "Unduhan registri",
}
# Technical detail kept in the record but not shown to people.
HIDDEN_KEYS = {"phases"}
LEVEL_KEYS = {"level", "harmonised_level", "position_level", "target_level", "before", "after"}
ROMAN = {3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX"}
MONEY_KEYS = {"total", "amount", "monthly_incentive", "standard_incentive", "current"}
REGION_KEYS = {
    "region",
    "regency",
    "province",
    "district",
    "village",
    "regency_id",
    "province_id",
    "district_id",
    "village_id",
    "address_regency_id",
}
REGION_CODE = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_MONTH = re.compile(r"^\d{4}-\d{2}-01$")
EMPTY = "—"


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type) if "." in object_type else None
    except (LookupError, ValueError):
        return None


def _field(model: type[models.Model] | None, key: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    for name in (key, key.removesuffix("_id")):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        # A reverse relation (a merge's "flags", say) is not a field of the record.
        if isinstance(field, models.Field):
            return field
    return None


def _label(key: str, field: models.Field[Any, Any] | None) -> str:
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    if field is not None and getattr(field, "verbose_name", None):
        text = str(field.verbose_name)
        return text[:1].upper() + text[1:]
    return key.removesuffix("_id").replace("_", " ").capitalize()


def region_name(code: str) -> str:
    # By name, not import: regions sits above accounts (a region search asks for the scope).
    names = {2: "Province", 5: "Regency", 8: "District", 13: "Village"}
    model = apps.get_model("regions", names[len(code)]) if len(code) in names else None
    found = (
        model.objects.filter(code=code).values_list("name", flat=True).first() if model else None
    )
    return f"{found} ({code})" if found else code


def _number(value: int | float, key: str) -> str:
    if isinstance(value, float) and not value.is_integer():
        return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)
    text = number_format(int(value), use_l10n=True, force_grouping=True)
    return f"Rp {text}" if key in MONEY_KEYS else text


def _text(value: str, key: str, field: models.Field[Any, Any] | None) -> str:
    if key in REGION_KEYS and REGION_CODE.match(value):
        return region_name(value)
    if field is not None and field.choices:
        labels = {str(k): str(v) for k, v in field.flatchoices}
        if value in labels:
            return labels[value]
    if ISO_DATETIME.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return f"{moment:%d-%m-%Y %H:%M}"
    if ISO_DATE.match(value):
        day = dt.date.fromisoformat(value)
        if key in {"month", "period"} and ISO_MONTH.match(value):
            return f"{day:%m-%Y}"
        return f"{day:%d-%m-%Y}"
    return value


def value_text(value: Any, key: str = "", field: models.Field[Any, Any] | None = None) -> str:
    """One stored value as people read it."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, int | float):
        if isinstance(field, models.ForeignKey) and field.related_model is User:
            user = User.objects.filter(pk=int(value)).values_list("username", flat=True).first()
            return user or str(value)
        if key in LEVEL_KEYS and int(value) == value and int(value) in ROMAN:
            return ROMAN[int(value)]
        return _number(value, key)
    if isinstance(value, str):
        return _text(value, key, field)
    if isinstance(value, dict):
        return "; ".join(
            f"{_label(k, None)}: {value_text(v, k)}"
            for k, v in value.items()
            if k not in HIDDEN_KEYS
        )
    if isinstance(value, list | tuple):
        return ", ".join(value_text(v, key, field) for v in value) or EMPTY
    return str(value)


def change_rows(
    changes: dict[str, Any], *, object_type: str = "", action: str = ""
) -> list[tuple[str, str]]:
    """[(label, text)] for an entry's changes; an update's ``[before, after]`` reads
    "before → after"."""
    model = _model(object_type)
    rows = []
    for key, value in changes.items():
        if key in HIDDEN_KEYS:
            continue
        field = _field(model, key)
        pair = isinstance(value, list) and len(value) == 2
        if action == AuditEntry.Action.CREATE and pair and value[0] in (None, ""):
            text = value_text(value[1], key, field)  # a new record's [None, value]
        elif action == AuditEntry.Action.UPDATE and pair:
            before, after = (value_text(v, key, field) for v in value)
            text = f"{before} → {after}"
        else:
            text = value_text(value, key, field)
        rows.append((_label(key, field), text))
    return rows


def object_label(object_type: str) -> str:
    """What an entry is about, in words: the model's name or a named kind of record."""
    if object_type in OBJECT_LABELS:
        return OBJECT_LABELS[object_type]
    model = _model(object_type)
    if model is None:
        return object_type
    text = str(model._meta.verbose_name)
    return text[:1].upper() + text[1:]
