"""Cells whose characters look wrongly decoded: a byte that was not UTF-8, or mojibake."""

from __future__ import annotations

import polars as pl

from imports.reading import UNREADABLE
from imports.validation.frames import issue

# Fields written as free text, where a wrong encoding shows.
TEXT_FIELDS = [
    "name",
    "birth_place",
    "birth_place_date",
    "province",
    "regency",
    "district",
    "village",
    "legacy_title",
    "education",
]
# UTF-8 read as Windows-1252/Latin-1: "ñ" -> "Ã±", "é" -> "Ã©", "’" -> "â€™", a no-break
# space -> "Â ". Two-character sequences that almost never occur in Indonesian names.
MOJIBAKE = (
    r"[ÂÃ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€"
)


def encoding_checks(df: pl.DataFrame, issues: list[pl.DataFrame]) -> None:
    """A warning for every text cell with an unreadable character or with mojibake; the row
    is kept (the value is what the file says), the report names the row and column."""
    for key in TEXT_FIELDS:
        if key not in df.columns:
            continue
        cell = pl.col(key)
        issues.append(
            issue(
                df.filter(cell.str.contains(UNREADABLE, literal=True)),
                field_key=key,
                severity="warning",
                code="text_unreadable",
                message="Ada karakter yang tidak terbaca (�) di sel ini: berkas memuat byte "
                "yang bukan UTF-8.",
                fix="Ketik ulang isi sel ini, lalu simpan berkas sebagai 'CSV UTF-8' dan unggah "
                "lagi.",
            )
        )
        issues.append(
            issue(
                df.filter(cell.str.contains(MOJIBAKE)),
                field_key=key,
                severity="warning",
                code="text_mojibake",
                message=pl.concat_str(
                    pl.lit("Teks '"),
                    cell,
                    pl.lit("' tampak salah baca encoding (mis. 'Ã±' seharusnya 'ñ')."),
                ),
                fix="Buka berkas asli dan simpan ulang sebagai 'CSV UTF-8' (atau XLSX), lalu "
                "unggah lagi; bila teks di berkas memang begitu, perbaiki ejaannya.",
            )
        )
