"""Scenarios: a copied scale and index to change, compare and discard."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import AuditEntry, User
from incentives.models import Purpose, Scale, Scenario, State
from incentives.selectors import index_in_force
from incentives.services.common import audit, require_scenarios
from incentives.services.indexes import regional_index_copy, regional_index_values_update
from incentives.services.scales import scale_copy, scale_update
from registry.models import Programme


def scale_in_force(*, programme: Programme | None = None) -> Scale | None:
    return Scale.objects.filter(
        purpose=Purpose.STANDARD, state=State.IN_FORCE, programme=programme
    ).first()


@transaction.atomic
def scenario_create(
    *,
    actor: User,
    name: str,
    source: Scale | None = None,
    description: str = "",
    transition_cap_percent: Decimal | None = None,
    start_year: int | None = None,
) -> Scenario:
    """Copy a scale (default: the general scale in force) and its index into a new scenario.

    The index is copied too, so that changing a scenario's index never touches the table in
    force or another scenario.
    """
    require_scenarios(actor)
    name = name.strip()
    if not name:
        raise ValidationError({"name": gettext("Beri nama skenario.")})
    if Scenario.objects.filter(name=name).exists():
        raise ValidationError({"name": gettext("Nama skenario sudah dipakai.")})
    source = source or scale_in_force()
    if source is None:
        raise ValidationError(gettext("Belum ada skala yang berlaku untuk disalin."))
    start_year = start_year or timezone.localdate().year

    index = source.regional_index or index_in_force(on=dt.date(start_year, 1, 1))
    if index is None:
        raise ValidationError(gettext("Belum ada indeks wilayah yang berlaku untuk disalin."))
    index_copy = regional_index_copy(
        actor=actor, index=index, name=f"{name} — indeks", purpose=Purpose.SCENARIO
    )
    scale = scale_copy(actor=actor, scale=source, name=name, purpose=Purpose.SCENARIO)
    scale.regional_index = index_copy
    scale.save(update_fields=["regional_index"])
    scenario = Scenario(
        name=name,
        description=description,
        scale=scale,
        transition_cap_percent=transition_cap_percent,
        start_year=start_year,
        created_by=actor if actor.pk else None,
    )
    scenario.full_clean()
    scenario.save()
    audit(actor, AuditEntry.Action.CREATE, scenario, {"source": str(source.uid)})
    return scenario


@transaction.atomic
def scenario_update(
    *,
    actor: User,
    scenario: Scenario,
    amounts: dict[Any, Any] | None = None,
    index_values: dict[str, Decimal] | None = None,
    transition_cap_percent: Decimal | None | str = "",
    description: str | None = None,
    start_year: int | None = None,
) -> Scenario:
    """Change a scenario's amounts, index values, transition cap (None clears it) or text."""
    require_scenarios(actor)
    if amounts is not None:
        scale_update(actor=actor, scale=scenario.scale, data={"amounts": amounts})
    if index_values:
        regional_index_values_update(
            actor=actor, index=scenario.scale.regional_index, values=index_values
        )
    fields = []
    if transition_cap_percent != "":
        scenario.transition_cap_percent = transition_cap_percent
        fields.append("transition_cap_percent")
    if description is not None:
        scenario.description = description
        fields.append("description")
    if start_year is not None:
        scenario.start_year = start_year
        fields.append("start_year")
    if fields:
        scenario.full_clean()
        scenario.save(update_fields=fields)
        audit(
            actor,
            AuditEntry.Action.UPDATE,
            scenario,
            {f: str(getattr(scenario, f)) for f in fields},
        )
    return scenario


@transaction.atomic
def scenario_delete(*, actor: User, scenario: Scenario) -> None:
    require_scenarios(actor)
    scale, index = scenario.scale, scenario.scale.regional_index
    audit(actor, AuditEntry.Action.DELETE, scenario)
    scenario.delete()
    scale.delete()
    if index is not None and index.purpose == Purpose.SCENARIO and not index.scales.exists():
        index.delete()
