"""Raising level review cases (LevelReview) from outside the registry, without duplicates.

The registry owns writes to its models; other capabilities that notice a level question call
here instead of creating rows themselves. The competency app calls ``level_reviews_raise`` when
an expired or revoked certificate lowers a person's attained level below the position level of
an engagement that was fixed by a decision (SK). The position level itself is never changed
here: a person decides, by a new SK or by closing the case (DOMAIN.md, three notions of level).

One open case per engagement and kind: raising again refreshes the open case's proposal and
reason instead of adding a second one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from accounts.models import AuditEntry, User
from accounts.services import SYSTEM_USERNAME, audit_record_many
from registry.models import Engagement, LevelReview


@dataclass(frozen=True)
class ReviewRequest:
    engagement_id: int
    proposed_level: int | None
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class ReviewReport:
    raised: list[int] = field(default_factory=list)  # engagement ids with a new case
    refreshed: list[int] = field(default_factory=list)  # open cases whose proposal changed
    unchanged: list[int] = field(default_factory=list)


def decided_engagements(*, person_ids: Iterable[int]) -> list[Engagement]:
    """Active engagements of these people whose position level was fixed by a decision (SK)."""
    return list(
        Engagement.objects.filter(
            person_id__in=list(person_ids),
            status=Engagement.Status.ACTIVE,
            position_level__isnull=False,
        )
        .exclude(position_sk_number="")
        .only("id", "person_id", "position_level", "position_sk_number")
        .order_by("id")
    )


@transaction.atomic
def level_reviews_raise(
    *,
    requests: list[ReviewRequest],
    kind: str,
    actor: User | None = None,
    note: str = "",
) -> ReviewReport:
    """Open one review case per engagement (or refresh the open one), audited in bulk.

    1. Open cases of ``kind`` for the engagements are read in one query.
    2. An engagement without an open case gets a new one holding its current position level;
       one with an open case gets its proposal, reason and details refreshed if they differ.
    3. Each new or refreshed case gets an audit entry on the engagement's person.
    """
    if kind not in LevelReview.Kind.values:
        raise ValueError(f"Jenis kasus tinjauan tidak dikenal: {kind}")
    report = ReviewReport()
    if not requests:
        return report
    by_engagement = {r.engagement_id: r for r in requests}  # the last request per engagement wins
    engagements = Engagement.objects.in_bulk(list(by_engagement))
    open_cases = {
        case.engagement_id: case
        for case in LevelReview.objects.select_for_update().filter(
            engagement_id__in=list(by_engagement), kind=kind, status=LevelReview.Status.OPEN
        )
    }
    new_cases, refreshed = [], []
    for engagement_id, request in by_engagement.items():
        engagement = engagements.get(engagement_id)
        if engagement is None:
            continue
        case = open_cases.get(engagement_id)
        if case is None:
            new_cases.append(
                LevelReview(
                    engagement_id=engagement_id,
                    kind=kind,
                    position_level=engagement.position_level,
                    proposed_level=request.proposed_level,
                    reason=request.reason,
                    details={**request.details, "note": note} if note else dict(request.details),
                )
            )
            report.raised.append(engagement_id)
        elif case.proposed_level != request.proposed_level or case.reason != request.reason:
            case.proposed_level, case.reason = request.proposed_level, request.reason
            case.details = {**case.details, **request.details}
            refreshed.append(case)
            report.refreshed.append(engagement_id)
        else:
            report.unchanged.append(engagement_id)
    LevelReview.objects.bulk_create(new_cases, batch_size=2000)
    LevelReview.objects.bulk_update(refreshed, ["proposed_level", "reason", "details"])
    now = timezone.now()
    label = actor.username if actor else SYSTEM_USERNAME
    raised = set(report.raised)
    with translation.override(settings.LANGUAGE_CODE):  # stored in the audit log
        kind_labels = {kind: str(label) for kind, label in LevelReview.Kind.choices}
    entries = [
        AuditEntry(
            at=now,
            actor=actor if actor and actor.pk else None,
            actor_label=label,
            action=AuditEntry.Action.CREATE if eid in raised else AuditEntry.Action.UPDATE,
            object_type="registry.levelreview",
            object_id=str(eid),
            object_repr=f"Tinjauan jenjang ({kind_labels[kind]}) penugasan {eid}",
            person_id_ref=engagements[eid].person_id,
            changes={
                "position_level": engagements[eid].position_level,
                "proposed_level": by_engagement[eid].proposed_level,
            },
            note=note or by_engagement[eid].reason,
        )
        for eid in report.raised + report.refreshed
    ]
    audit_record_many(entries)
    return report
