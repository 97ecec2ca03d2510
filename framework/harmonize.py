"""Harmonisation: every engagement gets the unified title and harmonised level that the
framework in force gives it, with the explanation.

1. Read the distinct combinations of facts (registry.levels) — few, however many engagements.
2. Resolve each combination once against the version's rules (framework.resolve).
3. Preview (counts per from→to level, with examples) or apply set-based in one transaction,
   with one summary audit entry; the registry audits each changed engagement in bulk and raises
   review cases for decided position levels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from framework.access import can_manage_framework
from framework.facts import certified_units_by_person
from framework.models import FrameworkVersion
from framework.resolve import Facts, RuleSet
from framework.services import framework_version_set_in_force
from jobs.outcomes import JobOutcome, count
from registry.levels import (
    EngagementFacts,
    LevelApplyReport,
    LevelPlanSummary,
    LevelResult,
    engagement_facts,
    level_transition_counts,
)
from registry.models import ROMAN, Programme

Progress = Callable[[int, int, str], None]


def _noop(done: int, total: int, message: str = "") -> None:
    return None


@dataclass
class HarmonisationRun:
    version: FrameworkVersion
    as_of: dt.date
    combinations: int
    summary: LevelPlanSummary | LevelApplyReport
    dry_run: bool

    @property
    def headline(self) -> str:
        s = self.summary
        moves = ", ".join(
            f"{ROMAN.get(t.before or 0, '—')}→{ROMAN.get(t.after or 0, '—')}: {t.count}"
            for t in s.transitions[:8]
        )
        text = _("%(n)s penugasan berubah jenjang") % {"n": s.level_changes}
        if moves:
            text += f" ({moves})"
        return _(
            "%(changes)s; %(titles)s berubah nomenklatur; %(unmatched)s belum cocok; "
            "%(reviews)s kasus tinjauan jenjang jabatan (SK); dari %(total)s penugasan."
        ) % {
            "changes": text,
            "titles": s.title_changes,
            "unmatched": s.unmatched,
            "reviews": s.reviews,
            "total": s.total,
        }

    @property
    def headline_lazy(self) -> str:
        """The headline written when it is read: a job's progress is shown in the language of
        whoever started the job (jobs.services), not the worker's."""
        return lazy(lambda: self.headline, str)()


def version_in_force() -> FrameworkVersion | None:
    return FrameworkVersion.objects.filter(status=FrameworkVersion.Status.IN_FORCE).first()


def unit_signatures() -> tuple[dict[int, int], dict[int, frozenset[str]]]:
    """Give each distinct set of certified units a number; people point at their set."""
    by_person = certified_units_by_person()
    numbers: dict[frozenset[str], int] = {}
    for codes in by_person.values():
        numbers.setdefault(codes, len(numbers) + 1)
    return (
        {pid: numbers[codes] for pid, codes in by_person.items()},
        {n: codes for codes, n in numbers.items()},
    )


def harmonisation_results(
    *,
    facts: EngagementFacts,
    version: FrameworkVersion,
    signature_codes: dict[int, frozenset[str]],
    progress: Progress = _noop,
) -> list[LevelResult]:
    """Resolve every distinct combination of facts under ``version``."""
    progress(0, 0, gettext_lazy("Membaca kombinasi fakta penugasan…"))
    combos = facts.combinations()
    programmes = {p.pk: p for p in Programme.objects.all()}
    rules = RuleSet(version, {p.slug: p.name for p in programmes.values()})
    results = []
    for i, combo in enumerate(combos, 1):
        outcome = rules.resolve(
            Facts(
                legacy_title=combo.legacy_title,
                programme=programmes[combo.programme_id].slug,
                education=combo.education,
                years=None if combo.years < 0 else combo.years,
                unit_codes=signature_codes.get(combo.signature, frozenset()),
            ),
            as_of=facts.as_of,
        )
        results.append(
            LevelResult(
                legacy_title=combo.legacy_title,
                programme_id=combo.programme_id,
                education=combo.education,
                years=combo.years,
                signature=combo.signature,
                level=outcome.level,
                unified_title=outcome.unified_title,
                harmonisation=outcome.harmonisation,
                stamp=outcome.stamp,
            )
        )
        if i % 500 == 0 or i == len(combos):
            progress(i, len(combos), gettext_lazy("Menerapkan aturan pada kombinasi fakta…"))
    return results


def harmonisation_preview(
    *, actor: User, version: FrameworkVersion | None = None, examples: int = 3
) -> HarmonisationRun:
    """What re-harmonising under ``version`` (default: the one in force) would change."""
    if not can_manage_framework(actor):
        raise PermissionDenied(_("Hanya administrator nasional yang dapat melihat pratinjau."))
    version = version or version_in_force()
    if version is None:
        raise ValidationError(_("Belum ada versi kerangka yang berlaku."))
    person_signature, signature_codes = unit_signatures()
    with engagement_facts(as_of=timezone.localdate(), unit_signatures=person_signature) as facts:
        results = harmonisation_results(
            facts=facts, version=version, signature_codes=signature_codes
        )
        summary = facts.preview(results, examples=examples)
    return HarmonisationRun(version, facts.as_of, len(results), summary, dry_run=True)


