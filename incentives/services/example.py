"""The shipped, clearly labelled EXAMPLE index, area list and scale."""

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from accounts.models import User
from incentives.models import Purpose, Scale
from incentives.services.allowances import allowance_create
from incentives.services.areas import area_list_load
from incentives.services.common import require_standard
from incentives.services.indexes import (
    regional_index_agree,
    regional_index_enact,
    regional_index_load,
)
from incentives.services.scales import scale_agree, scale_create, scale_enact
from incentives.tables import read_table
from registry.models import Programme

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, "rb") as handle:
        return read_table(handle, path.name)


@transaction.atomic
def incentive_example_load(*, actor: User, if_empty: bool = False) -> dict[str, Any]:
    """Load the clearly labelled EXAMPLE index, area list and scale, and put them in force.

    The index is derived from PMK 32/2025 (SBM 2026) daily rates; the amounts are illustrative.
    Everything is marked ``is_example``. With ``if_empty`` nothing happens when a standard scale
    already exists (so ``make run`` can call it every time).
    """
    require_standard(actor)
    if if_empty and Scale.objects.filter(purpose=Purpose.STANDARD).exists():
        return {"loaded": False}
    index = regional_index_load(
        actor=actor,
        name="CONTOH Indeks wilayah turunan SBM 2026",
        year=2026,
        source="Diturunkan dari PMK 32/2025 tentang Standar Biaya Masukan TA 2026, uang harian "
        "perjalanan dinas dalam negeri (luar kota) per provinsi",
        method="Indeks = uang harian provinsi ÷ Rp360.000 (tarif terendah: Aceh, Kalimantan "
        "Tengah), dibulatkan setengah ke atas pada 4 desimal. CONTOH, bukan ketetapan.",
        rows=_read_csv(DATA_DIR / "contoh_indeks_wilayah_2026.csv"),
        is_example=True,
    )
    regional_index_agree(actor=actor, index=index, decision_ref="CONTOH (data peragaan)")
    regional_index_enact(actor=actor, index=index)
    areas = area_list_load(
        actor=actor,
        name="CONTOH Daftar wilayah khusus 2026",
        year=2026,
        source="CONTOH ilustrasi; bukan daftar resmi (Perpres 63/2020, BNPP)",
        rows=_read_csv(DATA_DIR / "contoh_wilayah_khusus_2026.csv"),
        is_example=True,
    )
    spec = json.loads((DATA_DIR / "contoh_skala_2026.json").read_text(encoding="utf-8"))
    scale = scale_create(
        actor=actor,
        name=spec["name"],
        effective_from=dt.date.fromisoformat(spec["effective_from"]),
        amounts=spec["amounts"],
        area_list=areas,
        legal_basis=spec["legal_basis"],
        covers_asn=spec["covers_asn"],
        notes=spec["notes"],
        is_example=True,
    )
    programmes = dict(Programme.objects.values_list("slug", "pk"))
    for item in spec["allowances"]:
        data = {k: v for k, v in item.items() if k != "programme"}
        if "percent" in data:
            data["percent"] = Decimal(data["percent"])
        if item.get("programme"):
            if item["programme"] not in programmes:
                continue  # the programme list was not loaded; skip its rule rather than fail
            data["programme_id"] = programmes[item["programme"]]
        allowance_create(actor=actor, scale=scale, data=data)
    scale_agree(actor=actor, scale=scale, decision_ref="CONTOH (data peragaan)")
    scale_enact(actor=actor, scale=scale)
    return {
        "loaded": True,
        "index": str(index.uid),
        "scale": str(scale.uid),
        "areas": areas.areas.count(),
    }
