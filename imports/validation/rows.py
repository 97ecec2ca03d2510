"""The row checks: ``rows_validate``, in the order the report lists them, and its result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl
from django.utils import timezone

from accounts.models import User
from imports import parsing
from imports.reading import Kind
from imports.regions import RegionIndex
from imports.validation.contacts import phone_expr
from imports.validation.dates import _birth_checks
from imports.validation.engagement import _engagement_checks
from imports.validation.frames import FIELD_KEYS, _issue, _map_unique, _mapped_fields, _skip_mask
from imports.validation.names import name_frame
from imports.validation.places import _region_checks
from regions.selectors import region_code_sets
from registry.bulk import NOTE_SCHEMA, ROW_SCHEMA, nik_check_frame
from registry.models import EmploymentStatus, Programme

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
    step = progress or (lambda done, total, message="": None)
    today = today or timezone.localdate()
    provinces, regencies = region_code_sets()
    skip = frame.select(_skip_mask().alias("skip"))["skip"]
    skipped = {
        (f, s): n for f, s, n in frame.filter(skip).group_by("file", "sheet").len().iter_rows()
    }
    df = frame.filter(~skip) if skip.any() else frame
    del frame  # the caller hands the frame over; keep one copy, not two
    sources = df.select("src", "file", "sheet", "row")
    mapped = _mapped_fields(df)
    values = df.select(["src", *FIELD_KEYS])
    issues: list[pl.DataFrame] = []
    step(1, 8, "Memeriksa NIK")

    # NIK: a numeric cell is rejected before anything else (Excel kept 15 digits of it).
    raw_nik = pl.col("nik")
    numeric = (pl.col("nik__k") == Kind.NUMBER) | raw_nik.str.contains(
        r"^\d(?:[.,]\d+)?[eE]\+?\d+$"
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
    for code, (message, fix) in NIK_MESSAGES.items():
        bad = df.filter(pl.col("nik_error") == code)
        if not bad.height:
            continue
        if code == "nik_length":
            message = pl.format(
                "NIK harus 16 digit, bukan {} digit.", pl.col("nik_clean").str.len_chars()
            )
        issues.append(
            _issue(bad, field_key="nik", severity="reject", code=code, message=message, fix=fix)
        )
    niks_seen = df.filter(pl.col("nik_error").is_null())["nik_clean"].unique()

    # Names and titles: plain "NAME" and "NAME, S.Sos" by expressions, the rest by the parser.
    step(2, 8, "Memeriksa nama")
    df = name_frame(df, "name")
    issues.append(
        _issue(
            df.filter(pl.col("full_name").fill_null("") == ""),
            field_key="name",
            severity="reject",
            code="name_missing",
            message="Nama kosong.",
            fix="Isi nama lengkap sesuai KTP.",
        )
    )
    issues.append(
        _issue(
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
    df = _birth_checks(df, issues)

    # Where the person serves, and whether the operator may write there.
    step(4, 8, "Memeriksa wilayah")
    df = _region_checks(df, regions, issues, actor=actor, programme=programme)

    # Engagement facts.
    step(5, 8, "Memeriksa jabatan, status dan insentif")
    df = _engagement_checks(
        df, issues, programme=programme, mapped=mapped, default_status=default_status
    )

    # Contact and education.
    step(6, 8, "Memeriksa kontak dan pendidikan")
    df = df.with_columns(phone_expr(pl.col("phone"), pl.col("phone__k")).alias("_phone"))
    issues.append(
        _issue(
            df.filter((pl.col("phone") != "") & pl.col("_phone").is_null()),
            field_key="phone",
            severity="warning",
            code="phone_unreadable",
            message=pl.format("Nomor HP '{}' tidak terbaca; tidak dicatat.", pl.col("phone")),
            fix="Tulis nomor seperti 0812-3456-7890 atau +62 812 3456 7890.",
        )
    )
    df = _map_unique(
        df,
        ["education"],
        lambda v: parsing.parse_education(v) if v else (None, None),
        {"_education_level": pl.String, "_education_field": pl.String},
    )
    email_ok = pl.col("email").str.contains(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    issues.append(
        _issue(
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
    )
