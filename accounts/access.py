"""The one place that decides who may read, write, verify and export what.

Every view, API endpoint, export and management command asks here. Scope is a region
(national, one province or one regency) crossed with clusters/programmes (none = all).
Out-of-scope objects are reported as not found (404), never as forbidden, so that their
existence does not leak.
"""

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from registry.models import Engagement, Person, Programme

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


def _is(user: User, roles: set[str]) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def programme_ids(user: User) -> frozenset[int] | None:
    """The user's programme scope; None means all programmes. Cached on the user object."""
    if not hasattr(user, "_programme_scope"):
        ids = (
            frozenset(user.scope_programmes.values_list("pk", flat=True))
            if user.pk
            else frozenset()
        )
        user._programme_scope = ids or None
    return user._programme_scope


def engagement_scope(user: User, prefix: str = "") -> Q:
    """A filter on Engagement (or, with ``prefix``, on a relation to it) for the user's scope."""
    if not _is(user, REGISTRY_READ | REGISTRY_EXPORT):
        return NOTHING
    if user.role == Role.FACILITATOR:
        return Q(**{f"{prefix}person_id": user.person_id}) if user.person_id else NOTHING
    q = Q()
    if user.scope_regency_id:
        q &= Q(**{f"{prefix}regency_id": user.scope_regency_id})
    elif user.scope_province_id:
        q &= Q(**{f"{prefix}province_id": user.scope_province_id})
    elif user.role in NEEDS_PROVINCE | NEEDS_REGENCY:
        return NOTHING
    if user.role in NEEDS_REGENCY and not user.scope_regency_id:
        return NOTHING
    ids = programme_ids(user)
    if ids is not None:
        q &= Q(**{f"{prefix}programme_id__in": ids})
    elif user.role in NEEDS_PROGRAMMES:
        return NOTHING
    return q


def region_scope_prefix(user: User | None) -> str | None:
    """The code prefix of the regions a user picks from: "" for all, None for nothing.

    Region names are reference data, but an operator picks only inside their own scope (an
    office's payment list or staffing form is never about another regency); the same
    fail-closed rule as ``engagement_scope``. Roles without a region scope (national roles,
    facilitators, coordinators) pick from every region.
    """
    if user is None:
        return ""
    if not (user.is_authenticated and user.is_active):
        return None
    if user.role in NEEDS_REGENCY and not user.scope_regency_id:
        return None
    if user.scope_regency_id:
        return user.scope_regency_id
    if user.scope_province_id:
        return user.scope_province_id
    return None if user.role in NEEDS_PROVINCE | NEEDS_REGENCY else ""


def engagements_visible(user: User, qs: QuerySet[Engagement] | None = None) -> QuerySet[Engagement]:
    qs = Engagement.objects.all() if qs is None else qs
    return qs.filter(engagement_scope(user))


