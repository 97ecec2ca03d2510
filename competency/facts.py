"""What other capabilities learn from this one, without reading its tables.

Declared in ``CompetencyConfig.ready`` (``satupintu.provides``): ``certified_units`` feeds the
framework's harmonisation rules; ``certified_person_ids`` (``competency.selectors``) the
incentives' certification allowance.
"""

from django.utils import timezone

from competency.selectors import units_by_person


def certified_units() -> dict[int, frozenset[str]]:
    """person id -> unit codes that count today (certificates and RPL)."""
    return units_by_person(on=timezone.localdate())
