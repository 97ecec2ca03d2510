"""Reads of the logbook: the facilitator's month, the coordinator's queue, a report, and the
workload per person (with the redeployment suggestions that name people)."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.models import User
from distribution import redeployment
from distribution import selectors as dist
from distribution.models import RegionLevel
from distribution.selectors.scope import LEVEL_LABEL
from logbook import access
from logbook.models import ActivityType, Entry, MonthlyReport, ReportEvent
from logbook.services import month_of, month_totals, villages_of
from registry import access as registry_access
from registry.models import Engagement

TREND_MONTHS = 6


def months_back(last: dt.date, n: int) -> list[dt.date]:
    """``n`` first-of-months ending with ``last``, oldest first."""
    out, y, m = [], last.year, last.month
    for _ in range(n):
        out.append(dt.date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


def previous_month(day: dt.date) -> dt.date:
    return months_back(month_of(day), 2)[0]


# --- the facilitator ------------------------------------------------------------------------


def facilitator_home(*, user: User, month: dt.date | None = None) -> dict:
    """The facilitator's month: their engagements, the form's choices, entries and reports."""
    today = timezone.localdate()
    month = month_of(month or today)
    engagements = list(access.own_engagements(user))
    ids = [e.pk for e in engagements]
    types = defaultdict(list)
    for t in ActivityType.objects.filter(
        programme_id__in={e.programme_id for e in engagements}, is_active=True
    ):
        types[t.programme_id].append(t)
    entries = list(
        Entry.objects.filter(engagement_id__in=ids, month=month)
        .select_related("activity_type", "village")
        .order_by("-date", "-id")
    )
    reports = {
        r.engagement_id: r for r in MonthlyReport.objects.filter(engagement_id__in=ids, month=month)
    }
    totals = month_totals(month=month, engagement_ids=ids)
    history = list(MonthlyReport.objects.filter(engagement_id__in=ids).order_by("-month")[:12])
    return {
        "today": today,
        "month": month,
        "months": months_back(month_of(today), 4)[::-1],
        "engagements": [
            {
                "engagement": e,
                "types": types.get(e.programme_id, []),
                "villages": list(villages_of(e)),
                "report": reports.get(e.pk),
                "totals": totals.get(e.pk),
            }
            for e in engagements
        ],
        "entries": entries,
        "locked_ids": {eid for eid, r in reports.items() if r.is_locked},
        "history": history,
    }


# --- the coordinator --------------------------------------------------------------------------


def review_queue(*, user: User) -> list[MonthlyReport]:
    if not access.is_coordinator(user):
        return []
    return list(
        access.reports_visible(user)
        .filter(status=MonthlyReport.Status.SUBMITTED)
        .select_related("engagement__person", "engagement__programme")
        .order_by("month", "submitted_at")[:200]
    )


def report_detail(*, user: User, report: MonthlyReport) -> dict:
    """A report with its entries (for its facilitator and its coordinator) and its history."""
    entries = []
    if access.is_facilitator(user) or access.is_coordinator(user):
        entries = list(
            Entry.objects.filter(engagement_id=report.engagement_id, month=report.month)
            .select_related("activity_type", "village__district")
            .order_by("date", "id")
        )
    names = dict(
        ActivityType.objects.filter(pk__in=[int(k) for k in report.by_type or {}]).values_list(
            "pk", "name"
        )
    )
    return {
        "report": report,
        "entries": entries,
        "by_type": [{"name": names.get(int(k), k), **v} for k, v in (report.by_type or {}).items()],
        "events": list(ReportEvent.objects.filter(report=report).select_related("actor")),
        "can_decide": access.can_decide(user, report),
    }


# --- workload per person ----------------------------------------------------------------------


@dataclass
class PersonLoad:
    engagement: Engagement
    standard: float | None
    overload: float
    underload: float
    cases: list[tuple[dt.date, int | None, str]] = field(default_factory=list)
    reports: dict[dt.date, str] = field(default_factory=dict)
    logged_this_month: int = 0
    # The first month the facilitator used the logbook (entries or a report); None: never.
    first_month: dt.date | None = None

    @property
    def latest(self) -> tuple[dt.date, int | None, str] | None:
        known = [c for c in self.cases if c[1] is not None]
        return known[-1] if known else None

    @property
    def index(self) -> float | None:
        latest = self.latest
        if latest is None or not self.standard:
            return None
        return latest[1] / self.standard

    @property
    def state(self) -> str:
        index = self.index
        if index is None:
            return "tanpa_data"
        if index > self.overload:
            return "berlebih"
        if index < self.underload:
            return "longgar"
        return "sesuai"

    @property
    def missing(self) -> list[dt.date]:
        """Closed months (before this one) without a submitted or approved report, from the
        month the facilitator started using the logbook; for one who never did, last month."""
        closed = [month for month, _c, _s in self.cases[:-1]]
        start = self.first_month or (closed[-1] if closed else None)
        return [
            month
            for month in closed
            if start and month >= start and self.reports.get(month) not in {"diajukan", "disetujui"}
        ]


STATE_LABEL = {
    "berlebih": "Beban berlebih",
    "longgar": "Masih ada ruang",
    "sesuai": "Sesuai standar",
    "tanpa_data": "Belum ada data",
}


def _standards():
    out = {}
    for pid, s in dist.current_standards().items():
        out[pid] = (s.standard_caseload, float(s.overload_index), float(s.underload_index))
    return out


def workload_people(
    *,
    user: User,
    code: str = "",
    cluster: str = "",
    state: str = "",
    page: int = 1,
    per_page: int = 50,
) -> dict:
    """Each facilitator of a regency or district with their caseload against the standard,
    the last months' trend, their report states and missing reports. Above a regency the same
    data is aggregated per child region (workload_regions)."""
    scope = dist.scope_for(user)
    region = dist.region_get(scope, code)
    programmes = dist.programmes_in(scope, cluster)
    if region.level not in (RegionLevel.REGENCY, RegionLevel.DISTRICT):
        return workload_regions(user=user, scope=scope, region=region, programmes=programmes)
    today = timezone.localdate()
    months = months_back(month_of(today), TREND_MONTHS)
    field_name = "regency_id" if region.level == RegionLevel.REGENCY else "district_id"
    engagements = registry_access.engagements_visible(user).filter(
        **{field_name: region.code},
        status=Engagement.Status.ACTIVE,
        programme_id__in=[p.pk for p in programmes],
    )
    ids = list(engagements.values_list("pk", flat=True))
    caseloads = dist.caseloads_by_engagement(engagement_ids=ids, periods=months)
    reports: dict[int, dict[dt.date, str]] = defaultdict(dict)
    for eid, month, status in MonthlyReport.objects.filter(
        engagement_id__in=ids, month__in=months
    ).values_list("engagement_id", "month", "status"):
        reports[eid][month] = status
    logged = dict(
        Entry.objects.filter(month=months[-1], engagement_id__in=ids)
        .values_list("engagement_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    first = dict(
        Entry.objects.filter(month__gte=months[0], engagement_id__in=ids)
        .values_list("engagement_id")
        .annotate(m=Min("month"))
        .order_by()
    )
    for eid, by_month in reports.items():
        if by_month:
            first[eid] = min([*by_month, first.get(eid, max(by_month))])
    standards = _standards()
    by_id = {
        e.pk: e
        for e in Engagement.objects.filter(pk__in=ids).select_related(
            "person", "programme", "district"
        )
    }
    loads = []
    for eid in ids:
        e = by_id[eid]
        standard, over, under = standards.get(e.programme_id, (None, 1.2, 0.5))
        load = PersonLoad(
            engagement=e,
            standard=standard,
            overload=over,
            underload=under,
            reports=reports.get(eid, {}),
            logged_this_month=logged.get(eid, 0),
            first_month=first.get(eid),
        )
        for month in months:
            c = caseloads.get(eid, {}).get(month)
            load.cases.append((month, c[0] if c else None, c[1] if c else ""))
        loads.append(load)
    summary = {key: 0 for key in STATE_LABEL}
    missing_people = 0
    for load in loads:
        summary[load.state] += 1
        missing_people += bool(load.missing)
    if state == "terlambat":
        loads = [x for x in loads if x.missing]
    elif state in STATE_LABEL:
        loads = [x for x in loads if x.state == state]
    order = {"berlebih": 0, "tanpa_data": 1, "sesuai": 2, "longgar": 3}
    loads.sort(key=lambda x: (order[x.state], -(x.index or 0), x.engagement.person.full_name))
    pages = max(1, -(-len(loads) // per_page))
    page = min(max(1, page), pages)
    return {
        "per_person": True,
        "region": region,
        "programmes": programmes,
        "months": months,
        "rows": loads[(page - 1) * per_page : page * per_page],
        "count": len(loads),
        "page": page,
        "pages": pages,
        "summary": summary,
        "missing_people": missing_people,
        "state": state,
        "state_labels": STATE_LABEL,
        "can_propose": region.level == RegionLevel.REGENCY,
    }


def workload_regions(*, user: User, scope, region, programmes) -> dict:
    """The national or provincial view: the same per-person states counted per child region."""
    today = timezone.localdate()
    last = previous_month(today)
    child = region.child_level
    ref = "province_id_ref" if child == RegionLevel.PROVINCE else "regency_id_ref"
    eng_field = "province_id" if child == RegionLevel.PROVINCE else "regency_id"
    engagements = registry_access.engagements_visible(user).filter(
        status=Engagement.Status.ACTIVE, programme_id__in=[p.pk for p in programmes]
    )
    if region.code:
        engagements = engagements.filter(province_id=region.code)
    active = dict(engagements.values_list(eng_field).annotate(n=Count("id")).order_by())
    reports = access.area_q(user) & Q(month=last, programme_id_ref__in=[p.pk for p in programmes])
    if region.code:
        reports &= Q(province_id_ref=region.code)
    states: dict[str, dict[str, int]] = defaultdict(dict)
    for code_, status, n in (
        MonthlyReport.objects.filter(reports)
        .values_list(ref, "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        states[code_][status] = n
    loads = dist.workload(user=user, code=region.code, cluster="", period=last)
    over: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for item in loads["rows"]:
        if item["programme"].pk in {p.pk for p in programmes}:
            o = over[item["code"]]
            o[0] += item["load"].overloaded
            o[1] += item["load"].underloaded
            o[2] += item["load"].reporting
    names = dist.region_names(child, region)
    rows = []
    for code_, name in names.items():
        n = active.get(code_, 0)
        if not n:
            continue
        s = states.get(code_, {})
        reported = s.get("diajukan", 0) + s.get("disetujui", 0)
        rows.append(
            {
                "code": code_,
                "name": name,
                "active": n,
                "approved": s.get("disetujui", 0),
                "submitted": s.get("diajukan", 0),
                "returned": s.get("dikembalikan", 0),
                "missing": max(0, n - reported),
                "overloaded": over[code_][0],
                "room": over[code_][1],
                "with_caseload": over[code_][2],
            }
        )
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("active", "approved", "submitted", "returned", "missing", "overloaded", "room")
    }
    return {
        "per_person": False,
        "region": region,
        "programmes": programmes,
        "month": last,
        "rows": rows,
        "totals": totals,
        "child_label": LEVEL_LABEL[child],
    }


# --- redeployment that names people ----------------------------------------------------------


def hierarchy_distance(a: str, b: str) -> int:
    """Steps up the region hierarchy to the nearest common region: 0 the same district,
    1 the same regency, 2 the same province, 3 elsewhere (the data has no coordinates)."""
    if a == b:
        return 0
    if a[:5] == b[:5]:
        return 1
    if a[:2] == b[:2]:
        return 2
    return 3


def redeployment_named(*, user: User, code: str, cluster: str) -> dict:
    """The optimal moves of distribution's plan, each proposing named facilitators of the
    surplus district: those with the lightest current caseload (the fewest cases to hand
    over), with their load and the hierarchy distance of the move."""
    data = redeployment.redeployment_plan(user=user, code=code, cluster=cluster)
    plan, programme = data["plan"], data["programme"]
    standard = data["standard"]
    cap = standard.standard_caseload if standard else None
    sources = {m.source.code for m in plan.moves if not m.source.is_remainder}
    candidates = list(
        registry_access.engagements_visible(user)
        .filter(
            programme=programme,
            status=Engagement.Status.ACTIVE,
            district_id__in=sources,
        )
        .select_related("person", "district")
        .order_by("pk")
    )
    months = months_back(previous_month(timezone.localdate()), 2)
    caseloads = dist.caseloads_by_engagement(
        engagement_ids=[e.pk for e in candidates], periods=months
    )

    def current(e: Engagement) -> int | None:
        known = caseloads.get(e.pk, {})
        for month in reversed(months):
            if month in known:
                return known[month][0]
        return None

    by_district: dict[str, list[Engagement]] = defaultdict(list)
    for e in sorted(candidates, key=lambda e: (current(e) is None, current(e) or 0, e.pk)):
        by_district[e.district_id].append(e)
    suggestions = []
    for move in plan.moves:
        pool = by_district.get(move.source.code, [])
        chosen, by_district[move.source.code] = pool[: move.count], pool[move.count :]
        for e in chosen:
            cases = current(e)
            suggestions.append(
                {
                    "engagement": e,
                    "cases": cases,
                    "index": (cases / cap) if cases is not None and cap else None,
                    "source": move.source,
                    "target": move.target,
                    "distance": hierarchy_distance(move.source.code, move.target.code),
                    "same_regency": move.same_regency,
                }
            )
    return {**data, "suggestions": suggestions}
