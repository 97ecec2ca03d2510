"""Reads of the registry, always scoped to the asking user through accounts.access."""

import base64
import binascii
import datetime as dt
import hashlib
import json
import uuid
from collections import Counter as CounterOf
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import AuditEntry, Role, User
from registry import access as registry_access
from registry import search
from registry.models import ROMAN, Engagement, Flag, Merge, Person, Programme, Verification
from satupintu.keyset import COUNT_CAP, CappedCount, SeekPage, count_capped, seek_page

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

    def person_q(self, prefix: str = "", *, full_nik_only: bool = False, with_q: bool = True) -> Q:
        """Person-level filters; ValidationError (on ``q``) for a NIK search the role may not
        make (registry.search)."""
        q = Q()
        if self.verification:
            q &= Q(**{f"{prefix}verification": self.verification})
        if self.q and with_q:
            found = search.search(self.q, full_nik_only=full_nik_only).q
            q &= (
                Q(**{f"{prefix}pk__in": Person.objects.filter(found).values("pk")})
                if prefix
                else found
            )
        if self.flagged:
            flagged_people = Flag.objects.filter(resolved_at__isnull=True).values("person_id")
            q &= Q(**{f"{prefix}pk__in": flagged_people})
        return q


# Pages: every list reads one page of an index range (keyset/"seek" pagination), never the
# whole scope; counts stop at COUNT_CAP and say so.
PAGE_SIZE = 50
PAGE_SIZE_MAX = 500
SEARCH_COUNT_CAP = 1_000
COUNTS_SECONDS = 60
SMALL_SCOPE = 5_000  # engagements: up to this many, a page is read by person id


@dataclass(frozen=True)
class Cursor:
    """A position in the list order (name_key, id): the page starts after it, or, going
    back, ends before it. ``name_key`` is the name folded to upper case without accents, so
    the list reads alphabetically whatever the case an office typed ("abdul", "ABDUL" and
    "Abdul" together, before "Budi")."""

    name: str
    pk: int
    back: bool = False

    def encode(self) -> str:
        raw = json.dumps([self.name, self.pk, int(self.back)], ensure_ascii=False)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, value: str | None) -> "Cursor | None":
        """None for no cursor; ValidationError for one that is not ours."""
        if not value:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            name, pk, back = json.loads(raw)
            if not isinstance(name, str) or not isinstance(pk, int) or len(name) > 200:
                raise ValueError
            if not 0 <= pk < 2**63 or back not in (0, 1):
                raise ValueError
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
            raise ValidationError(
                {"cursor": _("Kursor halaman tidak dikenal; mulai lagi dari halaman pertama.")}
            ) from None
        return cls(name=name, pk=pk, back=bool(back))


@dataclass
class PersonPage:
    people: list[Person]
    next: Cursor | None = None
    previous: Cursor | None = None
    # NIKs that were merged into a listed person (issue 21): {merged NIK: kept person's pk}.
    merged: dict[str, int] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Person]:
        return iter(self.people)

    def __len__(self) -> int:
        return len(self.people)


def _scope_wanted(user: User, engagement_filter: Q) -> Q | None:
    """The engagements that put a person in the list, or None for "every person" (a national
    reader without engagement filters, or a facilitator, whose scope is their own record)."""
    if user.role == Role.FACILITATOR:
        return engagement_filter if engagement_filter != Q() else None
    wanted = access.engagement_scope(user) & engagement_filter
    return None if wanted == Q() else wanted


def scope_people(
    user: User, engagement_filter: Q | None = None, *, ids: list[int] | None = None
) -> QuerySet[Person]:
    """People with an engagement in the user's scope (and matching ``engagement_filter``),
    as one semi-join the planner can drive from either side: no OR with another branch.
    With ``ids`` (from ``scope_probe``) the semi-join is already answered.

    Unlike ``access.people_visible`` it leaves out people a writer created without any
    engagement (the API's first step of two); they are reachable by uid (person_get).
    Expressed on the user only, so it moves with the access module (issue 15).
    """
    engagement_filter = engagement_filter or Q()
    qs = Person.objects.all()
    if not access.can_read(user) and not access.can_export(user):
        return qs.none()
    if user.role == Role.FACILITATOR:
        qs = qs.filter(pk=user.person_id) if user.person_id else qs.none()
    elif access.engagement_scope(user) == access.NOTHING:
        return qs.none()
    if ids is not None:
        return qs.filter(pk__in=ids)
    wanted = _scope_wanted(user, engagement_filter)
    if wanted is not None:
        qs = qs.filter(Exists(Engagement.objects.filter(wanted, person_id=OuterRef("pk"))))
    return qs


