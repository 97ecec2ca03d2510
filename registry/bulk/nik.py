"""NIK rules, vectorised: ``nik_check_frame`` is the twin of ``registry.nik.nik_check`` (a property
test keeps them equal), so a 500,000-row file is checked without a Python call per NIK."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl
from django.utils import timezone

from registry.nik import ADULT_MIN_AGE

NIK_ERROR_CODES = (  # nik_check's order
    "nik_missing",
    "nik_chars",
    "nik_length",
    "nik_birth_date",
    "nik_province",
    "nik_serial",
)


def nik_check_frame(
    frame: pl.DataFrame,
    nik: str,
    *,
    province_codes: Iterable[str],
    regency_codes: Iterable[str],
    today: dt.date | None = None,
) -> pl.DataFrame:
    """The rules of ``registry.nik.nik_check``, vectorised over the cleaned NIK column ``nik``.

    Adds: ``nik_error`` (the first error code, in nik_check's order, or null), ``nik_sex``,
    ``nik_birth_1900``/``nik_birth_2000`` (the candidate dates, null when not real),
    ``nik_birth`` (``NikResult.likely_birth_date``) and ``nik_old_region`` (the regency prefix
    is not in today's table: a warning, as in nik_check). Dates are built arithmetically, not
    parsed from text, which keeps 500,000 NIKs well under a second.
    """
    today = today or timezone.localdate()
    provinces = pl.Series(sorted(province_codes), dtype=pl.String).implode()
    regencies = pl.Series(sorted(regency_codes), dtype=pl.String).implode()
    col = pl.col(nik)
    digits = col.str.contains(r"^[0-9]+$")
    day = col.str.slice(6, 2).cast(pl.Int32, strict=False)
    frame = frame.with_columns(
        day.alias("_d"),
        col.str.slice(8, 2).cast(pl.Int32, strict=False).alias("_m"),
        col.str.slice(10, 2).cast(pl.Int32, strict=False).alias("_yy"),
        day.is_between(41, 71).fill_null(False).alias("_female"),
    ).with_columns(
        pl.when(pl.col("_female")).then(pl.col("_d") - 40).otherwise(pl.col("_d")).alias("_rd")
    )

    def candidate(century: int) -> pl.Expr:
        year, month, day_ = pl.col("_yy") + century, pl.col("_m"), pl.col("_rd")
        leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
        last = (
            pl.when(month == 2)
            .then(pl.when(leap).then(29).otherwise(28))
            .when(month.is_in([4, 6, 9, 11]))
            .then(30)
            .otherwise(31)
        )
        real = month.is_between(1, 12) & day_.is_between(1, 31) & (day_ <= last)
        # Always a valid date to build; masked to null where the digits are no real date.
        built = pl.date(year, month.clip(1, 12), 1) + pl.duration(days=day_.clip(1, 31) - 1)
        return pl.when(real.fill_null(False)).then(built).otherwise(None)

    frame = frame.with_columns(
        candidate(1900).alias("nik_birth_1900"), candidate(2000).alias("nik_birth_2000")
    )
    c19, c20 = pl.col("nik_birth_1900"), pl.col("nik_birth_2000")
    adult_limit = today - dt.timedelta(days=ADULT_MIN_AGE * 365)
    past20 = c20.is_not_null() & (c20 <= pl.lit(today))
    likely = (
        pl.when(past20 & (c20 <= pl.lit(adult_limit)))
        .then(c20)  # the latest adult candidate
        .when(c19.is_not_null() & (c19 <= pl.lit(adult_limit)))
        .then(c19)
        .when(past20)
        .then(c20)  # no adult: the latest one in the past
        .when(c19.is_not_null() & (c19 <= pl.lit(today)))
        .then(c19)
        .otherwise(None)
    )
    day_ok = pl.col("_d").is_between(1, 31) | pl.col("_female")
    error = (
        pl.when(col.is_null() | (col == ""))
        .then(pl.lit("nik_missing"))
        .when(~digits)
        .then(pl.lit("nik_chars"))
        .when(col.str.len_chars() != 16)
        .then(pl.lit("nik_length"))
        .when(~day_ok)
        .then(pl.lit("nik_birth_date"))
        .when(c19.is_null() & c20.is_null())
        .then(pl.lit("nik_birth_date"))
        .when(~col.str.slice(0, 2).is_in(provinces))
        .then(pl.lit("nik_province"))
        .when(col.str.slice(12, 4) == "0000")
        .then(pl.lit("nik_serial"))
        .otherwise(None)
    )
    prefix = pl.format("{}.{}", col.str.slice(0, 2), col.str.slice(2, 2))
    return frame.with_columns(
        error.alias("nik_error"),
        pl.when(pl.col("_female")).then(pl.lit("P")).otherwise(pl.lit("L")).alias("nik_sex"),
        likely.alias("nik_birth"),
        (~prefix.is_in(regencies)).alias("nik_old_region"),
    ).drop("_d", "_m", "_yy", "_female", "_rd")


# --- results ---------------------------------------------------------------------------------
