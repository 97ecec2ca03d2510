"""Writes to the registry. Every write is scoped through accounts.access and audited."""

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.utils import timezone, translation

from accounts import access
from accounts.models import AuditEntry, User
from accounts.services import audit_diff, audit_record, audit_snapshot, system_user
from jobs.services import job_start_once
from regions.models import District, Regency, Village
from regions.selectors import region_code_sets
from registry import access as registry_access
from registry.concurrency import check_version
from registry.models import (
    EmploymentStatus,
    Engagement,
    Flag,
    Merge,
    Person,
    Programme,
    Verification,
)
from registry.nik import NikResult, mask_nik, nik_check, nik_clean, nik_mismatches
from registry.search import fold

if TYPE_CHECKING:
    from registry.selectors import RegistryFilters

DATA_DIR = Path(__file__).resolve().parent / "data"

PERSON_FIELDS = [
    "full_name",
    "titles_front",
    "titles_back",
    "sex",
    "birth_place",
    "birth_date",
    "phone",
    "email",
    "education_level",
    "education_field",
    "address_province_id",
    "address_regency_id",
    "address_district_id",
    "address_village_id",
]
ENGAGEMENT_FIELDS = [
    "legacy_title",
    "regency_id",
    "district_id",
    "village_id",
    "employment_status",
    "sk_number",
    "sk_date",
    "start_date",
    "end_date",
    "monthly_incentive",
    "status",
]


def programmes_load() -> int:
    """Create or update the clusters and programmes from the shipped reference file."""
    rows = json.loads((DATA_DIR / "programmes.json").read_text(encoding="utf-8"))
    for row in rows:
        Programme.objects.update_or_create(slug=row["slug"], defaults=row)
    return Programme.objects.count()


def name_key(full_name: str) -> str:
    """Upper case without accents, punctuation removed, spaces folded:
    'Siti  Aminah' == 'SITI AMINAH', 'José' == 'JOSE' (registry.search.fold)."""
    return fold(full_name)


def nik_validate(nik: str) -> NikResult:
    """Check a NIK against the rules and the loaded region table (see registry.nik)."""
    provinces, regencies = region_code_sets()
    return nik_check(nik, province_codes=provinces, regency_codes=regencies)


def _flag_open(
    *,
    person: Person,
    code: str,
    reason: str,
    engagement: Engagement | None = None,
    details: dict[str, Any] | None = None,
    source: str = "",
) -> Flag | None:
    """Raise a flag unless the same one is already open."""
    exists = Flag.objects.filter(
        person=person, engagement=engagement, code=code, resolved_at__isnull=True
    ).exists()
    if exists:
        return None
    return Flag.objects.create(
        person=person,
        engagement=engagement,
        code=code,
        reason=reason,
        details=details or {},
        source=source,
    )


def _person_nik_flags(person: Person, *, source: str) -> None:
    result = nik_validate(person.nik)
    for code, reason in nik_mismatches(result, sex=person.sex, birth_date=person.birth_date):
        _flag_open(person=person, code=code, reason=reason, source=source)
    for warning in result.warnings:
        _flag_open(person=person, code=Flag.Code.NIK_REGION_UNKNOWN, reason=warning, source=source)


