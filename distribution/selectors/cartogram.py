"""The tile cartogram: WISN ratio classes and the grid of provinces."""

import math

from django.utils.translation import gettext_lazy as _

from distribution.selectors.figures import RegionRow
from distribution.selectors.scope import NATION, RegionRef
from registry.models import Programme

RATIO_CLASSES = [
    (0.5, "r1", _("< 0,5 (kekurangan berat)")),
    (0.8, "r2", _("0,5–0,8")),
    (1.0, "r3", _("0,8–1,0")),
    (1.2, "r4", _("1,0–1,2 (memadai)")),
    (math.inf, "r5", _("≥ 1,2 (kelebihan)")),
]


def ratio_class(ratio: float | None) -> str:
    if ratio is None:
        return "r0"
    for upper, css, _label in RATIO_CLASSES:
        if ratio < upper:
            return css
    return "r5"


# Tile-grid cartogram of the 38 provinces: roughly west to east, north to south; one equal
# tile each (no geometry ships with the region data, and area would hide small provinces).
PROVINCE_TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "ACE"),
    "12": (1, 0, "SUT"),
    "21": (3, 0, "KEP"),
    "65": (7, 0, "KAU"),
    "71": (10, 0, "SLU"),
    "82": (12, 0, "MAU"),
    "13": (1, 1, "SUB"),
    "14": (2, 1, "RIA"),
    "61": (5, 1, "KAB"),
    "64": (7, 1, "KAT"),
    "75": (9, 1, "GOR"),
    "72": (10, 1, "SLT"),
    "92": (13, 1, "PAB"),
    "96": (12, 1, "PBD"),
    "17": (1, 2, "BEN"),
    "15": (2, 2, "JAM"),
    "19": (4, 2, "BAB"),
    "62": (6, 2, "KAH"),
    "63": (7, 2, "KAS"),
    "76": (8, 2, "SLB"),
    "73": (9, 2, "SLS"),
    "74": (10, 2, "SLG"),
    "81": (12, 2, "MAL"),
    "91": (14, 2, "PAP"),
    "94": (13, 2, "PPT"),
    "16": (2, 3, "SUS"),
    "18": (3, 3, "LAM"),
    "95": (14, 3, "PPP"),
    "93": (14, 4, "PPS"),
    "36": (3, 4, "BAN"),
    "31": (4, 4, "JKT"),
    "32": (5, 4, "JBR"),
    "33": (6, 4, "JTG"),
    "35": (7, 4, "JTM"),
    "34": (6, 5, "YOG"),
    "51": (8, 5, "BAL"),
    "52": (9, 5, "NTB"),
    "53": (10, 5, "NTT"),
}


def tile_name(name: str) -> str:
    """'Kabupaten Bandung Barat' -> 'Bandung Barat'; 'Kota Bandung' stays (a city and a regency
    often share the name); 'Kecamatan Cileunyi' -> 'Cileunyi'."""
    for prefix in ("Kabupaten ", "Kab. ", "Kecamatan ", "Desa ", "Kelurahan "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def cartogram(
    rows: list[RegionRow], region: RegionRef, programme: Programme | None
) -> dict[str, object]:
    """Tiles coloured by WISN ratio: the provinces on a fixed grid, or the children of a region
    in code order (no coordinates exist for them, so the layout says nothing about position)."""
    tiles = []
    regions = [r for r in rows if not r.is_remainder]
    geographic = region.level == NATION
    width = 15 if geographic else max(4, math.ceil(math.sqrt(len(regions) * 1.6)))
    for index, row in enumerate(regions):
        figures = row.cell(programme.pk) if programme else row.total
        if geographic and row.code in PROVINCE_TILES:
            col, line, abbr = PROVINCE_TILES[row.code]
        else:
            # No coordinates below the provinces: tiles in code order, each with its name, so a
            # phone (no hover) shows it too.
            col, line = index % width, index // width
            abbr = tile_name(row.name)
        tiles.append(
            {
                "row": row,
                "col": col + 1,
                "line": line + 1,
                "abbr": abbr,
                "ratio": figures.wisn_ratio,
                "css": ratio_class(figures.wisn_ratio),
            }
        )
    return {
        "tiles": tiles,
        "columns": width,
        "geographic": geographic,
        "legend": [("r0", _("tanpa standar/kebutuhan"))]
        + [(c, label) for _u, c, label in RATIO_CLASSES],
    }
