"""Writes for training, certification and recognition. Each one checks access, validates,
writes in one transaction and leaves an audit entry.

Lapses (an expired or revoked certificate) recompute the attained level of the people
concerned, before and after; where it falls below the position level of an engagement fixed by
SK, ``registry.level_reviews`` opens a review case. No position level is ever changed here.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import access as accounts_access
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_diff, audit_record, audit_record_many, audit_snapshot
from competency import access
from competency.models import (
    UNIT_CODE,
    Assessment,
    Assessor,
    Attendance,
    Certificate,
    CertificateUnit,
    CertificationBody,
    Course,
    CourseUnit,
    Enrolment,
    Notification,
    RplApplication,
    RplEvidence,
    RplUnitDecision,
    Scheme,
    SchemeUnit,
    TestSite,
    TrainingClass,
    TrainingProvider,
    UnitResult,
    Verdict,
)
from competency.qualification import catalogue_in_force
from competency.selectors import engine_in_force, unit_sets
from registry.level_reviews import ReviewRequest, decided_engagements, level_reviews_raise
from registry.models import ROMAN, LevelReview, Person

REMINDER_DAYS = (90, 30, 7)
STATUS_INDEX_TRIES = 20


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def validity_end(issued_on: dt.date, years: int) -> dt.date:
    """Valid through the day before the anniversary: issued 15-01-2024, 3 years -> 14-01-2027."""
    return _add_years(issued_on, years) - dt.timedelta(days=1)


def _unit_codes(codes: Iterable[str], *, field_name: str = "units") -> list[str]:
    """Clean and check unit codes: SKKNI format, and known in the framework in force (if any)."""
    cleaned = sorted({c.strip().upper() for c in codes if c and c.strip()})
    bad = [c for c in cleaned if not UNIT_CODE.match(c)]
    if bad:
        raise ValidationError(
            {field_name: f"Kode unit tidak sesuai format SKKNI: {', '.join(bad)}."}
        )
    catalogue = catalogue_in_force()
    if catalogue is not None:
        unknown = [c for c in cleaned if c not in catalogue.index]
        if unknown:
            raise ValidationError(
                {
                    field_name: "Unit tidak ada dalam kerangka yang berlaku: "
                    + ", ".join(unknown)
                    + "."
                }
            )
    return cleaned


def _unit_titles(codes: Iterable[str]) -> dict[str, str]:
    catalogue = catalogue_in_force()
    titles = catalogue.unit_titles if catalogue else {}
    return {c: titles.get(c, "") for c in codes}


def _actor_ref(actor: User | None) -> User | None:
    return actor if actor and actor.pk else None


# ---------------------------------------------------------------------------------------------
# Training


@transaction.atomic
def training_provider_create(
    *, actor: User, name: str, address: str = "", staff: Iterable[User] = ()
) -> TrainingProvider:
    access.require(
        access.can_register_provider(actor),
        "Hanya administrator yang boleh mendaftarkan penyelenggara pelatihan.",
    )
    provider = TrainingProvider(name=name.strip(), address=address.strip())
    provider.full_clean()
    provider.save()
    staff = list(staff)
    provider.staff.set(staff)
    # Naming staff grants them the provider's catalogue: the audit entry says who.
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=provider,
        changes={"staff": sorted(u.username for u in staff)} if staff else None,
    )
    return provider


@transaction.atomic
def course_create(
    *,
    actor: User,
    provider: TrainingProvider,
    code: str,
    title: str,
    hours: int,
    mode: str,
    unit_codes: Iterable[str],
    description: str = "",
    prerequisites: Iterable[Course] = (),
) -> Course:
    access.require(
        access.providers_managed(actor).filter(pk=provider.pk).exists(),
        "Anda tidak mengelola penyelenggara pelatihan ini.",
    )
    codes = _unit_codes(unit_codes)
    if not codes:
        raise ValidationError(
            {"units": "Pelatihan harus mencakup sedikitnya satu unit kompetensi."}
        )
    course = Course(
        provider=provider,
        code=code.strip().lower(),
        title=title.strip(),
        hours=hours,
        mode=mode,
        description=description.strip(),
    )
    course.full_clean()
    course.save()
    CourseUnit.objects.bulk_create([CourseUnit(course=course, unit_code=c) for c in codes])
    course.prerequisites.set([p for p in prerequisites if p.pk != course.pk])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=course,
        changes={"units": codes, "hours": hours, "mode": mode},
    )
    return course


@transaction.atomic
def training_class_create(
    *,
    actor: User,
    course: Course,
    name: str,
    start_date: dt.date,
    end_date: dt.date,
    place: str,
    capacity: int,
    regency_id: str | None = None,
    status: str = TrainingClass.Status.OPEN,
) -> TrainingClass:
    access.require(access.can_manage_course(actor, course), "Anda tidak mengelola pelatihan ini.")
    training_class = TrainingClass(
        course=course,
        name=name.strip(),
        start_date=start_date,
        end_date=end_date,
        place=place.strip(),
        capacity=capacity,
        regency_id=regency_id or None,
        status=status,
        created_by=_actor_ref(actor),
    )
    if end_date < start_date:
        raise ValidationError({"end_date": "Tanggal selesai tidak boleh sebelum tanggal mulai."})
    training_class.full_clean()
    training_class.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=training_class)
    return training_class


@transaction.atomic
def enrolment_create(*, actor: User, training_class: TrainingClass, person: Person) -> Enrolment:
    """Enrol a person: registration must be open, a seat free and the prerequisites passed."""
    if not access.can_enrol(actor, person):
        raise PermissionDenied("Anda tidak boleh mendaftarkan orang ini.")
    # Lock the class row: two enrolments for the last seat must not both succeed.
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if training_class.status not in {TrainingClass.Status.OPEN, TrainingClass.Status.PLANNED}:
        raise ValidationError("Pendaftaran angkatan ini tidak dibuka.")
    taken = training_class.enrolments.exclude(status=Enrolment.Status.WITHDRAWN).count()
    if taken >= training_class.capacity:
        raise ValidationError("Kapasitas angkatan ini sudah penuh.")
    if training_class.enrolments.filter(person=person).exists():
        raise ValidationError("Orang ini sudah terdaftar di angkatan ini.")
    required = set(training_class.course.prerequisites.values_list("pk", flat=True))
    if required:
        passed = set(
            person.enrolments.filter(
                status=Enrolment.Status.PASSED, training_class__course_id__in=required
            ).values_list("training_class__course_id", flat=True)
        )
        missing = Course.objects.filter(pk__in=required - passed).order_by("code")
        if missing:
            raise ValidationError(
                "Prasyarat belum dipenuhi: " + ", ".join(c.title for c in missing) + "."
            )
    enrolment = Enrolment.objects.create(
        training_class=training_class, person=person, enrolled_by=_actor_ref(actor)
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=enrolment,
        object_repr=f"Pendaftaran {person.full_name} di {training_class}",
        person_id=person.pk,
    )
    return enrolment


@transaction.atomic
def attendance_record(
    *, actor: User, enrolment: Enrolment, day: dt.date, present: bool
) -> Attendance:
    training_class = enrolment.training_class
    access.require(
        access.can_manage_class(actor, training_class), "Anda tidak mengelola angkatan ini."
    )
    if not training_class.start_date <= day <= training_class.end_date:
        raise ValidationError({"day": "Tanggal di luar jadwal angkatan."})
    attendance, _ = Attendance.objects.update_or_create(
        enrolment=enrolment, day=day, defaults={"present": present}
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=attendance,
        changes={"day": day.isoformat(), "present": present},
        person_id=enrolment.person_id,
    )
    return attendance


@transaction.atomic
def enrolment_complete(
    *,
    actor: User,
    enrolment: Enrolment,
    passed: bool,
    completed_on: dt.date | None = None,
    note: str = "",
) -> Enrolment:
    """Record the outcome. Completing a course does not certify a unit: only an LSP does."""
    access.require(
        access.can_manage_class(actor, enrolment.training_class),
        "Anda tidak mengelola angkatan ini.",
    )
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError("Peserta sudah batal.")
    before = enrolment.status
    enrolment.status = Enrolment.Status.PASSED if passed else Enrolment.Status.FAILED
    enrolment.completed_on = completed_on or timezone.localdate()
    enrolment.note = note.strip()[:250]
    enrolment.save(update_fields=["status", "completed_on", "note"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=enrolment,
        changes={"status": [before, enrolment.status]},
        person_id=enrolment.person_id,
    )
    return enrolment


# ---------------------------------------------------------------------------------------------
# Certification bodies, schemes, test sites, assessors


def _require_certification_manager(actor: User) -> None:
    access.require(
        access.can_manage_certification(actor),
        "Hanya administrator nasional yang mengelola LSP, skema, TUK dan asesor.",
    )


@transaction.atomic
def lsp_create(
    *,
    actor: User,
    name: str,
    kind: str,
    licence_number: str,
    licence_valid_until: dt.date,
    licence_valid_from: dt.date | None = None,
) -> CertificationBody:
    _require_certification_manager(actor)
    lsp = CertificationBody(
        name=name.strip(),
        kind=kind,
        licence_number=licence_number.strip(),
        licence_valid_from=licence_valid_from,
        licence_valid_until=licence_valid_until,
    )
    _licence_dates_check(lsp)
    lsp.full_clean()
    lsp.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=lsp)
    return lsp


@transaction.atomic
def scheme_create(
    *,
    actor: User,
    lsp: CertificationBody,
    code: str,
    name: str,
    unit_codes: Iterable[str],
    level: int | None = None,
    validity_years: int = 3,
) -> Scheme:
    _require_certification_manager(actor)
    codes = _unit_codes(unit_codes)
    if not codes:
        raise ValidationError({"units": "Skema harus memuat sedikitnya satu unit kompetensi."})
    scheme = Scheme(
        lsp=lsp,
        code=code.strip().lower(),
        name=name.strip(),
        level=level,
        validity_years=validity_years,
    )
    scheme.full_clean()
    scheme.save()
    SchemeUnit.objects.bulk_create([SchemeUnit(scheme=scheme, unit_code=c) for c in codes])
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=scheme, changes={"units": codes})
    return scheme


@transaction.atomic
def test_site_create(
    *,
    actor: User,
    lsp: CertificationBody,
    name: str,
    kind: str,
    regency_id: str | None = None,
    address: str = "",
) -> TestSite:
    _require_certification_manager(actor)
    site = TestSite(lsp=lsp, name=name.strip(), kind=kind, regency_id=regency_id, address=address)
    site.full_clean()
    site.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=site)
    return site


@transaction.atomic
def assessor_create(
    *, actor: User, user: User, lsp: CertificationBody, registration_number: str
) -> Assessor:
    _require_certification_manager(actor)
    if user.role != Role.ASSESSOR:
        raise ValidationError({"user": "Pengguna harus berperan asesor."})
    assessor = Assessor(user=user, lsp=lsp, registration_number=registration_number.strip())
    assessor.full_clean()
    assessor.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=assessor)
    return assessor


# What an update may change. The owning LSP, a scheme's code and an assessor's account are
# fixed: assessments, certificate numbers and worklists hang on them; a change there is a new
# record, not an edit.
LSP_FIELDS = [
    "name",
    "kind",
    "licence_number",
    "licence_valid_from",
    "licence_valid_until",
    "is_active",
]
SCHEME_FIELDS = ["name", "level", "validity_years", "is_active"]
TEST_SITE_FIELDS = ["name", "kind", "regency_id", "address"]
ASSESSOR_FIELDS = ["registration_number", "is_active"]


def _fields_apply(
    obj, data: dict[str, Any], fields: list[str], check: Callable[[Any], None] | None = None
) -> dict[str, list[Any]]:
    """Set the allowed fields from ``data``, validate (``check``, then the model), save what
    changed; return the diff for the audit entry."""
    before = audit_snapshot(obj, fields)
    for key, value in data.items():
        if key in fields:
            setattr(obj, key, value.strip() if isinstance(value, str) else value)
    changes = audit_diff(before, audit_snapshot(obj, fields))
    if changes:
        if check is not None:
            check(obj)
        obj.full_clean()
        obj.save(update_fields=list(changes))
    return changes


def lsp_licence_dates_check(*, valid_from: dt.date | None, valid_until: dt.date | None) -> None:
    """Refuse a licence that ends before it starts (the start is optional). lsp_create and
    lsp_update run it; the API's input check runs it too, to report it with other input errors."""
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationError(
            {"licence_valid_until": "Lisensi tidak boleh berakhir sebelum mulai berlaku."}
        )


