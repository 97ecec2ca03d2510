"""The qualification engine: attained level, the gap to the next level, and the smallest set
of courses that closes it.

Definitions (DOMAIN.md, "Three notions of level"):

- A package is satisfied by a set of units when it holds every core unit and at least
  ``min_electives`` of the elective units.
- The **attained level** is the highest level with a satisfied *qualification* package
  (``kind = kualifikasi``) of the framework version in force. Occupation and cluster packages
  are specialisations shown beside it; they do not make a level. A version without any
  qualification package falls back to all its packages.
- The **next level** is the lowest level above the attained one that has a qualification
  package; of its packages, the one with the fewest missing units is the target. The gap is its
  missing core units plus the number of electives still needed (chosen from those not held).
- The **recommendation** is the smallest set of active courses that covers the gap (ties: fewer
  training hours). This is a set cover with a partial requirement on the electives. With at
  most ``EXACT_LIMIT`` candidate courses (after removing dominated ones) it is solved exactly by
  branch and bound; above that, greedily, which is within H(d) ≤ 1 + ln d times the optimum,
  d being the most units one course adds (Wolsey 1982: the coverage of core units plus the
  truncated count of electives is a monotone submodular function). The result says which.

Speed: units are bits of a Python int (one bit per unit of the version), so a package test is
two ANDs and a popcount. Results are cached per distinct unit set; ``assess_groups`` works on
the groups of identical sets that ``competency.selectors.unit_sets`` returns, so half a million
people cost a few thousand evaluations.

Only framework.selectors is used to read the framework; courses come from this app.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from framework import selectors as framework_selectors

EXACT_LIMIT = 20
QUALIFICATION = "kualifikasi"
IN_FORCE = "berlaku"  # FrameworkVersion.Status.IN_FORCE, compared as data


def _bits(mask: int) -> int:
    return mask.bit_count()


@dataclass(frozen=True)
class PackageSpec:
    code: str
    name: str
    kind: str
    level: int
    programme: str
    core: tuple[str, ...]
    electives: tuple[str, ...]
    min_electives: int
    core_mask: int
    elective_mask: int

    def satisfied_by(self, mask: int) -> bool:
        return (mask & self.core_mask) == self.core_mask and _bits(
            mask & self.elective_mask
        ) >= self.min_electives


@dataclass(frozen=True)
class CourseSpec:
    id: int
    code: str
    title: str
    hours: int
    units: tuple[str, ...]
    prerequisites: tuple[int, ...] = ()
    mask: int = 0


@dataclass(frozen=True)
class Catalogue:
    """The framework in force as the engine needs it (read once, then kept in memory)."""

    version_id: int
    version_name: str
    is_example: bool
    level_titles: dict[int, str]
    unit_titles: dict[str, str]
    index: dict[str, int]  # unit code -> bit position
    packages: tuple[PackageSpec, ...]  # qualification packages (or all, see module doc)
    specialisations: tuple[PackageSpec, ...]  # occupation and cluster packages

    def mask(self, codes: Iterable[str]) -> int:
        m = 0
        for code in codes:
            bit = self.index.get(code)
            if bit is not None:
                m |= 1 << bit
        return m

    def codes(self, mask: int) -> tuple[str, ...]:
        return tuple(sorted(code for code, bit in self.index.items() if mask >> bit & 1))

    @property
    def label(self) -> str:
        if self.is_example:
            return _("%(version)s [CONTOH]") % {"version": self.version_name}
        return self.version_name


def catalogue_in_force() -> Catalogue | None:
    """The framework version in force, or None when no version is in force."""
    version = framework_selectors.catalogue_version(user=None)
    if version is None or version.status != IN_FORCE:
        return None
    units = list(framework_selectors.unit_list(version=version))
    index = {u.code: i for i, u in enumerate(sorted(units, key=lambda u: u.code))}
    level_titles = {
        lv.number: lv.unified_title for lv in framework_selectors.level_list(version=version)
    }
    qualification, other = [], []
    for p in framework_selectors.package_list(version=version):
        core = tuple(sorted(u.code for u in p.core_units.all()))
        electives = tuple(sorted(u.code for u in p.elective_units.all()))
        spec = PackageSpec(
            code=p.code,
            name=p.name,
            kind=p.kind,
            level=p.level.number,
            programme=p.programme,
            core=core,
            electives=electives,
            min_electives=p.min_electives,
            core_mask=sum(1 << index[c] for c in core),
            elective_mask=sum(1 << index[c] for c in electives),
        )
        (qualification if p.kind == QUALIFICATION else other).append(spec)
    return Catalogue(
        version_id=version.pk,
        version_name=version.name,
        is_example=version.is_example,
        level_titles=level_titles,
        unit_titles={u.code: u.title for u in units},
        index=index,
        packages=tuple(qualification or other),
        specialisations=tuple(other if qualification else ()),
    )


@dataclass(frozen=True)
class Gap:
    level: int
    package: PackageSpec
    missing_core: tuple[str, ...]
    electives_needed: int
    elective_options: tuple[str, ...]
    must_mask: int
    pool_mask: int

    @property
    def missing_count(self) -> int:
        return len(self.missing_core) + self.electives_needed


@dataclass(frozen=True)
class Cover:
    courses: tuple[CourseSpec, ...]
    method: str  # "eksak" or "serakah"
    candidates: int
    electives_short: int  # electives still missing after every course
    bound: float | None = None  # greedy's guarantee: at most bound × optimum
    uncoverable_mask: int = 0  # core units no active course covers
    uncoverable: tuple[str, ...] = ()  # the same, as codes (filled in by the engine)

    @property
    def hours(self) -> int:
        return sum(c.hours for c in self.courses)

    @property
    def complete(self) -> bool:
        return not self.uncoverable_mask and not self.electives_short

    @property
    def method_label(self) -> str:
        if self.method == "eksak":
            return _("eksak (branch and bound atas %(n)s kandidat pelatihan)") % {
                "n": self.candidates
            }
        if self.bound:
            return _(
                "serakah (greedy, %(n)s kandidat pelatihan; paling banyak %(bound)s× jumlah "
                "minimum)"
            ) % {"n": self.candidates, "bound": f"{self.bound:.2f}"}
        return _("serakah (greedy, %(n)s kandidat pelatihan)") % {"n": self.candidates}


@dataclass(frozen=True)
class Plan:
    """A person's way through one gap: the units they were trained in and only need to have
    assessed, and the courses for the rest (never one they completed)."""

    gap: Gap
    awaiting_assessment: tuple[str, ...]
    cover: Cover
    to_train: int  # units (core + electives still needed) no completed course covers

    @property
    def assessment_only(self) -> bool:
        """Only certification is missing: the next step is the assessment, not a course."""
        return self.to_train == 0


@dataclass
class QualificationResult:
    """One unit set's result (shared by every person holding that set)."""

    mask: int
    attained: int | None
    package: PackageSpec | None
    specialisations: tuple[PackageSpec, ...]
    gap: Gap | None
    cover: Cover | None = None


