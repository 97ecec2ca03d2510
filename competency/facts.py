"""What other capabilities learn from this one, without reading its tables.

- ``Provider`` satisfies ``incentives.facts.FactsProvider``: who holds a valid certificate on a
  day (for the certification allowance). Name it in the settings::

      INCENTIVES_FACTS_PROVIDER = "competency.facts.Provider"

  Caseloads belong to the distribution app: they are delegated to the class named by
  ``COMPETENCY_CASELOADS_PROVIDER`` (default ``distribution.facts.Caseloads``), or to
  ``incentives.facts.RegistryFacts`` (none known) when that is set empty.
- ``certified_units`` feeds the framework's harmonisation (framework.facts): the valid
  certified and RPL-recognised unit codes per person, registered in ``CompetencyConfig.ready``.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class Provider:
    def certified_person_ids(self, *, on: dt.date) -> set[int]:
        from competency.selectors import certified_person_ids

        return certified_person_ids(on=on)

    def caseloads(self, *, on: dt.date) -> dict[int, int]:
        path = getattr(settings, "COMPETENCY_CASELOADS_PROVIDER", "")
        if path:
            return import_string(path)().caseloads(on=on)
        from incentives.facts import RegistryFacts

        return RegistryFacts().caseloads(on=on)


def certified_units() -> dict[int, frozenset[str]]:
    """person id -> unit codes that count today (certificates and RPL)."""
    from competency.selectors import units_by_person

    return units_by_person(on=timezone.localdate())
