"""Where demo people serve: the scoped demo users' home region, density, the region table."""

from collections import defaultdict
from dataclasses import dataclass

from regions.models import District, Regency, Village

# Where scoped demo users look: enough people must serve here for them to see data.
HOME_PROVINCE = "32"  # Jawa Barat
HOME_REGENCY = "32.04"  # Kabupaten Bandung (not Kota Bandung, 32.73)
HOME_REGENCY_SHARE = 0.04
HOME_PROVINCE_SHARE = 0.05
# Weight multipliers by the first digit of the province code: 3x = Java (31-36), 9x = Papua.
PROVINCE_DENSITY = {"3": 3.0, "9": 0.25}


@dataclass
class Regions:
    """The region table as plain lists, read once: generation never queries per row."""

    codes: list[str]
    names: dict[str, str]
    cum_weights: list[float]
    by_province: dict[str, list[str]]
    districts: dict[str, list[str]]
    villages: dict[str, list[str]]

    @classmethod
    def load(cls) -> "Regions":
        regencies = list(
            Regency.objects.order_by("code").values_list("code", "province_id", "name")
        )
        districts: dict[str, list[str]] = defaultdict(list)
        for code, regency in District.objects.order_by("code").values_list("code", "regency_id"):
            districts[regency].append(code)
        villages: dict[str, list[str]] = defaultdict(list)
        for code, district in Village.objects.order_by("code").values_list("code", "district_id"):
            villages[district].append(code)
        by_province: dict[str, list[str]] = defaultdict(list)
        total: float  # the weights carry density corrections
        codes, cum, total = [], [], 0
        for code, province, _name in regencies:
            by_province[province].append(code)
            codes.append(code)
            # Districts as a proxy for size (every district has a TKSK and caseloads follow),
            # corrected for density: Java holds ~56% of the people, the Papua provinces ~2%
            # (Sensus Penduduk 2020), but both have many districts.
            weight = max(1, len(districts[code])) * PROVINCE_DENSITY.get(province[:1], 1.0)
            total += weight
            cum.append(total)
        return cls(
            codes=codes,
            names={code: name for code, _p, name in regencies},
            cum_weights=cum,
            by_province=dict(by_province),
            districts=dict(districts),
            villages=dict(villages),
        )