@dataclass
class Probe:
    """How big a scope and a search are, each learnt from at most SMALL_SCOPE + 1 rows."""

    scope_ids: list[int] | None = None  # every person id in scope, when the scope is small
    search_ids: list[int] | None = None  # every person id the query finds, when they are few
    people_seen: int = 0  # distinct people in scope, counted up to SMALL_SCOPE + 1

    @property
    def ids(self) -> list[int] | None:
        if self.scope_ids is not None and self.search_ids is not None:
            return sorted(set(self.scope_ids) & set(self.search_ids))
        return self.scope_ids if self.scope_ids is not None else self.search_ids


def scope_probe(user: User, filters: RegistryFilters) -> Probe:
    """Bounded reads that choose how a page is found. A small scope (a regency, a small
    province) or a rare search is answered by person ids: sorting a few thousand people beats
    walking the national name index to find them. A large scope and a common search are
    walked in name order, where one person in a hundred or more matches, so a page costs at
    most a few thousand index probes."""
    probe = Probe()
    wanted = _scope_wanted(user, filters.engagement_q())
    if wanted is not None:
        # A scope found large is remembered for a minute (a province does not shrink below
        # SMALL_SCOPE between two pages), so its pages skip reading SMALL_SCOPE + 1 ids. Only
        # the plan depends on it: a stale verdict walks the index for the same answer.
        large_key = "registry-scope-large:" + hashlib.sha1(repr(wanted).encode()).hexdigest()
        if cache.get(large_key):
            probe.people_seen = SMALL_SCOPE + 1
        else:
            # Distinct in person order: a (region, person) index answers it without a sort.
            rows = list(
                Engagement.objects.filter(wanted)
                .order_by("person_id")
                .values_list("person_id", flat=True)
                .distinct()[: SMALL_SCOPE + 1]
            )
            probe.people_seen = len(rows)
            probe.scope_ids = rows if len(rows) <= SMALL_SCOPE else None
            if probe.scope_ids is None:
                cache.set(large_key, True, COUNTS_SECONDS)
    if filters.q:
        found = search.search(filters.q, full_nik_only=not access.sees_nik(user)).q
        qs = Person.objects.filter(found).order_by().values_list("pk", flat=True)
        rows = search.index_read(qs[: SMALL_SCOPE + 1])
        probe.search_ids = rows if len(rows) <= SMALL_SCOPE else None
    return probe


def person_list(
    *, user: User, filters: RegistryFilters, probe: Probe | None = None
) -> QuerySet[Person]:
    """People in scope with at least one engagement matching the filters, unmerged, in list
    order (unpaged; ``person_page`` reads one page of it). With a ``probe`` the small sides
    are already answered by ids, and the page is sorted from them, not read off the index."""
    probe = probe or Probe()
    full_nik_only = not access.sees_nik(user)
    qs = scope_people(user, filters.engagement_q(), ids=probe.scope_ids).filter(
        merged_into__isnull=True
    )
    if probe.search_ids is not None:
        filters.person_q(full_nik_only=full_nik_only)  # refuses what the role may not search
        qs = qs.filter(pk__in=probe.search_ids).filter(
            filters.person_q(full_nik_only=full_nik_only, with_q=False)
        )
    else:
        qs = qs.filter(filters.person_q(full_nik_only=full_nik_only))
    if probe.ids is not None:
        # Not the name index: the planner would walk it to find a few thousand scattered ids.
        return qs.order_by(Concat("name_key", Value("")), "pk")
    return qs.order_by("name_key", "pk")


