"""Writes of the logbook: entries (one at a time or a device's batch), the monthly report's
maker-checker, and the month's caseloads of record. Each check says what, where and how to fix.
"""

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from collaboration.access import referral_party_q, referrals_visible
from collaboration.services import notification_send
from distribution.services import caseload_records_from_logbook
from logbook import access
from logbook.attachments import attachment_clean
from logbook.models import ActivityType, Entry, MonthlyReport, ProgrammeRules, ReportEvent
from regions.models import Village
from registry.models import Engagement, Programme

NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
MAX_CLIENTS = 1000
MAX_MINUTES = 24 * 60


class Conflict(ValidationError):
    """The month is already submitted or approved: the entry cannot join it (HTTP 409)."""


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def rules_for(programme_id: int) -> ProgrammeRules:
    rules = ProgrammeRules.objects.filter(programme_id=programme_id).first()
    return rules or ProgrammeRules(programme_id=programme_id)


def _locked_message(report: MonthlyReport) -> str:
    state = (
        "sudah disetujui" if report.status == MonthlyReport.Status.APPROVED else "sedang diajukan"
    )
    return (
        f"Laporan bulan {report.month:%m/%Y} {state}, jadi kegiatan tidak dapat ditambah atau "
        "diubah di bulan itu. Periksa tanggalnya; bila kegiatan memang di bulan itu, minta "
        "koordinator mengembalikan laporan."
    )


def _require_open(engagement: Engagement, month: dt.date) -> None:
    report = MonthlyReport.objects.filter(engagement=engagement, month=month).first()
    if report is not None and report.is_locked:
        raise Conflict({"date": _locked_message(report)})


def _check_date(engagement: Engagement, day: dt.date) -> None:
    today = timezone.localdate()
    if day > today:
        raise ValidationError(
            {"date": f"Tanggal {day:%d/%m/%Y} belum terjadi. Isi tanggal hari ini atau sebelumnya."}
        )
    oldest = today - dt.timedelta(days=settings.LOGBOOK_BACKDATE_DAYS)
    if day < oldest:
        raise ValidationError(
            {
                "date": f"Tanggal {day:%d/%m/%Y} lebih dari {settings.LOGBOOK_BACKDATE_DAYS} "
                "hari yang lalu; bulan itu sudah ditutup untuk pelaporan."
            }
        )
    if engagement.start_date and day < engagement.start_date:
        raise ValidationError(
            {"date": f"Tanggal sebelum penugasan mulai ({engagement.start_date:%d/%m/%Y})."}
        )
    if engagement.end_date and day > engagement.end_date:
        raise ValidationError(
            {"date": f"Tanggal setelah penugasan berakhir ({engagement.end_date:%d/%m/%Y})."}
        )


def villages_of(engagement: Engagement):
    """The facilitator's area: the villages of their district, else of their regency."""
    qs = Village.objects.select_related("district").order_by("district__name", "name")
    if engagement.district_id:
        return qs.filter(district_id=engagement.district_id)
    return qs.filter(district__regency_id=engagement.regency_id)


def _check_village(engagement: Engagement, village: Village | None) -> None:
    if village is None:
        raise ValidationError({"village": "Pilih desa/kelurahan tempat kegiatan."})
    inside = (
        village.district_id == engagement.district_id
        if engagement.district_id
        else village.code.startswith(engagement.regency_id + ".")
    )
    if not inside:
        where = (
            f"kecamatan {engagement.district.name}"
            if engagement.district_id
            else f"{engagement.regency.name}"
        )
        raise ValidationError(
            {
                "village": f"Desa/kelurahan {village.name} ({village.code}) di luar wilayah "
                f"tugas Anda ({where}). Pilih desa dari daftar."
            }
        )


