"""Who may see and change what in the incentives capability.

Region × programme scope is not decided here: every read of engagements goes through
``accounts.access.engagement_scope``. This module only names the incentive-specific permissions.
Who sees bank details (``sees_payment_details``) is a personal-data rule and lives in
``accounts.access`` beside ``sees_nik``.
"""

from accounts import access
from accounts.models import Role, User

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


sees_payment_details = access.sees_payment_details


def can_view(user: User) -> bool:
    return access.has_role(user, INCENTIVE_READ)


def can_manage_standard(user: User) -> bool:
    return access.has_role(user, STANDARD_MANAGE)


def can_manage_scenarios(user: User) -> bool:
    """Budget scenarios: national and cluster administrators; one whose scope is missing may
    write nothing anywhere, so manages none either (fail closed, like every other write)."""
    return access.has_role(user, SCENARIO_MANAGE) and access.can_write_somewhere(user)


def can_view_roster(user: User) -> bool:
    """The roster is an export of personal data: the registry's export roles, within scope."""
    return access.can_export(user)


def mask_tail(value: str, keep: int = 4) -> str:
    """``1234567890`` -> ``******7890``: enough to recognise an account, not to use it."""
    value = value or ""
    if len(value) <= keep:
        return "*" * len(value)
    return "*" * (len(value) - keep) + value[-keep:]
