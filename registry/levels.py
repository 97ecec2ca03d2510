"""The registry side of harmonisation: set-based reads of engagement facts and bulk writes of
harmonised levels, unified titles and explanations.

The framework app decides (framework.harmonize); the registry owns writes to Engagement, so the
framework calls here. Work is per distinct combination of facts, never per row:

1. ``engagement_facts`` materialises every engagement's facts once (one scan, in temporary
   tables) and ``combinations()`` groups them by (title as written, programme, education, full
   years of service, certified-unit signature): a few thousand combinations for hundreds of
   thousands of engagements.
2. The framework resolves each combination once and hands back one ``LevelResult`` each.
3. ``preview()`` joins the results to every engagement (the plan) and summarises it;
   ``apply()`` writes it with one UPDATE ... FROM, raises level review cases where a decided
   position level disagrees, and audits each changed engagement in bulk.

Years of service count from the person's earliest engagement start (gaps are not subtracted),
so a facilitator who moved cluster keeps their experience.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import AuditEntry, User
from accounts.services import SYSTEM_USERNAME, audit_record_many
from registry.models import ROMAN, Engagement, LevelReview

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

RESULT_BATCH = 5000


@dataclass(frozen=True)
class FactCombination:
    legacy_title: str
    programme_id: int
    education: str
    years: int  # -1 when no start date is known
    signature: int  # 0: no certified units; else a key of ``unit_signatures``' values
    count: int


@dataclass(frozen=True)
class LevelResult:
    legacy_title: str
    programme_id: int
    education: str
    years: int
    signature: int
    level: int | None
    unified_title: str
    harmonisation: dict[str, Any]  # what the explanation says; compared between runs
    stamp: dict[str, Any] = field(default_factory=dict)  # stored, not compared (e.g. version)


@dataclass
class Transition:
    before: int | None
    after: int | None
    count: int
    examples: list[Engagement] = field(default_factory=list)


@dataclass
class LevelPlanSummary:
    total: int = 0
    changed: int = 0  # rows the apply would write (level, title, explanation or position)
    level_changes: int = 0
    title_changes: int = 0
    unmatched: int = 0
    reviews: int = 0  # decided position levels that the new harmonised level contradicts
    transitions: list[Transition] = field(default_factory=list)


@dataclass
class LevelApplyReport(LevelPlanSummary):
    written: int = 0
    reviews_raised: int = 0
    reviews_updated: int = 0
    audited: int = 0


_Summary = TypeVar("_Summary", bound=LevelPlanSummary)


def _vendor() -> str:
    return connection.vendor


def _years_sql() -> str:
    """Full years between ``fs.first_start`` and the as-of date; -1 when unknown."""
    if _vendor() == "postgresql":
        return "COALESCE(GREATEST(0, EXTRACT(YEAR FROM AGE(%s::date, fs.first_start))::int), -1)"
    return (
        "CASE WHEN fs.first_start IS NULL THEN -1 ELSE MAX(0, "
        "CAST(strftime('%%Y', %s) AS INTEGER) - CAST(strftime('%%Y', fs.first_start) AS INTEGER)"
        " - (strftime('%%m-%%d', %s) < strftime('%%m-%%d', fs.first_start))) END"
    )


def _years_params(as_of: dt.date) -> list[Any]:
    return [as_of] if _vendor() == "postgresql" else [as_of.isoformat(), as_of.isoformat()]


def _digest_sql() -> str:
    """The stored explanation's digest, read without copying the whole JSON."""
    if _vendor() == "postgresql":
        return "e.harmonisation ->> 'digest'"
    return "json_extract(e.harmonisation, '$.digest')"


def _with_digest(harmonisation: dict[str, Any], stamp: dict[str, Any]) -> tuple[str, str]:
    """(digest of the explanation, JSON text to store: explanation, stamp and digest).

    Comparing a short digest tells whether an engagement's explanation changes without
    copying and comparing every stored JSON document. The stamp is left out of it, so a row
    whose explanation a new version confirms is not rewritten (and keeps its stamp).
    """
    canonical = json.dumps(harmonisation, ensure_ascii=False, sort_keys=True)
    digest = hashlib.md5(canonical.encode(), usedforsecurity=False).hexdigest()[:16]
    stored = {**harmonisation, **stamp, "digest": digest}
    return digest, json.dumps(stored, ensure_ascii=False)


def _json_type() -> str:
    return "jsonb" if _vendor() == "postgresql" else "text"


def _distinct(a: str, b: str) -> str:
    return f"{a} IS DISTINCT FROM {b}" if _vendor() == "postgresql" else f"{a} IS NOT {b}"