def _licence_dates_check(lsp: CertificationBody) -> None:
    lsp_licence_dates_check(valid_from=lsp.licence_valid_from, valid_until=lsp.licence_valid_until)


def _licence_valid_on(lsp: CertificationBody, day: dt.date) -> bool:
    return (lsp.licence_valid_from is None or lsp.licence_valid_from <= day) and (
        day <= lsp.licence_valid_until
    )


@transaction.atomic
def lsp_update(*, actor: User, lsp: CertificationBody, data: dict[str, Any]) -> CertificationBody:
    _require_certification_manager(actor)
    changes = _fields_apply(lsp, data, LSP_FIELDS, check=_licence_dates_check)
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=lsp, changes=changes)
    return lsp


@transaction.atomic
def scheme_update(*, actor: User, scheme: Scheme, data: dict[str, Any]) -> Scheme:
    """Change a scheme's name, level, validity or activity, and its units while no assessment
    uses it (an assessment is judged, and its certificate issued, against the scheme's units)."""
    _require_certification_manager(actor)
    changes = _fields_apply(scheme, data, SCHEME_FIELDS)
    if "unit_codes" in data:
        codes = _unit_codes(data["unit_codes"])
        if not codes:
            raise ValidationError({"units": "Skema harus memuat sedikitnya satu unit kompetensi."})
        current = sorted(scheme.units.values_list("unit_code", flat=True))
        if codes != current:
            if scheme.assessments.exists():
                raise ValidationError(
                    {"units": "Unit skema tidak dapat diubah setelah ada asesmen; buat skema baru."}
                )
            scheme.units.all().delete()
            SchemeUnit.objects.bulk_create([SchemeUnit(scheme=scheme, unit_code=c) for c in codes])
            changes["units"] = [current, codes]
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=scheme, changes=changes)
    return scheme


