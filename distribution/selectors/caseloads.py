"""Caseloads of named engagements, for pages that show people (the logbook's workload per
person). The rest of distribution shows aggregates only."""

import datetime as dt

from distribution.models import CaseloadRecord


def caseloads_by_engagement(
    *, engagement_ids: list[int], periods: list[dt.date]
) -> dict[int, dict[dt.date, tuple[int, str]]]:
    """engagement id -> {month: (cases, source)} for the months asked; one query."""
    out: dict[int, dict[dt.date, tuple[int, str]]] = {}
    if not engagement_ids or not periods:
        return out
    rows = CaseloadRecord.objects.filter(
        engagement_id__in=engagement_ids, period__in=periods
    ).values_list("engagement_id", "period", "cases", "source")
    for eid, period, cases, source in rows:
        out.setdefault(eid, {})[period] = (cases, source)
    return out


def caseloads_in_month(*, on: dt.date) -> dict[int, int]:
    """engagement id -> cases recorded for the month that holds ``on`` (every source: an
    approved logbook month, or the operator's fallback where none is approved)."""
    period = on.replace(day=1)
    return dict(CaseloadRecord.objects.filter(period=period).values_list("engagement_id", "cases"))


def caseload_source_label(source: str) -> str:
    return CaseloadRecord.Source(source).label if source in CaseloadRecord.Source.values else source
