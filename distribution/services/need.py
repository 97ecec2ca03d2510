"""Need datasets: importing a need table and putting a new version in force."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from distribution.models import NeedDataset, NeedFigure
from distribution.services.aggregates import aggregates_refresh
from distribution.services.permissions import programme_allowed, require_national_writer
from distribution.services.tables import (
    CLUSTER_COLUMNS,
    CODE_COLUMNS,
    VALUE_COLUMNS,
    fail,
    first_column,
    read_codes,
    read_or_fail,
    split,
)
from registry.models import Programme
from satupintu.tables import Problems, cell, count_from_cell


def _need_rows(table, problems: Problems, actor: User, level: str | None):
    """Parse a need table in long (kode_wilayah, klaster, jumlah) or wide layout
    (kode_wilayah plus one column per cluster slug). Returns (level, rows, slugs)."""
    programmes = {p.slug: p for p in Programme.objects.all()}
    code_index = first_column(table.header, CODE_COLUMNS)
    if code_index is None:
        problems.add(
            table.header_row,
            "",
            gettext("kolom kode wilayah tidak ditemukan."),
            gettext("beri judul kolom 'kode_wilayah'."),
        )
        return level, [], set()
    cluster_index = first_column(table.header, CLUSTER_COLUMNS)
    if cluster_index is not None:
        value_index = first_column(table.header, VALUE_COLUMNS)
        if value_index is None:
            problems.add(
                table.header_row,
                "",
                gettext("kolom jumlah tidak ditemukan."),
                gettext("beri judul kolom 'jumlah'."),
            )
            return level, [], set()
        layout = [(None, value_index)]
    else:
        layout = [(slug, i) for i, slug in enumerate(table.header) if slug in programmes]
        if not layout:
            problems.add(
                table.header_row,
                "",
                gettext(
                    "tidak ada kolom 'klaster' dan tidak ada kolom bernama slug klaster/program."
                ),
                gettext(
                    "gunakan kolom kode_wilayah, klaster, jumlah; atau satu kolom per slug, mis. "
                    "%(slugs)s"
                )
                % {"slugs": ", ".join(sorted(programmes))},
            )
            return level, [], set()
    level, codes = read_codes(table, problems, code_index, level)
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
                        gettext("klaster/program '%(slug)s' tidak dikenal.") % {"slug": raw_slug},
                        gettext("gunakan salah satu slug: %(slugs)s.")
                        % {"slugs": ", ".join(sorted(programmes))},
                    )
                    continue
                slug_here = raw_slug
            else:
                slug_here = slug
            programme = programmes[slug_here]
            if not programme_allowed(actor, programme):
                problems.add(
                    row_number,
                    table.raw_header[cluster_index if slug is None else value_index],
                    gettext("klaster/program '%(slug)s' di luar cakupan Anda.")
                    % {"slug": slug_here},
                    gettext("hapus baris/kolom ini atau minta administrator nasional memuatnya."),
                )
                continue
            raw_value = cell(cells, value_index)
            if slug is not None and (raw_value is None or str(raw_value).strip() == ""):
                continue  # wide layout: an empty cell means no figure for that cluster
            value = count_from_cell(raw_value)
            if value is None:
                problems.add(
                    row_number,
                    table.raw_header[value_index],
                    gettext("nilai '%(value)s' bukan bilangan bulat tidak negatif.")
                    % {"value": raw_value if raw_value is not None else ""},
                    gettext("isi angka bulat tanpa pemisah ribuan, mis. 1250."),
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
                    gettext("wilayah %(code)s klaster '%(slug)s' sudah ada di baris %(row)s.")
                    % {"code": code, "slug": slug_here, "row": seen[key]},
                    gettext("gabungkan menjadi satu baris per wilayah dan klaster."),
                )
                continue
            seen[key] = row_number
            rows.append((code, programme, value))
    return level, rows, {slug for _code, slug in seen}


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
    require_national_writer(actor, gettext("data kebutuhan"))
    if not source.strip() or not period.strip() or not name.strip():
        raise ValidationError(gettext("Nama seri, sumber dan periode data kebutuhan wajib diisi."))
    table = read_or_fail(path, display_name, set(CODE_COLUMNS))
    problems = Problems(table.file)
    level, rows, slugs = _need_rows(table, problems, actor, level)
    if not rows and not problems:
        problems.add(
            None, "", gettext("berkas tidak berisi baris data."), gettext("isi minimal satu baris.")
        )
    if problems:
        fail(problems)
    dataset = need_dataset_create(
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
        changes={"rows": len(rows), "clusters": sorted(slugs), "level": level},
        note=f"Impor data kebutuhan {table.file}",
    )
    return dataset


def need_dataset_create(
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
