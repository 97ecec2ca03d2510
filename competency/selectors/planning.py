"""Qualification reads: a person's path, training needs, promotion proposals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from accounts import access as accounts_access
from accounts.models import User
from competency.models import Course
from competency.qualification import (
    CourseSpec,
    Engine,
    NeedsReport,
    QualificationResult,
    catalogue_in_force,
    training_needs,
)
from competency.selectors.training import completed_course_ids
from competency.selectors.units import HeldUnit, person_units, unit_sets
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
