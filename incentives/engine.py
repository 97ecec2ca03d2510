"""The standard-incentive arithmetic: pure Python over plain values, no database.

One function evaluates an engagement, for the bulk path (the amount only) and for the breakdown
(every component); both come from the same code, so what a page explains is what was paid.

Exact integer arithmetic. An index has four decimals (1.6111 → 16111), a percentage two
(10.00 % → 1000). With ``bi = base × index_e4`` (Rupiah × 10⁻⁴):

- base × index              = bi × 10⁴            (Rupiah × 10⁻⁸)
- fixed allowance a         = a × 10⁸ × units
- percentage p of base×index = bi × p_e2 × units

The total is rounded half up to whole Rupiah once, at the end: ``(total + 5·10⁷) // 10⁸``.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext, gettext_lazy

E4 = 10_000
E8 = 100_000_000
HALF = E8 // 2
ASN = frozenset({"PNS", "PPPK"})
ROMAN = {3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX"}

# Why an engagement has no standard incentive; the code is stable, the label is for people.
REASONS = {
    "tanpa_jenjang": gettext_lazy("Jenjang jabatan dan jenjang harmonisasi belum ada"),
    "tanpa_skala": gettext_lazy(
        "Tidak ada skala yang berlaku untuk program ini pada tanggal perhitungan"
    ),
    "asn": gettext_lazy("ASN (PNS/PPPK) dibayar melalui gaji; skala ini tidak mencakup ASN"),
    "jenjang_di_luar_skala": gettext_lazy("Jenjang tidak tercantum pada skala"),
    "tanpa_indeks": gettext_lazy("Indeks wilayah untuk provinsi/kabupaten ini tidak tersedia"),
}

# Column order of the values_list the selectors fetch; EngagementFacts has the same order.
FACT_FIELDS = (
    "id",
    "person_id",
    "programme_id",
    "province_id",
    "regency_id",
    "district_id",
    "position_level",
    "harmonised_level",
    "employment_status",
    "start_date",
    "monthly_incentive",
)


class EngagementFacts(NamedTuple):
    id: int
    person_id: int
    programme_id: int
    province_id: str
    regency_id: str
    district_id: str | None
    position_level: int | None
    harmonised_level: int | None
    employment_status: str
    start_date: dt.date | None
    monthly_incentive: int | None


def round_half_up_e8(total_e8: int) -> int:
    """Whole Rupiah from Rupiah × 10⁻⁸, half up (amounts are never negative)."""
    return (total_e8 + HALF) // E8


def to_e4(value: Decimal) -> int:
    return int((Decimal(value) * E4).to_integral_value())


def to_e2(value: Decimal) -> int:
    return int((Decimal(value) * 100).to_integral_value())


def full_years(start: dt.date, on: dt.date) -> int:
    years = on.year - start.year - ((on.month, on.day) < (start.month, start.day))
    return max(years, 0)


@dataclass(frozen=True)
class Rule:
    """An allowance rule as plain values (see incentives.models.Allowance)."""

    id: int
    kind: str
    name: str
    legal_basis: str
    amount: int | None = None
    percent_e2: int | None = None
    threshold: int | None = None
    per_unit: bool = False
    max_units: int | None = None
    area_category: str = ""
    programme_id: int | None = None
    min_level: int | None = None
    max_level: int | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return (self.effective_from is None or self.effective_from <= day) and (
            self.effective_to is None or day <= self.effective_to
        )


@dataclass
class ScaleSnapshot:
    """Everything needed to price engagements under one scale, read once from the database."""

    scale_id: int
    scale_uid: str
    name: str
    base: dict[int, int]
    province_index_e4: dict[str, int]
    regency_index_e4: dict[str, int]
    index_label: str
    rules: tuple[Rule, ...] = ()
    covers_asn: bool = False
    # category -> codes; the "" key holds every flagged code, for rules of any category.
    area_regencies: dict[str, frozenset[str]] = field(default_factory=dict)
    area_districts: dict[str, frozenset[str]] = field(default_factory=dict)


class Facts(NamedTuple):
    """Facts from other capabilities on the calculation date (see incentives.facts)."""

    certified_person_ids: frozenset[int] | set[int] = frozenset()
    caseloads: dict[int, int] = {}


@dataclass
class Component:
    kind: str
    name: str
    legal_basis: str
    amount: Decimal  # exact, before the single final rounding
    detail: str = ""


@dataclass
class Breakdown:
    engagement_id: int
    level: int | None
    level_source: str
    current: int | None
    standard: int | None = None
    reason: str = ""
    scale_name: str = ""
    scale_uid: str = ""
    index_label: str = ""
    base: int | None = None
    index: Decimal | None = None
    components: list[Component] = field(default_factory=list)

    @property
    def difference(self) -> int | None:
        if self.standard is None:
            return None
        return self.standard - (self.current or 0)

    @property
    def reason_label(self) -> str:
        return str(REASONS.get(self.reason, self.reason))

    @property
    def level_roman(self) -> str:
        return ROMAN.get(self.level or 0, str(self.level or ""))

    def as_dict(self) -> dict:
        return {
            "level": self.level,
            "level_roman": self.level_roman,
            "level_source": self.level_source,
            "current": self.current,
            "standard": self.standard,
            "difference": self.difference,
            "computable": self.standard is not None,
            "reason": self.reason,
            "reason_label": self.reason_label if self.reason else "",
            "scale": {"uid": self.scale_uid, "name": self.scale_name},
            "index": {"label": self.index_label, "value": str(self.index or "")},
            "base": self.base,
            "components": [
                {
                    "kind": c.kind,
                    "name": c.name,
                    "legal_basis": c.legal_basis,
                    "amount": str(c.amount),
                    "detail": c.detail,
                }
                for c in self.components
            ],
        }


class Calculator:
    """Prices engagements on one date under a resolver ``programme_id -> ScaleSnapshot | None``."""

    def __init__(
        self,
        *,
        resolve: Callable[[int], ScaleSnapshot | None],
        on: dt.date,
        facts: Facts | None = None,
    ) -> None:
        self.resolve = resolve
        self.on = on
        self.facts = facts or Facts()
        self._snapshots: dict[int, ScaleSnapshot | None] = {}
        self._rules: dict[int, tuple[Rule, ...]] = {}

    def _snapshot(self, programme_id: int) -> ScaleSnapshot | None:
        try:
            return self._snapshots[programme_id]
        except KeyError:
            snap = self._snapshots[programme_id] = self.resolve(programme_id)
            if snap is not None and snap.scale_id not in self._rules:
                # Rules outside their own effective dates are dropped once, not per row.
                self._rules[snap.scale_id] = tuple(r for r in snap.rules if r.active_on(self.on))
            return snap

    def evaluate(
        self, row: Sequence, detail: bool = False
    ) -> tuple[int | None, str, Breakdown | None]:
        """(standard or None, reason, breakdown); the breakdown only with ``detail``.

        The bulk path builds no objects per row: half a million rows must price in seconds.
        """
        (
            eid,
            person_id,
            programme_id,
            province_id,
            regency_id,
            district_id,
            position_level,
            harmonised_level,
            employment_status,
            start_date,
            current,
        ) = row
        level = position_level or harmonised_level
        out = None
        if detail:
            out = Breakdown(
                engagement_id=eid,
                level=level,
                level_source="jabatan" if position_level else ("harmonisasi" if level else ""),
                current=current,
            )
        if level is None:
            return self._fail(out, "tanpa_jenjang")
        snap = self._snapshot(programme_id)
        if snap is None:
            return self._fail(out, "tanpa_skala")
        if out is not None:
            out.scale_name, out.scale_uid = snap.name, snap.scale_uid
            out.index_label = snap.index_label
        if not snap.covers_asn and employment_status in ASN:
            return self._fail(out, "asn")
        base = snap.base.get(level)
        if base is None:
            return self._fail(out, "jenjang_di_luar_skala")
        index_e4 = snap.regency_index_e4.get(regency_id) or snap.province_index_e4.get(province_id)
        if index_e4 is None:
            return self._fail(out, "tanpa_indeks")
        bi = base * index_e4
        total = bi * E4
        if out is not None:
            out.base, out.index = base, Decimal(index_e4) / E4
            out.components.append(
                Component(
                    "dasar",
                    gettext("Jumlah dasar × indeks wilayah"),
                    "",
                    Decimal(total) / E8,
                    f"Rp{base:,} × {out.index}".replace(",", "."),
                )
            )
        for rule in self._rules[snap.scale_id]:
            if rule.programme_id is not None and rule.programme_id != programme_id:
                continue
            if (rule.min_level and level < rule.min_level) or (
                rule.max_level and level > rule.max_level
            ):
                continue
            units = 1
            kind = rule.kind
            if kind == "beban_kasus":
                caseload = self.facts.caseloads.get(eid)
                threshold = rule.threshold or 0
                if caseload is None or caseload <= threshold:
                    continue
                if rule.per_unit:
                    units = caseload - threshold
            elif kind == "wilayah_khusus":
                category = rule.area_category
                if regency_id not in snap.area_regencies.get(category, ()) and (
                    district_id is None or district_id not in snap.area_districts.get(category, ())
                ):
                    continue
            elif kind == "sertifikasi":
                if person_id not in self.facts.certified_person_ids:
                    continue
            elif kind == "masa_kerja":
                if start_date is None:
                    continue
                years = full_years(start_date, self.on)
                threshold = rule.threshold or 0
                if years < threshold:
                    continue
                if rule.per_unit:
                    units = years - threshold
            else:  # an unknown kind pays nothing rather than guessing
                continue
            if rule.max_units is not None:
                units = min(units, rule.max_units)
            if units <= 0:
                continue
            if rule.amount is not None:
                value = rule.amount * E8 * units
            else:
                value = bi * (rule.percent_e2 or 0) * units
            total += value
            if out is not None:
                how = (
                    f"Rp{rule.amount:,}".replace(",", ".")
                    if rule.amount is not None
                    else gettext("%(percent)s%% × dasar × indeks")
                    % {"percent": Decimal(rule.percent_e2 or 0) / 100}
                )
                out.components.append(
                    Component(
                        kind,
                        rule.name,
                        rule.legal_basis,
                        Decimal(value) / E8,
                        f"{how} × {units}" if units != 1 else how,
                    )
                )
        standard = round_half_up_e8(total)
        if out is not None:
            out.standard = standard
        return standard, "", out

    @staticmethod
    def _fail(out: Breakdown | None, reason: str) -> tuple[None, str, Breakdown | None]:
        if out is not None:
            out.reason = reason
        return None, reason, out

    def amounts(self, rows: Iterable[Sequence]) -> list[tuple[int | None, str]]:
        """The bulk path: (standard, reason) for each row, in order."""
        evaluate = self.evaluate
        return [evaluate(row)[:2] for row in rows]

    def breakdown(self, row: Sequence) -> Breakdown:
        breakdown = self.evaluate(row, detail=True)[2]
        assert breakdown is not None
        return breakdown


def transition_path(current: int, target: int, *, cap_e2: int, max_years: int = 15) -> list[int]:
    """Yearly amounts from ``current`` to ``target`` where nobody loses more than the cap a year.

    A raise is paid at once. A cut is taken in yearly steps of at most ``cap`` percent of the
    previous year's amount. Each step is rounded *up* to the Rupiah (in the payee's favour) so that
    the cap always holds; this is the one exception to half-up rounding, and it is deliberate.
    The list starts with the first year of the transition and ends when the target is reached.
    """
    if target >= current or cap_e2 <= 0:
        return [target]
    path, amount = [], current
    keep = 10_000 - cap_e2  # share kept, in hundredths of a percent
    for _ in range(max_years):
        floor = -((-amount * keep) // 10_000)  # ceiling division
        amount = max(target, floor)
        path.append(amount)
        if amount == target:
            break
    return path