def _bulk_insert(
    cursor: CursorWrapper, table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    """COPY on PostgreSQL (one round trip); batched INSERTs elsewhere."""
    if _vendor() == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(tuple(row))
        if len(batch) == RESULT_BATCH:
            cursor.executemany(sql, batch)
            batch = []
    if batch:
        cursor.executemany(sql, batch)


TEMP_TABLES = ["hz_plan", "hz_result", "hz_facts", "hz_units"]
RESULT_COLUMNS = [
    "id",
    "legacy_title",
    "programme_id",
    "education",
    "years",
    "signature",
    "level",
    "title",
    "digest",
    "harmonisation",
]


class EngagementFacts:
    """The facts of every engagement, materialised once in temporary tables.

    Use through ``engagement_facts``; everything runs in one transaction and the tables are
    dropped on the way out (or vanish with the rollback on an error).
    """

    def __init__(
        self, cursor: CursorWrapper, *, as_of: dt.date, unit_signatures: dict[int, int] | None
    ) -> None:
        self.cursor = cursor
        self.as_of = as_of
        self.unit_signatures = unit_signatures or {}

    def _create(self, name: str, select: str, params: list[Any] | None = None) -> None:
        self.cursor.execute(f"CREATE TEMPORARY TABLE {name} AS {select}", params or [])
        if _vendor() == "postgresql":
            # Temporary tables have no statistics until analysed; without them the planner
            # picks nested loops over every engagement × every combination.
            self.cursor.execute(f"ANALYZE {name}")

    def _drop(self) -> None:
        for name in TEMP_TABLES:
            self.cursor.execute(f"DROP TABLE IF EXISTS {name}")

    def materialise(self) -> None:
        """One scan of the engagements with their person and years of service."""
        self._drop()
        cursor = self.cursor
        if _vendor() == "postgresql":
            # The window and groupings below sort or hash every engagement once; with the
            # default 4 MB they spill to disk. The planner underestimates the five-column join
            # to the results and picks a sort-merge join, which sorts every engagement by its
            # title under the database collation (~7 s for 500,000); a hash join on the few
            # results takes a fraction of that.
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL enable_mergejoin = off")
        units_join, signature = "", "0"
        if self.unit_signatures:
            cursor.execute("CREATE TEMPORARY TABLE hz_units (person_id bigint, signature int)")
            _bulk_insert(
                cursor, "hz_units", ["person_id", "signature"], self.unit_signatures.items()
            )
            cursor.execute("CREATE INDEX hz_units_person ON hz_units (person_id)")
            units_join = "LEFT JOIN hz_units u ON u.person_id = e.person_id"
            signature = "COALESCE(u.signature, 0)"
        # Years of service need the person's earliest start over all their engagements: a
        # window over the same scan, so the engagements are read once.
        self._create(
            "hz_facts",
            f"""SELECT fs.eid, fs.person_id, fs.legacy_title, fs.programme_id, fs.education,
                       {_years_sql()} AS years, fs.signature, fs.harmonised_level,
                       fs.unified_title, fs.digest, fs.position_level, fs.decided
                FROM (
                    SELECT e.id AS eid, e.person_id, e.legacy_title, e.programme_id,
                           COALESCE(p.education_level, '') AS education,
                           MIN(e.start_date) OVER (PARTITION BY e.person_id) AS first_start,
                           {signature} AS signature, e.harmonised_level, e.unified_title,
                           {_digest_sql()} AS digest, e.position_level,
                           CASE WHEN e.position_sk_number <> '' THEN 1 ELSE 0 END AS decided
                    FROM registry_engagement e
                    JOIN registry_person p ON p.id = e.person_id
                    {units_join}
                ) fs""",
            _years_params(self.as_of),
        )

    def combinations(self) -> list[FactCombination]:
        """Every distinct combination of the facts harmonisation looks at, with its count."""
        self.cursor.execute(
            """SELECT legacy_title, programme_id, education, years, signature, COUNT(*)
               FROM hz_facts GROUP BY legacy_title, programme_id, education, years, signature"""
        )
        return [FactCombination(*row) for row in self.cursor.fetchall()]

    def plan(self, results: list[LevelResult]) -> None:
        """``hz_plan``: every engagement with its current and new values."""
        cursor = self.cursor
        for name in ("hz_plan", "hz_result"):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(
            f"""CREATE TEMPORARY TABLE hz_result (
                id int PRIMARY KEY, legacy_title varchar(200), programme_id bigint,
                education varchar(10), years int, signature int, level smallint NULL,
                title varchar(150), digest varchar(16), harmonisation {_json_type()})"""
        )
        rows = (
            (
                i,
                r.legacy_title,
                r.programme_id,
                r.education,
                r.years,
                r.signature,
                r.level,
                r.unified_title,
                *_with_digest(r.harmonisation, r.stamp),
            )
            for i, r in enumerate(results, 1)
        )
        _bulk_insert(cursor, "hz_result", RESULT_COLUMNS, rows)
        if _vendor() == "postgresql":
            cursor.execute("ANALYZE hz_result")
        else:
            cursor.execute(
                "CREATE INDEX hz_result_key ON hz_result "
                "(legacy_title, programme_id, education, years, signature)"
            )
        # A decided position level (an approved SK) never follows the harmonised level; an
        # undecided one does, except that an unmatched title does not erase it.
        new_position = (
            "CASE WHEN f.decided = 0 AND r.level IS NOT NULL THEN r.level ELSE f.position_level END"
        )
        changed = " OR ".join(
            [
                _distinct("f.harmonised_level", "r.level"),
                "f.unified_title <> r.title",
                _distinct("f.digest", "r.digest"),
                _distinct("f.position_level", new_position),
            ]
        )
        self._create(
            "hz_plan",
            f"""SELECT f.eid, f.person_id, r.id AS key_id,
                       f.harmonised_level AS old_level, r.level AS new_level,
                       f.unified_title AS old_title, r.title AS new_title,
                       f.position_level AS old_position, {new_position} AS new_position,
                       f.decided, CASE WHEN {changed} THEN 1 ELSE 0 END AS changed
                FROM hz_facts f
                JOIN hz_result r
                  ON r.legacy_title = f.legacy_title AND r.programme_id = f.programme_id
                 AND r.education = f.education AND r.years = f.years
                 AND r.signature = f.signature""",
        )

    def preview(self, results: list[LevelResult], *, examples: int = 3) -> LevelPlanSummary:
        """What applying these results would change: counts per from→to level, with examples."""
        self.plan(results)
        return _summary(self.cursor, LevelPlanSummary(), examples)

    def apply(
        self, results: list[LevelResult], *, actor: User | None, note: str
    ) -> LevelApplyReport:
        """Write harmonised levels, titles and explanations to every engagement, set-based.

        1. one UPDATE ... FROM the plan for the rows that change; an undecided position level
           follows the new harmonised level;
        2. a decided position level that the new level contradicts raises a LevelReview
           (perubahan_kerangka), or refreshes the proposal of the open one — never a second;
        3. each engagement whose earlier level, title or position changes gets an audit entry
           (bulk). A first harmonisation (nothing earlier) is covered by the caller's summary.
        """
        self.plan(results)
        report = _summary(self.cursor, LevelApplyReport(), examples=0)
        _audit_changes(self.cursor, report, actor=actor, note=note)
        _raise_reviews(self.cursor, report, note=note)
        self.cursor.execute(
            """UPDATE registry_engagement AS e SET
                   harmonised_level = p.new_level, unified_title = p.new_title,
                   harmonisation = r.harmonisation, position_level = p.new_position,
                   updated_at = %s
               FROM hz_plan p JOIN hz_result r ON r.id = p.key_id
               WHERE e.id = p.eid AND p.changed = 1""",
            [timezone.now()],
        )
        report.written = self.cursor.rowcount
        return report


@contextmanager
def engagement_facts(
    *, as_of: dt.date, unit_signatures: dict[int, int] | None = None
) -> Iterator[EngagementFacts]:
    """Materialise every engagement's facts for one preview or apply, in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        facts = EngagementFacts(cursor, as_of=as_of, unit_signatures=unit_signatures)
        facts.materialise()
        yield facts
        # On an error the rollback removes the tables; dropping them then would only fail.
        facts._drop()


def _summary(cursor: CursorWrapper, summary: _Summary, examples: int) -> _Summary:
    cursor.execute(
        f"""SELECT old_level, new_level, COUNT(*),
                   SUM(changed), SUM(CASE WHEN old_title <> new_title THEN 1 ELSE 0 END),
                   SUM(CASE WHEN decided = 1 AND new_level IS NOT NULL
                             AND ({_distinct("old_position", "new_level")}) THEN 1 ELSE 0 END)
            FROM hz_plan GROUP BY old_level, new_level"""
    )
    for old, new, count, changed, titles, reviews in cursor.fetchall():
        summary.total += count
        summary.changed += changed or 0
        summary.title_changes += titles or 0
        summary.reviews += reviews or 0
        if new is None:
            summary.unmatched += count
        if old != new:
            summary.level_changes += count
            summary.transitions.append(Transition(before=old, after=new, count=count))
    summary.transitions.sort(key=lambda t: (-t.count, t.before or 0, t.after or 0))
    if examples and summary.transitions:
        cursor.execute(
            f"""SELECT eid, old_level, new_level FROM (
                    SELECT eid, old_level, new_level, ROW_NUMBER() OVER (
                        PARTITION BY old_level, new_level ORDER BY eid) AS n
                    FROM hz_plan WHERE {_distinct("old_level", "new_level")}) x
                WHERE n <= %s""",
            [examples],
        )
        wanted = cursor.fetchall()
        by_id = Engagement.objects.select_related("programme", "regency").in_bulk(
            [row[0] for row in wanted]
        )
        index = {(t.before, t.after): t for t in summary.transitions}
        for eid, old, new in wanted:
            index[(old, new)].examples.append(by_id[eid])
    return summary


def _audit_changes(
    cursor: CursorWrapper, report: LevelApplyReport, *, actor: User | None, note: str
) -> None:
    cursor.execute(
        f"""SELECT eid, person_id, old_level, new_level, old_title, new_title,
                   old_position, new_position
            FROM hz_plan
            WHERE (old_level IS NOT NULL OR old_title <> '' OR old_position IS NOT NULL)
              AND ({_distinct("old_level", "new_level")} OR old_title <> new_title
                   OR {_distinct("old_position", "new_position")})"""
    )
    entries = []
    label = actor.username if actor else SYSTEM_USERNAME
    actor_ref = actor if actor and actor.pk else None
    now = timezone.now()
    for eid, person_id, old, new, old_title, new_title, old_pos, new_pos in cursor.fetchall():
        changes: dict[str, list[Any]] = {}
        if old != new:
            changes["harmonised_level"] = [old, new]
        if old_title != new_title:
            changes["unified_title"] = [old_title, new_title]
        if old_pos != new_pos:
            changes["position_level"] = [old_pos, new_pos]
        entries.append(
            AuditEntry(
                at=now,
                actor=actor_ref,
                actor_label=label,
                action=AuditEntry.Action.UPDATE,
                object_type="registry.engagement",
                object_id=str(eid),
                object_repr=f"Harmonisasi penugasan {eid}",
                person_id_ref=person_id,
                changes=changes,
                note=note,
            )
        )
    audit_record_many(entries, batch_size=5000)
    report.audited = len(entries)


def _raise_reviews(cursor: CursorWrapper, report: LevelApplyReport, *, note: str) -> None:
    cursor.execute(
        f"""SELECT eid, old_position, new_level FROM hz_plan
            WHERE decided = 1 AND new_level IS NOT NULL
              AND {_distinct("old_position", "new_level")}"""
    )
    candidates = {eid: (position, level) for eid, position, level in cursor.fetchall()}
    if not candidates:
        return
    ids = list(candidates)
    open_cases = {
        case.engagement_id: case
        for start in range(0, len(ids), RESULT_BATCH)
        for case in LevelReview.objects.filter(
            engagement_id__in=ids[start : start + RESULT_BATCH],
            kind=LevelReview.Kind.FRAMEWORK_CHANGE,
            status=LevelReview.Status.OPEN,
        )
    }
    new_cases, refreshed = [], []
    for eid, (position, level) in candidates.items():
        reason = (
            f"Kerangka yang berlaku menempatkan penugasan ini pada jenjang {level}, "
            f"sedangkan jenjang jabatan {position or '—'} ditetapkan dengan SK. "
            "Jenjang jabatan tidak diubah otomatis; putuskan melalui SK baru atau tutup kasus."
        )
        case = open_cases.get(eid)
        if case is None:
            new_cases.append(
                LevelReview(
                    engagement_id=eid,
                    kind=LevelReview.Kind.FRAMEWORK_CHANGE,
                    position_level=position,
                    proposed_level=level,
                    reason=reason,
                    details={"note": note},
                )
            )
        elif case.proposed_level != level:
            case.proposed_level, case.reason = level, reason
            case.details = {**case.details, "note": note}
            refreshed.append(case)
    LevelReview.objects.bulk_create(new_cases, batch_size=2000)
    LevelReview.objects.bulk_update(refreshed, ["proposed_level", "reason", "details"])
    report.reviews_raised, report.reviews_updated = len(new_cases), len(refreshed)


def level_transition_counts(summary: LevelPlanSummary) -> dict[str, int]:
    """{"III→IV": n, ...} for audit entries and messages."""
    counts: Counter[str] = Counter()
    for t in summary.transitions:
        counts[f"{ROMAN.get(t.before or 0, '—')}→{ROMAN.get(t.after or 0, '—')}"] += t.count
    return dict(counts)


def engagement_title_counts() -> list[tuple[str, int, int]]:
    """(title as written, programme id, engagements) for every distinct title in the registry."""
    return list(
        Engagement.objects.values_list("legacy_title", "programme_id")
        .annotate(n=Count("pk"))
        .order_by("programme_id", "legacy_title")
    )