# ---------------------------------------------------------------------------------------------
# Set cover


@dataclass(frozen=True)
class _Candidate:
    course: CourseSpec
    must: int
    pool: int


def _gain(c: _Candidate, rem_must: int, rem_pool: int, rem_k: int) -> int:
    return _bits(c.must & rem_must) + min(rem_k, _bits(c.pool & rem_pool))


def _greedy(cands: list[_Candidate], must: int, pool: int, k: int) -> list[int]:
    chosen: list[int] = []
    rem_must, rem_pool, rem_k = must, pool, k
    while rem_must or rem_k:
        best, best_key = None, None
        for i, c in enumerate(cands):
            if i in chosen:
                continue
            gain = _gain(c, rem_must, rem_pool, rem_k)
            if gain == 0:
                continue
            key = (-gain, c.course.hours, c.course.code)
            if best_key is None or key < best_key:
                best, best_key = i, key
        if best is None:
            break
        chosen.append(best)
        c = cands[best]
        rem_k = max(0, rem_k - _bits(c.pool & rem_pool))
        rem_must &= ~c.must
        rem_pool &= ~c.pool
    return chosen


def _exact(cands: list[_Candidate], must: int, pool: int, k: int, start: list[int]) -> list[int]:
    """Branch and bound for min (number of courses, hours), seeded with a feasible solution.

    While core units remain uncovered, branch on the courses covering the uncovered unit with
    the fewest covering courses (one of them must be chosen). Then branch on courses in index
    order to gather the remaining electives. Prune with the bound
    ``chosen + ceil(still needed / most any one course adds)``.
    """
    best = list(start)
    best_cost = (len(best), sum(cands[i].course.hours for i in best))
    covering: dict[int, list[int]] = {}
    m = must
    while m:
        low = m & -m
        covering[low] = [i for i, c in enumerate(cands) if c.must & low]
        m ^= low

    def search(chosen: list[int], rem_must: int, rem_pool: int, rem_k: int, hours: int, nxt: int):
        nonlocal best, best_cost
        if not rem_must and rem_k == 0:
            if (len(chosen), hours) < best_cost:
                best, best_cost = list(chosen), (len(chosen), hours)
            return
        need = _bits(rem_must) + rem_k
        top = max((_gain(c, rem_must, rem_pool, rem_k) for c in cands), default=0)
        if top == 0:
            return
        bound = len(chosen) + math.ceil(need / top)
        if bound > best_cost[0] or (bound == best_cost[0] and hours >= best_cost[1]):
            return
        if rem_must:
            options, m = None, rem_must
            while m:
                bit = m & -m
                m ^= bit
                ids = [i for i in covering[bit] if i not in chosen]
                if options is None or len(ids) < len(options):
                    options = ids
            for i in sorted(
                options or [], key=lambda i: -_gain(cands[i], rem_must, rem_pool, rem_k)
            ):
                c = cands[i]
                chosen.append(i)
                search(
                    chosen,
                    rem_must & ~c.must,
                    rem_pool & ~c.pool,
                    max(0, rem_k - _bits(c.pool & rem_pool)),
                    hours + c.course.hours,
                    nxt,
                )
                chosen.pop()
            return
        for i in range(nxt, len(cands)):
            c = cands[i]
            if i in chosen or not c.pool & rem_pool:
                continue
            chosen.append(i)
            search(
                chosen,
                rem_must,
                rem_pool & ~c.pool,
                max(0, rem_k - _bits(c.pool & rem_pool)),
                hours + c.course.hours,
                i + 1,
            )
            chosen.pop()

    search([], must, pool, k, 0, 0)
    return best


