"""The one place that decides who may read, write, verify and export what.

Every view, API endpoint, export and management command asks here. Scope (``Scope``,
``scope_of``) is a region (national, one province or one regency) crossed with
clusters/programmes (none = all); the registry-aware reads built on it (people and engagements
visible, fetching one by uid) are in ``registry.access``.
Out-of-scope objects are reported as not found (404), never as forbidden, so that their
existence does not leak.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.models import Role, User

# What each role may do with the registry.
REGISTRY_READ = {
    Role.NATIONAL_ADMIN,
    Role.CLUSTER_ADMIN,
    Role.PROVINCE_OPERATOR,
    Role.REGENCY_OPERATOR,
    Role.REGENCY_VERIFIER,
    Role.COORDINATOR,
    Role.AUDITOR,
    Role.FACILITATOR,
}
REGISTRY_WRITE = {
    Role.NATIONAL_ADMIN,
    Role.CLUSTER_ADMIN,
    Role.PROVINCE_OPERATOR,
    Role.REGENCY_OPERATOR,
}
REGISTRY_VERIFY = {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN, Role.REGENCY_VERIFIER}
REGISTRY_EXPORT = {
    Role.NATIONAL_ADMIN,
    Role.CLUSTER_ADMIN,
    Role.PROVINCE_OPERATOR,
    Role.REGENCY_OPERATOR,
    Role.AUDITOR,
}
REGISTRY_MERGE = {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN, Role.PROVINCE_OPERATOR}
AUDIT_BROWSE = {Role.NATIONAL_ADMIN, Role.AUDITOR}
# Personal data (UU PDP 27/2022): who needs the full NIK, and who needs contact details.
SEES_NIK = {
    Role.NATIONAL_ADMIN,
    Role.CLUSTER_ADMIN,
    Role.PROVINCE_OPERATOR,
    Role.REGENCY_OPERATOR,
    Role.REGENCY_VERIFIER,
}
SEES_CONTACT = SEES_NIK | {Role.COORDINATOR}
# Bank account and NPWP for the monthly roster: only to those who pay.
PAYMENT_ROLES = {Role.NATIONAL_ADMIN, Role.PROVINCE_OPERATOR, Role.REGENCY_OPERATOR}
# Roles whose scope must name a region; without one they see nothing (fail closed).
NEEDS_PROVINCE = {Role.PROVINCE_OPERATOR}
NEEDS_REGENCY = {Role.REGENCY_OPERATOR, Role.REGENCY_VERIFIER}
NEEDS_PROGRAMMES = {Role.CLUSTER_ADMIN}

# Who edits and approves framework versions (nomenclature, levels, units).
FRAMEWORK_MANAGE = {Role.NATIONAL_ADMIN}
# Who may send referrals (collaboration).
REFER = {Role.FACILITATOR, Role.COORDINATOR}

NOTHING = Q(pk__in=[])


def has_role(user: Any, roles: Collection[str]) -> bool:
    """A signed-in, active user whose role is one of ``roles``: the check every app's own
    permission sets go through."""
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def programme_ids(user: User) -> frozenset[int] | None:
    """The user's programme scope; None means all programmes. Cached on the user object."""
    cache = vars(user)
    if "_programme_scope" not in cache:
        ids: frozenset[int] = (
            frozenset(user.scope_programmes.values_list("pk", flat=True))
            if user.pk
            else frozenset()
        )
        cache["_programme_scope"] = ids or None
    scope: frozenset[int] | None = cache["_programme_scope"]
    return scope


