"""Stacking the sheets into one frame, and the helpers every check shares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import polars as pl

from imports.columns import FIELD_BY_KEY, FIELDS, SheetMapping
from imports.reading import Kind

FIELD_KEYS = [f.key for f in FIELDS]
TOTALS = r"(?i)^\s*(JUMLAH|TOTAL|GRAND\s*TOTAL|SUB\s*-?\s*TOTAL|REKAPITULASI)\b"
# What imports.layout adds to a sheet's rows, carried through the stacking.
LAYOUT_COLUMNS = {
    "_skip": pl.String,
    "_origin_regency": pl.String,
    "_origin_province": pl.String,
    "_incentive_month": pl.String,
}


@dataclass
class SheetInput:
    file_name: str
    sheet: str
    mapping: SheetMapping
    frame: pl.DataFrame  # row, c<i>, k<i> for the mapped columns


def standardise(inputs: list[SheetInput]) -> pl.DataFrame:
    """Stack the sheets into one frame: file, sheet, row, <field>, <field>__k for every field."""
    frames = []
    for item in inputs:
        frame = item.frame
        exprs = [
            pl.lit(item.file_name).alias("file"),
            pl.lit(item.sheet).alias("sheet"),
            pl.col("row"),
        ]
        for key in FIELD_KEYS:
            index = item.mapping.columns.get(key)
            if f"f_{key}" in frame.columns:  # filled in by imports.layout
                exprs.append(pl.col(f"f_{key}").fill_null("").alias(key))
                exprs.append(pl.col(f"k_{key}").fill_null(Kind.EMPTY).alias(f"{key}__k"))
            elif index is not None and f"c{index}" in frame.columns:
                exprs.append(pl.col(f"c{index}").fill_null("").alias(key))
                exprs.append(pl.col(f"k{index}").fill_null(Kind.EMPTY).alias(f"{key}__k"))
            else:
                exprs.append(pl.lit("", dtype=pl.String).alias(key))
                exprs.append(pl.lit(Kind.EMPTY, dtype=pl.UInt8).alias(f"{key}__k"))
        for extra, dtype in LAYOUT_COLUMNS.items():
            exprs.append(
                (pl.col(extra) if extra in frame.columns else pl.lit(None)).cast(dtype).alias(extra)
            )
        frames.append(frame.select(exprs))
    stacked = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    return stacked.with_row_index("src").with_columns(pl.col("src").cast(pl.Int64))


def _skip_mask() -> pl.Expr:
    """Rows that hold no person (see ``skip_reason``)."""
    return skip_reason().is_not_null()


def skip_reason() -> pl.Expr:
    """Why a row holds no person (``imports.layout.SKIP_LABELS``), or null: what the layout
    found (block and province headers, signatures, examples), else blank, totals, repeated
    headers, column numbers, sections."""
    texts = [pl.col(k) for k in FIELD_KEYS]
    filled = pl.sum_horizontal([(t != "").cast(pl.Int32) for t in texts])
    blank = filled == 0
    totals = pl.any_horizontal([pl.col(k).str.contains(TOTALS) for k in ("no", "name", "nik")])
    no_person = (pl.col("nik") == "") & (pl.col("name") == "")
    header_again = pl.col("nik").str.to_uppercase().is_in(
        [a for a in FIELD_BY_KEY["nik"].aliases] + ["NO. KTP", "NIK"]
    ) & pl.col("name").str.to_uppercase().str.starts_with("NAMA")
    numbers = pl.col("nik").str.contains(r"^\d{1,2}$") & pl.col("name").str.contains(r"^\d{1,2}$")
    return (
        pl.when(pl.col("_skip").is_not_null())
        .then(pl.col("_skip"))
        .when(blank)
        .then(pl.lit("kosong"))
        .when(totals & ~pl.col("nik").str.contains(r"\d{10}"))
        .then(pl.lit("jumlah"))
        .when(header_again)
        .then(pl.lit("judul_kolom"))
        .when(numbers)
        .then(pl.lit("nomor_kolom"))
        .when(no_person & (filled <= 1))
        .then(pl.lit("keterangan"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )


def map_unique(
    frame: pl.DataFrame, keys: list[str], fn: Callable[..., tuple[Any, ...]], schema: dict[str, Any]
) -> pl.DataFrame:
    """Apply a Python parser once per distinct key tuple and map the results back.

    The results are mapped with ``replace_strict`` on one key column rather than joined, so a
    wide 500,000-row frame is not copied for every parser.
    """
    key = (
        pl.col(keys[0]).cast(pl.String)
        if len(keys) == 1
        else pl.concat_str([pl.col(k).cast(pl.String) for k in keys], separator="\x1f")
    )
    uniq = frame.select([*keys, key.alias("_key")]).unique(subset="_key", maintain_order=True)
    results = [fn(*values) for values in uniq.select(keys).iter_rows()]
    mapped = {}
    for i, (name, dtype) in enumerate(schema.items()):
        values = pl.Series(name, [r[i] for r in results], dtype=dtype)
        mapped[name] = key.replace_strict(uniq["_key"], values, default=None, return_dtype=dtype)
    return frame.with_columns(**mapped)


def cell_value(text: str, kind: int) -> object:
    """Back from (text, kind) to the value a parser expects."""
    if kind == Kind.NUMBER:
        try:
            return float(text)
        except ValueError:
            return text
    if kind == Kind.DATE:
        try:
            return dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    return text


def issue(
    frame: pl.DataFrame,
    *,
    field_key: pl.Expr | str,
    severity: str,
    code: str,
    message: pl.Expr | str,
    fix: pl.Expr | str,
    value: pl.Expr | None = None,
) -> pl.DataFrame:
    """One issue per row of ``frame`` (a filtered working frame)."""

    def lit(v: pl.Expr | str) -> pl.Expr:
        return pl.lit(v) if isinstance(v, str) else v

    return frame.select(
        pl.col("src"),
        lit(field_key).alias("field"),
        # Without ``value`` the field is a column's name (an expression comes with its value).
        (value if value is not None else pl.col(cast(str, field_key)))
        .cast(pl.String)
        .alias("value"),
        pl.lit(severity).alias("severity"),
        pl.lit(code).alias("code"),
        lit(message).cast(pl.String).alias("message"),
        lit(fix).cast(pl.String).alias("fix"),
    )


def mapped_fields(frame: pl.DataFrame) -> set[str]:
    """Fields with at least one non-empty cell (a column exists for them somewhere)."""
    present = frame.select([(pl.col(k) != "").any().alias(k) for k in FIELD_KEYS]).row(0)
    return {k for k, found in zip(FIELD_KEYS, present, strict=True) if found}
