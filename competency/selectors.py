"""Reads of training, certification and recognition, scoped through competency.access.

The unit reads here are the qualification engine's input. A unit counts on a day when it is
on a certificate that is issued, not yet past its validity and not revoked, or recognised by
RPL and not past the recognition's validity. That is derived from dates at query time, never
from the stored ``Certificate.status``, so a certificate stops counting the day after it
expires whether or not the expiry command has run.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts import access as accounts_access
from accounts.models import Role, User
from competency import access
from competency.models import (
    Assessment,
    Assessor,
    Certificate,
    CertificateUnit,
    CertificationBody,
    Course,
    CourseUnit,
    Enrolment,
    Notification,
    RplApplication,
    RplUnitDecision,
    Scheme,
    SchemeUnit,
    TestSite,
    TrainingClass,
    TrainingProvider,
    UnitResult,
    Verdict,
)
from competency.qualification import (
    CourseSpec,
    Engine,
    NeedsReport,
    QualificationResult,
    catalogue_in_force,
    training_needs,
)
from registry.models import Engagement, Person

UnitSets = dict[frozenset[str], list[int]]


# ---------------------------------------------------------------------------------------------
# Valid units (the engine's input)


def _valid_units_sql(on: dt.date, assume_valid: Iterable[int] = ()) -> tuple[str, list]:
    """(person_id, unit_code) of every unit counting on ``on``; ``assume_valid`` certificates
    count as if still valid (to compute the level *before* a lapse)."""
    cert = Certificate._meta.db_table
    cert_unit = CertificateUnit._meta.db_table
    rpl = RplApplication._meta.db_table
    decision = RplUnitDecision._meta.db_table
    extra = [int(i) for i in assume_valid]
    extra_sql = f" OR c.id IN ({', '.join(['%s'] * len(extra))})" if extra else ""
    sql = f"""
        SELECT c.person_id AS person_id, cu.unit_code AS unit_code
        FROM {cert_unit} cu JOIN {cert} c ON c.id = cu.certificate_id
        WHERE (c.revoked_at IS NULL AND c.issued_on <= %s AND c.valid_until >= %s){extra_sql}
        UNION
        SELECT a.person_id AS person_id, d.unit_code AS unit_code
        FROM {decision} d JOIN {rpl} a ON a.id = d.application_id
        WHERE d.recognised = %s AND d.decided_on <= %s
          AND (d.valid_until IS NULL OR d.valid_until >= %s)
    """
    return sql, [on, on, *extra, True, on, on]


def _people_filter(people: QuerySet[Person] | Iterable[int] | None) -> tuple[str, list]:
    if people is None:
        return "", []
    if isinstance(people, QuerySet):
        sub, params = people.values("pk").query.sql_with_params()
        return f" WHERE v.person_id IN ({sub})", list(params)
    ids = [int(i) for i in people]
    if not ids:
        return " WHERE 1 = 0", []
    return f" WHERE v.person_id IN ({', '.join(['%s'] * len(ids))})", ids


def unit_sets(
    *,
    on: dt.date | None = None,
    people: QuerySet[Person] | Iterable[int] | None = None,
    assume_valid: Iterable[int] = (),
) -> UnitSets:
    """Every distinct set of valid units held on ``on``, with the people holding it.

    People with no valid unit are absent. Grouping identical sets is what makes the engine
    fast: half a million people hold a few thousand distinct sets. On PostgreSQL the grouping
    happens in the database (string_agg, then array_agg per distinct string); elsewhere rows
    are streamed in person order and grouped here.
    """
    on = on or timezone.localdate()
    base, params = _valid_units_sql(on, assume_valid)
    where, where_params = _people_filter(people)
    out: UnitSets = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT codes, array_agg(person_id) FROM (
                        SELECT v.person_id, string_agg(v.unit_code, ',' ORDER BY v.unit_code)
                               AS codes
                        FROM ({base}) v{where} GROUP BY v.person_id
                    ) p GROUP BY codes""",
                params + where_params,
            )
            for codes, ids in cursor.fetchall():
                out[frozenset(codes.split(","))] = list(ids)
            return out
        cursor.execute(
            f"SELECT v.person_id, v.unit_code FROM ({base}) v{where} ORDER BY v.person_id",
            params + where_params,
        )
        current, held = None, set()
        groups: dict[frozenset[str], list[int]] = defaultdict(list)
        for person_id, code in cursor.fetchall():
            if person_id != current:
                if current is not None:
                    groups[frozenset(held)].append(current)
                current, held = person_id, set()
            held.add(code)
        if current is not None:
            groups[frozenset(held)].append(current)
    return dict(groups)


