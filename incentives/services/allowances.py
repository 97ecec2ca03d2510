"""Allowances of a draft scale: created, changed, deleted."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from accounts.models import AuditEntry, User
from incentives.models import Allowance, AllowanceKind, Scale
from incentives.services.common import audit, require_editable

ALLOWANCE_FIELDS = [
    "kind",
    "name",
    "amount",
    "percent",
    "threshold",
    "per_unit",
    "max_units",
    "area_category",
    "programme_id",
    "min_level",
    "max_level",
    "effective_from",
    "effective_to",
    "legal_basis",
]


def _allowance_apply(allowance: Allowance, data: dict[str, Any]) -> None:
    for name in ALLOWANCE_FIELDS:
        if name in data:
            setattr(allowance, name, data[name])
    if allowance.kind == AllowanceKind.CASELOAD and allowance.threshold is None:
        raise ValidationError(
            {"threshold": gettext("Tunjangan beban kasus memerlukan standar beban.")}
        )
    allowance.full_clean()


@transaction.atomic
def allowance_create(*, actor: User, scale: Scale, data: dict[str, Any]) -> Allowance:
    require_editable(actor, scale)
    allowance = Allowance(scale=scale)
    _allowance_apply(allowance, data)
    allowance.save()
    audit(actor, AuditEntry.Action.CREATE, allowance, {"scale": str(scale.uid)})
    return allowance


@transaction.atomic
def allowance_update(*, actor: User, allowance: Allowance, data: dict[str, Any]) -> Allowance:
    require_editable(actor, allowance.scale)
    before = {n: str(getattr(allowance, n)) for n in ALLOWANCE_FIELDS}
    _allowance_apply(allowance, data)
    allowance.save()
    after = {n: str(getattr(allowance, n)) for n in ALLOWANCE_FIELDS}
    changes = {k: [before[k], after[k]] for k in ALLOWANCE_FIELDS if before[k] != after[k]}
    if changes:
        audit(actor, AuditEntry.Action.UPDATE, allowance, changes)
    return allowance


@transaction.atomic
def allowance_delete(*, actor: User, allowance: Allowance) -> None:
    require_editable(actor, allowance.scale)
    audit(actor, AuditEntry.Action.DELETE, allowance, {"scale": str(allowance.scale.uid)})
    allowance.delete()