def _check_minimum(
    *, engagement: Engagement, note: str, names: str, referral, rules: ProgrammeRules
) -> None:
    """UU PDP: counts, not names; a child's case never by name."""
    children = engagement.programme.handles_children or bool(referral and referral.is_child)
    if NIK_LIKE.search(note or ""):
        raise ValidationError(
            {"note": "Catatan memuat angka 16 digit seperti NIK. Hapus NIK dari catatan."}
        )
    if names.strip() and (children or not rules.names_beneficiaries):
        why = (
            "kasus anak tidak pernah dicatat dengan nama"
            if children
            else "aturan program ini hanya mencatat jumlah, bukan nama"
        )
        raise ValidationError({"beneficiary_names": f"Nama penerima tidak dicatat: {why}."})
    subject = (referral.subject_name or "").strip().lower() if referral is not None else ""
    if subject and subject in (note or "").lower():
        raise ValidationError(
            {
                "note": "Catatan memuat nama orang yang dirujuk. Tulis tanpa nama; rujukan "
                "sudah tertaut."
            }
        )


def _check_counts(clients_served: Any, duration_minutes: Any) -> tuple[int, int]:
    errors = {}
    try:
        clients = int(clients_served)
        if not 0 <= clients <= MAX_CLIENTS:
            raise ValueError
    except (TypeError, ValueError):
        errors["clients_served"] = f"Isi jumlah yang dilayani sebagai angka 0–{MAX_CLIENTS}."
        clients = 0
    try:
        minutes = int(duration_minutes)
        if not 1 <= minutes <= MAX_MINUTES:
            raise ValueError
    except (TypeError, ValueError):
        errors["duration_minutes"] = "Isi durasi dalam menit, 1–1440 (paling lama sehari)."
        minutes = 0
    if errors:
        raise ValidationError(errors)
    return clients, minutes


def _referral_for(actor: User, referral_uid) -> Any:
    if not referral_uid:
        return None

    ref = (
        referrals_visible(actor, bulk=False)
        .filter(referral_party_q(actor))
        .filter(uid=referral_uid)
        .first()
    )
    if ref is None:
        raise ValidationError({"referral": "Rujukan tidak ditemukan di antara rujukan Anda."})
    return ref


@transaction.atomic
def entry_create(
    *,
    actor: User,
    engagement: Engagement,
    date: dt.date,
    village: Village | None,
    activity_type: ActivityType | None,
    clients_served: Any,
    duration_minutes: Any,
    note: str = "",
    beneficiary_names: str = "",
    referral_uid: str | None = None,
    attachment=None,
    uid: uuid.UUID | None = None,
    origin: str = Entry.Origin.WEB,
) -> tuple[Entry, bool]:
    """Record one activity. Returns (entry, created).

    1. The entry's ``uid`` comes from the device: if it is already stored (a retry whose
       answer was lost), the stored entry is returned unchanged and nothing is written.
    2. Only the facilitator of the engagement writes, for a past or present day of an open
       month, in a village of their area, with an activity of their programme.
    3. Counts only (see _check_minimum); an attachment is checked and stripped before saving.
    """
    if not access.is_facilitator(actor) or engagement.person_id != actor.person_id:
        raise PermissionDenied("Hanya pendamping pemilik penugasan yang mencatat kegiatannya.")
    if uid is not None:
        existing = Entry.objects.filter(uid=uid).first()
        if existing is not None:
            if existing.person_id_ref != actor.person_id:
                raise ValidationError({"uid": "Kode catatan ini sudah dipakai. Kirim ulang."})
            return existing, False
    if engagement.status != Engagement.Status.ACTIVE:
        raise ValidationError("Penugasan ini sudah berakhir; kegiatan tidak dapat dicatat.")
    if date is None:
        raise ValidationError({"date": "Isi tanggal kegiatan."})
    _check_date(engagement, date)
    _require_open(engagement, month_of(date))
    _check_village(engagement, village)
    if (
        activity_type is None
        or activity_type.programme_id != engagement.programme_id
        or not activity_type.is_active
    ):
        raise ValidationError({"activity_type": "Pilih jenis kegiatan dari daftar program Anda."})
    clients, minutes = _check_counts(clients_served, duration_minutes)
    referral = _referral_for(actor, referral_uid)
    rules = rules_for(engagement.programme_id)
    _check_minimum(
        engagement=engagement,
        note=note,
        names=beneficiary_names,
        referral=referral,
        rules=rules,
    )
    entry = Entry(
        uid=uid or uuid.uuid4(),
        engagement=engagement,
        person_id_ref=engagement.person_id,
        programme_id_ref=engagement.programme_id,
        province_id_ref=engagement.province_id,
        regency_id_ref=engagement.regency_id,
        month=month_of(date),
        date=date,
        village=village,
        activity_type=activity_type,
        clients_served=clients,
        duration_minutes=minutes,
        note=(note or "").strip(),
        beneficiary_names=beneficiary_names.strip(),
        referral=referral,
        origin=origin,
        created_by=actor,
    )
    if attachment:
        clean = attachment_clean(attachment, keep_location=rules.keeps_photo_location)
        entry.attachment.save(clean.content.name, clean.content, save=False)
        entry.attachment_kind, entry.attachment_bytes = clean.kind, clean.size
    # The foreign keys were checked above; full_clean would look each one up again.
    entry.full_clean(
        exclude=["attachment", "engagement", "village", "activity_type", "referral", "created_by"]
    )
    entry.save()
    return entry, True


