"""Who may act on requests and see referrals. Delegates scope to accounts.access.

These rules belong in accounts.access (the one access module); they live here until that module
takes them over (see the hand-over notes), and they only combine what accounts.access decides.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from accounts import access
from accounts.models import Role, User
from collaboration.models import ReceivingUnit, Referral, Request
from registry import access as registry_access
from registry.models import Engagement, Person

SUBMIT = {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN, Role.PROVINCE_OPERATOR, Role.REGENCY_OPERATOR}
# Who acts at each step, per kind. The default: the regency verifier verifies and the cluster or
# programme administrator approves. A facilitator's own data correction is checked by the
# operator who keeps the data and approved by the regency verifier.
STEP_ROLES: dict[str, dict[str, set[str]]] = {
    "default": {
        "verify": {Role.REGENCY_VERIFIER, Role.NATIONAL_ADMIN},
        "approve": {Role.CLUSTER_ADMIN, Role.NATIONAL_ADMIN},
    },
    Request.Kind.DATA_CORRECTION: {
        "verify": {Role.REGENCY_OPERATOR, Role.PROVINCE_OPERATOR, Role.NATIONAL_ADMIN},
        "approve": {Role.REGENCY_VERIFIER, Role.CLUSTER_ADMIN, Role.NATIONAL_ADMIN},
    },
}
STEP_FOR_STATUS = {Request.Status.SUBMITTED: "verify", Request.Status.VERIFIED: "approve"}
REFERRAL_ALL = {Role.NATIONAL_ADMIN, Role.AUDITOR}
SELF_MESSAGE = gettext_lazy("Anda tidak boleh memproses permohonan yang Anda ajukan sendiri.")


def _active(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def step_roles(kind: str, step: str) -> set[str]:
    return STEP_ROLES.get(kind, STEP_ROLES["default"])[step]


covers = access.covers


def users_covering(roles: set[str], *, regency_id: str, programme_id: int | None) -> list[User]:
    """Active users of these roles whose scope covers the regency and programme (for routing)."""
    candidates = (
        User.objects.filter(role__in=roles, is_active=True, is_system=False)
        .filter(Q(scope_regency_id=regency_id) | Q(scope_regency__isnull=True))
        .filter(Q(scope_province_id=regency_id[:2]) | Q(scope_province__isnull=True))
        .prefetch_related("scope_programmes")
        .order_by("pk")
    )
    out = []
    for user in candidates:
        user._programme_scope = frozenset(p.pk for p in user.scope_programmes.all()) or None
        if covers(user, regency_id=regency_id, programme_id=programme_id):
            out.append(user)
    return out


# --- requests -----------------------------------------------------------------------------


def can_submit_for(user: User, *, engagement: Engagement | None, person: Person) -> bool:
    if not _active(user):
        return False
    if user.role == Role.FACILITATOR:
        return user.person_id == person.pk
    if user.role not in SUBMIT:
        return False
    if engagement is not None:
        return registry_access.can_write_at(
            user, programme=engagement.programme, regency_code=engagement.regency_id
        )
    return registry_access.people_visible(user).filter(pk=person.pk).exists()


def can_act(user: User, request: Request) -> bool:
    """May the user take the request's next step? Never on their own request."""
    step = STEP_FOR_STATUS.get(request.status)
    if step is None or not _active(user) or user.role not in step_roles(request.kind, step):
        return False
    if not covers(user, regency_id=request.regency_id, programme_id=request.programme_id):
        return False
    if request.kind == Request.Kind.ENGAGEMENT_CLAIM and request.payload.get("national"):
        # Nobody holds the person's scope (no engagement): only the national level confirms.
        return user.role == Role.NATIONAL_ADMIN and not is_own(user, request)
    return not is_own(user, request)


def actionable(user: User) -> Q:
    """``can_act`` as one filter on Request, so that the inbox pages and counts in the database
    (issue 14): the statuses and kinds whose step is the user's role, inside the user's scope
    (region and programmes, as ``covers``), not their own (``is_own``). A test holds the two to
    the same answer for every request."""
    if not _active(user):
        return access.NOTHING
    steps = Q(pk__in=[])
    for status, step in STEP_FOR_STATUS.items():
        kinds = [kind for kind in Request.Kind.values if user.role in step_roles(kind, step)]
        if kinds:
            steps |= Q(status=status, kind__in=kinds)
    scope = access.scope_of(user)
    if scope.closed or scope.own_person_only:
        return access.NOTHING
    q = steps
    if scope.regency_id:
        q &= Q(regency_id=scope.regency_id)
    elif scope.province_id:
        q &= Q(regency__province_id=scope.province_id)
    if scope.programme_ids is not None:
        q &= Q(programme_id__in=scope.programme_ids)
    if user.role != Role.NATIONAL_ADMIN:
        # A claim on a person nobody holds is confirmed at the national level only. The
        # submission writes the key only as true; a key lookup is never NULL, as a value
        # comparison on a payload without the key would be (and NOT NULL drops the row).
        q &= ~Q(kind=Request.Kind.ENGAGEMENT_CLAIM, payload__has_key="national")
    own = Q(submitted_by=user) | Q(verified_by=user)
    own |= Q(kind=Request.Kind.VERIFICATION, person__created_by=user)
    if user.person_id is not None:
        own |= Q(person_id=user.person_id)
    return q & ~own


def is_own(user: User, request: Request) -> bool:
    """Nobody acts on a request they submitted, verified, or that concerns their own record."""
    if user.pk in {request.submitted_by_id, request.verified_by_id}:
        return True
    if user.person_id is not None and user.person_id == request.person_id:
        return True
    # A registration is verified by someone other than the operator who entered it.
    return request.kind == Request.Kind.VERIFICATION and user.pk == request.person.created_by_id


