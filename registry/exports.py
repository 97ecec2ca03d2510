"""Registry exports (CSV and XLSX), one row per engagement, scoped, masked and audited."""

import csv
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from registry.models import ROMAN
from registry.nik import mask_nik
from registry.selectors import RegistryFilters, engagement_export_rows, open_flag_codes

COLUMNS = [
    "nik",
    "full_name",
    "sex",
    "birth_date",
    "cluster",
    "programme",
    "legacy_title",
    "qualification_level",
    "unified_title",
    "province_code",
    "regency_code",
    "district_code",
    "employment_status",
    "start_date",
    "end_date",
    "monthly_incentive",
    "standard_incentive",
    "incentive_difference",
    "status",
    "verification",
    "flags",
]
BATCH = 2000


def _iso(value) -> str:
    return value.isoformat() if value else ""


def export_rows(*, user: User, filters: RegistryFilters) -> Iterator[list]:
    """Rows in COLUMNS order, streamed in batches so memory stays flat for any size."""
    show_nik = access.sees_nik(user)
    qs = engagement_export_rows(user=user, filters=filters)
    last_pk = 0
    # Keyset pagination by primary key keeps each batch query cheap on large registries.
    ordered = qs.order_by("pk")
    while True:
        batch = list(ordered.filter(pk__gt=last_pk)[:BATCH])
        if not batch:
            return
        last_pk = batch[-1].pk
        person_flags, engagement_flags = open_flag_codes(person_ids=[e.person_id for e in batch])
        for e in batch:
            p = e.person
            flags = person_flags.get(p.pk, []) + engagement_flags.get(e.pk, [])
            yield [
                p.nik if show_nik or access.sees_nik(user, p) else mask_nik(p.nik),
                p.full_name,
                p.sex,
                _iso(p.birth_date),
                e.programme.slug,
                e.programme.name,
                e.legacy_title,
                ROMAN.get(e.harmonised_level or 0, ""),
                e.unified_title,
                e.province_id,
                e.regency_id,
                e.district_id or "",
                e.employment_status,
                _iso(e.start_date),
                _iso(e.end_date),
                e.monthly_incentive if e.monthly_incentive is not None else "",
                e.standard_incentive if e.standard_incentive is not None else "",
                (e.standard_incentive - (e.monthly_incentive or 0))
                if e.standard_incentive is not None
                else "",
                e.status,
                e.verification,
                ";".join(flags),
            ]


def registry_export(
    *, user: User, filters: RegistryFilters, fmt: str, output: Path, progress=None
) -> int:
    """Write the export file and audit it. Returns the number of rows."""
    access.require(access.can_export(user), "Peran Anda tidak boleh mengekspor data registri.")
    if fmt not in {"csv", "xlsx"}:
        raise ValueError("Format harus csv atau xlsx.")
    total = engagement_export_rows(user=user, filters=filters).count()
    count = 0
    if fmt == "csv":
        with open(output, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            for row in export_rows(user=user, filters=filters):
                writer.writerow(row)
                count += 1
                if progress and count % BATCH == 0:
                    progress(count, total, "Menulis baris…")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("registri")
        sheet.append(COLUMNS)
        for row in export_rows(user=user, filters=filters):
            sheet.append(row)
            count += 1
            if progress and count % BATCH == 0:
                progress(count, total, "Menulis baris…")
        workbook.save(output)
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="registry.export",
        object_repr=f"Ekspor registri {fmt.upper()} ({count} baris)",
        changes={
            "filters": filters.as_dict(),
            "format": fmt,
            "rows": count,
            "nik_masked": not access.sees_nik(user),
        },
    )
    return count


def registry_export_job(job, progress) -> dict:
    """Background handler: export with the starter's scope, attach the file to the job."""
    import tempfile

    params = job.params
    filters = RegistryFilters.from_params(params.get("filters", {}))
    fmt = params.get("format", "xlsx")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"registri-{job.uid}.{fmt}"
        count = registry_export(
            user=job.owner, filters=filters, fmt=fmt, output=path, progress=progress
        )
        with open(path, "rb") as handle:
            job.result_file.save(
                f"registri-{job.created_at:%Y%m%d-%H%M}.{fmt}", File(handle), save=False
            )
    return {"rows": count}