@transaction.atomic
def test_site_update(*, actor: User, site: TestSite, data: dict[str, Any]) -> TestSite:
    _require_certification_manager(actor)
    changes = _fields_apply(site, data, TEST_SITE_FIELDS)
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=site, changes=changes)
    return site


@transaction.atomic
def assessor_update(*, actor: User, assessor: Assessor, data: dict[str, Any]) -> Assessor:
    """Change the registration number or (de)activate; an inactive assessor keeps the results
    already recorded but gets no new assessment and loses their worklist."""
    _require_certification_manager(actor)
    changes = _fields_apply(assessor, data, ASSESSOR_FIELDS)
    if changes:
        audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=assessor, changes=changes)
    return assessor


# ---------------------------------------------------------------------------------------------
# Assessment and certificates


@transaction.atomic
def assessment_schedule(
    *,
    actor: User,
    person: Person,
    scheme: Scheme,
    assessor: Assessor,
    scheduled_on: dt.date,
    test_site: TestSite | None = None,
) -> Assessment:
    """Schedule a person's assessment under an active scheme of an active LSP whose BNSP
    licence covers the day (a certificate from an unlicensed LSP is not recognised), by an
    active assessor of that LSP, at one of its TUK."""
    _require_certification_manager(actor)
    lsp = scheme.lsp
    if not scheme.is_active:
        raise ValidationError({"scheme": "Skema tidak aktif."})
    if not lsp.is_active:
        raise ValidationError({"scheme": f"LSP pemilik skema ({lsp.name}) tidak aktif."})
    if not _licence_valid_on(lsp, scheduled_on):
        raise ValidationError(
            {
                "scheduled_on": f"Lisensi {lsp.name} tidak berlaku pada tanggal uji "
                f"{scheduled_on:%d-%m-%Y}."
            }
        )
    if assessor.lsp_id != scheme.lsp_id or (test_site and test_site.lsp_id != scheme.lsp_id):
        raise ValidationError("Asesor dan TUK harus dari LSP pemilik skema.")
    if not assessor.is_active:
        raise ValidationError({"assessor": "Asesor tidak aktif."})
    assessment = Assessment.objects.create(
        person=person,
        scheme=scheme,
        assessor=assessor,
        test_site=test_site,
        scheduled_on=scheduled_on,
        created_by=_actor_ref(actor),
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=assessment, person_id=person.pk)
    return assessment