def people_visible(user: User, qs: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """People with at least one engagement in scope (plus, for writers, people they created)."""
    qs = Person.objects.all() if qs is None else qs
    if not _is(user, REGISTRY_READ | REGISTRY_EXPORT):
        return qs.none()
    if user.role == Role.FACILITATOR:
        return qs.filter(pk=user.person_id) if user.person_id else qs.none()
    scope = engagement_scope(user)
    if scope == Q():
        return qs
    in_scope = Exists(Engagement.objects.filter(scope, person_id=OuterRef("pk")))
    return qs.filter(in_scope | Q(created_by=user))


def sees_everyone(user: User) -> bool:
    """A national read scope: every person is visible (no per-person check needed)."""
    if user.role == Role.FACILITATOR or not _is(user, REGISTRY_READ):
        return False
    return engagement_scope(user) == Q()


def people_hidden(user: User, person_ids) -> set[int]:
    """Of these people, the ones the user cannot see.

    A write that matched someone by NIK (an import row, say) must not reach a person outside the
    writer's scope: that would disclose and change their data (issue 12, "import takeover").
    """
    ids = sorted(set(person_ids))
    if not ids or sees_everyone(user):
        return set()
    visible: set[int] = set()
    for i in range(0, len(ids), 5000):
        chunk = Person.objects.filter(pk__in=ids[i : i + 5000])
        visible.update(people_visible(user, chunk).values_list("pk", flat=True))
    return set(ids) - visible


def person_get(user: User, uid, *, for_write: bool = False) -> Person:
    """The person with this uid if visible (else 404); 403 for a forbidden write."""
    uid = _uuid(uid)
    person = people_visible(user).filter(uid=uid).first() if uid else None
    if person is None:
        raise Http404("Data tidak ditemukan.")
    if for_write and not can_write(user):
        raise PermissionDenied("Peran Anda tidak boleh mengubah data registri.")
    return person


def engagement_get(user: User, uid, *, for_write: bool = False) -> Engagement:
    uid = _uuid(uid)
    engagement = (
        engagements_visible(user).select_related("person").filter(uid=uid).first() if uid else None
    )
    if engagement is None:
        raise Http404("Data tidak ditemukan.")
    if for_write and not can_write(user):
        raise PermissionDenied("Peran Anda tidak boleh mengubah data registri.")
    return engagement


def can_read(user: User) -> bool:
    return _is(user, REGISTRY_READ)


def can_write(user: User) -> bool:
    return _is(user, REGISTRY_WRITE)


def can_verify(user: User) -> bool:
    return _is(user, REGISTRY_VERIFY)


def can_export(user: User) -> bool:
    return _is(user, REGISTRY_EXPORT)


def can_merge(user: User) -> bool:
    return _is(user, REGISTRY_MERGE)


def can_browse_audit(user: User) -> bool:
    return _is(user, AUDIT_BROWSE)


def can_write_at(user: User, *, programme: Programme, regency_code: str) -> bool:
    """May the user create or move an engagement into this programme and regency?"""
    return can_write(user) and covers(user, regency_id=regency_code, programme_id=programme.pk)


def require(allowed: bool, message: str = "Anda tidak berwenang untuk tindakan ini.") -> None:
    if not allowed:
        raise PermissionDenied(message)


def sees_nik(user: User, person: Person | None = None) -> bool:
    if person is not None and user.role == Role.FACILITATOR:
        return person.pk == user.person_id
    return _is(user, SEES_NIK)


def sees_contact(user: User, person: Person | None = None) -> bool:
    if person is not None and user.role == Role.FACILITATOR:
        return person.pk == user.person_id
    return _is(user, SEES_CONTACT)


def programmes_writable(user: User) -> QuerySet[Programme]:
    if not can_write(user):
        return Programme.objects.none()
    ids = programme_ids(user)
    if ids is None:
        return (
            Programme.objects.none() if user.role in NEEDS_PROGRAMMES else Programme.objects.all()
        )
    return Programme.objects.filter(pk__in=ids)


def sees_payment_details(user: User) -> bool:
    return _is(user, PAYMENT_ROLES)


def covers(user: User, *, regency_id: str, programme_id: int | None) -> bool:
    """Does the user's scope (region x programmes) include this regency and programme?

    Used for writes (can_write_at) and for routing HR requests to the users who may act.
    """
    if user.role == Role.FACILITATOR:
        return False
    if user.scope_regency_id and user.scope_regency_id != regency_id:
        return False
    if user.scope_province_id and regency_id[:2] != user.scope_province_id:
        return False
    if user.role in NEEDS_REGENCY and not user.scope_regency_id:
        return False
    if user.role in NEEDS_PROVINCE and not user.scope_province_id:
        return False
    ids = programme_ids(user)
    if ids is None:
        return user.role not in NEEDS_PROGRAMMES
    return programme_id in ids


def can_refer(user: User) -> bool:
    return _is(user, REFER)


def can_manage_framework(user: User) -> bool:
    return _is(user, FRAMEWORK_MANAGE)


def can_write_somewhere(user: User) -> bool:
    """A writer whose role needs a scope it lacks may write nothing at all (fail closed)."""
    if not can_write(user):
        return False
    if user.role in NEEDS_PROVINCE and not user.scope_province_id:
        return False
    if user.role in NEEDS_REGENCY and not user.scope_regency_id:
        return False
    return user.role not in NEEDS_PROGRAMMES or programme_ids(user) is not None


def _uuid(value) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