@transaction.atomic
def entry_delete(*, actor: User, entry: Entry) -> None:
    """The facilitator removes an entry of an open month (audited: the month's record changes)."""
    if not access.is_facilitator(actor) or entry.person_id_ref != actor.person_id:
        raise PermissionDenied("Hanya pendamping pemilik catatan yang dapat menghapusnya.")
    _require_open(entry.engagement, entry.month)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=entry,
        object_repr=f"Catatan kegiatan {entry.date:%Y-%m-%d}",
        changes={"clients_served": entry.clients_served, "activity_type": entry.activity_type_id},
        person_id=entry.person_id_ref,
    )
    if entry.attachment:
        # The file goes only once the deletion is committed: a rollback keeps both.
        storage, name = entry.attachment.storage, entry.attachment.name
        transaction.on_commit(lambda: storage.delete(name))
    entry.delete()


# --- a device's batch ----------------------------------------------------------------------


@dataclass
class Received:
    uid: str
    status: str  # "dibuat", "sudah_ada", "konflik", "ditolak"
    errors: dict[str, list[str]] = field(default_factory=dict)
    entry: Entry | None = None


def _errors_of(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: [m for e in v for m in e.messages] for k, v in error.error_dict.items()}
    return {"__all__": error.messages}


def entries_receive(*, actor: User, items: list[dict[str, Any]]) -> list[Received]:
    """Store what a device sends when it is back online: each item on its own (one bad item
    never blocks or half-writes the others), in the order sent, with the outcome per uid."""
    engagements = {str(e.uid): e for e in access.own_engagements(actor)}
    types = {
        t.pk: t
        for t in ActivityType.objects.filter(
            programme_id__in={e.programme_id for e in engagements.values()}
        )
    }
    codes = {str(i.get("village") or "") for i in items}
    villages = Village.objects.in_bulk([c for c in codes if c])
    out = []
    for item in items:
        raw_uid = str(item.get("uid") or "")
        try:
            uid = uuid.UUID(raw_uid)
        except ValueError:
            out.append(Received(raw_uid, "ditolak", {"uid": ["Kode catatan tidak sah."]}))
            continue
        engagement = engagements.get(str(item.get("engagement") or ""))
        if engagement is None:
            out.append(Received(raw_uid, "ditolak", {"engagement": ["Penugasan tidak ditemukan."]}))
            continue
        try:
            day = dt.date.fromisoformat(str(item.get("date") or ""))
        except ValueError:
            out.append(Received(raw_uid, "ditolak", {"date": ["Tanggal tidak sah."]}))
            continue
        try:
            type_id = int(item.get("activity_type") or 0)
        except (TypeError, ValueError):
            type_id = 0
        try:
            entry, created = entry_create(
                actor=actor,
                engagement=engagement,
                date=day,
                village=villages.get(str(item.get("village") or "")),
                activity_type=types.get(type_id),
                clients_served=item.get("clients_served"),
                duration_minutes=item.get("duration_minutes"),
                note=str(item.get("note") or ""),
                beneficiary_names=str(item.get("beneficiary_names") or ""),
                referral_uid=item.get("referral") or None,
                attachment=item.get("attachment"),
                uid=uid,
                origin=Entry.Origin.DEVICE,
            )
        except Conflict as error:
            out.append(Received(raw_uid, "konflik", _errors_of(error)))
        except ValidationError as error:
            out.append(Received(raw_uid, "ditolak", _errors_of(error)))
        except PermissionDenied as error:
            out.append(Received(raw_uid, "ditolak", {"__all__": [str(error)]}))
        else:
            out.append(Received(raw_uid, "dibuat" if created else "sudah_ada", entry=entry))
    return out


