"""Who may do what in training, certification and recognition.

Region × programme scope is never decided here: whether a person is visible is always
``accounts.access.people_visible``. This module adds the competency roles' own reach:

- an assessor (asesor) sees the people whose assessments or RPL applications are assigned to
  them, and judges only those;
- training-provider staff (penyelenggara pelatihan) manage their provider's courses and classes
  and see the people enrolled in them;
- a facilitator (pendamping) sees their own path, enrols themself and applies for RPL;
- national and cluster administrators run the whole catalogue (unless their scope is missing),
  but see and manage only the enrolments of the people in their own scope;
- national administrators run certification (LSP, schemes, TUK, assessors, revocation);
- the signed credential goes only to those who see the holder's NIK in full.

As in accounts.access, what is out of reach is reported as not found (404).
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import Role, User
from competency.models import (
    Assessment,
    Certificate,
    Course,
    Enrolment,
    RplApplication,
    TrainingClass,
    TrainingProvider,
)
from registry import access as registry_access
from registry.models import Person

CERTIFICATION_MANAGE = {Role.NATIONAL_ADMIN}
CATALOGUE_MANAGE = {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN, Role.TRAINING_PROVIDER}
NEEDS_VIEW = {
    Role.NATIONAL_ADMIN,
    Role.CLUSTER_ADMIN,
    Role.PROVINCE_OPERATOR,
    Role.REGENCY_OPERATOR,
    Role.AUDITOR,
}
PROVIDER_REGISTER = {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN}
ENROL_OTHERS = {
    Role.NATIONAL_ADMIN,
    Role.CLUSTER_ADMIN,
    Role.PROVINCE_OPERATOR,
    Role.REGENCY_OPERATOR,
}


def is_assessor(user: User | None) -> bool:
    return (
        access.has_role(user, {Role.ASSESSOR})
        and hasattr(user, "assessor")
        and user.assessor.is_active
    )


def is_provider_staff(user: User | None) -> bool:
    return access.has_role(user, {Role.TRAINING_PROVIDER})


def can_manage_certification(user: User | None) -> bool:
    return access.has_role(user, CERTIFICATION_MANAGE)


def is_decision_maker(user: User | None, *, lsp_id: int) -> bool:
    """One of the LSP's certification managers / decision makers."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.lsp_decisions.filter(pk=lsp_id, is_active=True).exists()
    )


def can_issue_certificate(user: User | None, *, lsp_id: int) -> bool:
    """The LSP decides and issues: its certification manager / decision maker, or a national
    administrator acting for it. An assessor only recommends (maker-checker): whoever
    recommended an assessment never decides it (the service checks that)."""
    return can_manage_certification(user) or is_decision_maker(user, lsp_id=lsp_id)


def can_revoke(user: User | None) -> bool:
    return can_manage_certification(user)


def can_view_needs(user: User | None) -> bool:
    return access.has_role(user, NEEDS_VIEW)


def can_view_promotions(user: User | None) -> bool:
    return access.has_role(user, NEEDS_VIEW)


def _runs_the_catalogue(user: User | None, roles: set[str]) -> bool:
    """Administrators run the whole catalogue; one whose scope is missing (a cluster
    administrator without clusters) may write nothing anywhere, here included (fail closed)."""
    return access.has_role(user, roles) and access.can_write_somewhere(user)


def providers_managed(user: User | None) -> QuerySet[TrainingProvider]:
    if _runs_the_catalogue(user, {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN}):
        return TrainingProvider.objects.all()
    if is_provider_staff(user):
        return TrainingProvider.objects.filter(staff=user)
    return TrainingProvider.objects.none()


def can_manage_catalogue(user: User | None) -> bool:
    return access.has_role(user, CATALOGUE_MANAGE) and providers_managed(user).exists()


def can_register_provider(user: User | None) -> bool:
    """National and cluster administrators register training providers and name their staff."""
    return _runs_the_catalogue(user, PROVIDER_REGISTER)


