"""The curated tables the region resolver reads: abbreviations, renamed regencies, province splits.

They are data (``imports/data/*.csv``, see its README), reviewed like code: each row says where
it comes from (an abbreviation's use, a renaming's or split's legal basis).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class Abbreviation:
    word: str  # upper case, as a token of a written name
    expansion: str  # the words it stands for
    codes: tuple[str, ...]  # what the expansion alone names (may be empty or several)
    source: str
    note: str


@dataclass(frozen=True)
class OldName:
    written: str  # "Kabupaten Pontianak"
    code: str  # today's code
    current: str  # "Kabupaten Mempawah"
    basis: str  # "PP 58/2014 tentang …"


@dataclass(frozen=True)
class ProvinceSplit:
    old: str
    new: str
    basis: str


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as fh:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(fh, delimiter=";")
        ]


@lru_cache(maxsize=1)
def abbreviations() -> tuple[Abbreviation, ...]:
    return tuple(
        Abbreviation(
            word=row["singkatan"].upper(),
            expansion=row["kepanjangan"],
            codes=tuple(row["kode"].split()),
            source=row["sumber"],
            note=row["catatan"],
        )
        for row in _rows("singkatan-wilayah.csv")
    )


@lru_cache(maxsize=1)
def old_names() -> tuple[OldName, ...]:
    return tuple(
        OldName(
            written=row["nama_lama"],
            code=row["kode"],
            current=row["nama_sekarang"],
            basis=row["dasar_hukum"],
        )
        for row in _rows("nama-lama-wilayah.csv")
    )


@lru_cache(maxsize=1)
def province_splits() -> tuple[ProvinceSplit, ...]:
    return tuple(
        ProvinceSplit(old=row["provinsi_lama"], new=row["provinsi_baru"], basis=row["dasar_hukum"])
        for row in _rows("pemekaran-provinsi.csv")
    )
