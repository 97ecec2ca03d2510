"""Facts that other capabilities own and the incentive rules need: who is certified, caseloads.

Nothing here reads another app's tables. A provider is any object with the two methods of
``FactsProvider``; the engine receives what it returns (``incentives.engine.Facts``), so tests
and scenarios can pass their own provider instead of patching our data layer.

Where the real data plugs in (``settings.INCENTIVES_FACTS_PROVIDER``):

- **Certification** belongs to the competency app (certificates with a validity, usually three
  years, that may be revoked): ``competency.facts.Provider`` answers it.
- **Caseloads** belong to the distribution app (cases per engagement and month, from the
  approved logbook months or the operator's fallback): ``competency.facts.Provider`` delegates
  them to ``settings.COMPETENCY_CASELOADS_PROVIDER``, by default ``distribution.facts.Caseloads``.

``RegistryFacts`` answers "nobody certified, no caseload known"; it is what runs when no
provider is named.
"""

import datetime as dt
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from incentives.engine import Facts


class FactsProvider(Protocol):
    def certified_person_ids(self, *, on: dt.date) -> set[int]:
        """Ids of people with a valid (issued, unexpired, unrevoked) certificate on ``on``."""
        ...

    def caseloads(self, *, on: dt.date) -> dict[int, int]:
        """Caseload per engagement id on ``on``; engagements without a known caseload are absent."""
        ...


class RegistryFacts:
    """The default provider until the competency and distribution apps provide these facts."""

    def certified_person_ids(self, *, on: dt.date) -> set[int]:
        return set()

    def caseloads(self, *, on: dt.date) -> dict[int, int]:
        return {}


def default_provider() -> FactsProvider:
    """The provider named by ``settings.INCENTIVES_FACTS_PROVIDER``, else ``RegistryFacts``."""
    path = getattr(settings, "INCENTIVES_FACTS_PROVIDER", "")
    return import_string(path)() if path else RegistryFacts()


def certified_person_ids(*, on: dt.date, provider: FactsProvider | None = None) -> set[int]:
    return (provider or default_provider()).certified_person_ids(on=on)


def facts_on(*, on: dt.date, provider: FactsProvider | None = None) -> Facts:
    """Both facts for one calculation date, read once for a whole computation."""
    provider = provider or default_provider()
    return Facts(
        certified_person_ids=frozenset(provider.certified_person_ids(on=on)),
        caseloads=dict(provider.caseloads(on=on)),
    )
