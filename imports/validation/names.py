"""Names: full name and titles by expressions, exactly as ``parsing.parse_name`` splits them."""

from __future__ import annotations

import polars as pl

from imports import parsing

_TITLE_RE = r"^(?:[A-Za-z]{1,5}\.){1,4}[A-Za-z]{0,6}\.?$"


def _back_title(part: pl.Expr) -> pl.Expr:
    """``parsing._looks_like_back_title`` as an expression."""
    compact = part.str.replace_all(" ", "")
    return compact.str.len_chars().is_between(1, 20) & (
        compact.str.strip_chars_end(".").str.to_uppercase().is_in(sorted(parsing.DOTLESS_TITLES))
        | (compact.str.contains(_TITLE_RE) & compact.str.contains("[A-Z]"))
    )


def name_frame(df: pl.DataFrame, column: str) -> pl.DataFrame:
    """Add full_name, titles_front, titles_back, exactly as ``parsing.parse_name`` would.

    Most names are plain or "NAME, S.Sos": expressions handle those; names with front titles,
    dots in the name, other scripts or odd commas go through the parser once per distinct
    value. (A property test checks the result equals parse_name for any text.)
    """
    raw = pl.col(column).str.replace_all(r"\s+", " ").str.strip_chars(" ,;")
    split = raw.str.splitn(",", 2)
    head, tail = split.struct.field("field_0"), split.struct.field("field_1")
    part = tail.str.strip_chars()
    # One title after one comma ("NAME, S.Sos") is the common case; several go to the parser.
    titled = tail.is_null() | (~tail.str.contains(",") & (part != "") & _back_title(part))
    fast = (
        raw.str.contains(r"^[\x20-\x7e]*$")
        & ~head.str.contains(r"\.")
        & ~head.str.split(" ").list.first().str.to_uppercase().is_in(sorted(parsing.FRONT_TITLES))
        & titled
    )
    df = df.with_columns(
        fast.fill_null(False).alias("_name_fast"),
        head.str.strip_chars().alias("_name_head"),
        pl.when(tail.is_null()).then(pl.lit("")).otherwise(part).alias("_name_back"),
    )
    slow = df.filter(~pl.col("_name_fast"))[column].unique(maintain_order=True)
    results = [parsing.parse_name(value) for value in slow.to_list()]
    df = df.with_columns(
        pl.col(column)
        .replace_strict(slow, pl.Series([r[i] for r in results], dtype=pl.String), default=None)
        .alias(name)
        for i, name in enumerate(("_s_full", "_s_front", "_s_back"))
    )
    fast_col = pl.col("_name_fast")
    return df.with_columns(
        pl.when(fast_col)
        .then(pl.col("_name_head"))
        .otherwise(pl.col("_s_full"))
        .alias("full_name"),
        pl.when(fast_col).then(pl.lit("")).otherwise(pl.col("_s_front")).alias("titles_front"),
        pl.when(fast_col)
        .then(pl.col("_name_back"))
        .otherwise(pl.col("_s_back"))
        .alias("titles_back"),
    ).drop("_name_fast", "_name_head", "_name_back", "_s_full", "_s_front", "_s_back")