def set_cover(
    *,
    courses: Iterable[CourseSpec],
    must: int,
    pool: int = 0,
    k: int = 0,
    exact_limit: int = EXACT_LIMIT,
) -> Cover:
    """Fewest courses whose units include every bit of ``must`` and ``k`` bits of ``pool``.

    1. Keep the courses that add anything, as (must ∩ course, pool ∩ course).
    2. Drop a course when another one covers at least the same useful units in no more hours.
    3. Shrink the requirement to what the remaining courses can cover at all (reported).
    4. ≤ ``exact_limit`` candidates: branch and bound (seeded by greedy); else greedy.
    """
    cands = [
        _Candidate(c, c.mask & must, c.mask & pool)
        for c in courses
        if c.mask & must or (k and c.mask & pool)
    ]
    cands.sort(key=lambda c: (-(_bits(c.must) + _bits(c.pool)), c.course.hours, c.course.code))
    kept: list[_Candidate] = []
    for c in cands:
        dominated = any(
            (c.must & ~d.must) == 0 and (c.pool & ~d.pool) == 0 and d.course.hours <= c.course.hours
            for d in kept
        )
        if not dominated:
            kept.append(c)
    reach_must = reach_pool = 0
    for c in kept:
        reach_must |= c.must
        reach_pool |= c.pool
    uncoverable_mask = must & ~reach_must
    k_reachable = min(k, _bits(pool & reach_pool))
    must_reachable = must & reach_must
    start = _greedy(kept, must_reachable, pool, k_reachable)
    if len(kept) <= exact_limit:
        chosen = _exact(kept, must_reachable, pool, k_reachable, start)
        method, bound = "eksak", None
    else:
        chosen = start
        top = max((_bits(c.must) + min(k_reachable, _bits(c.pool)) for c in kept), default=1)
        method, bound = "serakah", sum(1 / i for i in range(1, max(top, 1) + 1))
    picked = tuple(sorted((kept[i].course for i in chosen), key=lambda c: c.code))
    return Cover(
        courses=picked,
        method=method,
        candidates=len(kept),
        electives_short=k - k_reachable,
        bound=bound,
        uncoverable_mask=uncoverable_mask,
    )


