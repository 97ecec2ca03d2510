"""Facts harmonisation needs from other capabilities.

Certified units come from competency certificates, which another capability owns (not built
yet). It registers a provider here — a function returning the valid certified unit codes per
person id — so the framework does not import its internals. Without one, nobody has certified
units and rules that need them simply do not fire.
"""

from collections.abc import Callable, Iterable

CertifiedUnitsProvider = Callable[[], dict[int, Iterable[str]]]
_provider: CertifiedUnitsProvider | None = None


def certified_units_provider_set(
    provider: CertifiedUnitsProvider | None,
) -> CertifiedUnitsProvider | None:
    """Register the provider; returns the one it replaces (so a test can put it back)."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def certified_units_by_person() -> dict[int, frozenset[str]]:
    if _provider is None:
        return {}
    return {pid: frozenset(codes) for pid, codes in _provider().items() if codes}