def person_count(
    *, user: User, filters: RegistryFilters, probe: Probe | None = None
) -> CappedCount | None:
    """How many people the list holds, as cheaply as it can be told: exact for a small scope
    or a search; "more than SMALL_SCOPE" for a large scope without person-level filters;
    None (not shown) otherwise."""
    probe = probe or scope_probe(user, filters)
    if probe.ids is not None or filters.q:
        cap = COUNT_CAP if probe.ids is not None else SEARCH_COUNT_CAP
        return count_capped(person_list(user=user, filters=filters, probe=probe), cap=cap)
    if filters.verification or filters.flagged:
        return None
    if probe.people_seen == 0:  # every person: the table's size, exact up to the cap
        return count_capped(Person.objects.filter(merged_into__isnull=True))
    return CappedCount(value=SMALL_SCOPE, exact=False)  # more than SMALL_SCOPE distinct people


def person_page(
    *,
    user: User,
    filters: RegistryFilters,
    cursor: Cursor | None = None,
    limit: int = PAGE_SIZE,
    probe: Probe | None = None,
    prefetch: bool = True,
) -> PersonPage:
    """One page of ``person_list`` after (or before) ``cursor``: a constant number of
    queries whatever the size of the scope (the page, its engagements, its open flags).
    ``prefetch=False`` leaves out the engagements and flags as model objects, for a caller
    that reads them as plain values (``page_values``)."""
    limit = max(1, min(limit, PAGE_SIZE_MAX))
    probe = probe or scope_probe(user, filters)
    qs = person_list(user=user, filters=filters, probe=probe)
    merged = _merged_niks(user, filters)
    if merged:
        qs = person_list(
            user=user, filters=replace(filters, q=""), probe=replace(probe, search_ids=None)
        ).filter(Q(nik__in=list(merged)) | Q(pk__in=list(merged.values())))
    if cursor and cursor.back:
        before = Q(name_key__lt=cursor.name) | Q(name_key=cursor.name, pk__lt=cursor.pk)
        rows = list(qs.filter(Q(name_key__lte=cursor.name) & before).reverse()[: limit + 1])
        more_before = len(rows) > limit
        people = rows[:limit][::-1]
        page = PersonPage(people=people)
        page.previous = _cursor(people[0], back=True) if more_before and people else None
        page.next = _cursor(people[-1]) if people else Cursor(cursor.name, cursor.pk)
    else:
        if cursor:
            after = Q(name_key__gt=cursor.name) | Q(name_key=cursor.name, pk__gt=cursor.pk)
            qs = qs.filter(Q(name_key__gte=cursor.name) & after)
        rows = list(qs[: limit + 1])
        people = rows[:limit]
        page = PersonPage(people=people)
        page.next = _cursor(people[-1]) if len(rows) > limit else None
        if cursor:
            page.previous = (
                _cursor(people[0], back=True) if people else Cursor(cursor.name, cursor.pk, True)
            )
    page.merged = merged
    if prefetch:
        _page_rows(user, people)
    return page


def _cursor(person: Person, back: bool = False) -> Cursor:
    return Cursor(name=person.name_key, pk=person.pk, back=back)


def _merged_niks(user: User, filters: RegistryFilters) -> dict[str, int]:
    """A whole NIK that was merged away names the person it was merged into (issue 21)."""
    nik = search.search(filters.q, full_nik_only=not access.sees_nik(user)).nik
    if not nik:
        return {}
    target = (
        Person.objects.filter(nik=nik, merged_into__isnull=False)
        .values_list("merged_into_id", flat=True)
        .first()
    )
    seen = set()
    while target and target not in seen:  # a kept person may itself have been merged later
        seen.add(target)
        onward = Person.objects.filter(pk=target).values_list("merged_into_id", flat=True).first()
        if not onward:
            return {nik: target}
        target = onward
    return {}


@dataclass(frozen=True)
class ListedEngagement:
    """What a row of the registry list shows of an engagement, read as plain values."""

    programme_name: str
    regency_name: str
    status: str
    harmonised_level: int | None

    @property
    def status_label(self) -> str:
        return str(Engagement.Status(self.status).label)

    @property
    def level_roman(self) -> str:
        return ROMAN.get(self.harmonised_level or 0, "")