def requests_visible(user: User, qs: QuerySet[Request] | None = None) -> QuerySet[Request]:
    qs = Request.objects.all() if qs is None else qs
    if not _active(user):
        return qs.none()
    if user.role == Role.FACILITATOR:
        return qs.filter(Q(person_id=user.person_id) | Q(submitted_by=user))
    if user.role in {Role.NATIONAL_ADMIN, Role.AUDITOR}:
        return qs
    q = Q()
    if user.scope_regency_id:
        q &= Q(regency_id=user.scope_regency_id)
    elif user.scope_province_id:
        q &= Q(regency__province_id=user.scope_province_id)
    elif user.role in access.NEEDS_PROVINCE | access.NEEDS_REGENCY:
        return qs.filter(submitted_by=user)
    ids = access.programme_ids(user)
    if ids is not None:
        q &= Q(programme_id__in=ids) | Q(programme__isnull=True)
    elif user.role in access.NEEDS_PROGRAMMES:
        return qs.filter(submitted_by=user)
    # A claim's submitter may not see the person it concerns until the claim is confirmed.
    own = Q(submitted_by=user) & ~Q(kind=Request.Kind.ENGAGEMENT_CLAIM)
    return qs.filter(q | own)


def request_get(user: User, uid) -> Request:
    request = (
        requests_visible(user)
        .select_related("person", "engagement__programme", "regency", "programme")
        .filter(uid=uid)
        .first()
    )
    if request is None:
        raise Http404(gettext("Permohonan tidak ditemukan."))
    return request


# --- referrals ----------------------------------------------------------------------------


def _supervisor_q(user: User) -> Q:
    """Coordinators see the cases of their area and cluster(s); a children's case only when
    their scope names a programme that handles children (not an all-programme scope)."""
    if user.role != Role.COORDINATOR:
        return Q(pk__in=[])
    q = Q()
    if user.scope_regency_id:
        q &= Q(regency_id=user.scope_regency_id)
    elif user.scope_province_id:
        q &= Q(province_id=user.scope_province_id)
    ids = access.programme_ids(user)
    if ids is None:
        return q & Q(is_child=False)
    return q & (Q(receiver_programme_id__in=ids) | Q(sender_programme_id__in=ids))


def referral_party_q(user: User) -> Q:
    return Q(sender=user) | Q(receiver=user) | Q(escalated_to=user)


def referrals_visible(user: User, *, bulk: bool = True) -> QuerySet[Referral]:
    """Referrals the user may list. ``bulk``: a list, where auditors never see children's cases."""
    qs = Referral.objects.all()
    if not _active(user):
        return qs.none()
    q = referral_party_q(user) | _supervisor_q(user)
    if user.role in REFERRAL_ALL:
        # An empty Q() would vanish from the OR; name "every case" explicitly.
        q |= Q(is_child=False) if bulk else Q(pk__isnull=False)
    return qs.filter(q)


def referral_get(user: User, uid) -> Referral:
    referral = (
        referrals_visible(user, bulk=False)
        .select_related("sender", "receiver", "receiver_programme", "sender_programme", "village")
        .filter(uid=uid)
        .first()
    )
    if referral is None:
        raise Http404(gettext("Rujukan tidak ditemukan."))
    return referral


def can_respond(user: User, referral: Referral) -> bool:
    """The named receiver answers; for a service, the receiving programme's coordinators."""
    if not _active(user):
        return False
    if referral.receiver_id is not None:
        return referral.receiver_id == user.pk
    return user.role == Role.COORDINATOR and covers(
        user, regency_id=referral.regency_id, programme_id=referral.receiver_programme_id
    )


def respondable(user: User) -> Q:
    """``can_respond`` as one filter on Referral (a test holds the two the same)."""
    if not _active(user):
        return access.NOTHING
    q = Q(receiver=user)
    if user.role == Role.COORDINATOR:
        scope = access.scope_of(user)
        if not (scope.closed or scope.own_person_only):
            service = Q(receiver__isnull=True)
            if scope.regency_id:
                service &= Q(regency_id=scope.regency_id)
            elif scope.province_id:
                service &= Q(province_id=scope.province_id)
            if scope.programme_ids is not None:
                service &= Q(receiver_programme_id__in=scope.programme_ids)
            q |= service
    return q


can_refer = access.can_refer


# --- receiving units ----------------------------------------------------------------------

UNIT_MANAGERS = {Role.NATIONAL_ADMIN, Role.PROVINCE_OPERATOR, Role.REGENCY_OPERATOR}


def can_manage_units(user: User) -> bool:
    return _active(user) and user.role in UNIT_MANAGERS


def units_visible(user: User) -> QuerySet:
    """The receiving units a manager keeps: their regency's, their province's, or all."""
    qs = ReceivingUnit.objects.select_related("regency")
    if not can_manage_units(user):
        return qs.none()
    if user.scope_regency_id:
        return qs.filter(regency_id=user.scope_regency_id)
    if user.scope_province_id:
        return qs.filter(regency__province_id=user.scope_province_id)
    return qs if user.role == Role.NATIONAL_ADMIN else qs.none()


def unit_region_in_scope(user: User, regency_id: str) -> bool:
    if not can_manage_units(user) or not regency_id:
        return False
    if user.scope_regency_id:
        return regency_id == user.scope_regency_id
    if user.scope_province_id:
        return regency_id[:2] == user.scope_province_id
    return user.role == Role.NATIONAL_ADMIN


def unit_get(user: User, uid):
    unit = units_visible(user).filter(uid=uid).first()
    if unit is None:
        raise Http404(gettext("Unit penerima tidak ditemukan."))
    return unit