# ---------------------------------------------------------------------------------------------
# The engine


@dataclass
class Engine:
    catalogue: Catalogue
    courses: list[CourseSpec] = field(default_factory=list)
    exact_limit: int = EXACT_LIMIT

    def __post_init__(self) -> None:
        self.courses = [
            CourseSpec(
                id=c.id,
                code=c.code,
                title=c.title,
                hours=c.hours,
                units=c.units,
                prerequisites=c.prerequisites,
                mask=self.catalogue.mask(c.units),
            )
            for c in self.courses
        ]
        self._levels = sorted({p.level for p in self.catalogue.packages})
        self._cache: dict[int, QualificationResult] = {}
        self._covers: dict[tuple[int, int, int], Cover] = {}

    # -- single sets --------------------------------------------------------------------------

    def attained(self, mask: int) -> tuple[int | None, PackageSpec | None]:
        best: PackageSpec | None = None
        for p in self.catalogue.packages:
            if (best is None or p.level > best.level) and p.satisfied_by(mask):
                best = p
        return (best.level if best else None), best

    def gap(self, mask: int, attained: int | None) -> Gap | None:
        above = [lv for lv in self._levels if lv > (attained or 0)]
        if not above:
            return None
        return self.gap_at(mask, above[0])

    def gap_at(self, mask: int, target: int) -> Gap | None:
        """The gap to ``target`` (the package of that level with the fewest missing units);
        None when the framework has no qualification package at that level."""
        best: Gap | None = None
        for p in self.catalogue.packages:
            if p.level != target:
                continue
            must = p.core_mask & ~mask
            have = _bits(mask & p.elective_mask)
            k = max(0, p.min_electives - have)
            pool = p.elective_mask & ~mask if k else 0
            gap = Gap(
                level=target,
                package=p,
                missing_core=self.catalogue.codes(must),
                electives_needed=k,
                elective_options=self.catalogue.codes(pool),
                must_mask=must,
                pool_mask=pool,
            )
            if best is None or (gap.missing_count, p.code) < (
                best.missing_count,
                best.package.code,
            ):
                best = gap
        return best

    def plan(self, gap: Gap, *, trained_mask: int = 0, completed: Iterable[int] = ()) -> Plan:
        """What a person still has to do for ``gap``, given what they were trained in.

        1. Units of the gap that a completed course covers (``trained_mask``) need no more
           training, only an assessment: they leave the course requirement.
        2. A completed course is never a candidate again (``completed``); a course adding no
           missing unit never was one (set_cover keeps only courses that add something).
        3. The rest is the usual smallest cover. When nothing is left to train, the path ends
           in the assessment step.
        """
        trained = trained_mask & (gap.must_mask | gap.pool_mask)
        must = gap.must_mask & ~trained
        k = max(0, gap.electives_needed - _bits(gap.pool_mask & trained))
        pool = gap.pool_mask & ~trained if k else 0
        done = set(completed)
        result = set_cover(
            courses=[c for c in self.courses if c.id not in done],
            must=must,
            pool=pool,
            k=k,
            exact_limit=self.exact_limit,
        )
        cover = replace(result, uncoverable=self.catalogue.codes(result.uncoverable_mask))
        return Plan(
            gap=gap,
            awaiting_assessment=self.catalogue.codes(trained),
            cover=cover,
            to_train=_bits(must) + k,
        )

    def cover(self, gap: Gap) -> Cover:
        key = (gap.must_mask, gap.pool_mask, gap.electives_needed)
        cached = self._covers.get(key)
        if cached is None:
            result = set_cover(
                courses=self.courses,
                must=gap.must_mask,
                pool=gap.pool_mask,
                k=gap.electives_needed,
                exact_limit=self.exact_limit,
            )
            cached = replace(result, uncoverable=self.catalogue.codes(result.uncoverable_mask))
            self._covers[key] = cached
        return cached

    def assess_mask(self, mask: int, *, with_cover: bool = True) -> QualificationResult:
        result = self._cache.get(mask)
        if result is None:
            level, package = self.attained(mask)
            result = QualificationResult(
                mask=mask,
                attained=level,
                package=package,
                specialisations=tuple(
                    p for p in self.catalogue.specialisations if p.satisfied_by(mask)
                ),
                gap=self.gap(mask, level),
            )
            self._cache[mask] = result
        if with_cover and result.gap is not None and result.cover is None:
            result.cover = self.cover(result.gap)
        return result

    def assess(self, codes: Iterable[str], *, with_cover: bool = True) -> QualificationResult:
        return self.assess_mask(self.catalogue.mask(codes), with_cover=with_cover)

    # -- populations --------------------------------------------------------------------------

    def assess_groups(
        self, groups: dict[frozenset[str], list[int]], *, with_cover: bool = True
    ) -> dict[int, QualificationResult]:
        """person id -> result, for the groups of identical unit sets (people without units
        are not in ``groups``; ``assess_mask(0)`` is their result)."""
        out: dict[int, QualificationResult] = {}
        for codes, people in groups.items():
            result = self.assess(codes, with_cover=with_cover)
            for pid in people:
                out[pid] = result
        return out

    def course_closes(self, course: CourseSpec, gap: Gap) -> bool:
        """Would this one course take a person with this gap to the next level?"""
        return (gap.must_mask & ~course.mask) == 0 and _bits(
            course.mask & gap.pool_mask
        ) >= gap.electives_needed