def clean_region_chain(data: dict[str, Any], prefix: str = "") -> None:
    """Fill the province from the regency and check district/village belong to it."""
    regency_id = data.get(f"{prefix}regency_id")
    district_id = data.get(f"{prefix}district_id")
    village_id = data.get(f"{prefix}village_id")
    errors = {}
    if regency_id:
        regency = Regency.objects.filter(pk=regency_id).first()
        if regency is None:
            errors[f"{prefix}regency"] = f"Kode kabupaten/kota {regency_id} tidak dikenal."
        else:
            data[f"{prefix}province_id"] = regency.province_id
    if district_id and not District.objects.filter(pk=district_id, regency_id=regency_id).exists():
        errors[f"{prefix}district"] = "Kecamatan tidak berada di kabupaten/kota yang dipilih."
    if village_id and not Village.objects.filter(pk=village_id, district_id=district_id).exists():
        errors[f"{prefix}village"] = "Desa/kelurahan tidak berada di kecamatan yang dipilih."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def person_create(
    *,
    actor: User,
    nik: str,
    full_name: str,
    sex: str,
    birth_date: dt.date,
    source: str = "entri manual",
    **fields: Any,
) -> Person:
    """Register a person. The NIK must pass the rules; disagreements with it become flags."""
    access.require(
        access.can_write_somewhere(actor), "Peran Anda tidak boleh menambah data registri."
    )
    result = nik_validate(nik)
    if not result.is_valid:
        raise ValidationError({"nik": result.errors})
    registered = Person.objects.filter(nik=result.nik).first()
    if registered is not None:
        if registry_access.people_hidden(actor, [registered.pk]):
            # Someone outside the actor's scope: say nothing about them, and no way in.
            raise ValidationError(
                {
                    "nik": "NIK ini sudah terdaftar untuk orang di luar cakupan Anda; datanya "
                    "tidak dapat dibuka atau diubah dari sini. Bila orang ini juga bertugas di "
                    "wilayah Anda, unggah barisnya lewat impor: penugasannya dikonfirmasi oleh "
                    "pemegang cakupan orang itu."
                }
            )
        raise ValidationError(
            {"nik": "NIK ini sudah terdaftar; buka data orang tersebut dan tambahkan penugasannya."}
        )
    if fields.get("address_regency_id"):
        clean_region_chain(fields, prefix="address_")
    person = Person(
        nik=result.nik,
        full_name=full_name.strip(),
        name_key=name_key(full_name),
        sex=sex,
        birth_date=birth_date,
        created_by=actor if actor.pk else None,
        **{k: v for k, v in fields.items() if k in PERSON_FIELDS},
    )
    person.full_clean()
    person.save()
    _person_nik_flags(person, source=source)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=person,
        changes=audit_diff({}, audit_snapshot(person)),
        person_id=person.pk,
        note=source,
    )
    return person


@transaction.atomic
def person_update(
    *,
    actor: User,
    person: Person,
    data: dict[str, Any],
    source: str = "ubah manual",
    version: str | None = None,
) -> Person:
    """Change a person's facts; a changed sex or birth date is re-checked against the NIK.

    ``version`` is the one the editor saw (``registry.concurrency.version_of``): when the record
    changed since, ``RecordChanged`` is raised and nothing is written."""
    access.require(access.can_write(actor), "Peran Anda tidak boleh mengubah data registri.")
    registry_access.person_get(actor, person.uid)  # 404 when out of scope
    check_version(Person, person.pk, version)
    if data.get("address_regency_id"):
        clean_region_chain(data, prefix="address_")
    before = audit_snapshot(person, PERSON_FIELDS)
    for key, value in data.items():
        if key in PERSON_FIELDS:
            setattr(person, key, value)
    person.name_key = name_key(person.full_name)
    changes = audit_diff(before, audit_snapshot(person, PERSON_FIELDS))
    if not changes:
        return person
    person.full_clean()
    person.save(
        update_fields=[f for f in PERSON_FIELDS if f in {k for k in changes}]
        + ["name_key", "updated_at"]
    )
    if {"sex", "birth_date"} & set(changes):
        _person_nik_flags(person, source=source)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=person,
        changes=changes,
        person_id=person.pk,
        note=source,
        at=person.updated_at,
    )
    return person


def _check_dates(engagement: Engagement) -> None:
    if (
        engagement.start_date
        and engagement.end_date
        and engagement.end_date < engagement.start_date
    ):
        raise ValidationError({"end_date": "Tanggal selesai tidak boleh sebelum tanggal mulai."})


@transaction.atomic
def person_register(*, actor: User, person: dict[str, Any], engagement: dict[str, Any]) -> Person:
    """A new facilitator with their first engagement: both are saved, or neither.

    The web's "Tambah pendamping" form; a person without an engagement would be invisible to
    the operator who added them (scope follows engagements)."""
    created = person_create(actor=actor, **person)
    engagement_create(actor=actor, person=created, **engagement)
    return created


