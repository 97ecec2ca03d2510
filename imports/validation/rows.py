"""The row checks: ``rows_validate``, in the order the report lists them, and its result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import User
from imports import parsing
from imports.layout import rows_text
from imports.reading import Kind
from imports.regions import RegionIndex
from imports.validation.contacts import phone_expr
from imports.validation.dates import birth_checks
from imports.validation.encoding import encoding_checks
from imports.validation.engagement import engagement_checks
from imports.validation.frames import FIELD_KEYS, issue, map_unique, mapped_fields, skip_reason
from imports.validation.injection import formula_checks
from imports.validation.names import name_frame
from imports.validation.places import region_checks
from regions.selectors import region_code_sets
from registry.bulk import NOTE_SCHEMA, ROW_SCHEMA, name_key_expr, nik_check_frame
from registry.models import EmploymentStatus, Flag, Programme

MAX_LENGTHS = {"full_name": 150, "legacy_title": 200, "sk_number": 100}
ProgressFn = Callable[[int, int, str], None]


@dataclass
class Validated:
    rows: pl.DataFrame  # accepted rows, registry.bulk.ROW_SCHEMA (+ origin)
    issues: pl.DataFrame  # NOTE_SCHEMA
    sources: pl.DataFrame  # src, file, sheet, row for every data row (skipped rows excluded)
    skipped: dict[tuple[str, str], int] = field(default_factory=dict)
    niks_seen: pl.Series | None = None  # valid NIKs in any row, rejected or not
    values: pl.DataFrame | None = None  # src + the raw text of every field, rejected rows only
    # (file, sheet, reason) -> rows skipped for it (imports.layout.SKIP_LABELS)
    skipped_reasons: dict[tuple[str, str, str], int] = field(default_factory=dict)
    # Each regency not read as written: file, sheet, how, written, code, note, rows, count.
    resolutions: list[dict[str, Any]] = field(default_factory=list)
    # Flags for accepted rows whose NIK also came in a refused row with other facts (a conflict
    # between sources the registry must see although one of them did not enter).
    conflicts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=NOTE_SCHEMA))


NIK_MESSAGES = {
    "nik_numeric_cell": (
        "NIK tersimpan sebagai angka di Excel, bukan teks; Excel hanya menyimpan 15 digit "
        "sehingga digit terakhir NIK bisa sudah berubah.",
        "Ubah format kolom NIK menjadi Teks, ketik ulang NIK dari KTP (atau ekspor ulang kolom "
        "itu sebagai teks), lalu unggah lagi.",
    ),
    "nik_missing": ("NIK kosong.", "Isi NIK 16 digit sesuai KTP."),
    "nik_chars": (
        "NIK berisi huruf atau tanda selain angka.",
        "Tulis 16 digit angka saja sesuai KTP (periksa huruf O/I yang tertulis untuk 0/1).",
    ),
    "nik_length": (
        "NIK harus 16 digit.",
        "Cocokkan dengan KTP: ada digit yang hilang atau berlebih.",
    ),
    "nik_birth_date": (
        "Digit tanggal lahir dalam NIK (digit ke-7 s.d. 12) bukan tanggal yang ada: tanggal "
        "harus 01-31 untuk laki-laki atau 41-71 untuk perempuan, bulan 01-12.",
        "Cocokkan NIK dengan KTP; kemungkinan salah ketik.",
    ),
    "nik_province": (
        "Kode provinsi NIK (2 digit pertama) tidak ada dalam tabel wilayah Kemendagri.",
        "Cocokkan NIK dengan KTP.",
    ),
    "nik_serial": (
        "Nomor urut NIK (4 digit terakhir) 0000 tidak sah.",
        "Cocokkan NIK dengan KTP.",
    ),
}


def rows_validate(
    *,
    frame: pl.DataFrame,
    actor: User,
    programme: Programme,
    regions: RegionIndex,
    default_status: str = EmploymentStatus.CONTRACT,
    progress: ProgressFn | None = None,
    today: dt.date | None = None,
) -> Validated:
    """Validate the stacked frame of ``standardise``; see the package docstring."""
    step: ProgressFn = progress or (lambda done, total, message: None)
    today = today or timezone.localdate()
    provinces, regencies = region_code_sets()
    reasons = frame.select(skip_reason().alias("_reason"))["_reason"]
    skip = reasons.is_not_null()
    skipped = {
        (f, s): n for f, s, n in frame.filter(skip).group_by("file", "sheet").len().iter_rows()
    }
    skipped_reasons = {
        (f, s, r): n
        for f, s, r, n in frame.select("file", "sheet", reasons)
        .filter(skip)
        .group_by("file", "sheet", "_reason", maintain_order=True)
        .len()
        .iter_rows()
    }
    df = frame.filter(~skip) if skip.any() else frame
    del frame  # the caller hands the frame over; keep one copy, not two
    sources = df.select("src", "file", "sheet", "row")
    mapped = mapped_fields(df)
    values = df.select(["src", *FIELD_KEYS])
    issues: list[pl.DataFrame] = []
    step(1, 8, "Memeriksa NIK")

    # NIK: a numeric cell is rejected before anything else (Excel kept 15 digits of it), and
    # so is a NIK that went through a number on its way to text ("3.2041e+15", "…9012.0").
    raw_nik = pl.col("nik")
    numeric = (pl.col("nik__k") == Kind.NUMBER) | raw_nik.str.contains(
        r"^\d(?:[.,]\d+)?[eE]\+?\d+$|^\d{15,17}[.,]0+$"
    )
    cleaned = raw_nik.str.replace_all(r"[\s'.\-`’‘]", "")
    df = df.with_columns(cleaned.alias("nik_clean"), numeric.alias("nik_numeric"))
    df = nik_check_frame(
        df, "nik_clean", province_codes=provinces, regency_codes=regencies, today=today
    )
    df = df.with_columns(
        pl.when(pl.col("nik_numeric"))
        .then(pl.lit("nik_numeric_cell"))
        .otherwise(pl.col("nik_error"))
        .alias("nik_error")
    )
    message: str | pl.Expr
    for code, (message, fix) in NIK_MESSAGES.items():
        bad = df.filter(pl.col("nik_error") == code)
        if not bad.height:
            continue
        if code == "nik_length":
            # concat_str, not pl.format: pl.format panics on some large frames
            # ("assertion failed: i < self.len()", pola-rs/polars#25339, #25525).
            message = pl.concat_str(
                pl.lit("NIK harus 16 digit, bukan "),
                pl.col("nik_clean").str.len_chars().cast(pl.String),
                pl.lit(" digit."),
            )
        issues.append(
            issue(bad, field_key="nik", severity="reject", code=code, message=message, fix=fix)
        )
    niks_seen = df.filter(pl.col("nik_error").is_null())["nik_clean"].unique()
    encoding_checks(df, issues)  # on the cells as written, before names are parsed
    formula_checks(df, issues)

    # Names and titles: plain "NAME" and "NAME, S.Sos" by expressions, the rest by the parser.
    step(2, 8, "Memeriksa nama")
    df = name_frame(df, "name")
    issues.append(
        issue(
            df.filter(pl.col("full_name").fill_null("") == ""),
            field_key="name",
            severity="reject",
            code="name_missing",
            message="Nama kosong.",
            fix="Isi nama lengkap sesuai KTP.",
        )
    )
    issues.append(
        issue(
            df.filter(pl.col("full_name").str.len_chars() > MAX_LENGTHS["full_name"]),
            field_key="name",
            severity="reject",
            code="name_too_long",
            message="Nama lebih dari 150 karakter.",
            fix="Periksa apakah sel nama berisi data lain; tulis nama saja.",
        )
    )

    # Birth date and place, and sex, as stated (compared with the NIK by the registry).
    step(3, 8, "Memeriksa tanggal lahir dan jenis kelamin")
    df = birth_checks(df, issues)

    # Where the person serves, and whether the operator may write there.
    step(4, 8, "Memeriksa wilayah")
    df = region_checks(df, regions, issues, actor=actor, programme=programme)

    # Engagement facts.
    step(5, 8, "Memeriksa jabatan, status dan insentif")
    df = engagement_checks(
        df, issues, programme=programme, mapped=mapped, default_status=default_status
    )

    # Contact and education.
    step(6, 8, "Memeriksa kontak dan pendidikan")
    df = df.with_columns(phone_expr(pl.col("phone"), pl.col("phone__k")).alias("_phone"))
    issues.append(
        issue(
            df.filter((pl.col("phone") != "") & pl.col("_phone").is_null()),
            field_key="phone",
            severity="warning",
            code="phone_unreadable",
            message=pl.format("Nomor HP '{}' tidak terbaca; tidak dicatat.", pl.col("phone")),
            fix="Tulis nomor seperti 0812-3456-7890 atau +62 812 3456 7890.",
        )
    )
    df = map_unique(
        df,
        ["education"],
        lambda v: parsing.parse_education(v) if v else (None, None),
        {"_education_level": pl.String, "_education_field": pl.String},
    )
    email_ok = pl.col("email").str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    issues.append(
        issue(
            df.filter((pl.col("email") != "") & ~email_ok),
            field_key="email",
            severity="warning",
            code="email_invalid",
            message="Alamat surel tidak sah; tidak dicatat.",
            fix="Periksa penulisan surel.",
        )
    )

    step(7, 8, "Menyusun hasil pemeriksaan")
    all_issues = (
        pl.concat([i for i in issues if i.height])
        if any(i.height for i in issues)
        else (pl.DataFrame(schema=NOTE_SCHEMA))
    )
    rejected = all_issues.filter(pl.col("severity") == "reject").select("src").unique()
    resolutions = _resolutions(df, regions)
    conflicts, conflict_notes = _refused_conflicts(df, all_issues, rejected)
    if conflict_notes.height:
        all_issues = pl.concat([all_issues, conflict_notes.select(all_issues.columns)])

    def blank_null(name: str) -> pl.Expr:
        return pl.when(pl.col(name) == "").then(None).otherwise(pl.col(name))

    # The narrow result first, then the rejected rows out of it: the wide working frame is
    # never copied, and it is released when this function returns.
    rows = df.select(
        pl.col("src"),
        pl.format("{} [{}] baris {}", pl.col("file"), pl.col("sheet"), pl.col("row")).alias(
            "origin"
        ),
        pl.col("nik_clean").alias("nik"),
        pl.col("full_name"),
        pl.col("titles_front").fill_null(""),
        pl.col("titles_back").fill_null(""),
        pl.col("nik_sex").alias("sex"),
        pl.col("birth_date_final").alias("birth_date"),
        pl.col("stated_sex"),
        pl.col("stated_birth_date"),
        blank_null("_place").str.slice(0, 100).alias("birth_place"),
        pl.col("_phone").alias("phone"),
        pl.when(email_ok).then(pl.col("email").str.slice(0, 254)).otherwise(None).alias("email"),
        pl.col("_education_level").alias("education_level"),
        pl.when(pl.col("_education_field") == "")
        .then(None)
        .otherwise(pl.col("_education_field").str.slice(0, 120))
        .alias("education_field"),
        pl.col("regency_id"),
        pl.col("_district").alias("district_id"),
        pl.col("_village").alias("village_id"),
        pl.col("legacy_title_final").alias("legacy_title"),
        pl.col("_status").alias("employment_status"),
        pl.col("_incentive").alias("monthly_incentive"),
        blank_null("sk_number").alias("sk_number"),
        pl.col("_sk_date").alias("sk_date"),
        pl.col("_start_date").alias("start_date"),
    )
    rows = rows.join(rejected, on="src", how="anti", maintain_order="left")
    missing = {c: t for c, t in ROW_SCHEMA.items() if c not in rows.columns}
    if missing:
        rows = rows.with_columns([pl.lit(None, dtype=t).alias(c) for c, t in missing.items()])
    # The raw cells are kept only for the rejected rows: the report gives those back to fix.
    values = values.join(rejected, on="src", how="semi")
    del df
    step(8, 8, "Pemeriksaan selesai")
    return Validated(
        rows=rows,
        issues=all_issues,
        sources=sources,
        skipped=skipped,
        niks_seen=niks_seen,
        values=values,
        skipped_reasons=skipped_reasons,
        resolutions=resolutions,
        conflicts=conflicts,
    )


def _resolutions(df: pl.DataFrame, regions: RegionIndex) -> list[dict[str, Any]]:
    """Every distinct regency the resolver did not read as written, with the rows it covers."""
    resolved = df.filter(pl.col("regency_id").is_not_null() & (pl.col("_region_how") != ""))
    if not resolved.height:
        return []
    grouped = (
        resolved.group_by(
            "file",
            "sheet",
            "_region_how",
            "province",
            "regency",
            "regency_id",
            "_region_note",
            maintain_order=True,
        )
        .agg(pl.col("row"))
        .iter_rows(named=True)
    )
    return [
        {
            "file": g["file"],
            "sheet": g["sheet"],
            "how": g["_region_how"],
            "province": g["province"],
            "written": g["regency"],
            "code": g["regency_id"],
            "label": regions.label(g["regency_id"]),
            "note": g["_region_note"],
            "rows": rows_text(g["row"]),
            "count": len(g["row"]),
        }
        for g in grouped
    ]


def _refused_conflicts(
    df: pl.DataFrame, issues: pl.DataFrame, rejected: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A NIK in an accepted row and in a refused one (its region unreadable, say) with another
    name, birth date or sex: the registry compares only accepted rows, so the conflict is found
    here. The accepted row is flagged (``Flag.Code.CONFLICT``, through the bulk write); the
    refused one gets a note naming the accepted row.

    Returns (flags for the accepted rows, all notes for the report).
    """
    empty = pl.DataFrame(schema=NOTE_SCHEMA)
    valid = df.filter(pl.col("nik_error").is_null() & (pl.col("full_name").fill_null("") != ""))
    if not rejected.height or not valid.height:
        return empty, empty
    facts = valid.select(
        "src",
        pl.col("nik_clean").alias("nik"),
        pl.format("{} [{}] baris {}", pl.col("file"), pl.col("sheet"), pl.col("row")).alias(
            "origin"
        ),
        pl.col("full_name"),
        name_key_expr(pl.col("full_name")).alias("name_key"),
        pl.col("stated_birth_date"),
        pl.col("stated_sex"),
    )
    refused = facts.join(rejected, on="src", how="semi")
    accepted = facts.join(rejected, on="src", how="anti")
    pairs = refused.join(accepted, on="nik", suffix="_ok")
    if not pairs.height:
        return empty, empty
    why = (
        issues.filter(pl.col("severity") == "reject")
        .group_by("src", maintain_order=True)
        .agg(pl.col("message").first().alias("why"))
    )
    pairs = pairs.join(why, on="src", how="left")
    differs = []
    for fact, label in (
        ("name_key", gettext("nama")),
        ("stated_birth_date", gettext("tanggal lahir")),
        ("stated_sex", gettext("jenis kelamin")),
    ):
        shown = "full_name" if fact == "name_key" else fact
        differs.append(
            pl.when(
                pl.col(fact).is_not_null()
                & pl.col(f"{fact}_ok").is_not_null()
                & (pl.col(fact) != pl.col(f"{fact}_ok"))
            ).then(
                pl.format(
                    gettext("{} '{}' (di sini '{}')"),
                    pl.lit(label),
                    pl.col(shown).cast(pl.String),
                    pl.col(f"{shown}_ok").cast(pl.String),
                )
            )
        )
    pairs = pairs.with_columns(
        pl.concat_list(differs).list.drop_nulls().list.join(", ").alias("_diff")
    ).filter(pl.col("_diff") != "")
    if not pairs.height:
        return empty, empty
    flags = pairs.select(
        pl.col("src_ok").alias("src"),
        pl.lit("nik").alias("field"),
        pl.col("nik").alias("value"),
        pl.lit("flag").alias("severity"),
        pl.lit(Flag.Code.CONFLICT.value).alias("code"),
        pl.format(
            gettext(
                "NIK ini juga ada di {} dengan {}; baris itu ditolak ({}), tetapi keduanya tidak "
                "mungkin benar."
            ),
            pl.col("origin"),
            pl.col("_diff"),
            pl.col("why").str.strip_chars_end(".").fill_null(gettext("ditolak")),
        ).alias("message"),
        pl.lit(
            gettext(
                "Periksa mana yang benar; orang ini ditandai untuk verifikasi. Perbaiki baris yang "
                "ditolak sebelum diunggah ulang."
            )
        ).alias("fix"),
    )
    refused_notes = pairs.select(
        pl.col("src"),
        pl.lit("nik").alias("field"),
        pl.col("nik").alias("value"),
        pl.lit("warning").alias("severity"),
        pl.lit("conflict_with_accepted").alias("code"),
        pl.format(
            gettext("NIK ini juga ada di {} yang diterima, dengan {}."),
            pl.col("origin_ok"),
            pl.col("_diff"),
        ).alias("message"),
        pl.lit(gettext("Samakan data kedua baris sesuai KTP sebelum mengunggah ulang.")).alias(
            "fix"
        ),
    )
    return flags, pl.concat([flags, refused_notes])