# --- the monthly report --------------------------------------------------------------------


def month_totals(*, month: dt.date, engagement_ids: list[int] | None = None) -> dict[int, dict]:
    """Per engagement: entries, minutes, clients served, cases (clients of the activities that
    count towards the caseload) and a breakdown per activity type. One GROUP BY over the
    month's entries, without a join: the counting activity types are read first."""
    qs = Entry.objects.filter(month=month)
    if engagement_ids is not None:
        qs = qs.filter(engagement_id__in=engagement_ids)
    counting = set(
        ActivityType.objects.filter(counts_towards_caseload=True).values_list("pk", flat=True)
    )
    totals: dict[int, dict] = {}
    rows = (
        qs.values_list("engagement_id", "activity_type_id")
        .annotate(n=Count("id"), minutes=Sum("duration_minutes"), served=Sum("clients_served"))
        .order_by()
    )
    for eid, type_id, n, minutes, served in rows.iterator(chunk_size=20_000):
        t = totals.get(eid)
        if t is None:
            t = totals[eid] = {
                "entries": 0,
                "minutes": 0,
                "clients_served": 0,
                "cases": 0,
                "by_type": {},
            }
        t["entries"] += n
        t["minutes"] += minutes or 0
        t["clients_served"] += served or 0
        if type_id in counting:
            t["cases"] += served or 0
        t["by_type"][str(type_id)] = {
            "entries": n,
            "clients_served": served or 0,
            "minutes": minutes or 0,
        }
    return totals


def _event(report: MonthlyReport, actor: User | None, action: str, note: str, now) -> None:
    ReportEvent.objects.create(report=report, at=now, actor=actor, action=action, note=note)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VERIFY if action != "ajukan" else AuditEntry.Action.CREATE,
        obj=report,
        changes={"status": report.status, "action": action, "cases": report.cases},
        note=note,
        person_id=report.person_id_ref,
    )


def _notify(users: list[User], title: str, body: str, report: MonthlyReport, now) -> None:
    notification_send(
        users=users,
        title=title,
        body=body,
        url=reverse("logbook:report-detail", args=[report.uid]),
        now=now,
    )


@transaction.atomic
def report_submit(
    *, actor: User, engagement: Engagement, month: dt.date, now: dt.datetime | None = None
) -> MonthlyReport:
    """The facilitator submits the month (the maker's step); its entries lock."""
    now = now or timezone.now()
    month = month_of(month)
    if not access.is_facilitator(actor) or engagement.person_id != actor.person_id:
        raise PermissionDenied("Hanya pendamping pemilik penugasan yang mengajukan laporannya.")
    if month > month_of(timezone.localdate(now)):
        raise ValidationError({"month": "Bulan ini belum tiba; laporan belum dapat diajukan."})
    report = (
        MonthlyReport.objects.select_for_update().filter(engagement=engagement, month=month).first()
    )
    if report is not None and report.is_locked:
        raise ValidationError(
            f"Laporan bulan {month:%m/%Y} sudah {report.get_status_display().lower()}; "
            "tidak perlu diajukan lagi."
        )
    totals = month_totals(month=month, engagement_ids=[engagement.pk]).get(engagement.pk)
    if not totals:
        raise ValidationError(
            {
                "month": f"Belum ada kegiatan tercatat pada bulan {month:%m/%Y}. Catat "
                "kegiatan dulu (yang masih menunggu dikirim harus terkirim), lalu ajukan."
            }
        )
    resubmitted = report is not None
    report = report or MonthlyReport(
        engagement=engagement,
        person_id_ref=engagement.person_id,
        programme_id_ref=engagement.programme_id,
        province_id_ref=engagement.province_id,
        regency_id_ref=engagement.regency_id,
        month=month,
    )
    for key, value in totals.items():
        setattr(report, key, value)
    report.status = MonthlyReport.Status.SUBMITTED
    report.submitted_by, report.submitted_at = actor, now
    report.full_clean(exclude=["engagement"])
    report.save()
    _event(report, actor, "ajukan_ulang" if resubmitted else "ajukan", "", now)
    _notify(
        access.coordinators_of(
            regency_id=engagement.regency_id, programme_id=engagement.programme_id
        ),
        f"Laporan kegiatan {month:%m/%Y} menunggu tinjauan",
        f"{engagement.person.display_name}: {report.entries} kegiatan, {report.cases} kasus.",
        report,
        now,
    )
    return report