@transaction.atomic
def unit_result_record(
    *,
    actor: User,
    assessment: Assessment,
    unit_code: str,
    verdict: str,
    assessed_on: dt.date | None = None,
    evidence: UploadedFile | None = None,
    note: str = "",
) -> UnitResult:
    """Judge one unit. A unit judged Belum Kompeten may be judged again (a new attempt); one
    already Kompeten may not."""
    access.require(access.can_judge(actor, assessment), "Asesmen ini tidak ditugaskan kepada Anda.")
    if assessment.status != Assessment.Status.SCHEDULED:
        raise ValidationError("Asesmen ini sudah ditutup.")
    unit_code = unit_code.strip().upper()
    if not assessment.scheme.units.filter(unit_code=unit_code).exists():
        raise ValidationError({"unit_code": "Unit ini tidak termasuk skema asesmen."})
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": "Keputusan harus Kompeten atau Belum Kompeten."})
    previous = assessment.results.filter(unit_code=unit_code).order_by("-attempt").first()
    if previous and previous.verdict == Verdict.COMPETENT:
        raise ValidationError({"unit_code": "Unit ini sudah dinyatakan Kompeten."})
    result = UnitResult(
        assessment=assessment,
        unit_code=unit_code,
        attempt=(previous.attempt + 1) if previous else 1,
        verdict=verdict,
        assessor=actor.assessor,
        assessed_on=assessed_on or timezone.localdate(),
        note=note.strip(),
    )
    if evidence is not None:
        result.evidence = evidence
    result.full_clean()
    result.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=result,
        changes={"unit": unit_code, "verdict": verdict, "attempt": result.attempt},
        person_id=assessment.person_id,
    )
    return result


