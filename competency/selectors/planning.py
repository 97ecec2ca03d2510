"""Qualification reads: a person's path, training needs, promotion proposals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.models import User
from competency.models import Course, CourseUnit, Enrolment, Scheme
from competency.qualification import (
    CourseSpec,
    Engine,
    NeedsReport,
    Plan,
    QualificationResult,
    catalogue_in_force,
    training_needs,
)
from competency.selectors.training import completed_course_ids
from competency.selectors.units import HeldUnit, person_units, unit_sets
from registry import access as registry_access
from registry.models import Engagement, Person


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
    # The way to the next level, and to the level of the person's position (or the target the
    # user chose) when that is higher than the next level.
    plan: Plan | None = None
    target_plan: Plan | None = None
    target_level: int | None = None
    target_is_chosen: bool = False
    position_level: int | None = None
    # Schemes whose assessment would certify the units the person was trained in.
    schemes: list[Scheme] = field(default_factory=list)

    @property
    def attained_title(self) -> str:
        if not (self.engine and self.result and self.result.attained):
            return ""
        return self.engine.catalogue.level_titles.get(self.result.attained, "")

    @property
    def target_title(self) -> str:
        if not (self.engine and self.target_level):
            return ""
        return self.engine.catalogue.level_titles.get(self.target_level, "")


def position_level_of(*, person: Person) -> int | None:
    """The level the person is appointed at: the highest position level (else harmonised
    level) of their active engagements."""
    levels = [
        e.position_level or e.harmonised_level
        for e in person.engagements.filter(status=Engagement.Status.ACTIVE).only(
            "position_level", "harmonised_level"
        )
    ]
    return max((lv for lv in levels if lv), default=None)


def _trained_codes(*, person: Person) -> set[str]:
    """Units of the courses the person passed (a course trains, only an LSP certifies)."""
    return set(
        CourseUnit.objects.filter(
            course__classes__enrolments__person=person,
            course__classes__enrolments__status=Enrolment.Status.PASSED,
        ).values_list("unit_code", flat=True)
    )


def _schemes_for(codes: tuple[str, ...]) -> list[Scheme]:
    """Active schemes of active LSPs that assess any of ``codes``, those assessing most first."""
    if not codes:
        return []
    return list(
        Scheme.objects.filter(is_active=True, lsp__is_active=True, units__unit_code__in=codes)
        .select_related("lsp")
        .annotate(matching=Count("units"))
        .order_by("-matching", "name")[:5]
    )


def person_path(
    *, person: Person, on: dt.date | None = None, target: int | None = None
) -> PersonPath:
    """A person's jalur kompetensi: units with their source, attained level, the gap to the
    next level and to the position's level (or ``target``), and what to do about each gap.

    A course the person passed is never recommended again: its units wait only for an
    assessment, and when nothing else is missing the path ends in the assessment step.
    """
    on = on or timezone.localdate()
    units = person_units(person=person, on=on)
    engine = engine_in_force()
    position = position_level_of(person=person)
    path = PersonPath(person, on, engine, units, None, [], position_level=position)
    if engine is None:
        return path
    held = engine.catalogue.mask(u.code for u in units if u.counts)
    path.result = result = engine.assess_mask(held, with_cover=False)
    done = completed_course_ids(person=person)
    trained = engine.catalogue.mask(_trained_codes(person=person)) & ~held
    if result.gap is not None:
        path.plan = engine.plan(result.gap, trained_mask=trained, completed=done)
    path.target_is_chosen = target is not None
    wanted = target if target is not None else position
    if (
        wanted
        and wanted > (result.gap.level if result.gap else 0)
        and wanted > (result.attained or 0)
    ):
        gap = engine.gap_at(held, wanted)
        if gap is not None:
            path.target_level = wanted
            path.target_plan = engine.plan(gap, trained_mask=trained, completed=done)
    elif wanted and result.gap and wanted == result.gap.level:
        path.target_level = wanted  # the next level is the position's: one gap serves both
    chosen: set[int] = set()
    for plan in (path.plan, path.target_plan):
        if plan is not None:
            chosen |= {c.id for c in plan.cover.courses}
    if chosen:
        needed = (
            {p for c in engine.courses if c.id in chosen for p in c.prerequisites} - chosen - done
        )
        path.prerequisites = list(Course.objects.filter(pk__in=needed).order_by("code"))
    awaiting = path.plan.awaiting_assessment if path.plan else ()
    path.schemes = _schemes_for(awaiting)
    return path


def _engagements_in_scope(
    *, user: User, province: str = "", regency: str = "", programme: str = ""
) -> QuerySet[Engagement]:
    qs = registry_access.engagements_visible(
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
