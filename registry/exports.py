"""Registry exports (CSV and XLSX), one row per engagement, scoped, masked and audited."""

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import connection
from django.db.models import QuerySet
from django.utils.translation import ngettext

from accounts import access
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from jobs.outcomes import JobOutcome, count
from registry.models import ROMAN, Engagement
from registry.nik import mask_nik, nik_clean
from registry.selectors import RegistryFilters, engagement_export_rows, open_flag_codes
from satupintu.formulas import XLSXWRITER_OPTIONS, row_safe

if TYPE_CHECKING:
    from jobs.models import Job
    from jobs.services import ProgressFn

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
COPY_BATCH = 10_000  # PostgreSQL reads a batch by COPY, as text: larger batches, fewer queries


def _iso(value: dt.date | str | None) -> str:
    """A date as ISO text (COPY gives it as that text already)."""
    if not value:
        return ""
    return value if isinstance(value, str) else value.isoformat()


VALUES = [
    "pk",
    "person_id",
    "person__nik",
    "person__full_name",
    "person__sex",
    "person__birth_date",
    "programme__slug",
    "programme__name",
    "legacy_title",
    "harmonised_level",
    "unified_title",
    "province_id",
    "regency_id",
    "district_id",
    "employment_status",
    "start_date",
    "end_date",
    "monthly_incentive",
    "standard_incentive",
    "status",
    "verification",
]


# VALUES positions that COPY gives as text and the rows carry as numbers.
NUMBERS = [VALUES.index(name) for name in ("pk", "person_id", "harmonised_level")] + [
    VALUES.index(name) for name in ("monthly_incentive", "standard_incentive")
]


def _batches(rows: QuerySet[Engagement]) -> Iterator[list[Any]]:
    """The rows as VALUES tuples, BATCH at a time, in primary-key order. Keyset pagination by
    primary key keeps each batch query cheap on large registries, and each batch is read
    whole before it is handed on (no query stays open while the caller writes or reports)."""
    last_pk = 0
    copied = connection.vendor == "postgresql"
    size = COPY_BATCH if copied else BATCH
    while True:
        page = rows.filter(pk__gt=last_pk).values_list(*VALUES)[:size]
        batch = _copied(page) if copied else list(page)
        if not batch:
            return
        last_pk = batch[-1][0]
        yield batch


def _copied(page: QuerySet[Any]) -> list[Any]:
    """PostgreSQL: the same query the ORM would send, read by COPY as CSV text: the database's
    own rate, without converting every value to a Python object. Dates arrive as ISO text,
    which is what the export writes; the numeric columns are converted, and an empty one (SQL
    NULL) is None."""
    sql, params = page.query.sql_with_params()
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        text = b"".join(bytes(block) for block in copy).decode()
    batch: list[list[Any]] = list(csv.reader(io.StringIO(text)))
    for row in batch:
        for i in NUMBERS:
            row[i] = int(row[i]) if row[i] else None
    return batch


def export_rows(*, user: User, filters: RegistryFilters) -> Iterator[list[Any]]:
    """Rows in COLUMNS order, streamed in batches of tuples (no model instances), so memory
    stays flat and the rate is the database's for any size. The open flags of everyone in
    the export are read first, in one query (they are few beside the rows): the rows then
    stream without a query between them."""
    show_nik = access.sees_nik(user)
    own = user.person_id if user.role == Role.FACILITATOR else None
    ordered = engagement_export_rows(user=user, filters=filters).order_by("pk")
    person_flags, engagement_flags = open_flag_codes(
        person_ids=ordered.order_by().values("person_id")
    )
    for batch in _batches(ordered):
        for (
            pk,
            person_id,
            nik,
            full_name,
            sex,
            birth_date,
            slug,
            programme,
            legacy_title,
            level,
            unified_title,
            province,
            regency,
            district,
            employment,
            start,
            end,
            monthly,
            standard,
            status,
            verification,
        ) in batch:
            flags = person_flags.get(person_id, []) + engagement_flags.get(pk, [])
            yield [
                nik if show_nik or person_id == own else mask_nik(nik),
                full_name,
                sex,
                _iso(birth_date),
                slug,
                programme,
                legacy_title,
                ROMAN.get(level or 0, ""),
                unified_title,
                province,
                regency,
                district or "",
                employment,
                _iso(start),
                _iso(end),
                monthly if monthly is not None else "",
                standard if standard is not None else "",
                (standard - (monthly or 0)) if standard is not None else "",
                status,
                verification,
                ";".join(flags),
            ]


def _audited_filters(filters: RegistryFilters) -> dict[str, Any]:
    """The filters as the audit keeps them: a NIK typed as ``q`` masked, as on the pages."""
    kept = filters.as_dict()
    if kept.get("q") and any(ch.isdigit() for ch in kept["q"]):
        kept["q"] = mask_nik(nik_clean(kept["q"]))
    return kept


def registry_export(
    *,
    user: User,
    filters: RegistryFilters,
    fmt: str,
    output: Path,
    progress: "ProgressFn | None" = None,
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
                writer.writerow(row_safe(row))
                count += 1
                if progress and count % BATCH == 0:
                    progress(count, total, "Menulis baris…")
    else:
        # XlsxWriter in constant-memory mode writes each row to disk as it comes.
        # Inside: xlsxwriter is only needed by the export job itself.
        import xlsxwriter

        workbook = xlsxwriter.Workbook(str(output), {"constant_memory": True, **XLSXWRITER_OPTIONS})
        sheet = workbook.add_worksheet("registri")
        sheet.write_row(0, 0, COLUMNS)
        for row in export_rows(user=user, filters=filters):
            count += 1
            sheet.write_row(count, 0, row_safe(row))
            if progress and count % BATCH == 0:
                progress(count, total, "Menulis baris…")
        workbook.close()
    audit_record(
        actor=user,
        action=AuditEntry.Action.EXPORT,
        object_type="registry.export",
        object_repr=f"Ekspor registri {fmt.upper()} ({count} baris)",
        changes={
            "filters": _audited_filters(filters),
            "format": fmt,
            "rows": count,
            "nik_masked": not access.sees_nik(user),
        },
    )
    return count


def registry_export_job(job: "Job", progress: "ProgressFn") -> dict[str, Any]:
    """Background handler: export with the starter's scope, attach the file to the job."""
    if job.owner is None:  # no starter, no scope: refused, as registry_export refuses it
        raise PermissionDenied("Peran Anda tidak boleh mengekspor data registri.")
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


def registry_export_outcome(job: "Job") -> JobOutcome:
    """How a finished ``registry_export`` job reads (jobs.outcomes); the file is its button."""
    rows = int(job.result.get("rows", 0))
    return JobOutcome(
        sentences=[
            ngettext(
                "%(n)s baris ditulis ke berkas ekspor.",
                "%(n)s baris ditulis ke berkas ekspor.",
                rows,
            )
            % {"n": count(rows)}
        ]
    )
