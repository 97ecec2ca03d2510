"""Caseloads: entering one engagement's month, and importing a caseload table."""

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from distribution.models import CaseloadRecord
from distribution.services.tables import CLUSTER_COLUMNS, fail, first_column, read_or_fail
from regions.codes import code_from_cell
from registry import access as registry_access
from registry.models import Engagement
from satupintu.tables import Problems, cell, count_from_cell

# An approved logbook month is the caseload of record: operators' numbers are the fallback
# for months without one, and never overwrite it.
LOGBOOK_OWNS = gettext_lazy(
    "beban kasus bulan ini berasal dari laporan logbook yang sudah disetujui koordinator; "
    "angka operator hanya cadangan untuk bulan tanpa laporan logbook."
)


def month(value: dt.date) -> dt.date:
    return value.replace(day=1)


@transaction.atomic
def caseload_records_from_logbook(
    *, rows: list[tuple[int, dt.date, int]], actor: User | None, note: str = ""
) -> int:
    """Write approved logbook months as the caseloads of record: (engagement id, month, cases).

    Called by the logbook app once its own maker-checker has approved the months (it checks
    who may approve; this only writes). An operator's number for the same month is replaced,
    and the replaced values are audited. One upsert per 5,000 rows, so that a whole month for
    the country (100,000 engagements) is a few statements.
    """
    if not rows:
        return 0
    now = timezone.now()
    replaced = 0
    for start in range(0, len(rows), 5000):
        chunk = rows[start : start + 5000]
        replaced += (
            CaseloadRecord.objects.filter(
                engagement_id__in=[r[0] for r in chunk],
                period__in={r[1] for r in chunk},
            )
            .exclude(source=CaseloadRecord.Source.LOGBOOK)
            .count()
        )
        CaseloadRecord.objects.bulk_create(
            [
                CaseloadRecord(
                    engagement_id=eid,
                    period=month(period),
                    cases=cases,
                    source=CaseloadRecord.Source.LOGBOOK,
                    created_by=actor if actor is not None and actor.pk else None,
                    created_at=now,
                    updated_at=now,
                )
                for eid, period, cases in chunk
            ],
            update_conflicts=True,
            unique_fields=["engagement", "period"],
            update_fields=["cases", "source", "updated_at"],
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="distribution.caseloadrecord",
        object_repr="Beban kasus dari logbook",
        changes={"rows": len(rows), "replaced_operator_rows": replaced},
        note=note,
    )
    return len(rows)


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
        registry_access.can_write_at(
            actor, programme=engagement.programme, regency_code=engagement.regency_id
        ),
        gettext("Anda tidak berwenang mengisi beban kasus penugasan ini."),
    )
    if cases < 0:
        raise ValidationError({"cases": gettext("Jumlah kasus tidak boleh negatif.")})
    if CaseloadRecord.objects.filter(
        engagement=engagement, period=month(period), source=CaseloadRecord.Source.LOGBOOK
    ).exists():
        raise ValidationError({"cases": str(LOGBOOK_OWNS)})
    record, created = CaseloadRecord.objects.get_or_create(
        engagement=engagement,
        period=month(period),
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
    access.require(
        access.can_write(actor), gettext("Peran Anda tidak boleh mengimpor beban kasus.")
    )
    table = read_or_fail(path, display_name, set(CASELOAD_COLUMNS["period"]))
    problems = Problems(table.file)
    col = {key: first_column(table.header, names) for key, names in CASELOAD_COLUMNS.items()}
    by_key = col["id"] is None and None in (col["nik"], col["cluster"], col["regency"])
    if col["period"] is None or col["cases"] is None or by_key:
        problems.add(
            table.header_row,
            "",
            gettext("kolom wajib tidak lengkap."),
            gettext(
                "sediakan 'periode', 'jumlah_kasus', dan 'id_penugasan' atau "
                "'nik' + 'klaster' + 'kode_kabupaten'."
            ),
        )
        fail(problems)
    visible = registry_access.engagements_visible(actor).select_related("programme")
    parsed: list[tuple[int, Any, dt.date, int]] = []
    wanted_uids, wanted_niks = set(), set()
    for row_number, cells in table.rows:
        period = _parse_month(cell(cells, col["period"]))
        if period is None:
            problems.add(
                row_number,
                table.raw_header[col["period"]],
                gettext("periode '%(value)s' tidak dikenali.")
                % {"value": cell(cells, col["period"]) or ""},
                gettext("tulis bulan sebagai TTTT-BB, mis. 2025-06."),
            )
        cases = count_from_cell(cell(cells, col["cases"]))
        if cases is None:
            problems.add(
                row_number,
                table.raw_header[col["cases"]],
                gettext("jumlah kasus '%(value)s' bukan bilangan bulat.")
                % {"value": cell(cells, col["cases"]) or ""},
                gettext("isi angka bulat tidak negatif, mis. 240."),
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
            regency = (
                code_from_cell(cell(cells, col["regency"]), level="regency").code
                if col["regency"] is not None
                else None
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
                gettext("penugasan %(key)s tidak ditemukan dalam cakupan Anda.")
                % {"key": key if isinstance(key, str) else " / ".join(str(k) for k in key)},
                gettext("periksa NIK, slug klaster dan kode kabupaten/kota (atau id_penugasan)."),
            )
            continue
        if not registry_access.can_write_at(
            actor, programme=engagement.programme, regency_code=engagement.regency_id
        ):
            problems.add(
                row_number,
                "",
                gettext("Anda tidak berwenang mengisi penugasan ini."),
                gettext("hapus baris ini."),
            )
            continue
        if (engagement.pk, period) in records:
            problems.add(
                row_number,
                "",
                gettext("penugasan dan periode %(period)s sudah ada di baris %(row)s.")
                % {"period": f"{period:%Y-%m}", "row": records[(engagement.pk, period)][0]},
                gettext("satu baris per penugasan per bulan."),
            )
            continue
        records[(engagement.pk, period)] = (row_number, engagement, cases)
    if not records and not problems:
        problems.add(
            None, "", gettext("berkas tidak berisi baris data."), gettext("isi minimal satu baris.")
        )
    if problems:
        fail(problems)
    existing = {
        (r.engagement_id, r.period): r
        for r in CaseloadRecord.objects.filter(
            engagement_id__in={k[0] for k in records}, period__in={k[1] for k in records}
        )
    }
    for key, (row_number, _e, _cases) in records.items():
        if key in existing and existing[key].source == CaseloadRecord.Source.LOGBOOK:
            problems.add(row_number, "", str(LOGBOOK_OWNS), gettext("hapus baris ini."))
    if problems:
        fail(problems)
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
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
