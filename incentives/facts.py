"""Facts that other capabilities own and the incentive rules need: who is certified, caseloads.

Nothing here reads another app's tables. A provider is any object with the two methods of
``FactsProvider``; the engine receives what it returns (``incentives.engine.Facts``), so tests
and scenarios can pass their own provider instead of patching our data layer.

By default (``ProvidedFacts``) the facts come from the apps that declare them
(``satupintu.provides``): ``certified_person_ids`` from competency (certificates with a
validity, usually three years, that may be revoked), ``caseloads`` from distribution (cases per
engagement and month, from the approved logbook months or the operator's fallback). A fact no
installed app provides answers "nobody certified" / "no caseload known".
"""

import datetime as dt
from typing import Protocol

from incentives.engine import Facts
from satupintu.provides import fact


class FactsProvider(Protocol):
    def certified_person_ids(self, *, on: dt.date) -> set[int]:
        """Ids of people with a valid (issued, unexpired, unrevoked) certificate on ``on``."""
        ...

    def caseloads(self, *, on: dt.date) -> dict[int, int]:
        """Caseload per engagement id on ``on``; engagements without a known caseload are absent."""
        ...


class ProvidedFacts:
    """The facts as the installed apps provide them."""

    def certified_person_ids(self, *, on: dt.date) -> set[int]:
        provider = fact("certified_person_ids")
        return set(provider(on=on)) if provider else set()

    def caseloads(self, *, on: dt.date) -> dict[int, int]:
        provider = fact("caseloads")
        return dict(provider(on=on)) if provider else {}


def default_provider() -> FactsProvider:
    return ProvidedFacts()


def certified_person_ids(*, on: dt.date, provider: FactsProvider | None = None) -> set[int]:
    return (provider or default_provider()).certified_person_ids(on=on)


def facts_on(*, on: dt.date, provider: FactsProvider | None = None) -> Facts:
    """Both facts for one calculation date, read once for a whole computation."""
    provider = provider or default_provider()
    return Facts(
        certified_person_ids=frozenset(provider.certified_person_ids(on=on)),
        caseloads=dict(provider.caseloads(on=on)),
    )
