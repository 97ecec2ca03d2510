"""Writes of the distribution app: standards, need and population imports, aggregates,
caseloads and snapshots. Each is one named action in a transaction, audited.
"""

import datetime as dt
import math
import time
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from accounts import access
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from distribution.models import (
    CODE_LENGTH,
    ActualAggregate,
    AggregateState,
    BreakdownAggregate,
    CaseloadRecord,
    DistributionSnapshot,
    NeedDataset,
    NeedFigure,
    PersonAggregate,
    PopulationDataset,
    PopulationFigure,
    RegionAggregate,
    RegionLevel,
    SnapshotRow,
    StaffingStandard,
    WisnActivity,
    level_of_code,
)
from distribution.readers import Problems, cell, parse_count, parse_region_code, read_table
from regions.models import District, Province, Regency, Village
from registry.models import Engagement, Programme

# --------------------------------------------------------------------------------------
# Who may change distribution data


def may_load_datasets(actor: User) -> bool:
    """Need, population and standards are national reference data: a new version replaces the
    old one for the whole country, so only a writer without a region scope may load them (and
    a cluster administrator whose clusters are missing may load nothing: fail closed)."""
    return (
        access.can_write_somewhere(actor)
        and not actor.scope_province_id
        and not actor.scope_regency_id
        and actor.role in {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN}
    )


def _require_national_writer(actor: User, what: str) -> None:
    access.require(
        may_load_datasets(actor),
        f"Hanya administrator nasional atau administrator klaster yang boleh memuat {what}.",
    )


def _programme_allowed(actor: User, programme: Programme) -> bool:
    ids = access.programme_ids(actor)
    return ids is None or programme.pk in ids


# --------------------------------------------------------------------------------------
# Staffing standards


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
            raise ValidationError("Waktu kerja tersedia (AWT) harus lebih dari nol.")
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
                "Tunjangan kategori menghabiskan seluruh waktu kerja tersedia; periksa jamnya."
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
    _require_national_writer(actor, "standar kebutuhan pendamping")
    access.require(_programme_allowed(actor, programme), "Klaster/program di luar cakupan Anda.")
    if not source.strip():
        raise ValidationError({"source": "Sumber/dasar standar wajib diisi."})
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
                raise ValidationError(f"Klaster/program '{slug}' tidak dikenal.")
            if item.get("valid_from"):
                item["valid_from"] = dt.date.fromisoformat(item["valid_from"])
            staffing_standard_create(actor=actor, programme=programmes[slug], **item)
            count += 1
    return count


# --------------------------------------------------------------------------------------
# Need and population imports


CODE_COLUMNS = [
    "kode_wilayah",
    "kode",
    "kode_desa",
    "kode_kecamatan",
    "kode_kabupaten",
    "kode_kab_kota",
]
CLUSTER_COLUMNS = ["klaster", "program", "klaster_program", "cluster"]
VALUE_COLUMNS = ["jumlah", "kebutuhan", "nilai", "jumlah_kebutuhan"]
POPULATION_COLUMNS = ["jumlah_penduduk", "penduduk", "populasi", "jumlah"]
LEVEL_NAMES = {
    RegionLevel.VILLAGE: "desa/kelurahan",
    RegionLevel.DISTRICT: "kecamatan",
    RegionLevel.REGENCY: "kabupaten/kota",
}