def can_view_providers(user: User | None) -> bool:
    """The provider list: its registrars (all providers, even before the first exists) and
    the catalogue managers (the providers they manage)."""
    return can_register_provider(user) or can_manage_catalogue(user)


def can_manage_course(user: User | None, course: Course) -> bool:
    return (
        access.has_role(user, CATALOGUE_MANAGE)
        and providers_managed(user).filter(pk=course.provider_id).exists()
    )


def can_manage_class(user: User | None, training_class: TrainingClass) -> bool:
    return can_manage_course(user, training_class.course)


def _extra_people(user: User) -> Q:
    """People reachable through the competency roles (beyond the registry scope)."""
    if is_assessor(user):
        return Q(assessments__assessor=user.assessor) | Q(rpl_applications__assessor=user.assessor)
    if is_provider_staff(user):
        return Q(enrolments__training_class__course__provider__staff=user)
    return Q(pk__in=[])


def people_visible(user: User | None, qs: QuerySet[Person] | None = None) -> QuerySet[Person]:
    qs = Person.objects.all() if qs is None else qs
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    registry_ids = registry_access.people_visible(user).values("pk")
    extra = _extra_people(user)
    if extra == Q(pk__in=[]):
        return qs.filter(pk__in=registry_ids)
    extra_ids = Person.objects.filter(extra).values("pk")
    return qs.filter(Q(pk__in=registry_ids) | Q(pk__in=extra_ids))


def person_get(user: User | None, uid) -> Person:
    person = people_visible(user).filter(uid=uid).first()
    if person is None:
        raise Http404(_("Data tidak ditemukan."))
    return person


