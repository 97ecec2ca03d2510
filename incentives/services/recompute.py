"""Adoption of the standard, and the stored standard incentive recomputed (with its job)."""

import datetime as dt
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from accounts.models import AuditEntry, User
from accounts.services import audit_record
from incentives import selectors
from incentives.facts import FactsProvider
from incentives.models import Adoption
from incentives.services.common import audit, require_standard
from jobs.outcomes import JobOutcome, count
from registry.models import Programme
from registry.payments import engagement_standard_incentives_set


@transaction.atomic
def adoption_record(
    *,
    actor: User,
    programme: Programme,
    effective_month: dt.date,
    decision_ref: str,
    note: str = "",
) -> Adoption:
    """Record that a programme pays the standard from a month on (one record per programme)."""
    require_standard(actor)
    if not decision_ref.strip():
        raise ValidationError({"decision_ref": gettext("Sebutkan nomor keputusan penerapan.")})
    adoption, created = Adoption.objects.update_or_create(
        programme=programme,
        defaults={
            "effective_month": effective_month.replace(day=1),
            "decision_ref": decision_ref.strip(),
            "note": note,
            "decided_by": actor if actor.pk else None,
        },
    )
    audit(
        actor,
        AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        adoption,
        {"programme": programme.slug, "effective_month": adoption.effective_month.isoformat()},
    )
    return adoption


def standard_incentives_recompute(
    *,
    actor: User,
    on: dt.date | None = None,
    facts_provider: FactsProvider | None = None,
    progress=None,
) -> dict[str, Any]:
    """Refresh ``Engagement.standard_incentive`` for every engagement under the standard on ``on``.

    1. Read every engagement as plain tuples (one query, no model instances).
    2. Price them with the engine under the scale(s) that apply on ``on``.
    3. Hand (id, amount) pairs to ``registry.payments``, which writes them set-based.
    Unpriceable engagements get NULL (the export then shows no standard), never a guess.
    """
    require_standard(actor)
    on = on or timezone.localdate()
    clock = time.perf_counter
    started = clock()
    rows = list(selectors.all_engagement_facts())
    read = clock()
    if progress:
        progress(0, len(rows), "Menghitung insentif standar…")
    results = selectors.calculator(on=on, facts_provider=facts_provider).amounts(rows)
    computed = clock()
    not_computable: dict[str, int] = {}
    for standard, reason in results:
        if standard is None:
            not_computable[reason] = not_computable.get(reason, 0) + 1
    if progress:
        progress(len(rows) // 2, len(rows), "Menulis hasil…")
    changed = engagement_standard_incentives_set(
        amounts=((row[0], standard) for row, (standard, _) in zip(rows, results, strict=True))
    )
    written = clock()
    summary = {
        "on": on.isoformat(),
        "engagements": len(rows),
        "changed": changed,
        "not_computable": not_computable,
        "seconds": round(written - started, 2),
        "phases": {
            "read": round(read - started, 2),
            "compute": round(computed - read, 2),
            "write": round(written - computed, 2),
        },
    }
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="incentives.recompute",
        object_repr=f"Hitung ulang insentif standar ({len(rows)} penugasan, {changed} berubah)",
        changes=summary,
    )
    if progress:
        progress(len(rows), len(rows), "Selesai.")
    return summary


def standard_incentives_recompute_job(job, progress) -> dict:
    """Background handler (job kind ``incentives_recompute``), acting as the job's owner."""
    on = job.params.get("on")
    return standard_incentives_recompute(
        actor=job.owner,
        on=dt.date.fromisoformat(on) if on else None,
        progress=progress,
    )


def standard_incentives_recompute_outcome(job) -> JobOutcome:
    """How a finished ``incentives_recompute`` job reads (jobs.outcomes); the timings stay in
    the result and the audit entry."""
    result = job.result
    total, changed = int(result.get("engagements", 0)), int(result.get("changed", 0))
    on = result.get("on")
    day = date_format(dt.date.fromisoformat(on), "j F Y") if on else "—"
    sentences = [
        ngettext(
            "Insentif standar per %(day)s dihitung untuk %(n)s penugasan; %(changed)s berubah.",
            "Insentif standar per %(day)s dihitung untuk %(n)s penugasan; %(changed)s berubah.",
            total,
        )
        % {"day": day, "n": count(total), "changed": count(changed)}
    ]
    missing = result.get("not_computable") or {}
    links = []
    if missing:
        reasons = "; ".join(
            f"{selectors.calc_reason(reason)} ({count(n)})" for reason, n in missing.items()
        )
        n = sum(int(v) for v in missing.values())
        sentences.append(
            ngettext(
                "%(n)s tidak dapat dihitung dengan standar: %(reasons)s.",
                "%(n)s tidak dapat dihitung dengan standar: %(reasons)s.",
                n,
            )
            % {"n": count(n), "reasons": reasons}
        )
        links.append((gettext("Lihat yang tidak terhitung"), reverse("incentives:not-computable")))
    return JobOutcome(sentences=sentences, links=links)