def _first_column(header: list[str], names: list[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _known_codes(level: str) -> frozenset[str]:
    model = {
        RegionLevel.VILLAGE: Village,
        RegionLevel.DISTRICT: District,
        RegionLevel.REGENCY: Regency,
        RegionLevel.PROVINCE: Province,
    }[level]
    return frozenset(model.objects.values_list("code", flat=True))


def _split(code: str) -> tuple[str, str, str, str]:
    """(province, regency, district, village) codes of a code; blanks below its level."""
    return (
        code[:2],
        code[:5] if len(code) >= 5 else "",
        code[:8] if len(code) >= 8 else "",
        code if len(code) == 13 else "",
    )


def _read_codes(table, problems: Problems, code_index: int, level: str | None):
    """Check each row's region code: known, and all at one level (village, district or regency).

    Returns (level, {row number: code}).
    """
    codes: dict[int, str] = {}
    column = table.raw_header[code_index]
    known: dict[str, frozenset[str]] = {}
    for row_number, cells in table.rows:
        raw = cell(cells, code_index)
        code, why = parse_region_code(raw)
        if code is None:
            problems.add(
                row_number,
                column,
                f"kode wilayah '{raw if raw is not None else ''}' {why}.",
                "tulis kode sebagai teks bertitik, mis. 32.04.01.2001 (format sel: Teks).",
            )
            continue
        code_level = level_of_code(code)
        if code_level == RegionLevel.PROVINCE:
            problems.add(
                row_number,
                column,
                f"kode '{code}' adalah kode provinsi.",
                "isi kebutuhan per desa/kelurahan, kecamatan atau kabupaten/kota.",
            )
            continue
        if level is None:
            level = code_level
        if code_level != level:
            problems.add(
                row_number,
                column,
                f"kode '{code}' adalah tingkat {LEVEL_NAMES.get(code_level, code_level)}, "
                f"sedangkan berkas ini tingkat {LEVEL_NAMES.get(level, level)}.",
                "satu berkas memuat satu tingkat wilayah saja; pisahkan ke berkas lain.",
            )
            continue
        if level not in known:
            known[level] = _known_codes(level)
        if code not in known[level]:
            problems.add(
                row_number,
                column,
                f"kode '{code}' tidak ada dalam data wilayah Kemendagri (idn-area-data 4.0.1).",
                "periksa kode; untuk wilayah hasil pemekaran gunakan kode terbaru.",
            )
            continue
        codes[row_number] = code
    return level, codes


def _need_rows(table, problems: Problems, actor: User, level: str | None):
    """Parse a need table in long (kode_wilayah, klaster, jumlah) or wide layout
    (kode_wilayah plus one column per cluster slug). Returns (level, rows, slugs)."""
    programmes = {p.slug: p for p in Programme.objects.all()}
    code_index = _first_column(table.header, CODE_COLUMNS)
    if code_index is None:
        problems.add(
            table.header_row,
            "",
            "kolom kode wilayah tidak ditemukan.",
            "beri judul kolom 'kode_wilayah'.",
        )
        return level, [], set()
    cluster_index = _first_column(table.header, CLUSTER_COLUMNS)
    if cluster_index is not None:
        value_index = _first_column(table.header, VALUE_COLUMNS)
        if value_index is None:
            problems.add(
                table.header_row, "", "kolom jumlah tidak ditemukan.", "beri judul kolom 'jumlah'."
            )
            return level, [], set()
        layout = [(None, value_index)]
    else:
        layout = [(slug, i) for i, slug in enumerate(table.header) if slug in programmes]
        if not layout:
            problems.add(
                table.header_row,
                "",
                "tidak ada kolom 'klaster' dan tidak ada kolom bernama slug klaster/program.",
                "gunakan kolom kode_wilayah, klaster, jumlah; atau satu kolom per slug, mis. "
                + ", ".join(sorted(programmes)),
            )
            return level, [], set()
    level, codes = _read_codes(table, problems, code_index, level)
    rows: list[tuple[str, Programme, int]] = []
    seen: dict[tuple[str, str], int] = {}
    for row_number, cells in table.rows:
        for slug, value_index in layout:
            if slug is None:
                raw_slug = str(cell(cells, cluster_index) or "").strip().lower()
                if raw_slug not in programmes:
                    problems.add(
                        row_number,
                        table.raw_header[cluster_index],
                        f"klaster/program '{raw_slug}' tidak dikenal.",
                        "gunakan salah satu slug: " + ", ".join(sorted(programmes)) + ".",
                    )
                    continue
                slug_here = raw_slug
            else:
                slug_here = slug
            programme = programmes[slug_here]
            if not _programme_allowed(actor, programme):
                problems.add(
                    row_number,
                    table.raw_header[cluster_index if slug is None else value_index],
                    f"klaster/program '{slug_here}' di luar cakupan Anda.",
                    "hapus baris/kolom ini atau minta administrator nasional memuatnya.",
                )
                continue
            raw_value = cell(cells, value_index)
            if slug is not None and (raw_value is None or str(raw_value).strip() == ""):
                continue  # wide layout: an empty cell means no figure for that cluster
            value = parse_count(raw_value)
            if value is None:
                problems.add(
                    row_number,
                    table.raw_header[value_index],
                    f"nilai '{raw_value if raw_value is not None else ''}' bukan bilangan bulat "
                    "tidak negatif.",
                    "isi angka bulat tanpa pemisah ribuan, mis. 1250.",
                )
                continue
            code = codes.get(row_number)
            if code is None:
                continue
            key = (code, slug_here)
            if key in seen:
                problems.add(
                    row_number,
                    table.raw_header[code_index],
                    f"wilayah {code} klaster '{slug_here}' sudah ada di baris {seen[key]}.",
                    "gabungkan menjadi satu baris per wilayah dan klaster.",
                )
                continue
            seen[key] = row_number
            rows.append((code, programme, value))
    return level, rows, {slug for _code, slug in seen}


def _fail(problems: Problems) -> None:
    raise ValidationError(["Impor dibatalkan; tidak ada data yang disimpan."] + problems.messages())


def _read_or_fail(path: Path, display_name: str | None, required: set[str]):
    try:
        return read_table(path, display_name=display_name, required=required)
    except ValueError as error:
        raise ValidationError([str(error)]) from error


@transaction.atomic
def need_dataset_import(
    *,
    actor: User,
    path: Path,
    name: str,
    source: str,
    period: str,
    level: str | None = None,
    display_name: str | None = None,
    note: str = "",
) -> NeedDataset:
    """Import a need table; all rows or none. The new version takes over its clusters."""
    _require_national_writer(actor, "data kebutuhan")
    if not source.strip() or not period.strip() or not name.strip():
        raise ValidationError("Nama seri, sumber dan periode data kebutuhan wajib diisi.")
    table = _read_or_fail(path, display_name, set(CODE_COLUMNS))
    problems = Problems(table.file)
    level, rows, slugs = _need_rows(table, problems, actor, level)
    if not rows and not problems:
        problems.add(None, "", "berkas tidak berisi baris data.", "isi minimal satu baris.")
    if problems:
        _fail(problems)
    dataset = _need_dataset_create(
        actor=actor,
        name=name,
        source=source,
        period=period,
        level=level,
        slugs=slugs,
        file_name=table.file,
        note=note,
    )
    NeedFigure.objects.bulk_create(
        (
            NeedFigure(
                dataset=dataset,
                programme=programme,
                province_code=p,
                regency_code=r,
                district_code=d,
                village_code=v,
                value=value,
            )
            for code, programme, value in rows
            for p, r, d, v in [_split(code)]
        ),
        batch_size=5000,
    )
    dataset.row_count = len(rows)
    dataset.save(update_fields=["row_count"])
    aggregates_refresh()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=dataset,
        changes={"rows": len(rows), "clusters": sorted(slugs), "level": level},
        note=f"Impor data kebutuhan {table.file}",
    )
    return dataset


def _need_dataset_create(
    *,
    actor: User | None,
    name: str,
    source: str,
    period: str,
    level: str,
    slugs: set[str],
    file_name: str = "",
    note: str = "",
    is_demo: bool = False,
) -> NeedDataset:
    version = (NeedDataset.objects.filter(name=name).aggregate(v=Max("version"))["v"] or 0) + 1
    dataset = NeedDataset.objects.create(
        name=name,
        version=version,
        source=source,
        period=period,
        level=level,
        file_name=file_name,
        note=note,
        is_demo=is_demo,
        programmes=sorted(slugs),
        current_programmes=sorted(slugs),
        created_by=actor if actor and actor.pk else None,
    )
    # The new version takes over its clusters from every older dataset still in force, so
    # that need is never counted twice; an older dataset keeps the clusters it alone covers.
    for older in NeedDataset.objects.filter(is_current=True).exclude(pk=dataset.pk):
        keep = [s for s in older.current_programmes if s not in slugs]
        if keep != older.current_programmes:
            older.current_programmes = keep
            older.is_current = bool(keep)
            older.superseded_by = dataset
            older.save(update_fields=["current_programmes", "is_current", "superseded_by"])
    return dataset


@transaction.atomic
def population_dataset_import(
    *,
    actor: User,
    path: Path,
    name: str,
    source: str,
    period: str,
    display_name: str | None = None,
) -> PopulationDataset:
    """Import population per region (kode_wilayah, jumlah_penduduk); all rows or none."""
    _require_national_writer(actor, "data penduduk")
    if not source.strip() or not period.strip() or not name.strip():
        raise ValidationError("Nama seri, sumber dan periode data penduduk wajib diisi.")
    table = _read_or_fail(path, display_name, set(CODE_COLUMNS))
    problems = Problems(table.file)
    code_index = _first_column(table.header, CODE_COLUMNS)
    value_index = _first_column(table.header, POPULATION_COLUMNS)
    if code_index is None or value_index is None:
        problems.add(
            table.header_row,
            "",
            "kolom kode_wilayah atau jumlah_penduduk tidak ditemukan.",
            "beri judul kolom 'kode_wilayah' dan 'jumlah_penduduk'.",
        )
        _fail(problems)
    level, codes = _read_codes(table, problems, code_index, None)
    rows: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for row_number, cells in table.rows:
        raw = cell(cells, value_index)
        value = parse_count(raw)
        if value is None:
            problems.add(
                row_number,
                table.raw_header[value_index],
                f"nilai '{raw if raw is not None else ''}' bukan bilangan bulat tidak negatif.",
                "isi angka bulat tanpa pemisah ribuan, mis. 35120.",
            )
            continue
        code = codes.get(row_number)
        if code is None:
            continue
        if code in seen:
            problems.add(
                row_number,
                table.raw_header[code_index],
                f"wilayah {code} sudah ada di baris {seen[code]}.",
                "satu baris per wilayah.",
            )
            continue
        seen[code] = row_number
        rows.append((code, value))
    if not rows and not problems:
        problems.add(None, "", "berkas tidak berisi baris data.", "isi minimal satu baris.")
    if problems:
        _fail(problems)
    dataset = _population_dataset_create(
        actor=actor, name=name, source=source, period=period, level=level, file_name=table.file
    )
    PopulationFigure.objects.bulk_create(
        (
            PopulationFigure(
                dataset=dataset,
                province_code=p,
                regency_code=r,
                district_code=d,
                village_code=v,
                population=value,
            )
            for code, value in rows
            for p, r, d, v in [_split(code)]
        ),
        batch_size=5000,
    )
    dataset.row_count = len(rows)
    dataset.save(update_fields=["row_count"])
    aggregates_refresh()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=dataset,
        changes={"rows": len(rows), "level": level},
        note=f"Impor data penduduk {table.file}",
    )
    return dataset