def _lock(report: MonthlyReport) -> MonthlyReport:
    return MonthlyReport.objects.select_for_update().get(pk=report.pk)


def _require_decider(actor: User, report: MonthlyReport) -> None:
    if not access.can_decide(actor, report):
        raise PermissionDenied(
            "Laporan ini ditinjau oleh koordinator wilayah dan klasternya, bukan oleh pembuatnya."
        )
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ValidationError(
            f"Laporan ini {report.get_status_display().lower()}, tidak sedang menunggu tinjauan."
        )


@transaction.atomic
def report_approve(
    *, actor: User, report: MonthlyReport, note: str = "", now: dt.datetime | None = None
) -> MonthlyReport:
    """The coordinator approves: the month becomes the engagement's caseload of record."""
    now = now or timezone.now()
    report = _lock(report)
    _require_decider(actor, report)
    report.status, report.decided_by, report.decided_at = (
        MonthlyReport.Status.APPROVED,
        actor,
        now,
    )
    report.return_comment = ""
    report.save(
        update_fields=["status", "decided_by", "decided_at", "return_comment", "updated_at"]
    )
    month_caseloads_build(month=report.month, actor=actor, engagement_ids=[report.engagement_id])
    _event(report, actor, "setujui", note, now)
    _notify(
        [u for u in User.objects.filter(person_id=report.person_id_ref)],
        f"Laporan kegiatan {report.month:%m/%Y} disetujui",
        note,
        report,
        now,
    )
    return report


@transaction.atomic
def report_return(
    *, actor: User, report: MonthlyReport, comment: str, now: dt.datetime | None = None
) -> MonthlyReport:
    """The coordinator sends the month back with a comment; its entries unlock."""
    now = now or timezone.now()
    if not (comment or "").strip():
        raise ValidationError(
            {"comment": "Tuliskan apa yang perlu diperbaiki, agar pendamping tahu."}
        )
    report = _lock(report)
    _require_decider(actor, report)
    report.status, report.return_comment = MonthlyReport.Status.RETURNED, comment.strip()
    report.decided_by, report.decided_at = actor, now
    report.save(
        update_fields=["status", "return_comment", "decided_by", "decided_at", "updated_at"]
    )
    _event(report, actor, "kembalikan", comment.strip(), now)
    _notify(
        [u for u in User.objects.filter(person_id=report.person_id_ref)],
        f"Laporan kegiatan {report.month:%m/%Y} dikembalikan",
        comment.strip(),
        report,
        now,
    )
    return report


