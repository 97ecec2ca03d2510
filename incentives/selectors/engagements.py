"""Engagement rows for the engine, and one engagement's breakdown."""

import datetime as dt

from django.db.models import QuerySet

from accounts.models import User
from incentives.engine import FACT_FIELDS, Breakdown
from incentives.facts import FactsProvider
from incentives.models import Scenario
from incentives.selectors.filters import IncentiveFilters
from incentives.selectors.standard import calculator
from registry import access as registry_access
from registry.models import Engagement


def engagement_facts(
    *, user: User, filters: IncentiveFilters | None = None, active_only: bool = True
) -> QuerySet:
    """Engagement rows in scope as tuples in ``engine.FACT_FIELDS`` order."""
    qs = registry_access.engagements_visible(user).filter(person__merged_into__isnull=True)
    if active_only:
        qs = qs.filter(status=Engagement.Status.ACTIVE)
    if filters is not None:
        qs = qs.filter(filters.q())
    return qs.order_by("pk").values_list(*FACT_FIELDS)


def all_engagement_facts() -> QuerySet:
    """Every engagement, for the stored standard incentive (not scoped: a system recomputation)."""
    return Engagement.objects.order_by("pk").values_list(*FACT_FIELDS)


def engagement_breakdown(
    *,
    user: User,
    uid,
    on: dt.date | None = None,
    scenario: Scenario | None = None,
    facts_provider: FactsProvider | None = None,
) -> tuple[Engagement, Breakdown]:
    """One engagement (404 outside scope) and its standard incentive, component by component."""
    engagement = registry_access.engagement_get(user, uid)
    row = Engagement.objects.filter(pk=engagement.pk).values_list(*FACT_FIELDS).get()
    calc = calculator(on=on, scenario=scenario, facts_provider=facts_provider)
    return engagement, calc.breakdown(row)