@transaction.atomic
def engagement_create(
    *,
    actor: User,
    person: Person,
    programme: Programme,
    regency_id: str,
    legacy_title: str,
    employment_status: str,
    source: str = "entri manual",
    **fields: Any,
) -> Engagement:
    """Add an engagement in a programme and regency the actor may write to."""
    if not registry_access.can_write_at(actor, programme=programme, regency_code=regency_id):
        raise PermissionDenied("Klaster/program atau wilayah ini di luar cakupan Anda.")
    data = {"regency_id": regency_id, **fields}
    clean_region_chain(data)
    if Engagement.objects.filter(
        person=person, programme=programme, regency_id=regency_id
    ).exists():
        raise ValidationError(
            {
                "regency": "Orang ini sudah punya penugasan di klaster/program "
                "dan kabupaten/kota ini."
            }
        )
    engagement = Engagement(
        person=person,
        programme=programme,
        legacy_title=legacy_title.strip(),
        employment_status=employment_status,
        created_by=actor if actor.pk else None,
        **{k: v for k, v in data.items() if k in ENGAGEMENT_FIELDS + ["province_id"]},
    )
    _check_dates(engagement)
    engagement.full_clean(exclude=["sk_document"])
    engagement.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=engagement,
        changes=audit_diff({}, audit_snapshot(engagement)),
        person_id=person.pk,
        note=source,
    )
    person_flags_refresh(person_ids=[person.pk], source=source)
    return engagement


@transaction.atomic
def engagement_update(
    *,
    actor: User,
    engagement: Engagement,
    data: dict[str, Any],
    source: str = "ubah manual",
    version: str | None = None,
) -> Engagement:
    """Change an engagement; ``version`` as in ``person_update``."""
    registry_access.engagement_get(actor, engagement.uid, for_write=True)
    check_version(Engagement, engagement.pk, version)
    if (
        "regency_id" in data
        and data["regency_id"] != engagement.regency_id
        and not registry_access.can_write_at(
            actor, programme=engagement.programme, regency_code=data["regency_id"]
        )
    ):
        raise PermissionDenied("Kabupaten/kota tujuan di luar cakupan Anda.")
    merged = {key: getattr(engagement, key) for key in ("regency_id", "district_id", "village_id")}
    merged.update(
        {k: v for k, v in data.items() if k in ("regency_id", "district_id", "village_id")}
    )
    clean_region_chain(merged)
    before = audit_snapshot(engagement, ENGAGEMENT_FIELDS + ["province_id"])
    for key, value in {**data, "province_id": merged["province_id"]}.items():
        if key in ENGAGEMENT_FIELDS + ["province_id"]:
            setattr(engagement, key, value)
    changes = audit_diff(before, audit_snapshot(engagement, ENGAGEMENT_FIELDS + ["province_id"]))
    if not changes:
        return engagement
    _check_dates(engagement)
    engagement.full_clean(exclude=["sk_document"])
    engagement.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=engagement,
        changes=changes,
        person_id=engagement.person_id,
        note=source,
        at=engagement.updated_at,
    )
    person_flags_refresh(person_ids=[engagement.person_id], source=source)
    return engagement


def _months(engagement: Engagement) -> tuple[int, int]:
    """The engagement's span in months since year 0 (open ends reach far past/future)."""
    start = engagement.start_date
    end = engagement.end_date
    return (
        start.year * 12 + start.month if start else 0,
        end.year * 12 + end.month if end else 10**6,
    )


def _overlap(a: Engagement, b: Engagement) -> bool:
    a0, a1 = _months(a)
    b0, b1 = _months(b)
    return a0 <= b1 and b0 <= a1


def payment_conflicts(
    engagements: Iterable[Engagement],
) -> dict[str, list[tuple[Engagement, Engagement]]]:
    """One door, one payment: pairs of a person's engagements paid over the same months.

    Returns {flag code: [(a, b), ...]}. An ended engagement still counts for the months it ran.
    """
    found: dict[str, list[tuple[Engagement, Engagement]]] = defaultdict(list)
    items = list(engagements)
    for i, a in enumerate(items):
        for b in items[i + 1 :]:
            if not _overlap(a, b):
                continue
            a_asn = a.employment_status in EmploymentStatus.asn()
            b_asn = b.employment_status in EmploymentStatus.asn()
            paid_a, paid_b = bool(a.monthly_incentive), bool(b.monthly_incentive)
            if a_asn != b_asn and ((not a_asn and paid_a) or (not b_asn and paid_b)):
                found[Flag.Code.ASN_ALSO_PAID].append((a, b))
            elif paid_a and paid_b:
                found[Flag.Code.CONCURRENT_PAID].append((a, b))
    return found


