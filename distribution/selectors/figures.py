"""Figures and region rows: actual against required, and how they add up."""

from dataclasses import dataclass, field

from distribution.models import RegionLevel, StaffingStandard
from distribution.selectors.scope import EPS, NATION_CODE, RANK


@dataclass
class Figures:
    """Actual against required for one region (and one cluster, or all clusters)."""

    need: int = 0
    actual: int = 0
    required: float | None = None
    population: int | None = None
    # Actual of the clusters that have a standard: the numerator of a WISN ratio over
    # several clusters (a cluster without a standard has no required to compare with).
    actual_standard: int = 0

    @property
    def wisn_difference(self) -> float | None:
        return None if self.required is None else self.actual_standard - self.required

    @property
    def wisn_ratio(self) -> float | None:
        if self.required is None or self.required <= EPS:
            return None
        return self.actual_standard / self.required

    @property
    def density_per_10k(self) -> float | None:
        return self.actual * 10_000 / self.population if self.population else None

    def add(self, other: "Figures") -> None:
        self.need += other.need
        self.actual += other.actual
        self.actual_standard += other.actual_standard
        if other.required is not None:
            self.required = (self.required or 0.0) + other.required


@dataclass
class RegionRow:
    level: str
    code: str
    name: str
    is_remainder: bool = False
    cells: dict[int, Figures] = field(default_factory=dict)
    population: int | None = None

    @property
    def total(self) -> Figures:
        total = Figures(population=self.population)
        for cell in self.cells.values():
            total.add(cell)
        return total

    @property
    def export_code(self) -> str:
        return self.code or NATION_CODE

    @property
    def drillable(self) -> bool:
        return not self.is_remainder and self.level in (
            RegionLevel.PROVINCE,
            RegionLevel.REGENCY,
            RegionLevel.DISTRICT,
        )

    def cell(self, programme_id: int) -> Figures:
        return self.cells.get(programme_id) or Figures(population=self.population)


def required_for(
    standard: StaffingStandard | None, *, level: str, need: float, districts: int, regencies: int
) -> float | None:
    """Required facilitators (fractional) for a region at ``level``.

    The individual allowance belongs to each district or regency with need; it is counted
    at that level and above, and below it sits in the parent's remainder row.
    """
    if standard is None:
        return None
    required = standard.staff_per_unit * need
    if standard.individual_allowance_fte and RANK[level] <= RANK[standard.allowance_level]:
        units = districts if standard.allowance_level == RegionLevel.DISTRICT else regencies
        required += standard.individual_allowance_fte * units
    return required


def figures_of(standard, *, level, need, districts, regencies, actual, population) -> Figures:
    return Figures(
        need=need,
        actual=actual,
        actual_standard=actual if standard is not None else 0,
        required=required_for(
            standard, level=level, need=need, districts=districts, regencies=regencies
        ),
        population=population,
    )


def merge(target: RegionRow, row: RegionRow) -> None:
    for programme_id, cell in row.cells.items():
        mine = target.cells.setdefault(programme_id, Figures())
        mine.add(cell)
    if row.population is not None:
        target.population = (target.population or 0) + row.population
    for cell in target.cells.values():
        cell.population = target.population
