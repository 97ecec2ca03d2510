"""Places: the regency a person serves in, the operator's scope there, district and village."""

from __future__ import annotations

import polars as pl
from django.utils.translation import gettext

from accounts.models import User
from imports.regions import ABBREVIATION, LOST_ZERO, OLD_NAME, OLD_PROVINCE, TYPO, RegionIndex
from imports.validation.frames import issue, map_unique
from registry import access as registry_access
from registry.models import Programme


def region_checks(
    df: pl.DataFrame,
    regions: RegionIndex,
    issues: list[pl.DataFrame],
    *,
    actor: User,
    programme: Programme,
) -> pl.DataFrame:
    """Where the person serves, and whether the operator may write there.

    The NIK's province (its first two digits, when the NIK is valid) bounds the search for a
    one-letter typo where no province is written. Every regency not read as written (an
    abbreviation, an old name, a typo, a province from before a split) gets a note on its row;
    a regency the layout filled in (block header, merged cell, written once per group) says
    where it came from in the row's messages.
    """
    schema = {
        "regency_id": pl.String,
        "_region_error": pl.String,
        "_region_message": pl.String,
        "_region_fix": pl.String,
        "_district_from_code": pl.String,
        "_region_how": pl.String,
        "_region_note": pl.String,
    }
    df = map_unique(
        df,
        ["province", "regency"],
        lambda p, r: _region(regions, p, r, ""),
        schema,
    )
    # Only what is unknown without it is read again with the NIK's province (for a typo):
    # most rows resolve without, and the province makes many more distinct keys.
    unknown = (
        (pl.col("_region_error") == "region_unknown")
        & (pl.col("province") == "")
        & pl.col("nik_error").is_null()
    )
    if df.select(unknown.any()).item():
        retry = map_unique(
            df.filter(unknown).select(
                "src",
                "regency",
                pl.col("nik_clean").str.slice(0, 2).alias("_nik_province"),
            ),
            ["regency", "_nik_province"],
            lambda r, n: _region(regions, "", r, n),
            schema,
        ).select("src", *schema)
        df = df.update(retry, on="src", include_nulls=True)
    origin = pl.col("_origin_regency")
    from_layout = origin.is_not_null() & (origin != "")

    def told(message: pl.Expr) -> pl.Expr:
        return (
            pl.when(from_layout)
            .then(pl.format(gettext("Kab/kota diambil dari {}. {}"), origin, message))
            .otherwise(message)
        )

    for code in ("region_missing", "region_unknown", "region_ambiguous", "region_mismatch"):
        bad = df.filter(pl.col("_region_error") == code)
        if bad.height:
            issues.append(
                issue(
                    bad,
                    field_key="regency",
                    severity="reject",
                    code=code,
                    message=told(pl.col("_region_message")),
                    fix=pl.col("_region_fix"),
                )
            )
    resolved = df.filter(pl.col("regency_id").is_not_null() & (pl.col("_region_how") != ""))
    if resolved.height:
        # One note per row, coded by the first way it was read (region_abbreviation …).
        codes = resolved.select(
            pl.concat_str(
                [
                    pl.lit("region_"),
                    pl.col("_region_how")
                    .str.split(",")
                    .list.first()
                    .replace_strict(RESOLUTION_CODES, default=""),
                ]
            ).alias("code")
        )["code"]
        issues.append(
            issue(
                resolved,
                field_key="regency",
                severity="warning",
                code="",
                message=told(pl.col("_region_note")),
                fix=gettext(
                    "Periksa bahwa ini benar; tulis nama resmi atau kode wilayah agar tidak perlu "
                    "disimpulkan."
                ),
            ).with_columns(codes)
        )
    scope = {
        code: registry_access.can_write_at(actor, programme=programme, regency_code=code)
        for code in df["regency_id"].drop_nulls().unique().to_list()
    }
    outside = [code for code, ok in scope.items() if not ok]
    if outside:
        bad = df.filter(pl.col("regency_id").is_in(outside))
        issues.append(
            issue(
                bad,
                field_key="regency",
                severity="reject",
                code="out_of_scope",
                message=pl.format(
                    "Kabupaten/kota {} atau klaster {} di luar cakupan akun Anda.",
                    pl.col("regency_id"),
                    pl.lit(programme.name),
                ),
                fix="Baris ini harus diimpor oleh operator wilayah/klaster tersebut; hapus "
                "dari berkas Anda atau minta perluasan cakupan kepada administrator.",
            )
        )
    df = _districts(df, regions, issues)
    return df


RESOLUTION_CODES = {
    ABBREVIATION: "abbreviation",
    OLD_NAME: "old_name",
    TYPO: "typo",
    OLD_PROVINCE: "old_province",
    LOST_ZERO: "lost_zero",
}


def _region(
    regions: RegionIndex, province: str, regency: str, nik_province: str
) -> tuple[str | None, str | None, str, str, str | None, str, str]:
    # The cell's kind does not matter: regions.codes reads Excel's 32.1 as 32.10 either way.
    result = regions.regency(regency, province_text=province, nik_province=nik_province)
    return (
        result.code,
        result.error,
        result.message,
        result.fix,
        result.district,
        result.how,
        result.note,
    )


def _districts(df: pl.DataFrame, regions: RegionIndex, issues: list[pl.DataFrame]) -> pl.DataFrame:
    """District and village within the resolved regency; unknown ones are left out (warning)."""
    has_district = (pl.col("district") != "") & pl.col("regency_id").is_not_null()
    rows = df.filter(has_district)
    if rows.height:
        rows = map_unique(
            rows.select("src", "district", "regency_id"),
            ["district", "regency_id"],
            lambda d, r: (regions.district(d, regency=r),),
            {"_district_named": pl.String},
        ).select("src", "_district_named")
        df = df.join(rows, on="src", how="left", maintain_order="left")
    else:
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias("_district_named"))
    df = df.with_columns(
        pl.coalesce(pl.col("_district_named"), pl.col("_district_from_code")).alias("_district")
    )
    issues.append(
        issue(
            df.filter(has_district & pl.col("_district").is_null()),
            field_key="district",
            severity="warning",
            code="district_unknown",
            message=pl.format(
                "Kecamatan '{}' tidak ditemukan di kabupaten/kota ini; tidak dicatat.",
                pl.col("district"),
            ),
            fix="Tulis nama kecamatan resmi atau kodenya (PP.RR.SS).",
        )
    )
    has_village = (pl.col("village") != "") & pl.col("_district").is_not_null()
    rows = df.filter(has_village)
    if rows.height:
        rows = map_unique(
            rows.select("src", "village", "_district"),
            ["village", "_district"],
            lambda v, d: (regions.village(v, district=d),),
            {"_village": pl.String},
        ).select("src", "_village")
        df = df.join(rows, on="src", how="left", maintain_order="left")
    else:
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias("_village"))
    issues.append(
        issue(
            df.filter((pl.col("village") != "") & pl.col("_village").is_null()),
            field_key="village",
            severity="warning",
            code="village_unknown",
            message=pl.format(
                "Desa/kelurahan '{}' tidak ditemukan; tidak dicatat.", pl.col("village")
            ),
            fix="Tulis nama desa/kelurahan resmi beserta kecamatannya.",
        )
    )
    return df