def _posting(engagement: Engagement) -> str:
    """'PKH (Kota Bandung)': what a reviewer recognises, not 'pkh/32.73'."""
    return f"{engagement.programme.name} ({engagement.regency.name})"


def person_flags_refresh(*, person_ids: Iterable[int], source: str = "") -> int:
    """Raise, update or close the payment flags of these people. Returns the number raised.

    Runs in bulk: one read of the engagements, one of the flags, then only the changes.
    A flag whose condition no longer holds is closed with a note, not deleted; an open flag whose
    pairs changed (a new engagement, a merge) is rewritten; a condition a reviewer already closed
    with exactly the same pairs is not raised again.
    """
    ids = list(set(person_ids))
    codes = [Flag.Code.CONCURRENT_PAID, Flag.Code.ASN_ALSO_PAID]
    by_person: dict[int, list[Engagement]] = defaultdict(list)
    engagements = Engagement.objects.filter(person_id__in=ids).select_related(
        "programme", "regency"
    )
    for engagement in engagements.order_by("pk"):
        by_person[engagement.person_id].append(engagement)
    open_flags: dict[tuple[int, str], Flag] = {}
    closed_details: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    for flag in Flag.objects.filter(person_id__in=ids, code__in=codes):
        if flag.resolved_at is None:
            open_flags[(flag.person_id, flag.code)] = flag
        elif flag.resolved_by_id:
            closed_details[(flag.person_id, flag.code)].append(flag.details)
    new_flags, raised = [], 0
    now = timezone.now()
    for person_id in ids:
        conflicts = payment_conflicts(by_person.get(person_id, []))
        for code in codes:
            pairs = conflicts.get(code, [])
            existing = open_flags.get((person_id, code))
            if not pairs:
                if existing is not None:
                    existing.resolved_at = now
                    existing.resolution_note = "Ditutup otomatis: kondisi tidak lagi terpenuhi."
                    existing.save(update_fields=["resolved_at", "resolution_note"])
                continue
            details = {"pairs": [[str(a.uid), str(b.uid)] for a, b in pairs]}
            described = "; ".join(f"{_posting(a)} & {_posting(b)}" for a, b in pairs)
            # Stored text: in the site's language, whoever's request raised it.
            with translation.override(settings.LANGUAGE_CODE):
                reason = f"{Flag.Code(code).label}: {described}."
            if existing is not None:
                if existing.details != details or existing.reason != reason:
                    existing.reason, existing.details = reason, details
                    existing.save(update_fields=["reason", "details"])
            elif details not in closed_details[(person_id, code)]:
                new_flags.append(
                    Flag(
                        person_id=person_id,
                        code=code,
                        reason=reason,
                        details=details,
                        source=source,
                    )
                )
                raised += 1
    Flag.objects.bulk_create(new_flags)
    return raised


@transaction.atomic
def flag_resolve(*, actor: User, flag: Flag, note: str) -> Flag:
    access.require(access.can_verify(actor) or access.can_write(actor))
    registry_access.person_get(actor, flag.person.uid)
    if not note.strip():
        raise ValidationError({"note": "Tuliskan alasan penyelesaian."})
    flag.resolved_at, flag.resolved_by, flag.resolution_note = timezone.now(), actor, note.strip()
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=flag,
        changes={"resolved": [False, True]},
        note=note,
        person_id=flag.person_id,
    )
    return flag