@dataclass(frozen=True)
class Scope:
    """Where a user's reach lies: one region (or all) crossed with programmes (or all), or only
    the facilitator's own person. ``closed`` is the fail-closed rule, written once: a role that
    needs a region or programmes and lacks them reaches nothing at all."""

    regency_id: str = ""
    province_id: str = ""
    programme_ids: frozenset[int] | None = None
    person_id: int | None = None  # a facilitator: only their own engagements
    own_person_only: bool = False
    closed: bool = False

    @property
    def everywhere(self) -> bool:
        """National and across every programme: no filter at all."""
        return not (
            self.closed
            or self.own_person_only
            or self.regency_id
            or self.province_id
            or self.programme_ids is not None
        )

    @property
    def region_prefix(self) -> str | None:
        """The code prefix of the regions inside the scope: "" for all, None for none."""
        if self.closed:
            return None
        return self.regency_id or self.province_id or ""

    def filter(self, prefix: str = "") -> Q:
        """A filter on Engagement (or, with ``prefix``, on a relation to it)."""
        if self.closed:
            return NOTHING
        if self.own_person_only:
            return Q(**{f"{prefix}person_id": self.person_id}) if self.person_id else NOTHING
        q = Q()
        if self.regency_id:
            q &= Q(**{f"{prefix}regency_id": self.regency_id})
        elif self.province_id:
            q &= Q(**{f"{prefix}province_id": self.province_id})
        if self.programme_ids is not None:
            q &= Q(**{f"{prefix}programme_id__in": self.programme_ids})
        return q

    def covers(self, *, regency_id: str, programme_id: int | None) -> bool:
        """Does the scope include this regency and programme? (A facilitator's scope is a
        person, never a region: it covers none.)"""
        if self.closed or self.own_person_only:
            return False
        if self.regency_id and self.regency_id != regency_id:
            return False
        if self.province_id and regency_id[:2] != self.province_id:
            return False
        return self.programme_ids is None or programme_id in self.programme_ids


def scope_of(user: User | None) -> Scope:
    """The user's scope, whatever their role may do with it (the role sets decide that)."""
    if not (user and user.is_authenticated and user.is_active):
        return Scope(closed=True)
    if user.role == Role.FACILITATOR:
        return Scope(person_id=user.person_id, own_person_only=True)
    regency, province = user.scope_regency_id or "", user.scope_province_id or ""
    if regency:
        province = ""  # a regency scope is narrower than any province it may also name
    ids = programme_ids(user)
    closed = (
        (user.role in NEEDS_REGENCY and not regency)
        or (user.role in NEEDS_PROVINCE and not (province or regency))
        or (user.role in NEEDS_PROGRAMMES and ids is None)
    )
    return Scope(regency_id=regency, province_id=province, programme_ids=ids, closed=closed)


def engagement_scope(user: User, prefix: str = "") -> Q:
    """A filter on Engagement (or, with ``prefix``, on a relation to it) for the user's scope."""
    if not has_role(user, REGISTRY_READ | REGISTRY_EXPORT):
        return NOTHING
    return scope_of(user).filter(prefix)


def region_scope_prefix(user: User | None) -> str | None:
    """The code prefix of the regions a user picks from: "" for all, None for nothing.

    Region names are reference data, but an operator picks only inside their own scope (an
    office's payment list or staffing form is never about another regency). Roles without a
    region scope (national roles, facilitators, coordinators) pick from every region.
    """
    if user is None:
        return ""
    if user.is_authenticated and user.is_active and user.role == Role.FACILITATOR:
        return ""
    return scope_of(user).region_prefix


def can_read(user: User) -> bool:
    return has_role(user, REGISTRY_READ)


def can_write(user: User) -> bool:
    return has_role(user, REGISTRY_WRITE)


def can_verify(user: User) -> bool:
    return has_role(user, REGISTRY_VERIFY)


def can_export(user: User) -> bool:
    return has_role(user, REGISTRY_EXPORT)


def can_merge(user: User) -> bool:
    return has_role(user, REGISTRY_MERGE)


def can_browse_audit(user: User) -> bool:
    return has_role(user, AUDIT_BROWSE)


def require(allowed: bool, message: str = "Anda tidak berwenang untuk tindakan ini.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def sees_nik(user: User, person: Any = None) -> bool:
    if person is not None and user.role == Role.FACILITATOR:
        return bool(person.pk == user.person_id)
    return has_role(user, SEES_NIK)


def sees_contact(user: User, person: Any = None) -> bool:
    if person is not None and user.role == Role.FACILITATOR:
        return bool(person.pk == user.person_id)
    return has_role(user, SEES_CONTACT)


def sees_payment_details(user: User) -> bool:
    return has_role(user, PAYMENT_ROLES)


def covers(user: User, *, regency_id: str, programme_id: int | None) -> bool:
    """Does the user's scope (region x programmes) include this regency and programme?

    Used for writes (registry.access.can_write_at) and for routing HR requests to the users who
    may act.
    """
    return scope_of(user).covers(regency_id=regency_id, programme_id=programme_id)


def can_refer(user: User) -> bool:
    return has_role(user, REFER)


def can_manage_framework(user: User) -> bool:
    return has_role(user, FRAMEWORK_MANAGE)


def can_write_somewhere(user: User) -> bool:
    """A writer whose role needs a scope it lacks may write nothing at all (fail closed)."""
    return can_write(user) and not scope_of(user).closed
