"""Population datasets: importing a population table and putting it in force."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from distribution.models import PopulationDataset, PopulationFigure
from distribution.services.aggregates import aggregates_refresh
from distribution.services.permissions import require_national_writer
from distribution.services.tables import (
    CODE_COLUMNS,
    POPULATION_COLUMNS,
    fail,
    first_column,
    read_codes,
    read_or_fail,
    split,
)
from satupintu.tables import Problems, cell, count_from_cell


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
    require_national_writer(actor, gettext("data penduduk"))
    if not source.strip() or not period.strip() or not name.strip():
        raise ValidationError(gettext("Nama seri, sumber dan periode data penduduk wajib diisi."))
    table = read_or_fail(path, display_name, set(CODE_COLUMNS))
    problems = Problems(table.file)
    code_index = first_column(table.header, CODE_COLUMNS)
    value_index = first_column(table.header, POPULATION_COLUMNS)
    if code_index is None or value_index is None:
        problems.add(
            table.header_row,
            "",
            gettext("kolom kode_wilayah atau jumlah_penduduk tidak ditemukan."),
            gettext("beri judul kolom 'kode_wilayah' dan 'jumlah_penduduk'."),
        )
        fail(problems)
    level, codes = read_codes(table, problems, code_index, None)
    rows: list[tuple[str, int]] = []
    seen: dict[str, int] = {}
    for row_number, cells in table.rows:
        raw = cell(cells, value_index)
        value = count_from_cell(raw)
        if value is None:
            problems.add(
                row_number,
                table.raw_header[value_index],
                gettext("nilai '%(value)s' bukan bilangan bulat tidak negatif.")
                % {"value": raw if raw is not None else ""},
                gettext("isi angka bulat tanpa pemisah ribuan, mis. 35120."),
            )
            continue
        code = codes.get(row_number)
        if code is None:
            continue
        if code in seen:
            problems.add(
                row_number,
                table.raw_header[code_index],
                gettext("wilayah %(code)s sudah ada di baris %(row)s.")
                % {"code": code, "row": seen[code]},
                gettext("satu baris per wilayah."),
            )
            continue
        seen[code] = row_number
        rows.append((code, value))
    if not rows and not problems:
        problems.add(
            None, "", gettext("berkas tidak berisi baris data."), gettext("isi minimal satu baris.")
        )
    if problems:
        fail(problems)
    dataset = population_dataset_create(
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
            for p, r, d, v in [split(code)]
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


def population_dataset_create(
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