def units_by_person(
    *, on: dt.date | None = None, people: QuerySet[Person] | Iterable[int] | None = None
) -> dict[int, frozenset[str]]:
    """person id -> valid unit codes (the framework's certified-units provider uses this)."""
    return {pid: codes for codes, ids in unit_sets(on=on, people=people).items() for pid in ids}


def certified_person_ids(*, on: dt.date) -> set[int]:
    """People holding at least one certificate that counts on ``on`` (RPL alone does not)."""
    return set(
        Certificate.objects.filter(
            revoked_at__isnull=True, issued_on__lte=on, valid_until__gte=on
        ).values_list("person_id", flat=True)
    )


@dataclass(frozen=True)
class HeldUnit:
    code: str
    title: str
    source: str  # "sertifikat" or "rpl"
    source_label: str  # certificate number or RPL decision
    valid_until: dt.date | None
    counts: bool


def person_units(*, person: Person, on: dt.date | None = None) -> list[HeldUnit]:
    """Every unit the person holds or held, with its source, newest validity first."""
    on = on or timezone.localdate()
    out: list[HeldUnit] = []
    for cu in CertificateUnit.objects.filter(certificate__person=person).select_related(
        "certificate"
    ):
        c = cu.certificate
        out.append(
            HeldUnit(
                code=cu.unit_code,
                title=cu.unit_title,
                source="sertifikat",
                source_label=f"Sertifikat {c.number}",
                valid_until=c.valid_until,
                counts=c.counts_on(on),
            )
        )
    for d in RplUnitDecision.objects.filter(
        application__person=person, recognised=True
    ).select_related("application"):
        counts = d.decided_on <= on and (d.valid_until is None or d.valid_until >= on)
        out.append(
            HeldUnit(
                code=d.unit_code,
                title="",
                source="rpl",
                source_label=f"RPL {d.decided_on:%d-%m-%Y}",
                valid_until=d.valid_until,
                counts=counts,
            )
        )
    return sorted(out, key=lambda u: (u.code, not u.counts, u.source))


# ---------------------------------------------------------------------------------------------
# Training


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
    from django.http import Http404

    course = course_list(only_active=False).filter(code=code).first()
    if course is None:
        raise Http404("Pelatihan tidak ditemukan.")
    return course


def provider_list(*, user: User, q: str = "") -> QuerySet[TrainingProvider]:
    """The providers the user manages (all of them for administrators), with their staff and
    the number of courses in the catalogue."""
    qs = (
        access.providers_managed(user)
        .annotate(course_count=_count_of(Course, "provider"))
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
        enrolled=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN))
    )
    if course is not None:
        qs = qs.filter(course=course)
    if upcoming:
        qs = qs.filter(end_date__gte=timezone.localdate()).exclude(
            status=TrainingClass.Status.CANCELLED
        )
    return qs.order_by("start_date", "id")


def class_get(*, uid) -> TrainingClass:
    from django.http import Http404

    training_class = class_list().filter(uid=uid).first()
    if training_class is None:
        raise Http404("Angkatan tidak ditemukan.")
    return training_class


def class_enrolments(*, user: User, training_class: TrainingClass) -> QuerySet[Enrolment]:
    """The roster: whole for the class's managers, otherwise only the people the user sees."""
    qs = training_class.enrolments.select_related("person").prefetch_related("attendance")
    if access.can_manage_class(user, training_class):
        return qs.order_by("person__full_name")
    return qs.filter(person__in=access.people_visible(user)).order_by("person__full_name")


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


# ---------------------------------------------------------------------------------------------
# Certification


def certificate_list(
    *, user: User, status: str = "", q: str = "", person: Person | None = None
) -> QuerySet[Certificate]:
    today = timezone.localdate()
    qs = access.certificates_visible(user).select_related("person", "scheme", "lsp")
    if person is not None:
        qs = qs.filter(person=person)
    if status == Certificate.Status.VALID:
        qs = qs.filter(revoked_at__isnull=True, valid_until__gte=today, renewed_by__isnull=True)
    elif status == Certificate.Status.EXPIRED:
        qs = qs.filter(revoked_at__isnull=True, valid_until__lt=today, renewed_by__isnull=True)
    elif status == Certificate.Status.REVOKED:
        qs = qs.filter(revoked_at__isnull=False)
    elif status == Certificate.Status.RENEWED:
        qs = qs.filter(revoked_at__isnull=True, renewed_by__isnull=False)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(person__full_name__icontains=q))
    return qs.order_by("-issued_on", "-id")