@dataclass
class NeedsReport:
    people: int
    by_level: dict[int | None, int]
    missing_core: list[tuple[str, str, int]]  # (code, title, people missing it), most first
    elective_gaps: list[tuple[str, str, int]]  # electives people could still choose
    course_moves: list[tuple[CourseSpec, int]]  # people whose gap the course alone closes
    top_reached: int  # people with no level above theirs


def training_needs(
    engine: Engine,
    groups: dict[frozenset[str], list[int]],
    *,
    without_units: int,
    level: int | None = None,
    filter_level: bool = False,
) -> NeedsReport:
    """Which units are most missing for the next level, and how many people each course alone
    would move up. ``without_units`` people hold no valid unit at all (they aim at the lowest
    level). With ``filter_level``, only people whose attained level is ``level`` count."""
    weighted: list[tuple[QualificationResult, int]] = []
    if without_units:
        weighted.append((engine.assess_mask(0, with_cover=False), without_units))
    for codes, people in groups.items():
        weighted.append((engine.assess(codes, with_cover=False), len(people)))
    by_level: Counter = Counter()
    missing: Counter = Counter()
    electives: Counter = Counter()
    moves: Counter = Counter()
    total = top = 0
    for result, n in weighted:
        if filter_level and result.attained != level:
            continue
        total += n
        by_level[result.attained] += n
        gap = result.gap
        if gap is None:
            top += n
            continue
        for code in gap.missing_core:
            missing[code] += n
        if gap.electives_needed:
            for code in gap.elective_options:
                electives[code] += n
        for course in engine.courses:
            if engine.course_closes(course, gap):
                moves[course.id] += n
    titles = engine.catalogue.unit_titles
    by_id = {c.id: c for c in engine.courses}
    return NeedsReport(
        people=total,
        by_level=dict(sorted(by_level.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))),
        missing_core=[(c, titles.get(c, ""), n) for c, n in missing.most_common()],
        elective_gaps=[(c, titles.get(c, ""), n) for c, n in electives.most_common()],
        course_moves=sorted(
            ((by_id[i], n) for i, n in moves.items()), key=lambda cn: (-cn[1], cn[0].code)
        ),
        top_reached=top,
    )
