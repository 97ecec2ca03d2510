"""Audit entries shown without the personal data the signed-in user may not see."""

from typing import Any

from django import template
from django.template import Context

from accounts import access
from accounts.changes import change_rows, object_label
from accounts.models import AuditEntry

register = template.Library()

NIK_KEYS = {"nik", "merged_nik", "kept_nik"}
CONTACT_KEYS = {"phone", "email"}
PAYMENT_KEYS = {"bank_name", "bank_account", "npwp"}


@register.simple_tag(takes_context=True)
def visible_changes(context: Context, entry: AuditEntry, person: Any = None) -> dict[str, Any]:
    user = context["request"].user
    hidden: set[str] = set()
    if not access.sees_nik(user, person):
        hidden |= NIK_KEYS
    if not access.sees_contact(user, person):
        hidden |= CONTACT_KEYS
    if not access.sees_payment_details(user):
        hidden |= PAYMENT_KEYS
    return {key: value for key, value in entry.changes.items() if key not in hidden}


@register.simple_tag(takes_context=True)
def audit_rows(context: Context, entry: AuditEntry, person: Any = None) -> list[tuple[str, str]]:
    """The visible changes as (label, text) rows: names, Indonesian numbers, "old → new"."""
    return change_rows(
        visible_changes(context, entry, person),
        object_type=entry.object_type,
        action=entry.action,
    )


register.filter("object_label", object_label)


@register.simple_tag
def described(values: dict[str, Any], object_type: str = "") -> list[tuple[str, str]]:
    """A stored set of field values (a request's proposal, the changes it applied) as
    (label, text) rows: field labels, region names, Indonesian dates and numbers."""
    return change_rows(values or {}, object_type=object_type)