@transaction.atomic
def month_caseloads_build(
    *, month: dt.date, actor: User | None, engagement_ids: list[int] | None = None
) -> int:
    """The approved months' caseloads of record, built from their entries.

    1. One GROUP BY over the month's entries (of ``engagement_ids``, or all) gives each
       engagement's totals.
    2. Approved reports whose stored totals differ are brought in line (one bulk update).
    3. distribution writes the caseloads (one upsert per 5,000 engagements), replacing any
       operator-typed fallback for those months.

    Approval calls it for one engagement; ``logbook_caseloads`` (and the bench) for a whole
    month. Running it again changes nothing.
    """
    month = month_of(month)
    reports = MonthlyReport.objects.filter(month=month, status=MonthlyReport.Status.APPROVED)
    if engagement_ids is not None:
        reports = reports.filter(engagement_id__in=engagement_ids)
    approved = {
        r.engagement_id: r
        for r in reports.only(
            "id", "engagement_id", "entries", "minutes", "clients_served", "cases"
        )
    }
    if not approved:
        return 0
    totals = month_totals(
        month=month, engagement_ids=list(approved) if engagement_ids is not None else None
    )
    changed = []
    for eid, report in approved.items():
        t = totals.get(eid)
        if t is None:
            continue
        if (report.entries, report.minutes, report.clients_served, report.cases) != (
            t["entries"],
            t["minutes"],
            t["clients_served"],
            t["cases"],
        ):
            report.entries, report.minutes = t["entries"], t["minutes"]
            report.clients_served, report.cases = t["clients_served"], t["cases"]
            report.by_type = t["by_type"]
            changed.append(report)
    if changed:
        # One parameterised UPDATE per report, sent as one batch (psycopg pipelines it):
        # bulk_update's CASE per row grows with the square of the batch.
        json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {MonthlyReport._meta.db_table} SET entries = %s, minutes = %s, "
                f"clients_served = %s, cases = %s, by_type = {json_param}, updated_at = %s "
                "WHERE id = %s",
                [
                    (
                        r.entries,
                        r.minutes,
                        r.clients_served,
                        r.cases,
                        json.dumps(r.by_type),
                        now,
                        r.pk,
                    )
                    for r in changed
                ],
            )
    rows = [(eid, month, totals[eid]["cases"]) for eid in approved if eid in totals]
    return caseload_records_from_logbook(rows=rows, actor=actor, note=f"logbook {month:%Y-%m}")


# --- activity types as data ----------------------------------------------------------------


@transaction.atomic
def activity_types_load(*, data: dict[str, list[dict[str, Any]]]) -> int:
    """Load activity types per programme slug (``logbook/data/activity_types.json``):
    new codes are added, existing ones updated; nothing is deleted (entries point at them)."""
    programmes = {p.slug: p for p in Programme.objects.all()}
    count = 0
    for slug, types in data.items():
        programme = programmes.get(slug)
        if programme is None:
            continue
        for order, spec in enumerate(types):
            ActivityType.objects.update_or_create(
                programme=programme,
                code=spec["code"],
                defaults={
                    "name": spec["name"],
                    "description": spec.get("description", ""),
                    "client_unit": spec.get("client_unit", "klien"),
                    "counts_towards_caseload": spec.get("counts_towards_caseload", True),
                    "order": order,
                },
            )
            count += 1
    return count


@transaction.atomic
def programme_rules_set(
    *,
    actor: User,
    programme,
    names_beneficiaries: bool,
    keeps_photo_location: bool,
    legal_basis: str = "",
) -> ProgrammeRules:
    """Set what a programme's logbook may keep beyond the minimum (national administrators)."""
    if not (actor and actor.is_active and actor.role == Role.NATIONAL_ADMIN):
        raise PermissionDenied("Hanya administrator nasional yang menetapkan aturan logbook.")
    if names_beneficiaries and programme.handles_children:
        raise ValidationError(
            {"names_beneficiaries": "Program yang menangani anak tidak pernah mencatat nama."}
        )
    if (names_beneficiaries or keeps_photo_location) and not legal_basis.strip():
        raise ValidationError(
            {"legal_basis": "Sebutkan aturan program yang mengizinkan data tambahan ini."}
        )
    rules, _ = ProgrammeRules.objects.update_or_create(
        programme=programme,
        defaults={
            "names_beneficiaries": names_beneficiaries,
            "keeps_photo_location": keeps_photo_location,
            "legal_basis": legal_basis.strip(),
        },
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=rules,
        changes={"names": names_beneficiaries, "location": keeps_photo_location},
    )
    return rules