def _status_index() -> int:
    """A random free position in the status list, in a range twice the number of certificates
    (at least one 131,072-bit block), so that positions say nothing about the order of issue."""
    from competency.credentials import STATUS_LIST_BLOCK

    count = Certificate.objects.count()
    capacity = max(STATUS_LIST_BLOCK, -(-(2 * count) // STATUS_LIST_BLOCK) * STATUS_LIST_BLOCK)
    for _ in range(STATUS_INDEX_TRIES):
        index = secrets.randbelow(capacity)
        if not Certificate.objects.filter(status_index=index).exists():
            return index
    raise RuntimeError("Tidak menemukan posisi kosong di daftar status.")


def _certificate_number(scheme: Scheme, issued_on: dt.date) -> str:
    Scheme.objects.select_for_update().filter(pk=scheme.pk).first()  # serialise numbering
    prefix = f"{scheme.lsp_id:03d}/{scheme.code.upper()}/{issued_on.year}/"
    count = Certificate.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:06d}"


def _certificate_create(
    *,
    actor: User | None,
    person: Person,
    scheme: Scheme,
    unit_codes: list[str],
    issued_on: dt.date,
    assessment: Assessment | None,
    number: str = "",
) -> Certificate:
    certificate = Certificate(
        number=number or _certificate_number(scheme, issued_on),
        person=person,
        scheme=scheme,
        lsp=scheme.lsp,
        assessment=assessment,
        level=scheme.level,
        issued_on=issued_on,
        valid_until=validity_end(issued_on, scheme.validity_years),
        status_index=_status_index(),
        created_by=_actor_ref(actor),
    )
    certificate.full_clean()
    certificate.save()
    titles = _unit_titles(unit_codes)
    CertificateUnit.objects.bulk_create(
        [
            CertificateUnit(certificate=certificate, unit_code=c, unit_title=titles[c])
            for c in unit_codes
        ]
    )
    return certificate


@transaction.atomic
def certificate_issue(
    *,
    actor: User,
    assessment: Assessment,
    issued_on: dt.date | None = None,
    number: str = "",
) -> Certificate:
    """Issue the certificate of an assessment whose every scheme unit is Kompeten (its latest
    attempt). The assessment is closed; the holder's attained level may rise."""
    scheme = assessment.scheme
    access.require(
        access.can_issue_certificate(actor, lsp_id=scheme.lsp_id),
        "Hanya LSP pemilik skema yang menerbitkan sertifikat.",
    )
    if assessment.status == Assessment.Status.CANCELLED:
        raise ValidationError("Asesmen ini dibatalkan.")
    if assessment.certificates.filter(revoked_at__isnull=True).exists():
        raise ValidationError("Sertifikat untuk asesmen ini sudah terbit.")
    latest: dict[str, str] = {}
    for result in assessment.results.order_by("attempt"):
        latest[result.unit_code] = result.verdict
    codes = list(scheme.units.values_list("unit_code", flat=True))
    not_yet = [c for c in codes if latest.get(c) != Verdict.COMPETENT]
    if not_yet:
        raise ValidationError("Belum semua unit dinyatakan Kompeten: " + ", ".join(not_yet) + ".")
    issued_on = issued_on or timezone.localdate()
    certificate = _certificate_create(
        actor=actor,
        person=assessment.person,
        scheme=scheme,
        unit_codes=codes,
        issued_on=issued_on,
        assessment=assessment,
        number=number,
    )
    assessment.status = Assessment.Status.DONE
    assessment.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=certificate,
        changes={
            "number": certificate.number,
            "units": codes,
            "valid_until": certificate.valid_until.isoformat(),
        },
        person_id=assessment.person_id,
    )
    return certificate


@transaction.atomic
def certificate_renew(
    *, actor: User, certificate: Certificate, issued_on: dt.date | None = None
) -> Certificate:
    """Issue the renewal (same scheme and units, a fresh validity); the old one points at it."""
    access.require(
        access.can_issue_certificate(actor, lsp_id=certificate.lsp_id),
        "Hanya LSP penerbit yang memperbarui sertifikat.",
    )
    if certificate.revoked_at or certificate.renewed_by_id:
        raise ValidationError(
            "Sertifikat yang dicabut atau sudah diperbarui tidak dapat diperbarui."
        )
    issued_on = issued_on or timezone.localdate()
    if issued_on > timezone.localdate():
        raise ValidationError(
            {"issued_on": "Tanggal terbit perpanjangan tidak boleh di masa depan."}
        )
    if issued_on < certificate.issued_on:
        raise ValidationError(
            {
                "issued_on": "Tanggal terbit perpanjangan tidak boleh sebelum sertifikat asalnya "
                f"terbit ({certificate.issued_on:%d-%m-%Y})."
            }
        )
    lsp = CertificationBody.objects.get(pk=certificate.lsp_id)  # as it stands now
    if not lsp.is_active or not _licence_valid_on(lsp, issued_on):
        raise ValidationError(
            {
                "issued_on": f"{lsp.name} tidak aktif atau lisensinya tidak berlaku pada "
                f"{issued_on:%d-%m-%Y}: sertifikat tidak dapat diperpanjang olehnya."
            }
        )
    renewal = _certificate_create(
        actor=actor,
        person=certificate.person,
        scheme=certificate.scheme,
        unit_codes=list(certificate.units.values_list("unit_code", flat=True)),
        issued_on=issued_on,
        assessment=None,
    )
    certificate.renewed_by = renewal
    certificate.status = Certificate.Status.RENEWED
    certificate.save(update_fields=["renewed_by", "status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=renewal,
        changes={"renews": certificate.number, "valid_until": renewal.valid_until.isoformat()},
        person_id=certificate.person_id,
    )
    return renewal


@dataclass
class LapseReport:
    certificates: list[int] = field(default_factory=list)
    levels: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)  # before, after
    reviews_raised: list[int] = field(default_factory=list)
    reviews_refreshed: list[int] = field(default_factory=list)
    notifications: int = 0