@transaction.atomic
def person_verify(*, actor: User, person: Person) -> Person:
    """Mark a person (and their pending engagements in scope) verified. Never one's own entry."""
    access.require(access.can_verify(actor), "Peran Anda tidak boleh memverifikasi.")
    registry_access.person_get(actor, person.uid)
    if person.created_by_id == actor.pk:
        raise PermissionDenied("Data yang Anda masukkan sendiri harus diverifikasi orang lain.")
    engagements = registry_access.engagements_visible(
        actor,
        person.engagements.filter(verification__in=[Verification.PENDING, Verification.RETURNED]),
    )
    if engagements.filter(created_by=actor).exists():
        raise PermissionDenied("Data yang Anda masukkan sendiri harus diverifikasi orang lain.")
    before = person.verification
    person.verification = Verification.VERIFIED
    person.save(update_fields=["verification", "updated_at"])
    count = engagements.update(verification=Verification.VERIFIED, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VERIFY,
        obj=person,
        changes={"verification": [before, person.verification]},
        note=f"{count} penugasan ikut terverifikasi",
        person_id=person.pk,
    )
    return person


@transaction.atomic
def audit_person_read(*, user: User, person: Person, via: str) -> None:
    """A read of one person's page (web) or detail (API), for the national auditor: who opened
    whose data and whether the NIK was shown in full (issue 22)."""
    audit_record(
        actor=user,
        action=AuditEntry.Action.READ,
        obj=person,
        person_id=person.pk,
        changes={"via": via, "nik_masked": not access.sees_nik(user, person)},
    )


def audit_list_read(
    *, user: User, filters: "RegistryFilters", rows: int, masked: bool, what: str = "people"
) -> None:
    """One audit entry per API page of personal data: who, which filter, how many rows and
    whether NIKs were masked (issue 12). One INSERT; an empty page is not recorded."""
    if not rows:
        return
    shown = {k: v for k, v in filters.as_dict().items() if v}
    if shown.get("q") and any(ch.isdigit() for ch in shown["q"]):
        shown["q"] = mask_nik(nik_clean(shown["q"]))  # audit entries obey the pages' masking
    audit_record(
        actor=user,
        action=AuditEntry.Action.READ,
        object_type=f"api.{what}",
        object_repr=f"API: daftar {'orang' if what == 'people' else 'penugasan'}",
        changes={"read": what, "filters": shown, "rows": rows, "masked": masked},
    )


COUNTS_JOB = "distribution_counts"


def counts_refresh_enqueue(*, regency_ids: Iterable[str]) -> None:
    """After a committed change to engagements in these regencies, refresh their cached counts
    (the distribution dashboard's) in the background. Asked for by kind, so the registry needs
    nothing of distribution; a refresh of the same regencies still queued is not queued again."""
    regencies = sorted({r for r in regency_ids if r})
    if not regencies:
        return
    job_start_once(
        kind=COUNTS_JOB,
        title="Hitung ulang angka penugasan",
        owner=system_user(),
        params={"regencies": regencies},
        key=",".join(regencies),
    )


def _duplicate_flags_between(one: Person, other: Person) -> QuerySet[Flag]:
    """The open possible-duplicate flags on either record that name the other one: by its
    record (``details.other_uid``, as the registry raises them) or by its whole NIK."""
    names = Q()
    for person, named in ((one, other), (other, one)):
        names |= Q(person=person, details__other_uid=str(named.uid))
        if named.nik:
            names |= Q(person=person, reason__contains=named.nik)
    return Flag.objects.filter(names, code=Flag.Code.POSSIBLE_DUPLICATE, resolved_at__isnull=True)


def _duplicate_flags_resolve(*, actor: User, keep: Person, merge: Person) -> list[int]:
    """Resolve, on the record that carries it, each open duplicate flag the merge answers. The
    note names the other record's NIK masked, as the flags' reasons do."""
    now, resolved = timezone.now(), []
    for flag in _duplicate_flags_between(keep, merge).order_by("pk"):
        other = merge if flag.person_id == keep.pk else keep
        flag.resolved_at, flag.resolved_by = now, actor
        flag.resolution_note = f"Diselesaikan oleh penggabungan dengan NIK {mask_nik(other.nik)}."
        flag.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
        resolved.append(flag.pk)
    return resolved