def _count_of(model, field: str):
    """Rows of ``model`` pointing at the outer row, as a subquery (no join fan-out)."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def lsp_list(*, q: str = "", active_only: bool = False) -> QuerySet[CertificationBody]:
    """LSPs are national reference data, managed by certification managers (the caller asks
    competency.access); they hold no personal data."""
    qs = CertificationBody.objects.annotate(
        scheme_count=_count_of(Scheme, "lsp"),
        test_site_count=_count_of(TestSite, "lsp"),
        assessor_count=_count_of(Assessor, "lsp"),
    )
    if active_only:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(licence_number__icontains=q))
    return qs.order_by("name")


def lsp_get(*, pk: int) -> CertificationBody:
    lsp = lsp_list().filter(pk=pk).first()
    if lsp is None:
        raise Http404("LSP tidak ditemukan.")
    return lsp


def scheme_list(*, q: str = "", active_only: bool = False) -> QuerySet[Scheme]:
    qs = Scheme.objects.select_related("lsp").prefetch_related(
        Prefetch("units", queryset=SchemeUnit.objects.order_by("unit_code"))
    )
    if active_only:
        qs = qs.filter(is_active=True, lsp__is_active=True)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(lsp__name__icontains=q)
        ).distinct()
    return qs.order_by("lsp__name", "code")


def scheme_get(*, pk: int) -> Scheme:
    scheme = scheme_list().filter(pk=pk).first()
    if scheme is None:
        raise Http404("Skema tidak ditemukan.")
    return scheme


def test_site_list(*, q: str = "") -> QuerySet[TestSite]:
    qs = TestSite.objects.select_related("lsp", "regency")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(lsp__name__icontains=q))
    return qs.order_by("lsp__name", "name")


def test_site_get(*, pk: int) -> TestSite:
    site = test_site_list().filter(pk=pk).first()
    if site is None:
        raise Http404("TUK tidak ditemukan.")
    return site


def assessor_list(*, q: str = "", active_only: bool = False) -> QuerySet[Assessor]:
    qs = Assessor.objects.select_related("lsp", "user")
    if active_only:
        qs = qs.filter(is_active=True, user__is_active=True)
    if q:
        qs = qs.filter(
            Q(registration_number__icontains=q)
            | Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
            | Q(lsp__name__icontains=q)
        )
    return qs.order_by("lsp__name", "user__first_name", "user__username")


def assessor_get(*, pk: int) -> Assessor:
    assessor = assessor_list().filter(pk=pk).first()
    if assessor is None:
        raise Http404("Asesor tidak ditemukan.")
    return assessor


def assessor_candidates() -> QuerySet[User]:
    """Active accounts with the assessor role that are not yet registered to an LSP."""
    return User.objects.filter(role=Role.ASSESSOR, is_active=True, assessor__isnull=True).order_by(
        "first_name", "username"
    )


def enrolment_for_manager(*, user: User, uid) -> Enrolment:
    """An enrolment of a class the user manages; any other is reported as not found."""
    enrolment = (
        Enrolment.objects.select_related("training_class__course", "person").filter(uid=uid).first()
    )
    if enrolment is None or not access.can_manage_class(user, enrolment.training_class):
        raise Http404("Data tidak ditemukan.")
    return enrolment


def person_for_write(*, user: User, uid=None, nik: str = "") -> Person | None:
    """The person (by uid or NIK) in the user's registry scope, for a write about them."""
    qs = accounts_access.people_visible(user)
    if uid:
        return qs.filter(uid=uid).first()
    if nik:
        return qs.filter(nik=nik.strip()).first()
    return None


def certificate_public(*, public_id: str) -> Certificate | None:
    """For the public verification page: nothing but the certificate's own facts."""
    return (
        Certificate.objects.select_related("person", "scheme", "lsp", "renewed_by")
        .prefetch_related("units")
        .filter(public_id=public_id)
        .first()
    )


def assessor_worklist(*, user: User) -> dict[str, list]:
    """An assessor's open work: assessments not finished and RPL applications not decided."""
    if not access.is_assessor(user):
        return {"assessments": [], "rpl": []}
    assessments = (
        Assessment.objects.filter(assessor=user.assessor, status=Assessment.Status.SCHEDULED)
        .select_related("person", "scheme", "test_site")
        .prefetch_related("scheme__units", "results")
        .order_by("scheduled_on", "id")
    )
    rpl = (
        RplApplication.objects.filter(
            assessor=user.assessor, status=RplApplication.Status.SUBMITTED
        )
        .select_related("person")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )
    return {"assessments": list(assessments), "rpl": list(rpl)}


def assessment_unit_status(*, assessment: Assessment) -> list[dict]:
    """Per scheme unit: the latest attempt's verdict (None when not yet assessed)."""
    latest: dict[str, UnitResult] = {}
    for result in assessment.results.select_related("assessor__user").order_by("attempt"):
        latest[result.unit_code] = result
    rows = []
    for su in assessment.scheme.units.all():
        result = latest.get(su.unit_code)
        rows.append(
            {
                "unit_code": su.unit_code,
                "result": result,
                "competent": bool(result and result.verdict == Verdict.COMPETENT),
                "retake": bool(result and result.verdict == Verdict.NOT_YET),
            }
        )
    return rows


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    q = Q(user=user)
    if user.person_id:
        q |= Q(person_id=user.person_id)
    qs = Notification.objects.filter(q).select_related("certificate")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