def _lapse_reviews(
    *,
    person_ids: list[int],
    lapsed_ids: list[int],
    on: dt.date,
    actor: User | None,
    cause: str,
    report: LapseReport,
) -> None:
    """Attained level with and without the lapsed certificates; a fall below a decided position
    level (SK) opens a review case (kind sertifikat_berakhir). Positions stay as they are."""
    engine = engine_in_force()
    if engine is None or not person_ids:
        return
    before = engine.assess_groups(
        unit_sets(on=on, people=person_ids, assume_valid=lapsed_ids), with_cover=False
    )
    after = engine.assess_groups(unit_sets(on=on, people=person_ids), with_cover=False)
    lowered: dict[int, tuple[int | None, int | None]] = {}
    for pid in person_ids:
        b = before[pid].attained if pid in before else None
        a = after[pid].attained if pid in after else None
        report.levels[pid] = (b, a)
        if (a or 0) < (b or 0):
            lowered[pid] = (b, a)
    requests = []
    for engagement in decided_engagements(person_ids=lowered):
        b, a = lowered[engagement.person_id]
        if (a or 0) >= engagement.position_level:
            continue
        requests.append(
            ReviewRequest(
                engagement_id=engagement.pk,
                proposed_level=a,
                reason=(
                    f"{cause} menurunkan jenjang capaian dari {ROMAN.get(b or 0, '—')} menjadi "
                    f"{ROMAN.get(a or 0, 'tanpa jenjang')}, di bawah jenjang jabatan "
                    f"{ROMAN.get(engagement.position_level, '?')} yang ditetapkan dengan SK "
                    f"{engagement.position_sk_number}. Jenjang jabatan tidak diubah otomatis; "
                    "putuskan melalui SK baru atau tutup kasus ini."
                ),
                details={"attained_before": b, "attained_after": a, "certificates": lapsed_ids},
            )
        )
    result = level_reviews_raise(
        requests=requests, kind=LevelReview.Kind.CERTIFICATE_LAPSE, actor=actor, note=cause
    )
    report.reviews_raised += result.raised
    report.reviews_refreshed += result.refreshed


def _notify(
    *,
    certificate: Certificate,
    kind: str,
    title: str,
    body: str,
    key: str = "",
    email: bool = False,
) -> Notification | None:
    """One notification per certificate event (in-app for the holder's account, and an e-mail
    when asked and an address is known). A second call for the same event does nothing."""
    person = certificate.person
    user = User.objects.filter(person=person, is_active=True).first()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                person=person,
                user=user,
                kind=kind,
                title=title,
                body=body,
                url=f"/kompetensi/sertifikat/{certificate.uid}/",
                certificate=certificate,
                key=key,
            )
    except IntegrityError:
        return None
    address = person.email or (user.email if user else "")
    if email and address:
        sent = send_mail(
            subject=f"[Satu Pintu] {title}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
            fail_silently=True,
        )
        if sent:
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
    return notification


@transaction.atomic
def certificate_revoke(*, actor: User, certificate: Certificate, reason: str) -> LapseReport:
    """Revoke: the certificate stops counting at once; a lowered level may open review cases."""
    access.require(
        access.can_revoke(actor), "Hanya administrator nasional yang mencabut sertifikat."
    )
    if not reason.strip():
        raise ValidationError({"reason": "Alasan pencabutan wajib diisi."})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.revoked_at is not None:
        raise ValidationError("Sertifikat ini sudah dicabut.")
    before = certificate.status
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by = _actor_ref(actor)
    certificate.status = Certificate.Status.REVOKED
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by", "status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=certificate,
        changes={"status": [before, certificate.status], "reason": certificate.revoked_reason},
        person_id=certificate.person_id,
    )
    report = LapseReport(certificates=[certificate.pk])
    _lapse_reviews(
        person_ids=[certificate.person_id],
        lapsed_ids=[certificate.pk],
        on=timezone.localdate(),
        actor=actor,
        cause=f"Pencabutan sertifikat {certificate.number}",
        report=report,
    )
    if _notify(
        certificate=certificate,
        kind=Notification.Kind.REVOKED,
        title=f"Sertifikat {certificate.number} dicabut",
        body=f"Sertifikat kompetensi {certificate.number} ({certificate.scheme.name}) telah "
        f"dicabut. Alasan: {certificate.revoked_reason}",
        email=True,
    ):
        report.notifications += 1
    return report