def enrolments_visible(user: User | None, qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments of the people the user sees: a provider's staff everyone in their classes,
    an administrator who manages every class only the people in their own scope."""
    return qs.filter(person__in=people_visible(user))


def can_manage_enrolment(user: User | None, enrolment: Enrolment) -> bool:
    """Attendance and completion: a class the user manages, of a person the user sees."""
    return (
        can_manage_class(user, enrolment.training_class)
        and people_visible(user).filter(pk=enrolment.person_id).exists()
    )


def can_enrol(
    user: User | None, person: Person, training_class: TrainingClass | None = None
) -> bool:
    """A facilitator enrols themself; the registry's writers enrol people in their scope; a
    provider's staff enrol any registered person into the classes they manage."""
    if access.has_role(user, {Role.FACILITATOR}):
        return person.pk == user.person_id
    if training_class is not None and is_provider_staff(user):
        return can_manage_class(user, training_class) and person.merged_into_id is None
    return (
        access.has_role(user, ENROL_OTHERS)
        and registry_access.people_visible(user).filter(pk=person.pk).exists()
    )


def person_for_enrolment(
    user: User | None, training_class: TrainingClass, nik: str
) -> Person | None:
    """The person a NIK names, for enrolling into ``training_class``: in the user's registry
    scope, or (for the staff of the provider running the class) anyone registered. Nothing
    else about the person is read here; the page names them only once enrolled."""
    if is_provider_staff(user) and can_manage_class(user, training_class):
        return Person.objects.filter(nik=nik, merged_into__isnull=True).first()
    return registry_access.people_visible(user).filter(nik=nik).first()


def can_apply_rpl(user: User | None, person: Person) -> bool:
    return can_enrol(user, person)


def can_add_rpl_evidence(user: User | None, application: RplApplication) -> bool:
    """More evidence comes from the applicant's side (whoever may apply for the person) or
    from the assessor the application is assigned to."""
    return can_apply_rpl(user, application.person) or can_judge_rpl(user, application)


def can_judge(user: User | None, assessment: Assessment) -> bool:
    return is_assessor(user) and assessment.assessor_id == user.assessor.pk


def can_judge_rpl(user: User | None, application: RplApplication) -> bool:
    return is_assessor(user) and application.assessor_id == user.assessor.pk


def certificates_visible(
    user: User | None, qs: QuerySet[Certificate] | None = None
) -> QuerySet[Certificate]:
    """Certificates of the people the user sees, plus (for assessors) their LSP's."""
    qs = Certificate.objects.all() if qs is None else qs
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    q = Q(person__in=people_visible(user))
    if is_assessor(user):
        q |= Q(lsp_id=user.assessor.lsp_id)
    q |= Q(lsp__in=user.lsp_decisions.filter(is_active=True))  # the LSP's decision makers
    return qs.filter(q)


def certificates_of(user: User | None, person: Person) -> QuerySet[Certificate]:
    """One person's certificates as ``certificates_visible`` gives them, asked the cheap way:
    all of them when the user sees the person (one indexed probe), else only those the user
    reaches through an LSP. (Filtering ``certificates_visible`` by the person makes the
    database build the whole scope of people for the OR beside it: 0,9 s at 500,000 people.)"""
    mine = Certificate.objects.filter(person=person)
    if not (user and user.is_authenticated and user.is_active):
        return mine.none()
    if people_visible(user).filter(pk=person.pk).exists():
        return mine
    return certificates_visible(user, mine)


def certificate_get(user: User | None, uid) -> Certificate:
    certificate = (
        certificates_visible(user)
        .select_related("person", "scheme", "lsp", "renewed_by", "renews", "revoked_by")
        .filter(uid=uid)
        .first()
    )
    if certificate is None:
        raise Http404(_("Sertifikat tidak ditemukan."))
    return certificate


def _judged_visible(user: User | None, qs: QuerySet) -> QuerySet:
    """Assessments and RPL applications: managers see all, an assessor their own cases, others
    the people in their registry scope."""
    if can_manage_certification(user):
        return qs
    if is_assessor(user):
        return qs.filter(assessor=user.assessor)
    if not (user and user.is_authenticated and user.is_active):
        return qs.none()
    # An LSP's decision makers see the assessments of its schemes (they decide them).
    lsps = user.lsp_decisions.filter(is_active=True)
    if qs.model is Assessment and lsps.exists():
        return qs.filter(
            Q(person__in=registry_access.people_visible(user)) | Q(scheme__lsp__in=lsps)
        )
    return qs.filter(person__in=registry_access.people_visible(user))


def assessments_visible(
    user: User | None, qs: QuerySet[Assessment] | None = None
) -> QuerySet[Assessment]:
    return _judged_visible(user, Assessment.objects.all() if qs is None else qs)


def assessment_get(user: User | None, uid) -> Assessment:
    assessment = (
        assessments_visible(user)
        .select_related("person", "scheme", "scheme__lsp", "assessor__user", "test_site")
        .filter(uid=uid)
        .first()
    )
    if assessment is None:
        raise Http404(_("Asesmen tidak ditemukan."))
    return assessment


def rpl_visible(
    user: User | None, qs: QuerySet[RplApplication] | None = None
) -> QuerySet[RplApplication]:
    return _judged_visible(user, RplApplication.objects.all() if qs is None else qs)


def rpl_get(user: User | None, uid) -> RplApplication:
    application = (
        rpl_visible(user)
        .select_related("person", "assessor__user")
        .prefetch_related("evidence", "decisions")
        .filter(uid=uid)
        .first()
    )
    if application is None:
        raise Http404(_("Permohonan RPL tidak ditemukan."))
    return application


def sees_nik(user: User | None, person: Person | None = None) -> bool:
    return access.sees_nik(user, person)


CREDENTIAL_ONLY = gettext_lazy(
    "Kredensial digital hanya untuk pemegangnya dan yang berwenang melihat NIK-nya."
)


def can_download_credential(user: User | None, certificate: Certificate) -> bool:
    """The signed credential names its holder by a salted hash of the NIK and carries the salt,
    so whoever holds it can recover the NIK by hashing the few candidates a masked NIK leaves.
    It goes only to those who see the holder's NIK in full (the holder among them)."""
    return sees_nik(user, certificate.person)


require = access.require
