"""Facts harmonisation needs from other capabilities.

Certified units come from competency certificates, which another app owns: it provides the fact
``certified_units`` (``satupintu.provides``) so the framework does not import its internals.
Without a provider nobody has certified units and rules that need them simply do not fire.
"""

from satupintu.provides import fact


def certified_units_by_person() -> dict[int, frozenset[str]]:
    provider = fact("certified_units")
    if provider is None:
        return {}
    return {pid: frozenset(codes) for pid, codes in provider().items() if codes}
