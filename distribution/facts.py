"""What other capabilities learn from distribution without reading its tables.

``Caseloads`` answers the incentives' caseload question (``incentives.facts.FactsProvider``):
the cases per engagement in the month of a calculation date. The competency app's provider
delegates caseloads to the class named by ``COMPETENCY_CASELOADS_PROVIDER``, which defaults to
this one, so the caseload allowance pays on what the logbook (or, as a fallback, the operator)
recorded.
"""

import datetime as dt


class Caseloads:
    def caseloads(self, *, on: dt.date) -> dict[int, int]:
        from distribution.selectors import caseloads_in_month

        return caseloads_in_month(on=on)
