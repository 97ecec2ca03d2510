"""Reads of the registry, always scoped to the asking user through accounts.access."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from accounts import access
from accounts.models import AuditEntry, User
from registry.models import Engagement, Flag, Person, Programme, Verification

LEVEL_BY_ROMAN = {"III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9}


@dataclass(frozen=True)
class RegistryFilters:
    """The registry's list filters, shared by the web list, the API and the exports."""

    cluster: str = ""  # programme slug
    province: str = ""
    regency: str = ""
    level: str = ""  # harmonised level as a number 1-9, or "none" for not yet harmonised
    status: str = ""  # engagement status
    verification: str = ""
    q: str = ""  # name or NIK
    flagged: bool = False

    @classmethod
    def from_params(cls, params: Any) -> "RegistryFilters":
        get = params.get
        level = (get("level") or "").strip()
        level = str(LEVEL_BY_ROMAN.get(level.upper(), level))
        return cls(
            cluster=(get("cluster") or "").strip(),
            province=(get("province") or "").strip(),
            regency=(get("regency") or "").strip(),
            level=level,
            status=(get("status") or "").strip(),
            verification=(get("verification") or "").strip(),
            q=(get("q") or "").strip()[:100],
            flagged=(get("flagged") or "") in {"1", "true", "on"},
        )

    @property
    def items(self) -> list[tuple[str, str]]:
        """The filters that are set, as (name, value) pairs for links and hidden inputs."""
        return [(k, str(v)) for k, v in self.__dict__.items() if v]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)

    def engagement_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.cluster:
            q &= Q(**{f"{prefix}programme__slug": self.cluster})
        if self.regency:
            q &= Q(**{f"{prefix}regency_id": self.regency})
        elif self.province:
            q &= Q(**{f"{prefix}province_id": self.province})
        if self.level == "none":
            q &= Q(**{f"{prefix}harmonised_level__isnull": True})
        elif self.level.isdigit():
            q &= Q(**{f"{prefix}harmonised_level": int(self.level)})
        if self.status:
            q &= Q(**{f"{prefix}status": self.status})
        return q

    def person_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.verification:
            q &= Q(**{f"{prefix}verification": self.verification})
        if self.q:
            digits = self.q.replace(" ", "")
            if digits.isdigit():
                q &= Q(**{f"{prefix}nik__startswith": digits})
            else:
                from registry.services import name_key

                q &= Q(**{f"{prefix}name_key__contains": name_key(self.q)})
        if self.flagged:
            flagged_people = Flag.objects.filter(resolved_at__isnull=True).values("person_id")
            q &= Q(**{f"{prefix}pk__in": flagged_people})
        return q


def person_list(*, user: User, filters: RegistryFilters) -> QuerySet[Person]:
    """People in scope with at least one engagement matching the filters.

    Each person carries ``visible_engagements`` (scoped) and ``open_flag_count``.
    """
    scope = access.engagement_scope(user)
    matching = Engagement.objects.filter(scope & filters.engagement_q(), person_id=OuterRef("pk"))
    qs = access.people_visible(user).filter(merged_into__isnull=True)
    if filters.engagement_q() != Q():
        qs = qs.filter(Exists(matching))
    qs = qs.filter(filters.person_q())
    return (
        qs.annotate(
            open_flag_count=Count("flags", filter=Q(flags__resolved_at__isnull=True), distinct=True)
        )
        .prefetch_related(
            Prefetch(
                "flags",
                queryset=Flag.objects.filter(resolved_at__isnull=True),
                to_attr="open_flags",
            ),
            Prefetch(
                "engagements",
                queryset=Engagement.objects.filter(scope).select_related("programme", "regency"),
                to_attr="visible_engagements",
            ),
        )
        .order_by("full_name", "pk")
    )


def person_detail(*, user: User, uid) -> Person:
    """One person with scoped engagements, open flags and history, or 404."""
    person = access.person_get(user, uid)
    person.visible_engagements = list(
        access.engagements_visible(user, person.engagements.all())
        .select_related("programme", "province", "regency", "district", "village")
        .order_by("status", "programme__name")
    )
    person.open_flags = list(
        person.flags.filter(resolved_at__isnull=True).select_related("engagement")
    )
    person.closed_flags = list(
        person.flags.filter(resolved_at__isnull=False).select_related("resolved_by")
    )
    return person


def person_history(*, user: User, person: Person, limit: int = 100) -> QuerySet[AuditEntry]:
    access.person_get(user, person.uid)
    return AuditEntry.objects.filter(person_id_ref=person.pk).select_related("actor")[:limit]


def engagement_export_rows(*, user: User, filters: RegistryFilters) -> QuerySet[Engagement]:
    """Every engagement in scope matching the filters, for the exports (one row each)."""
    return (
        access.engagements_visible(user)
        .filter(filters.engagement_q())
        .filter(filters.person_q(prefix="person__"))
        .filter(person__merged_into__isnull=True)
        .select_related("person", "programme")
        .order_by("person__nik", "programme__slug", "regency_id")
    )


def open_flag_codes(*, person_ids: list[int]) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Open flag codes per person (person-level flags) and per engagement."""
    by_person: dict[int, list[str]] = {}
    by_engagement: dict[int, list[str]] = {}
    rows = Flag.objects.filter(person_id__in=person_ids, resolved_at__isnull=True).values_list(
        "person_id", "engagement_id", "code"
    )
    for person_id, engagement_id, code in rows:
        target = (
            by_engagement.setdefault(engagement_id, [])
            if engagement_id
            else by_person.setdefault(person_id, [])
        )
        if code not in target:
            target.append(code)
    return by_person, by_engagement


def flag_list(*, user: User, code: str = "") -> QuerySet[Flag]:
    """Open flags on people in scope: the review list (payments, NIK disagreements, conflicts)."""
    qs = Flag.objects.filter(resolved_at__isnull=True, person__in=access.people_visible(user))
    if code:
        qs = qs.filter(code=code)
    return qs.select_related("person", "engagement").order_by("code", "person__full_name")


def possible_duplicates(*, user: User) -> list[list[Person]]:
    """Groups of people in scope with the same normalised name and birth date but other NIKs."""
    visible = access.people_visible(user).filter(merged_into__isnull=True)
    keys = (
        visible.values("name_key", "birth_date")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .order_by("name_key", "birth_date")[:500]
    )
    wanted = Q(pk__in=[])
    for key in keys:
        wanted |= Q(name_key=key["name_key"], birth_date=key["birth_date"])
    groups: dict[tuple, list[Person]] = {}
    for person in visible.filter(wanted).order_by("name_key", "birth_date", "created_at"):
        groups.setdefault((person.name_key, person.birth_date), []).append(person)
    return list(groups.values())


def registry_counts(*, user: User) -> dict[str, int]:
    engagements = access.engagements_visible(user)
    return {
        "people": access.people_visible(user).filter(merged_into__isnull=True).count(),
        "engagements": engagements.count(),
        "active": engagements.filter(status=Engagement.Status.ACTIVE).count(),
        "pending": engagements.filter(verification=Verification.PENDING).count(),
    }


def programme_choices() -> QuerySet[Programme]:
    return Programme.objects.order_by("kind", "name")