@transaction.atomic
def certificates_expire(*, actor: User | None = None, on: dt.date | None = None) -> LapseReport:
    """Mark certificates past their validity as expired, notify their holders, and open review
    cases where the lapse lowered a decided level. Counting never waited for this: validity is
    derived from the dates; this records it and acts on it."""
    on = on or timezone.localdate()
    lapsed = list(
        Certificate.objects.select_for_update()
        .filter(status=Certificate.Status.VALID, revoked_at__isnull=True, valid_until__lt=on)
        .select_related("person", "scheme")
    )
    report = LapseReport(certificates=[c.pk for c in lapsed])
    if not lapsed:
        return report
    Certificate.objects.filter(pk__in=report.certificates).update(status=Certificate.Status.EXPIRED)
    now = timezone.now()
    audit_record_many(
        [
            AuditEntry(
                at=now,
                actor=_actor_ref(actor),
                actor_label=actor.username if actor else "sistem",
                action=AuditEntry.Action.UPDATE,
                object_type="competency.certificate",
                object_id=str(c.pk),
                object_repr=c.number,
                person_id_ref=c.person_id,
                changes={"status": [Certificate.Status.VALID, Certificate.Status.EXPIRED]},
                note=f"Berakhir {c.valid_until:%d-%m-%Y}",
            )
            for c in lapsed
        ]
    )
    _lapse_reviews(
        person_ids=sorted({c.person_id for c in lapsed}),
        lapsed_ids=report.certificates,
        on=on,
        actor=actor,
        cause="Berakhirnya masa berlaku sertifikat",
        report=report,
    )
    for c in lapsed:
        if _notify(
            certificate=c,
            kind=Notification.Kind.EXPIRED,
            title=f"Sertifikat {c.number} kedaluwarsa",
            body=f"Masa berlaku sertifikat kompetensi {c.number} ({c.scheme.name}) berakhir "
            f"pada {c.valid_until:%d-%m-%Y}. Unit-unitnya tidak lagi dihitung untuk jenjang "
            "Anda sampai sertifikat diperbarui.",
            email=True,
        ):
            report.notifications += 1
    return report


def certificate_reminders_send(
    *, on: dt.date | None = None, days: Iterable[int] = REMINDER_DAYS
) -> dict[str, int]:
    """Remind holders before expiry: one notification (and e-mail) per threshold reached.

    A certificate with ``d`` days left gets the reminder of the smallest threshold ≥ ``d``
    unless that one was already sent; so a run missed for a week still sends one reminder,
    and running twice sends nothing new.
    """
    on = on or timezone.localdate()
    thresholds = sorted(set(days))
    horizon = on + dt.timedelta(days=thresholds[-1])
    sent = emailed = 0
    candidates = Certificate.objects.filter(
        revoked_at__isnull=True,
        renewed_by__isnull=True,
        valid_until__gte=on,
        valid_until__lte=horizon,
    ).select_related("person", "scheme")
    for c in candidates.iterator(chunk_size=500):
        left = (c.valid_until - on).days
        threshold = next(t for t in thresholds if t >= left)
        notification = _notify(
            certificate=c,
            kind=Notification.Kind.EXPIRY_REMINDER,
            key=str(threshold),
            title=f"Sertifikat {c.number} berakhir dalam {left} hari",
            body=f"Sertifikat kompetensi {c.number} ({c.scheme.name}) berlaku sampai "
            f"{c.valid_until:%d-%m-%Y}. Ajukan perpanjangan (sertifikasi ulang) kepada "
            f"{c.lsp.name} sebelum tanggal itu agar unit-unitnya tetap dihitung.",
            email=True,
        )
        if notification is not None:
            sent += 1
            emailed += notification.emailed_at is not None
    return {"notifications": sent, "emails": emailed}


def certificate_reminders_job(job, progress) -> dict[str, Any]:
    """Job handler (kind ``competency_reminders``): reminders, then the expiry pass."""
    progress(0, 2, "Mengirim pengingat masa berlaku…")
    reminders = certificate_reminders_send()
    progress(1, 2, "Menandai sertifikat kedaluwarsa…")
    report = certificates_expire(actor=job.owner)
    job.message = (
        f"{reminders['notifications']} pengingat, {len(report.certificates)} sertifikat "
        f"kedaluwarsa, {len(report.reviews_raised)} kasus tinjauan jenjang."
    )
    return {
        **reminders,
        "expired": len(report.certificates),
        "reviews_raised": len(report.reviews_raised),
    }


@transaction.atomic
def notification_read(*, actor: User, notification: Notification) -> Notification:
    if notification.user_id != actor.pk and not (
        actor.person_id and notification.person_id == actor.person_id
    ):
        raise PermissionDenied("Notifikasi ini bukan untuk Anda.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


# ---------------------------------------------------------------------------------------------
# RPL


@transaction.atomic
def rpl_apply(
    *,
    actor: User,
    person: Person,
    unit_codes: Iterable[str],
    evidence: Iterable[tuple[str, UploadedFile, str]] = (),
    note: str = "",
) -> RplApplication:
    """A facilitator (for themself) or an operator applies for recognition of prior learning
    with evidence (documents, letters of assignment, prior certificates)."""
    access.require(
        access.can_apply_rpl(actor, person), "Anda tidak boleh mengajukan RPL untuk orang ini."
    )
    codes = _unit_codes(unit_codes)
    if not codes:
        raise ValidationError({"units": "Pilih sedikitnya satu unit yang diajukan."})
    application = RplApplication.objects.create(
        person=person, requested_units=codes, note=note.strip(), submitted_by=_actor_ref(actor)
    )
    for kind, file, description in evidence:
        rpl_evidence_add(
            actor=actor, application=application, kind=kind, file=file, description=description
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=application,
        changes={"units": codes},
        person_id=person.pk,
    )
    return application


@transaction.atomic
def rpl_evidence_add(
    *,
    actor: User,
    application: RplApplication,
    kind: str,
    file: UploadedFile,
    description: str = "",
) -> RplEvidence:
    access.require(
        access.can_add_rpl_evidence(actor, application),
        "Anda tidak boleh menambah bukti pada permohonan ini.",
    )
    if application.status != RplApplication.Status.SUBMITTED:
        raise ValidationError("Permohonan ini sudah diputuskan.")
    item = RplEvidence(
        application=application,
        kind=kind,
        file=file,
        description=description.strip()[:250],
        uploaded_by=_actor_ref(actor),
    )
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=item,
        object_repr=f"Bukti RPL ({item.get_kind_display()})",
        person_id=application.person_id,
    )
    return item


