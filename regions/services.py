"""Loading the shipped Kemendagri region data."""

import csv
from pathlib import Path

from django.db import transaction

from regions.models import DataVersion, District, Province, Regency, Village
from regions.search import fold
from regions.selectors import region_code_sets
from regions.templatetags.region_names import names_by_code

DATA_DIR = Path(__file__).resolve().parent / "data"
SOURCE = "idn-area-data"
VERSION = "4.0.1"
REGULATION = "Kepmendagri 300.2.2-2138/2025"
LICENSE = "ODbL 1.0"

# (model, file, parent column, parent field)
LEVELS = [
    (Province, "provinces.csv", None, None),
    (Regency, "regencies.csv", "province_code", "province_id"),
    (District, "districts.csv", "regency_code", "regency_id"),
    (Village, "villages.csv", "district_code", "district_id"),
]


def _read(file_name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / file_name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def regions_load(*, batch_size: int = 5000) -> dict[str, int]:
    """Insert or update every region from the shipped CSVs. Idempotent.

    Upserts in batches (INSERT ... ON CONFLICT DO UPDATE on both SQLite and PostgreSQL),
    so a re-run only rewrites names that changed and takes seconds, not minutes.
    """
    counts: dict[str, int] = {}
    for model, file_name, parent_column, parent_field in LEVELS:
        rows = _read(file_name)
        objects = []
        for row in rows:
            fields = {"code": row["code"], "name": row["name"], "search_name": fold(row["name"])}
            if parent_field:
                fields[parent_field] = row[parent_column]
            objects.append(model(**fields))
        update_fields = ["name", "search_name"] + (
            [parent_field.removesuffix("_id")] if parent_field else []
        )
        model.objects.bulk_create(
            objects,
            batch_size=batch_size,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=update_fields,
        )
        counts[model._meta.model_name] = model.objects.count()

    region_code_sets.cache_clear()

    names_by_code.cache_clear()
    DataVersion.objects.update_or_create(
        source=SOURCE,
        defaults={
            "version": VERSION,
            "regulation": REGULATION,
            "license": LICENSE,
            "counts": counts,
        },
    )
    return counts