def engagements_harmonize(
    *,
    actor: User,
    version: FrameworkVersion | None = None,
    dry_run: bool = False,
    progress: Progress = _noop,
    note: str = "",
) -> HarmonisationRun:
    """Re-harmonise every engagement under ``version`` (default: in force), in one transaction."""
    if dry_run:
        return harmonisation_preview(actor=actor, version=version)
    if not can_manage_framework(actor):
        raise PermissionDenied(
            _("Hanya administrator nasional yang dapat menjalankan harmonisasi.")
        )
    person_signature, signature_codes = unit_signatures()
    with transaction.atomic():
        version = version or version_in_force()
        if version is None:
            raise ValidationError(_("Belum ada versi kerangka yang berlaku."))
        note = note or f"Harmonisasi dengan kerangka «{version.name}»"
        with engagement_facts(
            as_of=timezone.localdate(), unit_signatures=person_signature
        ) as facts:
            results = harmonisation_results(
                facts=facts,
                version=version,
                signature_codes=signature_codes,
                progress=progress,
            )
            progress(len(results), len(results), gettext_lazy("Menulis hasil harmonisasi…"))
            report = facts.apply(results, actor=actor, note=note)
        run = HarmonisationRun(version, facts.as_of, len(results), report, dry_run=False)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=version,
            object_type="framework.harmonisation",
            object_repr=f"Harmonisasi {report.total} penugasan: {version.name}"[:200],
            changes={
                "version": version.name,
                "as_of": facts.as_of.isoformat(),
                "engagements": report.total,
                "combinations": len(results),
                "written": report.written,
                "level_changes": report.level_changes,
                "transitions": level_transition_counts(report),
                "title_changes": report.title_changes,
                "unmatched": report.unmatched,
                "reviews_raised": report.reviews_raised,
                "reviews_updated": report.reviews_updated,
                "audited_changes": report.audited,
            },
            note=note,
        )
    progress(len(results), len(results), run.headline_lazy)
    return run


def framework_version_activate(
    *, actor: User, version: FrameworkVersion, progress: Progress = _noop
) -> HarmonisationRun:
    """Put an agreed version in force and re-harmonise everything, as one transaction."""
    with transaction.atomic():
        previous = framework_version_set_in_force(actor=actor, version=version)
        version.refresh_from_db()
        note = f"Versi kerangka «{version.name}» diberlakukan" + (
            f", menggantikan «{previous.name}»" if previous else ""
        )
        return engagements_harmonize(actor=actor, version=version, progress=progress, note=note)


def harmonize_job(job, progress: Progress) -> dict:
    """Background handler for job kind "harmonize": params {"version_id": id, "activate": bool}."""
    actor = job.owner
    version = None
    if job.params.get("version_id"):
        version = FrameworkVersion.objects.get(pk=job.params["version_id"])
    if job.params.get("activate"):
        run = framework_version_activate(actor=actor, version=version, progress=progress)
    elif version is None and version_in_force() is None:
        # Asked for after an import on an installation with no framework in force yet: there
        # is nothing to harmonise against, which is not a failure. Putting a version in force
        # harmonises every engagement then.
        job.message = gettext_lazy("Belum ada kerangka yang berlaku: tidak ada yang diharmonisasi.")
        return {"skipped": "no_framework_in_force"}
    else:
        run = engagements_harmonize(actor=actor, version=version, progress=progress)
    job.message = run.headline_lazy
    s = run.summary
    return {
        "version": run.version.name,
        "engagements": s.total,
        "level_changes": s.level_changes,
        "title_changes": s.title_changes,
        "transitions": level_transition_counts(s),
        "unmatched": s.unmatched,
        "reviews_raised": getattr(s, "reviews_raised", 0),
    }


def harmonize_outcome(job) -> JobOutcome:
    """How a finished ``harmonize`` job reads (jobs.outcomes)."""
    result = job.result
    if result.get("skipped"):
        return JobOutcome(
            sentences=[_("Belum ada kerangka yang berlaku: tidak ada yang diharmonisasi.")]
        )
    total, changes = int(result.get("engagements", 0)), int(result.get("level_changes", 0))
    unmatched, reviews = int(result.get("unmatched", 0)), int(result.get("reviews_raised", 0))
    titles = int(result.get("title_changes", 0))
    # The most common move first (PostgreSQL's jsonb keeps no insertion order).
    transitions = sorted((result.get("transitions") or {}).items(), key=lambda t: (-t[1], t[0]))
    moves = ", ".join(f"{move}: {count(n)}" for move, n in transitions)
    if moves:
        changed = ngettext(
            "%(n)s penugasan berubah jenjang (%(moves)s).",
            "%(n)s penugasan berubah jenjang (%(moves)s).",
            changes,
        ) % {"n": count(changes), "moves": moves}
    else:
        changed = ngettext(
            "%(n)s penugasan berubah jenjang.", "%(n)s penugasan berubah jenjang.", changes
        ) % {"n": count(changes)}
    secondary = [
        (
            titles,
            ngettext(
                "%(n)s penugasan berubah nomenklatur jabatan.",
                "%(n)s penugasan berubah nomenklatur jabatan.",
                titles,
            ),
        ),
        (
            unmatched,
            ngettext(
                "%(n)s penugasan belum cocok dengan aturan nomenklatur.",
                "%(n)s penugasan belum cocok dengan aturan nomenklatur.",
                unmatched,
            ),
        ),
        (
            reviews,
            ngettext(
                "%(n)s kasus tinjauan jenjang jabatan (SK) dibuka.",
                "%(n)s kasus tinjauan jenjang jabatan (SK) dibuka.",
                reviews,
            ),
        ),
    ]
    return JobOutcome(
        sentences=[
            ngettext(
                "Versi kerangka «%(version)s»: %(n)s penugasan diharmonisasi.",
                "Versi kerangka «%(version)s»: %(n)s penugasan diharmonisasi.",
                total,
            )
            % {"version": result.get("version", ""), "n": count(total)},
            changed,
            # what did not happen is not news
            *(text % {"n": count(n)} for n, text in secondary if n),
        ]
    )
