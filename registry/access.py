"""Registry reads through the user's scope: which people and engagements a user may see, and
fetching one by uid. The scope itself and the role sets are ``accounts.access``; this module
only turns them into queries on the registry's tables.

Out-of-scope objects are reported as not found (404), never as forbidden, so that their
existence does not leak.
"""

import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts import access
from accounts.models import User
from registry.models import Engagement, Person, Programme

NOT_FOUND = "Data tidak ditemukan."
WRITE_FORBIDDEN = "Peran Anda tidak boleh mengubah data registri."


def engagements_visible(user: User, qs: QuerySet[Engagement] | None = None) -> QuerySet[Engagement]:
    qs = Engagement.objects.all() if qs is None else qs
    return qs.filter(access.engagement_scope(user))


def people_visible(user: User, qs: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """People with at least one engagement in scope (plus, for writers, people they created)."""
    qs = Person.objects.all() if qs is None else qs
    if not access.has_role(user, access.REGISTRY_READ | access.REGISTRY_EXPORT):
        return qs.none()
    scope = access.scope_of(user)
    if scope.own_person_only:
        return qs.filter(pk=scope.person_id) if scope.person_id else qs.none()
    if scope.everywhere:
        return qs
    in_scope = Exists(Engagement.objects.filter(scope.filter(), person_id=OuterRef("pk")))
    return qs.filter(in_scope | Q(created_by=user))


def sees_everyone(user: User) -> bool:
    """A national read scope: every person is visible (no per-person check needed)."""
    return access.has_role(user, access.REGISTRY_READ) and access.scope_of(user).everywhere


def people_hidden(user: User, person_ids: Iterable[int]) -> set[int]:
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


def person_get(user: User, uid: uuid.UUID | str | None, *, for_write: bool = False) -> Person:
    """The person with this uid if visible (else 404); 403 for a forbidden write."""
    uid = uuid_or_none(uid)
    person = people_visible(user).filter(uid=uid).first() if uid else None
    if person is None:
        raise Http404(NOT_FOUND)
    if for_write and not access.can_write(user):
        raise PermissionDenied(WRITE_FORBIDDEN)
    return person


def engagement_get(
    user: User, uid: uuid.UUID | str | None, *, for_write: bool = False
) -> Engagement:
    uid = uuid_or_none(uid)
    engagement = (
        engagements_visible(user).select_related("person").filter(uid=uid).first() if uid else None
    )
    if engagement is None:
        raise Http404(NOT_FOUND)
    if for_write and not access.can_write(user):
        raise PermissionDenied(WRITE_FORBIDDEN)
    return engagement


def can_write_at(user: User, *, programme: Programme, regency_code: str) -> bool:
    """May the user create or move an engagement into this programme and regency?"""
    return access.can_write(user) and access.covers(
        user, regency_id=regency_code, programme_id=programme.pk
    )


def programmes_writable(user: User) -> QuerySet[Programme]:
    """The programmes a writer may write in (a writer whose region is missing still gets the
    list: each row is then refused for its region, with the reason)."""
    if not access.can_write(user):
        return Programme.objects.none()
    ids = access.scope_of(user).programme_ids
    if ids is None:
        return (
            Programme.objects.none()
            if user.role in access.NEEDS_PROGRAMMES
            else Programme.objects.all()
        )
    return Programme.objects.filter(pk__in=ids)


def uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        return None
