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


def caseload_source_label(source: str) -> str:
    return CaseloadRecord.Source(source).label if source in CaseloadRecord.Source.values else source
