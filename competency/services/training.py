"""Training writes: providers, courses, classes, enrolment, attendance and completion."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from competency import access
from competency.models import (
    Attendance,
    Course,
    CourseUnit,
    Enrolment,
    TrainingClass,
    TrainingProvider,
)
from competency.services.common import actor_ref, codes_of_units
from registry.models import Person


@transaction.atomic
def training_provider_create(
    *, actor: User, name: str, address: str = "", staff: Iterable[User] = ()
) -> TrainingProvider:
    access.require(
        access.can_register_provider(actor),
        _("Hanya administrator yang boleh mendaftarkan penyelenggara pelatihan."),
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
        _("Anda tidak mengelola penyelenggara pelatihan ini."),
    )
    codes = codes_of_units(unit_codes)
    if not codes:
        raise ValidationError(
            {"units": _("Pelatihan harus mencakup sedikitnya satu unit kompetensi.")}
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
    access.require(
        access.can_manage_course(actor, course), _("Anda tidak mengelola pelatihan ini.")
    )
    training_class = TrainingClass(
        course=course,
        name=name.strip(),
        start_date=start_date,
        end_date=end_date,
        place=place.strip(),
        capacity=capacity,
        regency_id=regency_id or None,
        status=status,
        created_by=actor_ref(actor),
    )
    if end_date < start_date:
        raise ValidationError({"end_date": _("Tanggal selesai tidak boleh sebelum tanggal mulai.")})
    training_class.full_clean()
    training_class.save()
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, obj=training_class)
    return training_class


@transaction.atomic
def enrolment_create(*, actor: User, training_class: TrainingClass, person: Person) -> Enrolment:
    """Enrol a person: registration must be open and the prerequisites passed. Beyond the
    capacity the person goes on the class's waiting list (status ``menunggu``)."""
    if not access.can_enrol(actor, person, training_class):
        raise PermissionDenied(_("Anda tidak boleh mendaftarkan orang ini."))
    # Lock the class row: two enrolments for the last seat must not both succeed.
    training_class = TrainingClass.objects.select_for_update().get(pk=training_class.pk)
    if training_class.status not in {TrainingClass.Status.OPEN, TrainingClass.Status.PLANNED}:
        raise ValidationError(_("Pendaftaran angkatan ini tidak dibuka."))
    taken = training_class.enrolments.exclude(
        status__in=[Enrolment.Status.WITHDRAWN, Enrolment.Status.WAITLISTED]
    ).count()
    if training_class.enrolments.filter(person=person).exists():
        raise ValidationError(_("Orang ini sudah terdaftar di angkatan ini."))
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
                _("Prasyarat belum dipenuhi: %(courses)s.")
                % {"courses": ", ".join(c.title for c in missing)}
            )
    full = taken >= training_class.capacity
    enrolment = Enrolment.objects.create(
        training_class=training_class,
        person=person,
        status=Enrolment.Status.WAITLISTED if full else Enrolment.Status.ENROLLED,
        enrolled_by=actor_ref(actor),
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=enrolment,
        object_repr=f"Pendaftaran {person.full_name} di {training_class}"
        + (" (daftar tunggu)" if full else ""),
        person_id=person.pk,
    )
    return enrolment


@transaction.atomic
def attendance_record(
    *, actor: User, enrolment: Enrolment, day: dt.date, present: bool
) -> Attendance:
    training_class = enrolment.training_class
    access.require(
        access.can_manage_enrolment(actor, enrolment), _("Anda tidak mengelola peserta ini.")
    )
    if not training_class.start_date <= day <= training_class.end_date:
        raise ValidationError({"day": _("Tanggal di luar jadwal angkatan.")})
    attendance, _created = Attendance.objects.update_or_create(
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
        access.can_manage_enrolment(actor, enrolment), _("Anda tidak mengelola peserta ini.")
    )
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(_("Peserta sudah batal."))
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