@transaction.atomic
def person_merge(*, actor: User, keep: Person, merge: Person, note: str = "") -> Person:
    """Merge a duplicate record into another. Both histories stay.

    1. Engagements of ``merge`` move to ``keep`` unless ``keep`` already serves in the same
       programme and regency; those stay on the merged record, ended, and are named in the audit.
    2. The open possible-duplicate flags between the two are resolved (by ``actor``, on the
       record that carries them, named in the audit); the other open flags of ``merge`` move
       to ``keep``; ``merge`` points at ``keep`` (merged_into) and keeps its NIK.
    """
    access.require(access.can_merge(actor), "Peran Anda tidak boleh menggabungkan data.")
    registry_access.person_get(actor, keep.uid)
    registry_access.person_get(actor, merge.uid)
    if keep.pk == merge.pk or merge.merged_into_id or keep.merged_into_id:
        raise ValidationError("Pilih dua orang berbeda yang belum digabung.")
    now = timezone.now()
    # What undoing needs, taken before anything changes (see Merge).
    snapshot = _rows_snapshot(
        [
            merge,
            *merge.engagements.order_by("pk"),
            *Flag.objects.filter(person__in=[keep, merge]).order_by("pk"),
        ]
    )
    last_flag = Flag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    taken = set(keep.engagements.values_list("programme_id", "regency_id"))
    regencies = {r for _, r in taken} | set(merge.engagements.values_list("regency_id", flat=True))
    moved, kept_back = [], []
    for engagement in merge.engagements.all():
        if (engagement.programme_id, engagement.regency_id) in taken:
            engagement.status = Engagement.Status.ENDED
            engagement.save(update_fields=["status", "updated_at"])
            kept_back.append(str(engagement.uid))
        else:
            engagement.person = keep
            engagement.save(update_fields=["person", "updated_at"])
            moved.append(str(engagement.uid))
    # Payment flags are recomputed on the kept person below; moving them would leave two open
    # flags of the same kind there, one describing pairs that no longer exist.
    Flag.objects.filter(
        person=merge,
        resolved_at__isnull=True,
        code__in=[Flag.Code.CONCURRENT_PAID, Flag.Code.ASN_ALSO_PAID],
    ).update(
        resolved_at=timezone.now(),
        resolution_note="Ditutup otomatis: digabung dan dihitung ulang pada data yang "
        "dipertahankan.",
    )
    resolved_flags = _duplicate_flags_resolve(actor=actor, keep=keep, merge=merge)
    Flag.objects.filter(person=merge, resolved_at__isnull=True).update(person=keep)
    merge.merged_into = keep
    merge.save(update_fields=["merged_into", "updated_at"])
    changes = {
        "merged_nik": merge.nik,
        "kept_nik": keep.nik,
        "moved": moved,
        "ended_on_merged": kept_back,
        "resolved_flags": resolved_flags,
    }
    for person in (keep, merge):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.MERGE,
            obj=person,
            changes=changes,
            note=note,
            person_id=person.pk,
        )
    person_flags_refresh(person_ids=[keep.pk], source="penggabungan")
    Merge.objects.create(
        keep=keep,
        merged=merge,
        merged_at=now,
        merged_by=actor,
        note=note,
        snapshot=snapshot,
        details={
            "engagements": {
                str(uid): updated.isoformat()
                for uid, updated in Engagement.objects.filter(
                    uid__in=[*moved, *kept_back]
                ).values_list("uid", "updated_at")
            },
            "merged_updated_at": Person.objects.get(pk=merge.pk).updated_at.isoformat(),
            "raised_flags": list(
                Flag.objects.filter(person=keep, pk__gt=last_flag).values_list("pk", flat=True)
            ),
        },
    )
    counts_refresh_enqueue(regency_ids=regencies)
    return keep