# ---------------------------------------------------------------------------------------------
# Qualification: paths, training needs, promotion proposals


def engine_in_force() -> Engine | None:
    """The engine over the framework in force and the active courses (None: no framework)."""
    catalogue = catalogue_in_force()
    if catalogue is None:
        return None
    courses = [
        CourseSpec(
            id=c.pk,
            code=c.code,
            title=c.title,
            hours=c.hours,
            units=tuple(u.unit_code for u in c.units.all()),
            prerequisites=tuple(p.pk for p in c.prerequisites.all()),
        )
        for c in Course.objects.filter(is_active=True).prefetch_related("units", "prerequisites")
    ]
    return Engine(catalogue=catalogue, courses=courses)


@dataclass
class PersonPath:
    person: Person
    on: dt.date
    engine: Engine | None
    units: list[HeldUnit]
    result: QualificationResult | None
    # Prerequisites of the recommended courses that the person has not completed yet.
    prerequisites: list[Course]

    @property
    def attained_title(self) -> str:
        if not (self.engine and self.result and self.result.attained):
            return ""
        return self.engine.catalogue.level_titles.get(self.result.attained, "")


def person_path(*, person: Person, on: dt.date | None = None) -> PersonPath:
    """A person's jalur kompetensi: units with their source, attained level, gap, courses."""
    on = on or timezone.localdate()
    units = person_units(person=person, on=on)
    engine = engine_in_force()
    result = None
    prerequisites: list[Course] = []
    if engine is not None:
        result = engine.assess({u.code for u in units if u.counts})
        if result.cover is not None and result.cover.courses:
            chosen = {c.id for c in result.cover.courses}
            done = completed_course_ids(person=person)
            needed = {p for c in result.cover.courses for p in c.prerequisites} - chosen - done
            prerequisites = list(Course.objects.filter(pk__in=needed).order_by("code"))
    return PersonPath(person, on, engine, units, result, prerequisites)


def _engagements_in_scope(
    *, user: User, province: str = "", regency: str = "", programme: str = ""
) -> QuerySet[Engagement]:
    qs = accounts_access.engagements_visible(
        user, Engagement.objects.filter(status=Engagement.Status.ACTIVE)
    )
    if regency:
        qs = qs.filter(regency_id=regency)
    elif province:
        qs = qs.filter(province_id=province)
    if programme:
        qs = qs.filter(programme__slug=programme)
    return qs


def needs_analysis(
    *,
    user: User,
    on: dt.date | None = None,
    province: str = "",
    regency: str = "",
    programme: str = "",
    level: int | None = None,
) -> NeedsReport | None:
    """Training needs of the active facilitators in scope (and the filters): most-missing
    units for their next level and how many people each course alone would move up.
    ``level`` keeps the people whose attained level it is (0: no level yet)."""
    engine = engine_in_force()
    if engine is None:
        return None
    engagements = _engagements_in_scope(
        user=user, province=province, regency=regency, programme=programme
    )
    people = Person.objects.filter(pk__in=engagements.values("person_id"))
    groups = unit_sets(on=on, people=people)
    with_units = sum(len(ids) for ids in groups.values())
    without = people.count() - with_units
    return training_needs(
        engine,
        groups,
        without_units=without,
        level=level or None,
        filter_level=level is not None,
    )


@dataclass(frozen=True)
class PromotionProposal:
    engagement: Engagement
    attained: int
    current: int | None  # position level, else harmonised level


def promotion_proposals(
    *,
    user: User,
    on: dt.date | None = None,
    province: str = "",
    regency: str = "",
    programme: str = "",
) -> list[PromotionProposal]:
    """Active engagements whose person's attained level is above the engagement's position
    level (or, where none is set, its harmonised level): the input of the HR workflow, which
    decides by SK. Nothing here changes a level."""
    engine = engine_in_force()
    if engine is None:
        return []
    engagements = _engagements_in_scope(
        user=user, province=province, regency=regency, programme=programme
    )
    people = Person.objects.filter(pk__in=engagements.values("person_id"))
    attained = {
        pid: r.attained
        for pid, r in engine.assess_groups(
            unit_sets(on=on, people=people), with_cover=False
        ).items()
        if r.attained
    }
    if not attained:
        return []
    out = []
    rows = engagements.filter(person_id__in=list(attained)).select_related(
        "person", "programme", "regency"
    )
    for e in rows.order_by("person__full_name", "id"):
        current = e.position_level or e.harmonised_level
        if current is None or attained[e.person_id] > current:
            out.append(PromotionProposal(e, attained[e.person_id], current))
    return out
