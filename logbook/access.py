"""Who sees and decides what in the logbook. Scope comes from accounts.access; these rules
only combine it (see docs/architecture.md, "Logbook").

- A facilitator sees and writes their own entries and reports only.
- A coordinator sees the entries and reports of their area (regency or province) and their
  clusters, and approves or returns the reports there; a coordinator whose scope names no
  region or no cluster sees nothing (fail closed): "all clusters everywhere" is nobody's area.
- Operators, verifiers, administrators and auditors see the per-person workload (counts of
  entries, cases, report states) within their registry scope, never the entries themselves:
  what a facilitator wrote about a visit is for the facilitator and their coordinator.
"""

from django.db.models import Q
from django.http import Http404

from accounts import access
from accounts.models import Role, User
from logbook.models import Entry, MonthlyReport
from registry import access as registry_access
from registry.models import Engagement

NOTHING = access.NOTHING


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_facilitator(user: User) -> bool:
    return _active(user) and user.role == Role.FACILITATOR and user.person_id is not None


def is_coordinator(user: User) -> bool:
    """A coordinator with an area and clusters: the one who reviews reports there."""
    return (
        _active(user)
        and user.role == Role.COORDINATOR
        and bool(user.scope_regency_id or user.scope_province_id)
        and access.programme_ids(user) is not None
    )


def area_q(user: User) -> Q:
    """The user's registry scope over the logbook's copied columns (``*_ref``), no joins.

    Mirrors accounts.access.engagement_scope: the same roles, regions and clusters.
    """
    if is_facilitator(user):
        return Q(person_id_ref=user.person_id)
    if user.role == Role.COORDINATOR and not is_coordinator(user):
        return NOTHING
    scope = access.engagement_scope(user)
    if scope == NOTHING or user.role == Role.FACILITATOR:
        return NOTHING
    q = Q()
    if user.scope_regency_id:
        q &= Q(regency_id_ref=user.scope_regency_id)
    elif user.scope_province_id:
        q &= Q(province_id_ref=user.scope_province_id)
    ids = access.programme_ids(user)
    if ids is not None:
        q &= Q(programme_id_ref__in=ids)
    return q


def entries_visible(user: User):
    """Entries the user may read one by one: their own, or their coordinator's area."""
    if is_facilitator(user) or is_coordinator(user):
        return Entry.objects.filter(area_q(user))
    return Entry.objects.none()


def reports_visible(user: User):
    return MonthlyReport.objects.filter(area_q(user))


def entry_get(user: User, uid) -> Entry:
    uid = registry_access.uuid_or_none(uid)
    entry = entries_visible(user).filter(uid=uid).first() if uid else None
    if entry is None:
        raise Http404("Catatan kegiatan tidak ditemukan.")
    return entry


def report_get(user: User, uid) -> MonthlyReport:
    uid = registry_access.uuid_or_none(uid)
    report = (
        reports_visible(user).select_related("engagement__person").filter(uid=uid).first()
        if uid
        else None
    )
    if report is None:
        raise Http404("Laporan tidak ditemukan.")
    return report


def own_engagements(user: User):
    """The facilitator's active engagements: where they may log activities."""
    if not is_facilitator(user):
        return Engagement.objects.none()
    return (
        Engagement.objects.filter(person_id=user.person_id, status=Engagement.Status.ACTIVE)
        .select_related("programme", "regency", "district")
        .order_by("programme__name", "pk")
    )


def can_decide(user: User, report: MonthlyReport) -> bool:
    """The coordinator of the report's area and cluster, never on their own report."""
    if not is_coordinator(user):
        return False
    if user.person_id is not None and user.person_id == report.person_id_ref:
        return False
    if report.submitted_by_id == user.pk:
        return False
    return access.covers(
        user, regency_id=report.regency_id_ref, programme_id=report.programme_id_ref
    )


def coordinators_of(*, regency_id: str, programme_id: int) -> list[User]:
    """Who is told that a report waits: the coordinators covering its area and cluster."""
    candidates = (
        User.objects.filter(role=Role.COORDINATOR, is_active=True)
        .filter(Q(scope_regency_id=regency_id) | Q(scope_regency__isnull=True))
        .filter(Q(scope_province_id=regency_id[:2]) | Q(scope_province__isnull=True))
        .prefetch_related("scope_programmes")
    )
    out = []
    for user in candidates:
        user._programme_scope = frozenset(p.pk for p in user.scope_programmes.all()) or None
        if is_coordinator(user) and access.covers(
            user, regency_id=regency_id, programme_id=programme_id
        ):
            out.append(user)
    return out