def _population_dataset_create(
    *,
    actor: User | None,
    name: str,
    source: str,
    period: str,
    level: str,
    file_name: str = "",
    is_demo: bool = False,
) -> PopulationDataset:
    # One population table is in force at a time: densities must not mix two censuses.
    PopulationDataset.objects.filter(is_current=True).update(is_current=False)
    return PopulationDataset.objects.create(
        name=name,
        source=source,
        period=period,
        level=level,
        file_name=file_name,
        is_demo=is_demo,
        created_by=actor if actor and actor.pk else None,
    )


# --------------------------------------------------------------------------------------
# Aggregates


def _current_need_sql() -> tuple[str, list]:
    """The figures in force as a SQL condition (see selectors.current_need_q)."""
    programme_ids = dict(Programme.objects.values_list("slug", "pk"))
    parts, params = [], []
    for dataset in NeedDataset.objects.filter(is_current=True).only("pk", "current_programmes"):
        ids = [programme_ids[s] for s in dataset.current_programmes if s in programme_ids]
        if ids:
            parts.append(f"(dataset_id = %s AND programme_id IN ({', '.join(['%s'] * len(ids))}))")
            params.extend([dataset.pk, *ids])
    return (" OR ".join(parts) or "1 = 0"), params


def aggregates_refresh() -> int:
    """Rebuild RegionAggregate from the need and population in force. Returns rows written.

    Set-based: one INSERT … SELECT … GROUP BY per level, run inside the database, so it
    takes seconds even for every village in the country. Called after every import; safe to
    run at any time (``python manage.py distribution_refresh``).
    """
    target = RegionAggregate._meta.db_table
    need_table = NeedFigure._meta.db_table
    population_table = PopulationFigure._meta.db_table
    population_dataset = PopulationDataset.objects.filter(is_current=True).first()
    current, params = _current_need_sql()
    levels = [
        (RegionLevel.PROVINCE, "province_code", "''"),
        (RegionLevel.REGENCY, "regency_code", "province_code"),
        (RegionLevel.DISTRICT, "district_code", "regency_code"),
    ]
    columns = (
        "level, code, parent_code, programme_id, need, need_districts, need_regencies, population"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {target}")
        for level, field, parent in levels:
            group = f"{field}, {parent}" if parent != "''" else field
            cursor.execute(
                f"INSERT INTO {target} ({columns}) "
                f"SELECT %s, {field}, {parent}, programme_id, SUM(value), "
                "COUNT(DISTINCT CASE WHEN value > 0 AND district_code <> '' "
                "THEN district_code END), "
                "COUNT(DISTINCT CASE WHEN value > 0 THEN regency_code END), NULL "
                f"FROM {need_table} WHERE ({current}) AND {field} <> '' "
                f"GROUP BY {group}, programme_id",
                [level, *params],
            )
            if population_dataset is not None:
                cursor.execute(
                    f"INSERT INTO {target} ({columns}) "
                    f"SELECT %s, {field}, {parent}, NULL, 0, 0, 0, SUM(population) "
                    f"FROM {population_table} WHERE dataset_id = %s AND {field} <> '' "
                    f"GROUP BY {group}",
                    [level, population_dataset.pk],
                )
    return RegionAggregate.objects.count()


def actual_aggregates_refresh() -> int:
    """Rebuild the engagement count caches (ActualAggregate, BreakdownAggregate,
    PersonAggregate) from the registry in three INSERT … SELECT … GROUP BY statements.

    Run by the ``distribution_refresh`` job or command, e.g. every 10 minutes from cron;
    readers fall back to live counts when the cache is older than selectors.AGGREGATE_MAX_AGE.
    """
    started = time.monotonic()
    source = Engagement._meta.db_table
    actual = ActualAggregate._meta.db_table
    breakdown = BreakdownAggregate._meta.db_table
    people = PersonAggregate._meta.db_table
    active = Engagement.Status.ACTIVE
    with transaction.atomic(), connection.cursor() as cursor:
        for table in (actual, breakdown, people):
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(
            f"INSERT INTO {actual} (grain, province_id, regency_id, district_id, programme_id, "
            "status, engagements) SELECT %s, province_id, regency_id, district_id, programme_id, "
            f"status, COUNT(*) FROM {source} "
            "GROUP BY province_id, regency_id, district_id, programme_id, status",
            [ActualAggregate.Grain.DISTRICT],
        )
        cursor.execute(
            f"INSERT INTO {actual} (grain, province_id, regency_id, district_id, programme_id, "
            "status, engagements) SELECT %s, province_id, regency_id, NULL, programme_id, "
            f"status, SUM(engagements) FROM {actual} WHERE grain = %s "
            "GROUP BY province_id, regency_id, programme_id, status",
            [ActualAggregate.Grain.REGENCY, ActualAggregate.Grain.DISTRICT],
        )
        cursor.execute(
            f"INSERT INTO {breakdown} (province_id, programme_id, status, harmonised_level, "
            "employment_status, engagements) SELECT province_id, programme_id, status, "
            f"harmonised_level, employment_status, COUNT(*) FROM {source} "
            "GROUP BY province_id, programme_id, status, harmonised_level, employment_status"
        )
        for province, programme, group in [
            ("province_id", "programme_id", "GROUP BY province_id, programme_id"),
            ("province_id", "NULL", "GROUP BY province_id"),
            ("''", "programme_id", "GROUP BY programme_id"),
            ("''", "NULL", ""),
        ]:
            cursor.execute(
                f"INSERT INTO {people} (province_id, programme_id, people, engagements) "
                f"SELECT {province}, {programme}, COUNT(DISTINCT person_id), COUNT(*) "
                f"FROM {source} WHERE status = %s {group}",
                [active],
            )
        if connection.vendor == "postgresql":
            # Fresh statistics: the planner must not take the rebuilt tables for empty ones.
            for table in (actual, breakdown, people):
                cursor.execute(f"ANALYZE {table}")
        rows = sum(
            m.objects.count() for m in (ActualAggregate, BreakdownAggregate, PersonAggregate)
        )
        AggregateState.objects.update_or_create(
            name="actual",
            defaults={
                "refreshed_at": timezone.now(),
                "rows": rows,
                "seconds": round(time.monotonic() - started, 3),
            },
        )
    return rows


# --------------------------------------------------------------------------------------
# Caseloads


def _month(value: dt.date) -> dt.date:
    return value.replace(day=1)


@transaction.atomic
def caseload_record_set(
    *,
    actor: User,
    engagement: Engagement,
    period: dt.date,
    cases: int,
    source: str = CaseloadRecord.Source.ENTERED,
) -> CaseloadRecord:
    """Enter (or correct) one engagement's caseload for one month."""
    access.require(
        access.can_write_at(
            actor, programme=engagement.programme, regency_code=engagement.regency_id
        ),
        "Anda tidak berwenang mengisi beban kasus penugasan ini.",
    )
    if cases < 0:
        raise ValidationError({"cases": "Jumlah kasus tidak boleh negatif."})
    record, created = CaseloadRecord.objects.get_or_create(
        engagement=engagement,
        period=_month(period),
        defaults={"cases": cases, "source": source, "created_by": actor},
    )
    before = None if created else record.cases
    if not created:
        record.cases, record.source = cases, source
        record.full_clean()
        record.save(update_fields=["cases", "source", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=record,
        object_repr=f"Beban kasus {record.period:%Y-%m}",
        changes={"cases": [before, cases]},
        person_id=engagement.person_id,
    )
    return record


CASELOAD_COLUMNS = {
    "id": ["id_penugasan", "uid_penugasan", "penugasan"],
    "nik": ["nik", "no_ktp"],
    "cluster": CLUSTER_COLUMNS,
    "regency": ["kode_kabupaten", "kode_kab_kota", "kode_kabkota", "kabupaten_kota"],
    "period": ["periode", "bulan"],
    "cases": ["jumlah_kasus", "kasus", "jumlah_kk", "jumlah"],
}


def _parse_month(value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    for fmt in ("%Y-%m", "%Y-%m-%d", "%m/%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date().replace(day=1)
        except ValueError:
            continue
    return None


@transaction.atomic
def caseload_import(*, actor: User, path: Path, display_name: str | None = None) -> int:
    """Import caseloads (per engagement and month); all rows or none. Returns rows saved.

    An engagement is named by ``id_penugasan`` or by NIK + cluster + regency code (the
    registry's unique key). Only engagements the actor may write to are accepted.
    """
    access.require(access.can_write(actor), "Peran Anda tidak boleh mengimpor beban kasus.")
    table = _read_or_fail(path, display_name, set(CASELOAD_COLUMNS["period"]))
    problems = Problems(table.file)
    col = {key: _first_column(table.header, names) for key, names in CASELOAD_COLUMNS.items()}
    by_key = col["id"] is None and None in (col["nik"], col["cluster"], col["regency"])
    if col["period"] is None or col["cases"] is None or by_key:
        problems.add(
            table.header_row,
            "",
            "kolom wajib tidak lengkap.",
            "sediakan 'periode', 'jumlah_kasus', dan 'id_penugasan' atau "
            "'nik' + 'klaster' + 'kode_kabupaten'.",
        )
        _fail(problems)
    visible = access.engagements_visible(actor).select_related("programme")
    parsed: list[tuple[int, Any, dt.date, int]] = []
    wanted_uids, wanted_niks = set(), set()
    for row_number, cells in table.rows:
        period = _parse_month(cell(cells, col["period"]))
        if period is None:
            problems.add(
                row_number,
                table.raw_header[col["period"]],
                f"periode '{cell(cells, col['period']) or ''}' tidak dikenali.",
                "tulis bulan sebagai TTTT-BB, mis. 2025-06.",
            )
        cases = parse_count(cell(cells, col["cases"]))
        if cases is None:
            problems.add(
                row_number,
                table.raw_header[col["cases"]],
                f"jumlah kasus '{cell(cells, col['cases']) or ''}' bukan bilangan bulat.",
                "isi angka bulat tidak negatif, mis. 240.",
            )
        if col["id"] is not None and str(cell(cells, col["id"]) or "").strip():
            key: Any = str(cell(cells, col["id"])).strip()
            wanted_uids.add(key)
        else:
            nik = str(cell(cells, col["nik"]) or "").strip() if col["nik"] is not None else ""
            slug = (
                str(cell(cells, col["cluster"]) or "").strip().lower()
                if col["cluster"] is not None
                else ""
            )
            regency, _why = (
                parse_region_code(cell(cells, col["regency"]))
                if col["regency"] is not None
                else (None, "")
            )
            key = (nik, slug, regency)
            wanted_niks.add(nik)
        if period is not None and cases is not None:
            parsed.append((row_number, key, period, cases))
    by_uid = {
        str(e.uid): e for e in visible.filter(uid__in=[u for u in wanted_uids if _is_uuid(u)])
    }
    by_natural = {
        (e.person.nik, e.programme.slug, e.regency_id): e
        for e in visible.filter(person__nik__in=wanted_niks).select_related("person")
    }
    records: dict[tuple[int, dt.date], tuple[int, Engagement, int]] = {}
    for row_number, key, period, cases in parsed:
        engagement = by_uid.get(key) if isinstance(key, str) else by_natural.get(key)
        if engagement is None:
            problems.add(
                row_number,
                "",
                f"penugasan {key if isinstance(key, str) else ' / '.join(str(k) for k in key)} "
                "tidak ditemukan dalam cakupan Anda.",
                "periksa NIK, slug klaster dan kode kabupaten/kota (atau id_penugasan).",
            )
            continue
        if not access.can_write_at(
            actor, programme=engagement.programme, regency_code=engagement.regency_id
        ):
            problems.add(
                row_number, "", "Anda tidak berwenang mengisi penugasan ini.", "hapus baris ini."
            )
            continue
        if (engagement.pk, period) in records:
            problems.add(
                row_number,
                "",
                f"penugasan dan periode {period:%Y-%m} sudah ada di baris "
                f"{records[(engagement.pk, period)][0]}.",
                "satu baris per penugasan per bulan.",
            )
            continue
        records[(engagement.pk, period)] = (row_number, engagement, cases)
    if not records and not problems:
        problems.add(None, "", "berkas tidak berisi baris data.", "isi minimal satu baris.")
    if problems:
        _fail(problems)
    existing = {
        (r.engagement_id, r.period): r
        for r in CaseloadRecord.objects.filter(
            engagement_id__in={k[0] for k in records}, period__in={k[1] for k in records}
        )
    }
    new, changed = [], []
    for (engagement_id, period), (_row, _e, cases) in records.items():
        record = existing.get((engagement_id, period))
        if record is None:
            new.append(
                CaseloadRecord(
                    engagement_id=engagement_id,
                    period=period,
                    cases=cases,
                    source=CaseloadRecord.Source.IMPORTED,
                    created_by=actor if actor.pk else None,
                )
            )
        else:
            record.cases, record.source = cases, CaseloadRecord.Source.IMPORTED
            changed.append(record)
    CaseloadRecord.objects.bulk_create(new, batch_size=2000)
    CaseloadRecord.objects.bulk_update(changed, ["cases", "source"], batch_size=2000)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        object_type="distribution.caseloadrecord",
        object_repr=f"Impor beban kasus {table.file}",
        changes={"new": len(new), "updated": len(changed)},
    )
    return len(records)


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------------------
# Snapshots


@transaction.atomic
def distribution_snapshot_take(
    *, actor: User, period: dt.date | None = None, note: str = ""
) -> DistributionSnapshot:
    """Store actual and required per region and cluster (nation down to district) for trends.

    Taken with national scope whatever the caller's: trends are later read through the
    reader's own scope, by region and cluster. Retaking a month replaces that month.
    """
    from distribution import selectors

    access.require(
        access.can_write(actor) and actor.role == Role.NATIONAL_ADMIN,
        "Hanya administrator nasional yang boleh mengambil potret sebaran.",
    )
    period = _month(period or timezone.localdate())
    # One snapshot per month: taking it again replaces it, so a trend has one point a month.
    DistributionSnapshot.objects.filter(period=period).delete()
    snapshot = DistributionSnapshot.objects.create(
        taken_at=timezone.now(),
        period=period,
        note=note,
        created_by=actor if actor.pk else None,
    )
    # Count from a cache rebuilt now: exact, and fast for every district of the country.
    actual_aggregates_refresh()
    scope = selectors.national_scope()
    rows: list[SnapshotRow] = []
    for level in ["nasional", RegionLevel.PROVINCE, RegionLevel.REGENCY, RegionLevel.DISTRICT]:
        for row in selectors.level_rows(scope=scope, level=level):
            if row.is_remainder:
                continue  # remainders are differences, recomputable from the stored rows
            for programme_id, figures in row.cells.items():
                if not (figures.actual or figures.need or figures.required):
                    continue
                rows.append(
                    SnapshotRow(
                        snapshot=snapshot,
                        level=level,
                        region_code=row.code,
                        programme_id=programme_id,
                        actual=figures.actual,
                        required=figures.required,
                        need=figures.need,
                        population=row.total.population,
                    )
                )
    SnapshotRow.objects.bulk_create(rows, batch_size=5000)
    snapshot.row_count = len(rows)
    snapshot.save(update_fields=["row_count"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=snapshot,
        changes={"rows": len(rows), "period": period.isoformat()},
    )
    return snapshot


# --------------------------------------------------------------------------------------
# Helpers for fast loads (demo data and benchmarks)


def copy_rows(table: str, columns: list[str], rows: Iterable[tuple]) -> int:
    """Insert many rows: COPY on PostgreSQL, executemany elsewhere. Returns the count."""
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cols = ", ".join(columns)
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch: list[tuple] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 10000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count


def level_code_length(level: str) -> int:
    return CODE_LENGTH[level]


def ceil_int(value: float) -> int:
    return math.ceil(value - 1e-9)
