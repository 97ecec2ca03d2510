"""Dates: the stated birth date, place and sex, and the date parsing other checks share."""

from __future__ import annotations

import polars as pl

from imports import parsing
from imports.reading import Kind
from imports.validation.frames import cell_value, issue, map_unique


def birth_checks(df: pl.DataFrame, issues: list[pl.DataFrame]) -> pl.DataFrame:
    """Birth date and place, and sex, as stated (compared with the NIK by the registry)."""
    combined = df.filter(pl.col("birth_place_date") != "")
    place_date = None
    if combined.height:
        has_comma = pl.col("birth_place_date").str.contains(",")
        with_comma = combined.filter(has_comma & (pl.col("birth_place_date__k") == Kind.TEXT))
        place_date = with_comma.select(
            "src",
            pl.col("birth_place_date")
            .str.replace(r",[^,]*$", "")
            .str.strip_chars(" ,/")
            .alias("pd_place"),
            pl.col("birth_place_date")
            .str.extract(r",([^,]*)$", 1)
            .str.strip_chars()
            .alias("pd_date_text"),
            pl.lit(Kind.TEXT, dtype=pl.UInt8).alias("pd_date_kind"),
        )
        rest = combined.join(with_comma.select("src"), on="src", how="anti")
        if rest.height:
            rest = map_unique(
                rest.select("src", "birth_place_date", "birth_place_date__k"),
                ["birth_place_date", "birth_place_date__k"],
                lambda t, k: _split_rest(t, k),
                {"pd_place": pl.String, "pd_date_text": pl.String, "pd_date_kind": pl.UInt8},
            ).select("src", "pd_place", "pd_date_text", "pd_date_kind")
            place_date = pl.concat([place_date, rest])
        df = df.join(place_date, on="src", how="left", maintain_order="left")
    else:
        df = df.with_columns(
            pl.lit(None, dtype=pl.String).alias("pd_place"),
            pl.lit(None, dtype=pl.String).alias("pd_date_text"),
            pl.lit(None, dtype=pl.UInt8).alias("pd_date_kind"),
        )
    use_separate = pl.col("birth_date") != ""
    df = df.with_columns(
        pl.when(use_separate)
        .then(pl.col("birth_date"))
        .otherwise(pl.col("pd_date_text").fill_null(""))
        .alias("_bd_text"),
        pl.when(use_separate)
        .then(pl.col("birth_date__k"))
        .otherwise(pl.col("pd_date_kind").fill_null(Kind.EMPTY))
        .alias("_bd_kind"),
        pl.when(pl.col("birth_place") != "")
        .then(pl.col("birth_place"))
        .otherwise(pl.col("pd_place").fill_null(""))
        .alias("_place"),
    )
    df = date_checks(df, "_bd_text", "_bd_kind", "stated_birth_date")
    unreadable = df.filter((pl.col("_bd_text") != "") & pl.col("stated_birth_date").is_null())
    issues.append(
        issue(
            unreadable,
            severity="warning",
            field_key=pl.when(use_separate)
            .then(pl.lit("birth_date"))
            .otherwise(pl.lit("birth_place_date")),
            code="birth_date_unreadable",
            value=pl.col("_bd_text"),
            message=pl.format(
                "Tanggal lahir '{}' tidak terbaca; dipakai tanggal dari NIK.", pl.col("_bd_text")
            ),
            fix="Tulis tanggal sebagai dd-mm-yyyy (mis. 17-08-1985).",
        )
    )
    df = map_unique(df, ["sex"], lambda v: (parsing.parse_sex(v),), {"stated_sex": pl.String})
    issues.append(
        issue(
            df.filter((pl.col("sex") != "") & pl.col("stated_sex").is_null()),
            field_key="sex",
            severity="warning",
            code="sex_unreadable",
            message="Jenis kelamin tidak terbaca; dipakai jenis kelamin dari NIK.",
            fix="Tulis L atau P.",
        )
    )
    # The NIK's century: the stated year when it is one of the two candidates.
    stated = pl.col("stated_birth_date")
    df = df.with_columns(
        pl.when(stated.is_not_null() & (stated == pl.col("nik_birth_1900")))
        .then(pl.col("nik_birth_1900"))
        .when(stated.is_not_null() & (stated == pl.col("nik_birth_2000")))
        .then(pl.col("nik_birth_2000"))
        .otherwise(pl.col("nik_birth"))
        .alias("birth_date_final")
    )
    return df


def _split_rest(text: str, kind: int) -> tuple[str, str, int]:
    """Combined place/date cells without a comma (or a date cell): the parser decides."""
    if kind == Kind.DATE:
        return "", text, Kind.DATE
    place, _, date_text = parsing.split_place_date(cell_value(text, kind))
    if kind == Kind.NUMBER and not place:
        return "", text, Kind.NUMBER
    return place, date_text, Kind.TEXT


def date_checks(df: pl.DataFrame, text_col: str, kind_col: str, out: str) -> pl.DataFrame:
    return map_unique(
        df,
        [text_col, kind_col],
        lambda t, k: (parsing.parse_date(cell_value(t, k)) if t else None,),
        {out: pl.Date},
    )