def _rows_snapshot(rows: list[Model]) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts that ``serializers.deserialize("python", ...)`` writes back
    exactly. Not the "json" serializer: it cuts datetimes to milliseconds."""

    def plain(value: Any) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    snapshot: list[dict[str, Any]] = json.loads(
        json.dumps(serializers.serialize("python", rows), default=plain)
    )
    return snapshot


def merge_undo_period() -> dt.timedelta:
    return dt.timedelta(days=settings.MERGE_UNDO_DAYS)


def merge_undo_problem(merge: Merge, *, now: dt.datetime | None = None) -> str:
    """Why this merge can no longer be undone safely, in words for the operator; "" if it can.

    Undoing writes back the rows as they stood before the merge: anything changed on them since
    would be lost, so such a change stops the undo and is named.
    """
    now = now or timezone.now()
    if merge.undone_at:
        when = timezone.localtime(merge.undone_at)
        return f"Penggabungan ini sudah dibatalkan pada {when:%d-%m-%Y}."
    if now > merge.merged_at + merge_undo_period():
        return (
            f"Penggabungan pada {timezone.localtime(merge.merged_at):%d-%m-%Y} sudah lewat "
            f"{settings.MERGE_UNDO_DAYS} hari; batas pembatalan habis. Perbaiki data melalui "
            "permohonan koreksi atau penugasan."
        )
    keep, merged = merge.keep, merge.merged
    if keep.merged_into_id:
        return (
            f"Data yang dipertahankan ({keep.display_name}) sudah digabung lagi ke data lain; "
            "batalkan penggabungan itu lebih dahulu."
        )
    if merged.merged_into_id != keep.pk:
        return "Data yang digabung tidak lagi menunjuk ke data yang dipertahankan."
    if merged.updated_at.isoformat() != merge.details.get("merged_updated_at"):
        return f"Data NIK {mask_nik(merged.nik)} diubah setelah penggabungan."
    recorded = merge.details.get("engagements", {})
    current = {
        str(e.uid): e
        for e in Engagement.objects.filter(uid__in=list(recorded)).select_related("programme")
    }
    for uid, updated in recorded.items():
        engagement = current.get(uid)
        if engagement is None:
            return f"Penugasan {uid} yang dipindahkan penggabungan sudah tidak ada."
        where = f"{engagement.programme.name}, kabupaten/kota {engagement.regency_id}"
        if engagement.updated_at.isoformat() != updated:
            return (
                f"Penugasan {where} diubah setelah penggabungan "
                f"({timezone.localtime(engagement.updated_at):%d-%m-%Y %H:%M}); membatalkan akan "
                "menghapus perubahan itu. Kembalikan perubahannya atau perbaiki data secara manual."
            )
        open_requests = engagement.hr_requests.filter(
            status__in=["diajukan", "diverifikasi", "dikembalikan"]
        )
        if open_requests.exists():
            return (
                f"Penugasan {where} punya permohonan yang belum selesai; selesaikan atau tolak "
                "permohonan itu lebih dahulu."
            )
    return ""


@transaction.atomic
def person_merge_undo(
    *, actor: User, merge: Merge, request_ref: str, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Undo a merge (an approved request, ``collaboration``): both records as before it.

    1. Refused with the reason when ``merge_undo_problem`` names one.
    2. The snapshot's rows (the merged-away person, its engagements, the flags of both people)
       are written back as they were, ``updated_at`` included; the flags the merge raised on the
       kept person, still open, are removed (they describe pairs that no longer exist).
    3. Audited on both people with the request it came from.
    """
    now = now or timezone.now()
    merge = Merge.objects.select_for_update().select_related("keep", "merged").get(pk=merge.pk)
    if problem := merge_undo_problem(merge, now=now):
        raise ValidationError(problem)
    for row in serializers.deserialize("python", merge.snapshot):
        row.save()  # a raw save: every field as stored, auto_now left alone
    removed, _ = Flag.objects.filter(
        pk__in=merge.details.get("raised_flags", []), resolved_at__isnull=True
    ).delete()
    merge.undone_at, merge.undone_by, merge.undo_request_ref = now, actor, request_ref
    merge.save(update_fields=["undone_at", "undone_by", "undo_request_ref"])
    changes = {
        "undone_merge": str(merge.uid),
        "merged_nik": merge.merged.nik,
        "kept_nik": merge.keep.nik,
        "restored_engagements": list(merge.details.get("engagements", {})),
        "removed_flags": removed,
    }
    for person in (merge.keep, merge.merged):
        audit_record(
            actor=actor,
            action=AuditEntry.Action.MERGE,
            obj=person,
            changes=changes,
            note=f"Pembatalan penggabungan, permohonan {request_ref}",
            person_id=person.pk,
        )
    counts_refresh_enqueue(
        regency_ids=Engagement.objects.filter(person__in=[merge.keep, merge.merged]).values_list(
            "regency_id", flat=True
        )
    )
    return changes
