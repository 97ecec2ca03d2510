"""Who may see and change what in the incentives capability.

Region × programme scope is not decided here: every read of engagements goes through
``accounts.access.engagement_scope``. This module only names the incentive-specific permissions.
``sees_payment_details`` belongs in ``accounts/access.py`` beside ``sees_nik``; it is defined here
on ``accounts.models.Role`` until that module gains it, and then simply re-exports it.
"""

from accounts import access
from accounts.models import Role, User

# Personal data (UU PDP 27/2022): bank account and NPWP are needed only by those who pay.
PAYMENT_ROLES = {Role.NATIONAL_ADMIN, Role.PROVINCE_OPERATOR, Role.REGENCY_OPERATOR}
# Setting the national standard (scales, indexes, area lists, adoption) is a national decision.
STANDARD_MANAGE = {Role.NATIONAL_ADMIN}
SCENARIO_MANAGE = {Role.NATIONAL_ADMIN, Role.CLUSTER_ADMIN}
INCENTIVE_READ = {
    Role.NATIONAL_ADMIN,
    Role.CLUSTER_ADMIN,
    Role.PROVINCE_OPERATOR,
    Role.REGENCY_OPERATOR,
    Role.REGENCY_VERIFIER,
    Role.COORDINATOR,
    Role.AUDITOR,
}


def _is(user: User, roles: set[str]) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def sees_payment_details(user: User) -> bool:
    shared = getattr(access, "sees_payment_details", None)
    if shared is not None:
        return shared(user)
    return _is(user, PAYMENT_ROLES)


def can_view(user: User) -> bool:
    return _is(user, INCENTIVE_READ)


def can_manage_standard(user: User) -> bool:
    return _is(user, STANDARD_MANAGE)


def can_manage_scenarios(user: User) -> bool:
    """Budget scenarios: national and cluster administrators; one whose scope is missing may
    write nothing anywhere, so manages none either (fail closed, like every other write)."""
    return _is(user, SCENARIO_MANAGE) and access.can_write_somewhere(user)


def can_view_roster(user: User) -> bool:
    """The roster is an export of personal data: the registry's export roles, within scope."""
    return access.can_export(user)


def mask_tail(value: str, keep: int = 4) -> str:
    """``1234567890`` -> ``******7890``: enough to recognise an account, not to use it."""
    value = value or ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
