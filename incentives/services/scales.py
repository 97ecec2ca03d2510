"""Scales and their base amounts: created, changed, copied, agreed, enacted."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import AuditEntry, User
from incentives.models import (
    LEVELS,
    Allowance,
    AreaList,
    Purpose,
    RegionalIndex,
    Scale,
    ScaleAmount,
    State,
)
from incentives.services.allowances import ALLOWANCE_FIELDS
from incentives.services.common import (
    agree,
    audit,
    require_editable,
    require_scenarios,
    require_standard,
)
from registry.models import Programme


def _amounts_clean(amounts: dict[Any, Any]) -> dict[int, int]:
    clean: dict[int, int] = {}
    for level, amount in amounts.items():
        level = int(level)
        if level not in LEVELS:
            raise ValidationError(
                {"amounts": gettext("Jenjang %(level)s di luar III–IX.") % {"level": level}}
            )
        if amount in (None, ""):
            continue
        amount = int(amount)
        if amount <= 0:
            raise ValidationError(
                {"amounts": gettext("Jumlah dasar harus bilangan Rupiah positif.")}
            )
        clean[level] = amount
    return clean


@transaction.atomic
def scale_create(
    *,
    actor: User,
    name: str,
    effective_from: dt.date,
    amounts: dict[Any, Any],
    effective_to: dt.date | None = None,
    programme: Programme | None = None,
    regional_index: RegionalIndex | None = None,
    area_list: AreaList | None = None,
    legal_basis: str = "",
    covers_asn: bool = False,
    notes: str = "",
    is_example: bool = False,
    purpose: str = Purpose.STANDARD,
    based_on: Scale | None = None,
) -> Scale:
    if purpose == Purpose.STANDARD:
        require_standard(actor)
    else:
        require_scenarios(actor)
    scale = Scale(
        name=name,
        effective_from=effective_from,
        effective_to=effective_to,
        programme=programme,
        regional_index=regional_index,
        area_list=area_list,
        legal_basis=legal_basis,
        covers_asn=covers_asn,
        notes=notes,
        is_example=is_example,
        purpose=purpose,
        based_on=based_on,
        created_by=actor if actor.pk else None,
    )
    scale.full_clean()
    scale.save()
    clean = _amounts_clean(amounts)
    ScaleAmount.objects.bulk_create(
        [ScaleAmount(scale=scale, level=lv, base_amount=amt) for lv, amt in clean.items()]
    )
    audit(
        actor, AuditEntry.Action.CREATE, scale, {"amounts": {str(k): v for k, v in clean.items()}}
    )
    return scale


@transaction.atomic
def scale_update(*, actor: User, scale: Scale, data: dict[str, Any]) -> Scale:
    """Change a draft scale's fields and, with ``amounts``, its base amounts per level."""
    require_editable(actor, scale)
    fields = [
        "name",
        "effective_from",
        "effective_to",
        "regional_index",
        "area_list",
        "legal_basis",
        "covers_asn",
        "notes",
        "programme",
    ]
    changes: dict[str, Any] = {}
    for name in fields:
        if name in data and getattr(scale, name) != data[name]:
            changes[name] = [str(getattr(scale, name) or ""), str(data[name] or "")]
            setattr(scale, name, data[name])
    scale.full_clean()
    scale.save()
    if "amounts" in data:
        clean = _amounts_clean(data["amounts"])
        before = dict(scale.amounts.values_list("level", "base_amount"))
        if before != clean:
            changes["amounts"] = [
                {str(k): v for k, v in before.items()},
                {str(k): v for k, v in clean.items()},
            ]
            scale.amounts.all().delete()
            ScaleAmount.objects.bulk_create(
                [ScaleAmount(scale=scale, level=lv, base_amount=amt) for lv, amt in clean.items()]
            )
    if changes:
        audit(actor, AuditEntry.Action.UPDATE, scale, changes)
    return scale


@transaction.atomic
def scale_copy(
    *,
    actor: User,
    scale: Scale,
    name: str,
    purpose: str = Purpose.STANDARD,
    effective_from: dt.date | None = None,
) -> Scale:
    """A draft copy of a scale with its amounts and allowances, to change and then agree."""
    copy = scale_create(
        actor=actor,
        name=name,
        effective_from=effective_from or scale.effective_from,
        amounts=dict(scale.amounts.values_list("level", "base_amount")),
        programme=scale.programme,
        regional_index=scale.regional_index,
        area_list=scale.area_list,
        legal_basis=scale.legal_basis,
        covers_asn=scale.covers_asn,
        notes=scale.notes,
        is_example=scale.is_example,
        purpose=purpose,
        based_on=scale,
    )
    Allowance.objects.bulk_create(
        [
            Allowance(scale=copy, **{n: getattr(a, n) for n in ALLOWANCE_FIELDS})
            for a in scale.allowances.all()
        ]
    )
    return copy


@transaction.atomic
def scale_agree(*, actor: User, scale: Scale, decision_ref: str) -> Scale:
    require_standard(actor)
    if not scale.amounts.exists():
        raise ValidationError(gettext("Skala belum memuat jumlah dasar."))
    agree(actor, scale, decision_ref)
    return scale


@transaction.atomic
def scale_enact(*, actor: User, scale: Scale) -> Scale:
    """Put an agreed scale in force for its scope; the previous one closes the day before.

    The previous scale of the same scope (general, or the same programme) becomes superseded and
    its ``effective_to`` is set to the day before the new scale starts, so past months are still
    priced under the scale that applied to them.
    """
    require_standard(actor)
    scale = Scale.objects.select_for_update().get(pk=scale.pk)
    if scale.state != State.AGREED:
        raise ValidationError(gettext("Hanya skala yang sudah disepakati yang dapat diberlakukan."))
    now = timezone.now()
    for old in Scale.objects.select_for_update().filter(
        purpose=Purpose.STANDARD, state=State.IN_FORCE, programme=scale.programme
    ):
        if old.effective_from >= scale.effective_from:
            raise ValidationError(
                {
                    "effective_from": gettext(
                        "Skala baru harus mulai sesudah %(date)s (mulai berlakunya '%(name)s')."
                    )
                    % {"date": f"{old.effective_from:%d-%m-%Y}", "name": old.name}
                }
            )
        day_before = scale.effective_from - dt.timedelta(days=1)
        if old.effective_to is None or old.effective_to > day_before:
            old.effective_to = day_before
        old.state, old.superseded_at = State.SUPERSEDED, now
        old.save(update_fields=["state", "superseded_at", "effective_to"])
        audit(
            actor,
            AuditEntry.Action.UPDATE,
            old,
            {"state": [State.IN_FORCE, State.SUPERSEDED], "effective_to": str(old.effective_to)},
        )
    scale.state, scale.enacted_by, scale.enacted_at = State.IN_FORCE, actor, now
    scale.save(update_fields=["state", "enacted_by", "enacted_at"])
    audit(actor, AuditEntry.Action.UPDATE, scale, {"state": [State.AGREED, State.IN_FORCE]})
    return scale
