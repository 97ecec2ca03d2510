"""Reads for the inbox, requests, referrals, area teams and self-service, always scoped."""

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import Role, User
from collaboration import access as collab_access
from collaboration.models import Notification, ReceivingUnit, Referral, Request
from regions.models import District, Village
from registry import access as registry_access
from registry.models import Engagement, Flag, LevelReview, Person
from registry.nik import mask_nik, mask_phone
from satupintu.keyset import CappedCount, count_capped

# --- requests and inbox -------------------------------------------------------------------


def request_list(*, user: User, status: str = "", kind: str = "") -> QuerySet[Request]:
    qs = collab_access.requests_visible(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("person", "engagement__programme", "regency", "submitted_by")


# A data correction proposes new contact details; like the audit history, they are shown only
# to those who see the person's contacts.
CONTACT_KEYS = {"phone", "email"}


def request_shown(*, user: User, request: Request) -> Request:
    """The request as this user may see it: without a correction's new phone and e-mail (in the
    proposal and in what was applied) for anyone who may not see the person's contact details
    (an auditor). A copy, not to be saved."""
    fields = set(request.payload) | set(request.applied_changes)
    if not fields & CONTACT_KEYS or access.sees_contact(user, request.person):
        return request
    shown = copy.copy(request)
    shown.payload = {k: v for k, v in request.payload.items() if k not in CONTACT_KEYS}
    shown.applied_changes = {
        k: v for k, v in request.applied_changes.items() if k not in CONTACT_KEYS
    }
    return shown


def requests_waiting(*, user: User) -> QuerySet[Request]:
    """Open requests whose next step is this user's (role, scope, and not their own), oldest
    first: ``collab_access.actionable``, so a page and its count are the database's work."""
    return (
        Request.objects.filter(collab_access.actionable(user))
        .select_related("person", "engagement__programme", "regency", "submitted_by")
        .order_by("created_at", "pk")
    )


def requests_returned(*, user: User) -> QuerySet[Request]:
    """The maker's own requests sent back to them."""
    return Request.objects.filter(submitted_by=user, status=Request.Status.RETURNED).select_related(
        "person"
    )


def flags_waiting(*, user: User) -> QuerySet[Flag]:
    if not (access.can_verify(user) or access.can_write(user)):
        return Flag.objects.none()
    return Flag.objects.filter(
        resolved_at__isnull=True, person__in=registry_access.people_visible(user)
    ).select_related("person", "engagement")


def level_reviews_waiting(*, user: User) -> QuerySet[LevelReview]:
    if user.role not in collab_access.step_roles("default", "approve"):
        return LevelReview.objects.none()
    return (
        LevelReview.objects.filter(status=LevelReview.Status.OPEN)
        .filter(engagement__in=registry_access.engagements_visible(user))
        .select_related("engagement__person", "engagement__programme")
    )


def referrals_waiting(*, user: User) -> QuerySet[Referral]:
    """Referrals this user must answer (``collab_access.can_respond``), or that were escalated
    to them and still wait, earliest deadline first."""
    return (
        collab_access.referrals_visible(user, bulk=False)
        .filter(status=Referral.Status.SENT)
        .filter(collab_access.respondable(user) | Q(escalated_to=user))
        .select_related("receiver_programme", "village")
        .order_by("deadline", "pk")
    )


@dataclass
class Inbox:
    """The first ``limit`` items of each list and, in ``counts``, how many there are (exact up
    to COUNT_CAP; ``capped`` names the counts beyond it, shown as "more than")."""

    requests: list[Request]
    returned: list[Request]
    flags: list[Flag]
    level_reviews: list[LevelReview]
    referrals: list[Referral]
    notifications: list[Notification]
    counts: dict[str, int] = field(default_factory=dict)
    capped: set[str] = field(default_factory=set)

    @property
    def shown(self) -> dict[str, str]:
        """The counts as the headings show them: "10.000+" for one past the cap."""
        return {
            name: number_format(n, force_grouping=True) + ("+" if name in self.capped else "")
            for name, n in self.counts.items()
        }

    @property
    def total(self) -> int:
        return sum(v for k, v in self.counts.items() if k != "notifications")


def _inbox_lists(user: User) -> dict[str, QuerySet[Any]]:
    return {
        "requests": requests_waiting(user=user),
        "returned": requests_returned(user=user),
        "flags": flags_waiting(user=user),
        "level_reviews": level_reviews_waiting(user=user),
        "referrals": referrals_waiting(user=user),
        "notifications": Notification.objects.filter(user=user, read_at__isnull=True),
    }


def inbox(*, user: User, limit: int = 50) -> Inbox:
    """The inbox: a page of each list and its count, neither reading more than the page and
    COUNT_CAP index entries however large the user's scope."""
    lists = _inbox_lists(user)
    box = Inbox(**{name: list(qs[:limit]) for name, qs in lists.items()})
    for name, qs in lists.items():
        # A list shorter than the page is its own count.
        counted = (
            CappedCount(value=len(getattr(box, name)), exact=True)
            if len(getattr(box, name)) < limit
            else count_capped(qs)
        )
        box.counts[name] = counted.value
        if not counted.exact:
            box.capped.add(name)
    return box


def inbox_counts(*, user: User) -> dict[str, int]:
    """Counts for the nav badge and the API, each exact up to COUNT_CAP."""
    return {name: count_capped(qs).value for name, qs in _inbox_lists(user).items()}


def request_history(*, request: Request):
    return request.events.select_related("actor")


# --- referrals ----------------------------------------------------------------------------


def referral_list(*, user: User, status: str = "") -> QuerySet[Referral]:
    qs = collab_access.referrals_visible(user)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(
        "sender", "receiver", "receiver_programme", "sender_programme", "village", "regency"
    )


def referral_history(*, referral: Referral):
    return referral.events.select_related("actor")


def referral_stats(
    *, user: User, since: dt.datetime | None = None, by: str = "regency"
) -> list[dict[str, Any]]:
    """Referral counts and response times per region and receiving cluster, for dashboards.

    Counts only (no personal data), so children's cases are included in the numbers. The scope
    is the user's registry scope (a province operator sees their province's numbers).
    """
    region = {"province": "province_id", "regency": "regency_id"}[by]
    qs = Referral.objects.all()
    if access.engagement_scope(user) == access.NOTHING:
        # No registry scope (a role without it, or one whose scope is missing): no counts.
        return []
    if user.role not in {Role.NATIONAL_ADMIN, Role.AUDITOR}:
        if user.scope_regency_id:
            qs = qs.filter(regency_id=user.scope_regency_id)
        elif user.scope_province_id:
            qs = qs.filter(province_id=user.scope_province_id)
        elif user.role != Role.CLUSTER_ADMIN:
            return []
        ids = access.programme_ids(user)
        if ids is not None:
            qs = qs.filter(receiver_programme_id__in=ids)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    groups: dict[tuple, dict[str, Any]] = defaultdict(
        lambda: {"total": 0, "answered": 0, "escalated": 0, "completed": 0, "_hours": 0.0}
    )
    rows = qs.values_list(
        region,
        "receiver_programme__slug",
        "status",
        "created_at",
        "responded_at",
        "escalated_at",
    )
    for region_code, programme, status, created, responded, escalated in rows:
        g = groups[(region_code, programme)]
        g["total"] += 1
        g["completed"] += status == Referral.Status.COMPLETED
        g["escalated"] += escalated is not None
        if responded is not None:
            g["answered"] += 1
            g["_hours"] += (responded - created).total_seconds() / 3600
    out = []
    for (region_code, programme), g in sorted(groups.items()):
        hours = g.pop("_hours")
        out.append(
            {
                "region": region_code,
                "programme": programme,
                **g,
                "mean_response_hours": round(hours / g["answered"], 1) if g["answered"] else None,
            }
        )
    return out


def _serving_in(village: Village) -> QuerySet[Engagement]:
    """Active engagements serving the village's district (or the village itself)."""
    return Engagement.objects.filter(status=Engagement.Status.ACTIVE).filter(
        Q(district_id=village.district_id) | Q(village_id=village.pk)
    )


def referral_receiver_allowed(*, receiver: User, village: Village, programme_id: int) -> bool:
    """A named receiver is an active facilitator serving the village's district, or a
    coordinator covering its regency and the receiving programme: a referral, which may carry
    a child's NIK, is never addressed to someone elsewhere in the country."""
    if not receiver.is_active:
        return False
    if receiver.role == Role.COORDINATOR:
        regency_id = village.district.regency_id
        covering = collab_access.users_covering(
            {Role.COORDINATOR}, regency_id=regency_id, programme_id=programme_id
        )
        return any(u.pk == receiver.pk for u in covering)
    return (
        receiver.role == Role.FACILITATOR
        and receiver.person_id is not None
        and _serving_in(village).filter(person_id=receiver.person_id).exists()
    )


def referral_receivers(*, user: User, village: Village) -> list[dict[str, Any]]:
    """Facilitators with an account active in the village's district (to refer to)."""
    engagements = (
        _serving_in(village)
        .filter(person__user__isnull=False)
        .exclude(person__user=user)
        .select_related("person__user", "programme")
        .order_by("programme__name", "person__full_name")
    )
    return [
        {"user": e.person.user, "name": e.person.display_name, "programme": e.programme}
        for e in engagements
    ]


# --- area team ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    name: str
    programme: str
    agency: str
    title: str
    level: int | None
    employment_status: str
    coverage: str  # desa, kecamatan or kabupaten/kota level
    phone: str
    email: str
    user_id: int | None


def can_see_area(user: User, district: District) -> bool:
    """A facilitator sees the team of the regencies where they serve; others their scope."""
    if user.role == Role.FACILITATOR:
        return Engagement.objects.filter(
            person_id=user.person_id,
            status=Engagement.Status.ACTIVE,
            regency_id=district.regency_id,
        ).exists()
    if not access.can_read(user):
        return False
    in_scope = Engagement.objects.filter(regency_id=district.regency_id)
    return registry_access.engagements_visible(user, in_scope).exists()


def area_team(*, user: User, district: District, village: Village | None = None) -> list:
    """Every facilitator active in a district (or village), across clusters, programmes and
    ministries: village-level, district-level, and regency-wide engagements (no district)."""
    if not can_see_area(user, district):
        return []
    place = Q(district_id=district.pk, village__isnull=True) | Q(
        regency_id=district.regency_id, district__isnull=True
    )
    place |= Q(village_id=village.pk) if village else Q(district_id=district.pk)
    engagements = (
        Engagement.objects.filter(place, status=Engagement.Status.ACTIVE)
        .filter(person__merged_into__isnull=True)
        .select_related("person", "programme", "village")
        .order_by("programme__name", "person__full_name")
    )
    accounts = dict(
        User.objects.filter(person__in=[e.person_id for e in engagements]).values_list(
            "person_id", "pk"
        )
    )
    contact_ok = access.sees_contact(user)
    members = []
    for e in engagements:
        own = e.person_id == user.person_id
        show = contact_ok or own
        coverage = (
            _("Desa %(village)s") % {"village": e.village.name}
            if e.village_id
            else _("Kecamatan")
            if e.district_id
            else _("Kab/Kota")
        )
        members.append(
            TeamMember(
                name=e.person.display_name,
                programme=e.programme.name,
                agency=e.programme.agency,
                title=e.unified_title or e.legacy_title,
                level=e.position_level or e.harmonised_level,
                employment_status=e.get_employment_status_display(),
                coverage=coverage,
                phone=e.person.phone if show else mask_phone(e.person.phone),
                email=e.person.email if show else "",
                user_id=accounts.get(e.person_id),
            )
        )
    return members


# --- self-service -------------------------------------------------------------------------


@dataclass
class MyPage:
    person: Person
    engagements: list[Engagement]
    requests: list[Request]
    sent: list[Referral]
    received: list[Referral]
    nik_masked: str


def my_page(*, user: User) -> MyPage | None:
    if user.person_id is None:
        return None
    person = Person.objects.select_related("address_regency").get(pk=user.person_id)
    return MyPage(
        person=person,
        engagements=list(
            person.engagements.select_related(
                "programme", "regency", "district", "village"
            ).order_by("status", "programme__name")
        ),
        requests=list(Request.objects.filter(person=person).order_by("-created_at")[:20]),
        sent=list(referral_list(user=user).filter(sender=user)[:20]),
        received=list(referral_list(user=user).filter(receiver=user)[:20]),
        nik_masked=mask_nik(person.nik),
    )


def overdue_referrals(*, now: dt.datetime | None = None) -> QuerySet[Referral]:
    now = now or timezone.now()
    return Referral.objects.filter(status=Referral.Status.SENT, deadline__lte=now)


def receiving_units_near(*, regency_id: str):
    """Active receiving units a referral in this regency may go to: the regency's, then the
    rest of its province's."""
    return ReceivingUnit.objects.filter(
        is_active=True, regency__province_id=regency_id[:2]
    ).order_by("name")