def _page_rows(user: User, people: list[Person]) -> None:
    """What a list row shows: the engagements in scope (``person.listed_engagements``) and the
    number of open flags (``person.open_flag_count``), in two queries of plain values: model
    objects with their programme and regency cost more than the rest of the page."""
    ids = [person.pk for person in people]
    if not ids:
        return
    engagements: dict[int, list[ListedEngagement]] = {}
    rows = (
        registry_access.engagements_visible(user)
        .filter(person_id__in=ids)
        .order_by("person_id", "programme_id", "regency_id")
        .values_list("person_id", "programme__name", "regency__name", "status", "harmonised_level")
    )
    for person_id, programme_name, regency_name, status, level in rows:
        engagements.setdefault(person_id, []).append(
            ListedEngagement(programme_name, regency_name, status, level)
        )
    flags = CounterOf(
        Flag.objects.filter(person_id__in=ids, resolved_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    for person in people:
        person.listed_engagements = engagements.get(person.pk, [])
        person.open_flag_count = flags[person.pk]


def page_values(
    user: User, people: list[Person], fields: tuple[str, ...]
) -> tuple[dict[int, list[dict[str, Any]]], dict[int, list[str]]]:
    """A page's engagements in scope (the ``fields`` the caller shows; ``person_id`` always)
    and open flag codes, by person id, as plain values: two queries and no model objects
    (the API writes its rows from these, ``api.rows``; issue 14)."""
    ids = [person.pk for person in people]
    engagements: dict[int, list[dict[str, Any]]] = {}
    flags: dict[int, list[str]] = {}
    if not ids:
        return engagements, flags
    rows = (
        registry_access.engagements_visible(user)
        .filter(person_id__in=ids)
        .order_by("person_id", "programme_id", "regency_id")
        .values("person_id", *fields)
    )
    for row in rows:
        engagements.setdefault(row["person_id"], []).append(row)
    codes = Flag.objects.filter(person_id__in=ids, resolved_at__isnull=True).values_list(
        "person_id", "code"
    )
    for person_id, code in codes:
        flags.setdefault(person_id, []).append(code)
    return engagements, flags


def person_detail(*, user: User, uid: uuid.UUID | str | None, closed_flags: bool = True) -> Person:
    """One person with scoped engagements and flags, or 404: three queries (the person, the
    engagements in scope, the flags; the closed ones only where they are shown)."""
    person = registry_access.person_get(user, uid)
    person.visible_engagements = list(
        registry_access.engagements_visible(user, person.engagements.all())
        .select_related("programme", "province", "regency", "district", "village")
        .order_by("status", "programme__name")
    )
    flags = person.flags.all() if closed_flags else person.flags.filter(resolved_at__isnull=True)
    shown = list(flags.select_related("engagement", "resolved_by").order_by("created_at", "pk"))
    person.open_flags = [f for f in shown if f.resolved_at is None]
    person.closed_flags = [f for f in shown if f.resolved_at is not None]
    return person


def person_history(*, user: User, person: Person, limit: int = 100) -> QuerySet[AuditEntry]:
    """The person's audit trail, newest first. ``person`` comes from ``person_detail`` (or
    ``access.person_get``) for this user: it is not fetched again. Reads of the record are
    left out: they are for the auditor (accounts audit view), not the record's history."""
    return (
        AuditEntry.objects.filter(person_id_ref=person.pk)
        .exclude(action__in=[AuditEntry.Action.READ, AuditEntry.Action.DOWNLOAD])
        .select_related("actor")
        .order_by("-at", "-pk")[:limit]
    )


def engagement_list(*, user: User, filters: RegistryFilters) -> QuerySet[Engagement]:
    """Engagements in scope matching the filters, in id order (the API pages it by id)."""
    return (
        registry_access.engagements_visible(user)
        .filter(filters.engagement_q())
        .filter(filters.person_q(prefix="person__", full_nik_only=not access.sees_nik(user)))
        .filter(person__merged_into__isnull=True)
        .order_by("pk")
    )


def engagement_export_rows(*, user: User, filters: RegistryFilters) -> QuerySet[Engagement]:
    """Every engagement in scope matching the filters, for the exports (one row each)."""
    return (
        registry_access.engagements_visible(user)
        .filter(filters.engagement_q())
        .filter(filters.person_q(prefix="person__"))
        .filter(person__merged_into__isnull=True)
        .select_related("person", "programme")
        .order_by("person__nik", "programme__slug", "regency_id")
    )


def open_flag_codes(
    *, person_ids: "list[int] | QuerySet[Any]"
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """Open flag codes per person (person-level flags) and per engagement; ``person_ids`` a
    list or a query of person ids."""
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


FLAG_ORDER = ("code", "pk")  # by kind, then oldest first: the review list is a work queue


def flag_list(*, user: User, code: str = "") -> QuerySet[Flag]:
    """Open flags on people in scope: the review list (payments, NIK disagreements, conflicts),
    in FLAG_ORDER (paged by ``satupintu.keyset.seek_page``)."""
    qs = Flag.objects.filter(
        resolved_at__isnull=True, person__in=registry_access.people_visible(user)
    )
    if code:
        qs = qs.filter(code=code)
    return qs.select_related("person", "engagement").order_by(*FLAG_ORDER)


DUPLICATE_ORDER = ("name_key", "birth_date")  # one group per key, in the index's order
DUPLICATE_GROUPS_PER_PAGE = 25


def possible_duplicates(
    *, user: User, cursor: str | None = None, size: int | None = None
) -> SeekPage:
    """A page of groups of people in scope with the same normalised name and birth date but
    other NIKs: ``page.items`` are lists of people, ``page.next``/``previous`` cursors.

    The groups are read in the order of the (name_key, birth_date) index and the page stops at
    ``size`` groups (DUPLICATE_GROUPS_PER_PAGE), so a page costs the index entries up to its
    last group, never a grouping of the whole scope. ValidationError for a cursor that is not
    one of ours."""
    visible = registry_access.people_visible(user).filter(merged_into__isnull=True)
    keys = (
        visible.values(*DUPLICATE_ORDER)
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values(*DUPLICATE_ORDER)
    )
    page = seek_page(
        keys, order=DUPLICATE_ORDER, cursor=cursor, size=size or DUPLICATE_GROUPS_PER_PAGE
    )
    wanted = Q(pk__in=[])
    for key in page.items:
        wanted |= Q(name_key=key["name_key"], birth_date=key["birth_date"])
    groups: dict[tuple[str, dt.date], list[Person]] = {
        (key["name_key"], key["birth_date"]): [] for key in page.items
    }
    for person in visible.filter(wanted).order_by("name_key", "birth_date", "created_at", "pk"):
        groups[(person.name_key, person.birth_date)].append(person)
    page.items = list(groups.values())
    return page


def registry_counts(
    *, user: User, people: CappedCount | None = None
) -> dict[str, CappedCount | None]:
    """The list page's counters, each exact up to COUNT_CAP (then "more than").

    Only a counter past the cap is kept, for a minute per scope (COUNTS_SECONDS), so that
    paging a large scope does not recount it: "more than 10.000" stays true when a row is
    added or removed. An exact counter is always counted afresh (at most COUNT_CAP index
    entries), so it is never stale after an import, a merge or an approved change, whichever
    process made it. ``people``: the unfiltered list's count, when the caller has it."""
    key = (
        "registry-counts:"
        + hashlib.sha1(
            repr((user.role, user.person_id, access.engagement_scope(user))).encode()
        ).hexdigest()
    )
    kept: dict[str, CappedCount] = cache.get(key) or {}
    engagements = registry_access.engagements_visible(user)
    counters: dict[str, Callable[[], CappedCount | None]] = {
        "people": lambda: people or person_count(user=user, filters=RegistryFilters()),
        "engagements": lambda: count_capped(engagements),
        "active": lambda: count_capped(engagements.filter(status=Engagement.Status.ACTIVE)),
        "pending": lambda: count_capped(engagements.filter(verification=Verification.PENDING)),
    }
    found = {name: kept.get(name) or count() for name, count in counters.items()}
    over_cap = {name: c for name, c in found.items() if c is not None and not c.exact}
    if over_cap != kept:
        cache.set(key, over_cap, COUNTS_SECONDS)
    return found


def programme_choices() -> QuerySet[Programme]:
    return Programme.objects.order_by("kind", "name")


def merges_undoable(*, person: Person, now: dt.datetime | None = None) -> list[Merge]:
    """The merges into ``person`` still within the undo period and not undone (for the button;
    whether undoing is still safe is decided when it is asked, ``services.merge_undo_problem``)."""
    since = (now or timezone.now()) - dt.timedelta(days=settings.MERGE_UNDO_DAYS)
    return list(
        Merge.objects.filter(keep=person, undone_at__isnull=True, merged_at__gte=since)
        .select_related("merged")
        .order_by("-merged_at", "-pk")
    )
