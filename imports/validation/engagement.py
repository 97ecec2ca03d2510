"""Engagement facts: title, employment status, incentive, SK number and dates."""

from __future__ import annotations

import polars as pl

from imports import parsing
from imports.validation.dates import date_checks
from imports.validation.frames import cell_value, issue, map_unique
from registry.models import Programme


def engagement_checks(
    df: pl.DataFrame,
    issues: list[pl.DataFrame],
    *,
    programme: Programme,
    mapped: set[str],
    default_status: str,
) -> pl.DataFrame:
    """Engagement facts: title, employment status, incentive, SK number and dates."""
    default_title = programme.facilitator_title or programme.name
    df = df.with_columns(
        pl.when(pl.col("legacy_title") != "")
        .then(pl.col("legacy_title"))
        .otherwise(pl.lit(default_title))
        .alias("legacy_title_final")
    )
    if "legacy_title" in mapped:
        issues.append(
            issue(
                df.filter(pl.col("legacy_title") == ""),
                field_key="legacy_title",
                severity="warning",
                code="title_missing",
                message=f"Jabatan kosong; dipakai '{default_title}'.",
                fix="Isi jabatan sebagaimana tertulis di SK.",
            )
        )
    issues.append(
        issue(
            df.filter(pl.col("legacy_title_final").str.len_chars() > 200),
            field_key="legacy_title",
            severity="reject",
            code="title_too_long",
            message="Jabatan lebih dari 200 karakter.",
            fix="Tulis nama jabatan saja.",
        )
    )
    df = map_unique(
        df, ["employment_status"], lambda v: (parsing.parse_status(v),), {"_status": pl.String}
    )
    issues.append(
        issue(
            df.filter((pl.col("employment_status") != "") & pl.col("_status").is_null()),
            field_key="employment_status",
            severity="reject",
            code="status_unknown",
            message=pl.format(
                "Status kepegawaian '{}' tidak dikenal.", pl.col("employment_status")
            ),
            fix="Isi salah satu: PNS, PPPK, Kontrak, Honorer, Relawan.",
        )
    )
    if "employment_status" in mapped:
        issues.append(
            issue(
                df.filter(pl.col("employment_status") == ""),
                field_key="employment_status",
                severity="warning",
                code="status_missing",
                message=f"Status kepegawaian kosong; dicatat '{default_status}'.",
                fix="Isi salah satu: PNS, PPPK, Kontrak, Honorer, Relawan.",
            )
        )
    df = df.with_columns(pl.col("_status").fill_null(pl.lit(str(default_status))))
    df = map_unique(
        df,
        ["incentive", "incentive__k"],
        lambda v, k: (parsing.parse_money(cell_value(v, k)) if v else None,),
        {"_incentive": pl.Int64},
    )
    issues.append(
        issue(
            df.filter((pl.col("incentive") != "") & pl.col("_incentive").is_null()),
            field_key="incentive",
            severity="warning",
            code="incentive_unreadable",
            message=pl.format("Insentif '{}' tidak terbaca; tidak dicatat.", pl.col("incentive")),
            fix="Tulis angka rupiah, mis. 2500000 atau Rp 2.500.000.",
        )
    )
    df = date_checks(df, "sk_date", "sk_date__k", "_sk_date")
    df = date_checks(df, "start_date", "start_date__k", "_start_date")
    for key, parsed, label in (
        ("sk_date", "_sk_date", "Tanggal SK"),
        ("start_date", "_start_date", "TMT"),
    ):
        issues.append(
            issue(
                df.filter((pl.col(key) != "") & pl.col(parsed).is_null()),
                field_key=key,
                severity="warning",
                code="date_unreadable",
                message=pl.format(
                    "{} '{}' tidak terbaca; tidak dicatat.", pl.lit(label), pl.col(key)
                ),
                fix="Tulis tanggal sebagai dd-mm-yyyy.",
            )
        )
    issues.append(
        issue(
            df.filter(pl.col("sk_number").str.len_chars() > 100),
            field_key="sk_number",
            severity="reject",
            code="sk_too_long",
            message="Nomor SK lebih dari 100 karakter.",
            fix="Tulis nomor SK saja.",
        )
    )
    return df