@transaction.atomic
def rpl_assign(*, actor: User, application: RplApplication, assessor: Assessor) -> RplApplication:
    """Assign (or reassign) the assessor of an application awaiting a decision. A decided or
    withdrawn one keeps the assessor it had: the decision is theirs."""
    _require_certification_manager(actor)
    if application.status != RplApplication.Status.SUBMITTED:
        raise ValidationError("Permohonan ini tidak lagi menunggu keputusan.")
    application.assessor = assessor
    application.save(update_fields=["assessor"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=application,
        changes={"assessor": assessor.pk},
        person_id=application.person_id,
    )
    return application


@transaction.atomic
def rpl_decide(
    *,
    actor: User,
    application: RplApplication,
    decisions: dict[str, bool],
    decided_on: dt.date | None = None,
    notes: dict[str, str] | None = None,
    validity_years: int = 3,
) -> RplApplication:
    """The assessor judges every requested unit; recognised units count like certified ones
    (source: RPL) for ``validity_years``."""
    access.require(
        access.can_judge_rpl(actor, application), "Permohonan ini tidak ditugaskan kepada Anda."
    )
    if application.status != RplApplication.Status.SUBMITTED:
        raise ValidationError("Permohonan ini sudah diputuskan.")
    requested = set(application.requested_units)
    if set(decisions) != requested:
        raise ValidationError("Putuskan setiap unit yang diajukan, tidak lebih dan tidak kurang.")
    if not application.evidence.exists():
        raise ValidationError("Permohonan tanpa bukti tidak dapat dinilai.")
    decided_on = decided_on or timezone.localdate()
    notes = notes or {}
    rows = [
        RplUnitDecision(
            application=application,
            unit_code=code,
            recognised=recognised,
            assessor=actor.assessor,
            decided_on=decided_on,
            valid_until=validity_end(decided_on, validity_years) if recognised else None,
            note=notes.get(code, ""),
        )
        for code, recognised in sorted(decisions.items())
    ]
    RplUnitDecision.objects.bulk_create(rows)
    application.status = RplApplication.Status.DECIDED
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=application,
        changes={
            "recognised": sorted(c for c, ok in decisions.items() if ok),
            "not_recognised": sorted(c for c, ok in decisions.items() if not ok),
        },
        person_id=application.person_id,
    )
    return application


# ---------------------------------------------------------------------------------------------
# Credentials and exports


def credential_for(certificate: Certificate) -> str:
    """The certificate's signed VC-JWT."""
    from competency import credentials

    catalogue = catalogue_in_force()
    title = catalogue.level_titles.get(certificate.level or 0, "") if catalogue else ""
    return credentials.sign(credentials.certificate_credential(certificate, level_title=title))


def status_list_token() -> str:
    """The revocation status list credential, signed, as of now."""
    from competency import credentials

    revoked = list(
        Certificate.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True)
    )
    return credentials.sign(credentials.status_list_credential(revoked, issued=timezone.now()))


def credentials_export_audit(
    *, actor: User, count: int, target: str, person: Person | None
) -> None:
    """Exports of personal data in bulk are always logged (UU PDP)."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="competency.credential",
        object_repr=f"Ekspor {count} kredensial",
        changes={"count": count, "target": target},
        person_id=person.pk if person else None,
    )


def certificates_for_export(
    *, actor: User, nik: str = ""
) -> tuple[list[Certificate], Person | None]:
    """Valid certificates the actor may export (all in scope, or one person's by NIK)."""
    qs = (
        access.certificates_visible(actor)
        .select_related("person", "scheme", "lsp")
        .prefetch_related("units")
    )
    if not (accounts_access.can_export(actor) or access.can_manage_certification(actor)):
        raise PermissionDenied("Peran Anda tidak boleh mengekspor kredensial.")
    today = timezone.localdate()
    qs = qs.filter(revoked_at__isnull=True, issued_on__lte=today, valid_until__gte=today)
    person = None
    if nik:
        person = access.people_visible(actor).filter(nik=nik.strip()).first()
        if person is None:
            raise ValidationError({"nik": "NIK tidak ditemukan dalam cakupan Anda."})
        qs = qs.filter(person=person)
    return list(qs.order_by("issued_on", "id")), person
