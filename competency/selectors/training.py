"""Training reads: the course catalogue, providers, classes, rosters and histories."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from competency import access
from competency.models import Course, CourseUnit, Enrolment, TrainingClass, TrainingProvider
from competency.selectors.certification import count_of
from registry.models import Person


def course_list(*, q: str = "", only_active: bool = True) -> QuerySet[Course]:
    """The catalogue is public to signed-in users: it holds no personal data."""
    qs = Course.objects.select_related("provider").prefetch_related(
        Prefetch("units", queryset=CourseUnit.objects.order_by("unit_code")),
        "prerequisites",
    )
    if only_active:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q) | Q(units__unit_code=q))
    return qs.distinct().order_by("code")


def course_get(*, code: str) -> Course:
    course = course_list(only_active=False).filter(code=code).first()
    if course is None:
        raise Http404(_("Pelatihan tidak ditemukan."))
    return course


def provider_list(*, user: User, q: str = "") -> QuerySet[TrainingProvider]:
    """The providers the user manages (all of them for administrators), with their staff and
    the number of courses in the catalogue."""
    qs = (
        access.providers_managed(user)
        .annotate(course_count=count_of(Course, "provider"))
        .prefetch_related(
            Prefetch("staff", queryset=User.objects.order_by("first_name", "username"))
        )
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("name")


def provider_staff_candidates() -> QuerySet[User]:
    """Active accounts with the training-provider role, who may be named a provider's staff."""
    return User.objects.filter(role=Role.TRAINING_PROVIDER, is_active=True).order_by(
        "first_name", "username"
    )


def class_list(*, course: Course | None = None, upcoming: bool = False) -> QuerySet[TrainingClass]:
    qs = TrainingClass.objects.select_related("course", "course__provider", "regency").annotate(
        enrolled=Count(
            "enrolments",
            filter=~Q(
                enrolments__status__in=[Enrolment.Status.WITHDRAWN, Enrolment.Status.WAITLISTED]
            ),
        ),
        waitlisted=Count("enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITLISTED)),
    )
    if course is not None:
        qs = qs.filter(course=course)
    if upcoming:
        qs = qs.filter(end_date__gte=timezone.localdate()).exclude(
            status=TrainingClass.Status.CANCELLED
        )
    return qs.order_by("start_date", "id")


def class_get(*, uid) -> TrainingClass:
    training_class = class_list().filter(uid=uid).first()
    if training_class is None:
        raise Http404(_("Angkatan tidak ditemukan."))
    return training_class


def class_enrolments(*, user: User, training_class: TrainingClass) -> QuerySet[Enrolment]:
    """The roster: the people the user sees (a provider's staff see everyone in their classes;
    an administrator, who manages every class, only the people in their scope)."""
    qs = training_class.enrolments.select_related("person").prefetch_related("attendance")
    return access.enrolments_visible(user, qs).order_by("person__full_name")


def training_history(*, person: Person) -> QuerySet[Enrolment]:
    return (
        person.enrolments.select_related("training_class", "training_class__course")
        .prefetch_related("attendance")
        .order_by("-training_class__start_date")
    )


def completed_course_ids(*, person: Person) -> set[int]:
    return set(
        person.enrolments.filter(status=Enrolment.Status.PASSED).values_list(
            "training_class__course_id", flat=True
        )
    )


def enrolment_for_manager(*, user: User, uid) -> Enrolment:
    """An enrolment of a class the user manages, of a person the user sees; any other is
    reported as not found."""
    enrolment = (
        Enrolment.objects.select_related("training_class__course", "person").filter(uid=uid).first()
    )
    if enrolment is None or not access.can_manage_enrolment(user, enrolment):
        raise Http404(_("Data tidak ditemukan."))
    return enrolment
