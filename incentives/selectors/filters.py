"""Filters for aggregates and scenarios: region, programme and level."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from incentives.engine import ROMAN

LEVEL_BY_ROMAN = {roman: level for level, roman in ROMAN.items()}


@dataclass(frozen=True)
class IncentiveFilters:
    """Region (province or regency code), programme slug and level for aggregates and scenarios."""

    region: str = ""
    programme: str = ""
    level: int | None = None

    @classmethod
    def from_params(cls, params: Any) -> "IncentiveFilters":
        level_raw = (params.get("level") or "").strip().upper()
        level = LEVEL_BY_ROMAN.get(level_raw) or (int(level_raw) if level_raw.isdigit() else None)
        return cls(
            region=(params.get("region") or "").strip()[:5],
            programme=(params.get("programme") or "").strip()[:50],
            level=level,
        )

    def q(self) -> Q:
        q = Q()
        if len(self.region) == 2:
            q &= Q(province_id=self.region)
        elif self.region:
            q &= Q(regency_id=self.region)
        if self.programme:
            q &= Q(programme__slug=self.programme)
        if self.level:
            # The level paid at: position level, else harmonised (as the engine does).
            q &= Q(position_level=self.level) | Q(
                position_level__isnull=True, harmonised_level=self.level
            )
        return q

    def as_dict(self) -> dict[str, Any]:
        return {"region": self.region, "programme": self.programme, "level": self.level}
