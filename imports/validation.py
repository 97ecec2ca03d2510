"""Turning the cells of legacy sheets into validated registry rows, column by column.

The sheets' frames are stacked into one frame with a column per field (``nik``, ``name``…)
and its cell kind (``nik__k``…). Checks are polars expressions over whole columns; the value
parsers of ``imports.parsing`` run once per distinct value (dates, regions, money, status
words repeat a lot) and are joined back. NIKs, names and phones, nearly all distinct, are
handled by expressions (NIK rules: ``registry.bulk.nik_check_frame``).

Result: the accepted rows in the column contract of ``registry.bulk.ROW_SCHEMA`` and one
issue per problem (row, field, value, severity, code, message, fix). Severities: ``reject``
(the row does not enter), ``flag`` (it enters and is marked for verification), ``warning``
(it enters; a value was left out or defaulted, and the report says so).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from accounts import access
from accounts.models import User
from imports import parsing
from imports.columns import FIELD_BY_KEY, FIELDS, SheetMapping
from imports.reading import Kind
from imports.regions import RegionIndex
from regions.selectors import region_code_sets
from registry.bulk import NOTE_SCHEMA, ROW_SCHEMA, nik_check_frame
from registry.models import EmploymentStatus, Programme

FIELD_KEYS = [f.key for f in FIELDS]
TOTALS = r"(?i)^\s*(JUMLAH|TOTAL|GRAND\s*TOTAL|SUB\s*-?\s*TOTAL|REKAPITULASI)\b"
MAX_LENGTHS = {"full_name": 150, "legacy_title": 200, "sk_number": 100}
ProgressFn = Callable[[int, int, str], None]


@dataclass
class SheetInput:
    file_name: str
    sheet: str
    mapping: SheetMapping
    frame: pl.DataFrame  # row, c<i>, k<i> for the mapped columns


@dataclass
class Validated:
    rows: pl.DataFrame  # accepted rows, registry.bulk.ROW_SCHEMA (+ origin)
    issues: pl.DataFrame  # NOTE_SCHEMA
    sources: pl.DataFrame  # src, file, sheet, row for every data row (skipped rows excluded)
    skipped: dict[tuple[str, str], int] = field(default_factory=dict)
    niks_seen: pl.Series | None = None  # valid NIKs in any row, rejected or not
    values: pl.DataFrame | None = None  # src + the raw text of every field, rejected rows only


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
            if index is not None and f"c{index}" in frame.columns:
                exprs.append(pl.col(f"c{index}").fill_null("").alias(key))
                exprs.append(pl.col(f"k{index}").fill_null(Kind.EMPTY).alias(f"{key}__k"))
            else:
                exprs.append(pl.lit("", dtype=pl.String).alias(key))
                exprs.append(pl.lit(Kind.EMPTY, dtype=pl.UInt8).alias(f"{key}__k"))
        frames.append(frame.select(exprs))
    stacked = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    return stacked.with_row_index("src").with_columns(pl.col("src").cast(pl.Int64))


def _skip_mask() -> pl.Expr:
    """Rows that hold no person: blank, totals, repeated headers, column numbers, sections."""
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
        blank
        | (totals & ~pl.col("nik").str.contains(r"\d{10}"))
        | header_again
        | numbers
        | (no_person & (filled <= 1))
    )


def _map_unique(
    frame: pl.DataFrame, keys: list[str], fn: Callable[..., tuple], schema: dict[str, Any]
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


def _value(text: str, kind: int) -> object:
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


def _issue(
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
        (value if value is not None else pl.col(field_key)).cast(pl.String).alias("value"),
        pl.lit(severity).alias("severity"),
        pl.lit(code).alias("code"),
        lit(message).cast(pl.String).alias("message"),
        lit(fix).cast(pl.String).alias("fix"),
    )


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


def rows_validate(  # noqa: C901 - one pass over the checks, in the order the report lists them
    *,
    frame: pl.DataFrame,
    actor: User,
    programme: Programme,
    regions: RegionIndex,
    default_status: str = EmploymentStatus.CONTRACT,
    progress: ProgressFn | None = None,
    today: dt.date | None = None,
) -> Validated:
    """Validate the stacked frame of ``standardise``; see the module docstring."""
    step = progress or (lambda done, total, message="": None)
    today = today or dt.date.today()
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
            rest = _map_unique(
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
    df = _dates(df, "_bd_text", "_bd_kind", "stated_birth_date")
    unreadable = df.filter((pl.col("_bd_text") != "") & pl.col("stated_birth_date").is_null())
    issues.append(
        _issue(
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
    df = _map_unique(df, ["sex"], lambda v: (parsing.parse_sex(v),), {"stated_sex": pl.String})
    issues.append(
        _issue(
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

    # Where the person serves, and whether the operator may write there.
    step(4, 8, "Memeriksa wilayah")
    df = _map_unique(
        df,
        ["province", "regency", "regency__k"],
        lambda p, r, k: _region(regions, p, r, k),
        {
            "regency_id": pl.String,
            "_region_error": pl.String,
            "_region_message": pl.String,
            "_region_fix": pl.String,
            "_district_from_code": pl.String,
        },
    )
    for code in ("region_missing", "region_unknown", "region_ambiguous", "region_mismatch"):
        bad = df.filter(pl.col("_region_error") == code)
        if bad.height:
            issues.append(
                _issue(
                    bad,
                    field_key="regency",
                    severity="reject",
                    code=code,
                    message=pl.col("_region_message"),
                    fix=pl.col("_region_fix"),
                )
            )
    scope = {
        code: access.can_write_at(actor, programme=programme, regency_code=code)
        for code in df["regency_id"].drop_nulls().unique().to_list()
    }
    outside = [code for code, ok in scope.items() if not ok]
    if outside:
        bad = df.filter(pl.col("regency_id").is_in(outside))
        issues.append(
            _issue(
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

    # Engagement facts.
    step(5, 8, "Memeriksa jabatan, status dan insentif")
    default_title = programme.facilitator_title or programme.name
    df = df.with_columns(
        pl.when(pl.col("legacy_title") != "")
        .then(pl.col("legacy_title"))
        .otherwise(pl.lit(default_title))
        .alias("legacy_title_final")
    )
    if "legacy_title" in mapped:
        issues.append(
            _issue(
                df.filter(pl.col("legacy_title") == ""),
                field_key="legacy_title",
                severity="warning",
                code="title_missing",
                message=f"Jabatan kosong; dipakai '{default_title}'.",
                fix="Isi jabatan sebagaimana tertulis di SK.",
            )
        )
    issues.append(
        _issue(
            df.filter(pl.col("legacy_title_final").str.len_chars() > 200),
            field_key="legacy_title",
            severity="reject",
            code="title_too_long",
            message="Jabatan lebih dari 200 karakter.",
            fix="Tulis nama jabatan saja.",
        )
    )
    df = _map_unique(
        df, ["employment_status"], lambda v: (parsing.parse_status(v),), {"_status": pl.String}
    )
    issues.append(
        _issue(
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
            _issue(
                df.filter(pl.col("employment_status") == ""),
                field_key="employment_status",
                severity="warning",
                code="status_missing",
                message=f"Status kepegawaian kosong; dicatat '{default_status}'.",
                fix="Isi salah satu: PNS, PPPK, Kontrak, Honorer, Relawan.",
            )
        )
    df = df.with_columns(pl.col("_status").fill_null(pl.lit(str(default_status))))
    df = _map_unique(
        df,
        ["incentive", "incentive__k"],
        lambda v, k: (parsing.parse_money(_value(v, k)) if v else None,),
        {"_incentive": pl.Int64},
    )
    issues.append(
        _issue(
            df.filter((pl.col("incentive") != "") & pl.col("_incentive").is_null()),
            field_key="incentive",
            severity="warning",
            code="incentive_unreadable",
            message=pl.format("Insentif '{}' tidak terbaca; tidak dicatat.", pl.col("incentive")),
            fix="Tulis angka rupiah, mis. 2500000 atau Rp 2.500.000.",
        )
    )
    df = _dates(df, "sk_date", "sk_date__k", "_sk_date")
    df = _dates(df, "start_date", "start_date__k", "_start_date")
    for key, parsed, label in (
        ("sk_date", "_sk_date", "Tanggal SK"),
        ("start_date", "_start_date", "TMT"),
    ):
        issues.append(
            _issue(
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
        _issue(
            df.filter(pl.col("sk_number").str.len_chars() > 100),
            field_key="sk_number",
            severity="reject",
            code="sk_too_long",
            message="Nomor SK lebih dari 100 karakter.",
            fix="Tulis nomor SK saja.",
        )
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


def _mapped_fields(frame: pl.DataFrame) -> set[str]:
    """Fields with at least one non-empty cell (a column exists for them somewhere)."""
    present = frame.select([(pl.col(k) != "").any().alias(k) for k in FIELD_KEYS]).row(0)
    return {k for k, found in zip(FIELD_KEYS, present, strict=True) if found}


def _split_rest(text: str, kind: int) -> tuple[str, str, int]:
    """Combined place/date cells without a comma (or a date cell): the parser decides."""
    if kind == Kind.DATE:
        return "", text, Kind.DATE
    place, _, date_text = parsing.split_place_date(_value(text, kind))
    if kind == Kind.NUMBER and not place:
        return "", text, Kind.NUMBER
    return place, date_text, Kind.TEXT


def _dates(df: pl.DataFrame, text_col: str, kind_col: str, out: str) -> pl.DataFrame:
    return _map_unique(
        df,
        [text_col, kind_col],
        lambda t, k: (parsing.parse_date(_value(t, k)) if t else None,),
        {out: pl.Date},
    )


def _region(regions: RegionIndex, province: str, regency: str, kind: int) -> tuple:
    result = regions.regency(regency, province_text=province, numeric=kind == Kind.NUMBER)
    return result.code, result.error, result.message, result.fix, result.district


def _districts(df: pl.DataFrame, regions: RegionIndex, issues: list[pl.DataFrame]) -> pl.DataFrame:
    """District and village within the resolved regency; unknown ones are left out (warning)."""
    has_district = (pl.col("district") != "") & pl.col("regency_id").is_not_null()
    rows = df.filter(has_district)
    if rows.height:
        rows = _map_unique(
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
        _issue(
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
        rows = _map_unique(
            rows.select("src", "village", "_district"),
            ["village", "_district"],
            lambda v, d: (regions.village(v, district=d),),
            {"_village": pl.String},
        ).select("src", "_village")
        df = df.join(rows, on="src", how="left", maintain_order="left")
    else:
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias("_village"))
    issues.append(
        _issue(
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


def phone_expr(text: pl.Expr, kind: pl.Expr) -> pl.Expr:
    """``imports.parsing.parse_phone`` as a polars expression (a property test keeps them equal)."""
    first = text.str.replace(r"(?i)(?:[/;,]|\s{2,}|\bATAU\b)[\s\S]*$", "")
    digits = first.str.replace_all(r"\D", "")
    foreign = first.str.strip_chars().str.starts_with("+") & ~digits.str.starts_with("62")
    national = (
        pl.when(digits.str.starts_with("0062"))
        .then(digits.str.slice(4))
        .when(digits.str.starts_with("62"))
        .then(digits.str.slice(2))
        .when(digits.str.starts_with("0"))
        .then(digits.str.slice(1))
        .otherwise(digits)
    )
    ok = (
        ~foreign
        & ~national.str.starts_with("0")
        & national.str.len_chars().is_between(parsing.PHONE_MIN_DIGITS, parsing.PHONE_MAX_DIGITS)
        & (kind != Kind.DATE)
        & (kind != Kind.OTHER)
    )
    return pl.when(ok).then(pl.lit("+62") + national).otherwise(None)
