"""How offices lay sheets out, read before the rows are checked.

Offices do not keep one row per person with every cell filled. They merge the regency cell
down a block, write the regency once at the top of each group, put a block header row
("KABUPATEN BOGOR") or a province header ("PROVINSI ACEH") above the rows it covers, close
with totals ("JUMLAH KABUPATEN BOGOR") and a signature block, leave an example row from the
template ("Siti Aminah, S.Sos (contoh)"), and keep one incentive column per month. This module
turns that into rows the validation can read, and says what it did:

1. Merged cells apply to every row they cover (the value sits in the top-left cell only).
2. Non-data rows get a reason (``_skip``) and are skipped and counted, never refused as data:
   examples, signature/closing lines, province headers, block headers, totals.
3. A block header sets the regency (a province header the province) of the rows under it
   whose cell is empty; a value written only on a group's first row is carried down that
   group, but only where the layout shows it (see ``_written_once``), never to fill a gap.
4. A wide layout's incentive is the latest month with an amount in each row.

The result keeps the sheet's columns (``c<i>``/``k<i>``) and adds, per field it filled,
``f_<field>``/``k_<field>`` (the value and kind to use) and ``_origin_<field>`` (where it came
from), which ``imports.validation.standardise`` picks up. Every step adds a note (a dict with
``kind`` and an Indonesian ``text``) for the report and the preview.
"""

from __future__ import annotations

import re
from typing import Any

import polars as pl
from django.utils.translation import gettext, gettext_lazy

from imports import parsing
from imports.columns import SheetMapping, column_letter
from imports.reading import Kind, ProgressFn, Sheet

# Reasons a row holds no person, as the report names them.
SKIP_LABELS = {
    "kosong": gettext_lazy("baris kosong"),
    "jumlah": gettext_lazy("baris jumlah/total"),
    "judul_kolom": gettext_lazy("judul kolom yang berulang"),
    "nomor_kolom": gettext_lazy("baris nomor kolom"),
    "keterangan": gettext_lazy("baris keterangan/judul bagian"),
    "judul_blok": gettext_lazy("judul blok kabupaten/kota"),
    "judul_provinsi": gettext_lazy("judul provinsi"),
    "tanda_tangan": gettext_lazy("tanda tangan/penutup"),
    "contoh": gettext_lazy("baris contoh"),
}
TOTALS = r"(?i)^\W*(JUMLAH|TOTAL|GRAND\s*TOTAL|SUB\s*-?\s*TOTAL|REKAPITULASI)\b"
EXAMPLE = r"(?i)\b(CONTOH|EXAMPLE|SAMPLE)\b"
SIGNATURE = (
    r"(?i)(\bNIP\b|\bNRP\b|MENGETAHUI|^\W*KEPALA\b|BENDAHARA|SEKRETARIS|\bPPK\b|"
    r"PEJABAT\s+PEMBUAT|^\W*KETUA\b|\bTTD\b|TANDA\s*TANGAN|DIBUAT\s+OLEH|DISETUJUI|"
    r"DIPERIKSA\s+OLEH|YANG\s+MEMBUAT|^\W*\(?\s*\.{3,}|^\W*_{3,}|^\W*\(\s*\)\W*$|"
    r"^[A-Za-z][A-Za-z .'-]+,\s*\d{1,2}\s+[A-Za-z]+\s+\d{4}\s*$)"
)
_ENUM = r"(?i)^\W*(?:(?:[IVXLC]{1,5}|\d{1,3}|[A-Za-z])[.)]\s*)?"
PROVINCE_HEADER = _ENUM + r"(?:PROVINSI|PROPINSI|PROV\.?)\s+(?P<name>\S.*?)\W*$"
# "KAB/KOTA: Bogor", "Wilayah: Kota Bogor"; "KABUPATEN BOGOR", "II. KAB. BOGOR"; "32.01 …".
# (The labelled form is tried first: Rust's regex has no look-ahead to keep "KAB/KOTA" out of
# the plain form.)
LABELLED_BLOCK = (
    _ENUM + r"(?:KAB(?:UPATEN)?\s*/\s*KOTA|WILAYAH|LOKASI(?:\s+TUGAS)?)\s*:\s*(?P<name>\S.*?)\W*$"
)
BLOCK_HEADER = (
    _ENUM + r"(?P<name>(?:KABUPATEN|KAB\b\.?|KOTA\b|KOTAMADYA|KODYA|PEMKAB|PEMKOT)\s*\S.*?)\W*$"
)
CODE_BLOCK = _ENUM + r"(?P<name>\d{2}\.\d{2})\b"
# Merged cells of these fields are not carried down: one person written over two lines is
# not two people.
NOT_CARRIED = {"no", "nik", "name"}
# Fields a block header, a province header or a value written once per group may fill.
CARRIED = ("regency", "province")


def _col(mapping: SheetMapping, key: str) -> pl.Expr:
    index = mapping.columns.get(key)
    return pl.col(f"c{index}") if index is not None else pl.lit("", dtype=pl.String)


def rows_text(rows: list[int]) -> str:
    """[5, 6, 7, 9] -> '5–7, 9'."""
    parts, start, prev = [], None, None
    for row in sorted(rows):
        if start is None:
            start = prev = row
        elif prev is not None and row == prev + 1:
            prev = row
        else:
            parts.append(f"{start}–{prev}" if prev != start else str(start))
            start = prev = row
    if start is not None:
        parts.append(f"{start}–{prev}" if prev != start else str(start))
    return ", ".join(parts)


def layout_apply(
    frame: pl.DataFrame,
    *,
    mapping: SheetMapping,
    merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None,
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """The sheet's rows as the validation should read them, and what was done (see module)."""
    notes: list[dict[str, Any]] = []
    if "_text" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("_text"))
    frame = _merged_fill(frame, mapping, merged or [], notes)
    frame = _classify(frame, mapping)
    frame = _carry(frame, mapping, notes)
    frame = _months(frame, mapping, notes)
    return frame, notes


def _merged_fill(
    frame: pl.DataFrame,
    mapping: SheetMapping,
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    notes: list[dict[str, Any]],
) -> pl.DataFrame:
    """Each merged range over data rows: its top-left value in every row it covers."""
    if not frame.height or not merged:
        return frame
    # polars types min()/max() as any literal; ``row`` is an Int64 column.
    first_row = int(frame["row"].min())  # type: ignore[arg-type]
    key_of = {c: k for k, c in mapping.columns.items()}
    ranges = [
        (r0 + 1, c0, r1 + 1, c1)  # 1-based sheet rows
        for (r0, c0), (r1, c1) in merged
        if r1 > r0 and r0 + 1 >= first_row and key_of.get(c0) not in (None, *NOT_CARRIED)
    ]
    # The top-left values, read in one pass (a sheet may hold a merge per block).
    tops = frame.filter(pl.col("row").is_in([t for t, *_ in ranges])).select(
        "row", *{f"c{c0}" for _, c0, _, _ in ranges}
    )
    top_value = {
        (row[0], c0): row[tops.columns.index(f"c{c0}")]
        for row in tops.iter_rows()
        for _, c0, _, _ in ranges
    }
    fills: dict[int, list[tuple[int, int]]] = {}  # column -> [(covered row, top row)]
    for top, c0, bottom, c1 in ranges:
        key = key_of[c0]
        fills.setdefault(c0, []).extend((row, top) for row in range(top + 1, bottom + 1))
        ref = f"{column_letter(c0)}{top}:{column_letter(c1)}{bottom}"
        value = [top_value.get((top, c0), "")]
        if value and value[0]:
            notes.append(
                {
                    "kind": "sel_gabungan",
                    "field": key,
                    "rows": rows_text(list(range(top, bottom + 1))),
                    "text": gettext(
                        "Sel gabungan {ref} ({column} '{value}') berlaku untuk baris {rows}."
                    ).format(
                        ref=ref,
                        column=mapping.label_of(key),
                        value=value[0],
                        rows=f"{top}–{bottom}",
                    ),
                }
            )
    for column, pairs in fills.items():
        key = key_of[column]
        cover = pl.DataFrame(pairs, schema={"row": pl.Int64, "_top": pl.Int64}, orient="row")
        tops = frame.select(
            pl.col("row").alias("_top"),
            pl.col(f"c{column}").alias("_mv"),
            pl.col(f"k{column}").alias("_mk"),
        )
        cover = cover.join(tops, on="_top", how="inner")
        frame = frame.join(cover, on="row", how="left", maintain_order="left")
        take = pl.col("_mv").is_not_null() & (pl.col(f"c{column}") == "")
        origin = pl.format(gettext("sel gabungan dari baris {}"), pl.col("_top"))
        frame = frame.with_columns(
            pl.when(take).then(pl.col("_mv")).otherwise(pl.col(f"c{column}")).alias(f"c{column}"),
            pl.when(take).then(pl.col("_mk")).otherwise(pl.col(f"k{column}")).alias(f"k{column}"),
            *(
                [pl.when(take).then(origin).otherwise(None).alias(f"_origin_{key}")]
                if key in CARRIED
                else []
            ),
        ).drop("_top", "_mv", "_mk")
    return frame


def _classify(frame: pl.DataFrame, mapping: SheetMapping) -> pl.DataFrame:
    """``_skip``: why a row holds no person (null for data rows), and ``_label``: its text."""
    nik, name, no = _col(mapping, "nik"), _col(mapping, "name"), _col(mapping, "no")
    mapped = [pl.col(f"c{c}") for c in sorted(set(mapping.columns.values()))]
    # Computed once into a column: the expression is used by every rule below.
    frame = frame.with_columns(
        (nik.str.replace_all(r"[^0-9]", "").str.len_bytes() >= 15).alias("_nik_like")
    )
    nik_like = pl.col("_nik_like")
    sparse = pl.col("_text").is_not_null()
    # A row's text, for the rows that may be headers, totals or signatures: those without a
    # NIK, and the sparse ones (the checks below are cheap on an empty text).
    label = (
        pl.when(sparse & (pl.col("_text") != ""))
        .then(pl.col("_text"))
        .when(~nik_like)
        .then(pl.concat_str([no, name, nik], separator=" | ").str.strip_chars(" |"))
        .otherwise(pl.lit(""))
        .str.strip_chars()
    )
    frame = frame.with_columns(label.alias("_label"))
    lab = pl.col("_label")
    blank = pl.all_horizontal([c == "" for c in mapped] or [pl.lit(True)]) & (lab == "")
    # Templates mark their example row in the No, Nama or NIK cell ("Contoh", "… (contoh)").
    example = pl.any_horizontal([c.str.contains(EXAMPLE) for c in (no, name, nik)]) | (
        sparse & lab.str.contains(EXAMPLE)
    )
    totals = lab.str.contains(TOTALS)
    signature = lab.str.contains(SIGNATURE)
    reason = (
        pl.when(example)
        .then(pl.lit("contoh"))
        .when(~nik_like & signature)
        .then(pl.lit("tanda_tangan"))
        .when(~nik_like & lab.str.contains(PROVINCE_HEADER))
        .then(pl.lit("judul_provinsi"))
        .when(~nik_like & totals)
        .then(pl.lit("jumlah"))
        .when(
            ~nik_like
            & sparse
            & (
                lab.str.contains(LABELLED_BLOCK)
                | lab.str.contains(BLOCK_HEADER)
                | lab.str.contains(CODE_BLOCK)
            )
        )
        .then(pl.lit("judul_blok"))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    frame = frame.with_columns(reason.alias("_skip"), blank.alias("_blank"))
    # Below the last person, once a blank, totals or signature row has closed the table, the
    # few-cell rows that follow are the signature block (a name, "NIP. …", a date line).
    nik_rows = frame.filter(nik_like)["row"]
    if nik_rows.len():
        # polars types min()/max() as any literal; ``row`` is an Int64 column.
        last = int(nik_rows.max())  # type: ignore[arg-type]
        closers = frame.filter(
            (pl.col("row") > last)
            & (pl.col("_blank") | pl.col("_skip").is_in(["jumlah", "tanda_tangan"]))
        )["row"]
        if closers.len():
            # polars types min()/max() as any literal; ``row`` is an Int64 column.
            closed = int(closers.min())  # type: ignore[arg-type]
            frame = frame.with_columns(
                pl.when(
                    pl.col("_skip").is_null()
                    & ~pl.col("_blank")
                    & sparse
                    & (pl.col("row") > closed)
                )
                .then(pl.lit("tanda_tangan"))
                .otherwise(pl.col("_skip"))
                .alias("_skip")
            )
    return frame


def _carry(frame: pl.DataFrame, mapping: SheetMapping, notes: list[dict[str, Any]]) -> pl.DataFrame:
    """Regency and province from block headers, province headers and values written once."""
    skip, lab = pl.col("_skip"), pl.col("_label")
    block_name = pl.coalesce(
        lab.str.extract(LABELLED_BLOCK, 1),
        lab.str.extract(BLOCK_HEADER, 1),
        lab.str.extract(CODE_BLOCK, 1),
    ).str.strip_chars()
    province_name = lab.str.extract(PROVINCE_HEADER, 1).str.strip_chars()
    is_data = skip.is_null() & ~pl.col("_blank")
    frame = frame.with_columns(
        skip.is_in(["judul_blok", "judul_provinsi", "jumlah"])
        .fill_null(False)
        .cum_sum()
        .alias("_seg"),
        (skip == "judul_provinsi").fill_null(False).cum_sum().alias("_pseg"),
        (~is_data).cum_sum().alias("_blk"),
        is_data.alias("_data"),
        pl.when(skip == "judul_blok").then(block_name).alias("_hdr"),
        pl.when(skip == "judul_provinsi").then(province_name).alias("_phdr"),
    ).with_columns(
        pl.col("_hdr").first().over("_seg").alias("_hdr"),
        pl.col("row").first().over("_seg").alias("_hdr_row"),
        pl.col("_phdr").first().over("_pseg").alias("_phdr"),
        pl.col("row").first().over("_pseg").alias("_phdr_row"),
    )
    for key, header, header_row, what in (
        ("regency", "_hdr", "_hdr_row", gettext("judul blok")),
        ("province", "_phdr", "_phdr_row", gettext("judul provinsi")),
    ):
        cell = _col(mapping, key)
        kind = (
            pl.col(f"k{mapping.columns[key]}")
            if key in mapping.columns
            else pl.lit(Kind.EMPTY, dtype=pl.UInt8)
        )
        origin = pl.col(f"_origin_{key}") if f"_origin_{key}" in frame.columns else pl.lit(None)
        from_header = pl.col("_data") & (cell == "") & pl.col(header).is_not_null()
        frame = frame.with_columns(
            pl.when(from_header).then(pl.col(header)).otherwise(cell).alias(f"f_{key}"),
            pl.when(from_header)
            .then(pl.lit(Kind.TEXT))
            .otherwise(kind)
            .cast(pl.UInt8)
            .alias(f"k_{key}"),
            pl.when(from_header)
            .then(pl.format("{} baris {} ('{}')", pl.lit(what), pl.col(header_row), pl.col(header)))
            .otherwise(origin)
            .cast(pl.String)
            .alias(f"_origin_{key}"),
        )
        used = frame.filter(from_header)
        for start, text, rows in (
            used.group_by(header_row, header, maintain_order=True).agg(pl.col("row")).iter_rows()
            if used.height
            else []
        ):
            notes.append(
                {
                    "kind": "judul_blok" if key == "regency" else "judul_provinsi",
                    "field": key,
                    "rows": rows_text(rows),
                    "text": gettext(
                        "Baris {start} '{text}' adalah {what}: {column} yang kosong di baris "
                        "{rows} diisi dari judul itu ({n} baris)."
                    ).format(
                        start=start,
                        text=text,
                        what=what,
                        column=mapping.label_of(key),
                        rows=rows_text(rows),
                        n=len(rows),
                    ),
                }
            )
        if key in mapping.columns:
            frame = _written_once(frame, mapping, key, notes)
    return frame.drop("_seg", "_pseg", "_hdr", "_hdr_row", "_phdr", "_phdr_row")


def _written_once(
    frame: pl.DataFrame, mapping: SheetMapping, key: str, notes: list[dict[str, Any]]
) -> pl.DataFrame:
    """A value written only on the first row of each group, carried down the group.

    A group is a run of data rows between non-data rows. It is carried only when the layout
    shows it: the group's first row has the value, some rows below are empty, no two adjacent
    rows repeat the same value (written once means never written twice in a row), and at most
    half of the group's rows are filled. A list with the odd empty cell fails these, and its
    rows stay empty (and are refused as such): a gap is never filled from the row above.
    """
    value, data = pl.col(f"f_{key}"), pl.col("_data")
    rows = frame.filter(data).select("row", "_blk", value.alias("v"))
    if not rows.height:
        return frame
    stats = (
        rows.with_columns(
            ((pl.col("v") != "") & (pl.col("v") == pl.col("v").shift(1).over("_blk")))
            .fill_null(False)
            .alias("_same")
        )
        .group_by("_blk")
        .agg(
            pl.len().alias("n"),
            (pl.col("v") != "").sum().alias("filled"),
            (pl.col("v").first() != "").alias("first"),
            pl.col("_same").any().alias("same"),
        )
        .filter(
            pl.col("first")
            & (pl.col("filled") < pl.col("n"))
            & ~pl.col("same")
            & (pl.col("filled") * 2 <= pl.col("n"))
        )
    )
    if not stats.height:
        return frame
    carried = (
        rows.filter(pl.col("_blk").is_in(stats["_blk"].implode()))
        .with_columns(
            pl.when(pl.col("v") != "").then(pl.col("v")).forward_fill().over("_blk").alias("_cv"),
            pl.when(pl.col("v") != "").then(pl.col("row")).forward_fill().over("_blk").alias("_cr"),
        )
        .filter(pl.col("v") == "")
        .select("row", "_cv", "_cr")
    )
    for source, text, covered in (
        carried.group_by("_cr", "_cv", maintain_order=True).agg(pl.col("row")).iter_rows()
    ):
        notes.append(
            {
                "kind": "isi_ke_bawah",
                "field": key,
                "rows": rows_text(covered),
                "text": gettext(
                    "{column} ditulis sekali per kelompok: '{text}' (baris {source}) dipakai juga "
                    "untuk baris {rows}."
                ).format(
                    column=mapping.label_of(key), text=text, source=source, rows=rows_text(covered)
                ),
            }
        )
    frame = frame.join(carried, on="row", how="left", maintain_order="left")
    take = pl.col("_cv").is_not_null()
    return frame.with_columns(
        pl.when(take).then(pl.col("_cv")).otherwise(value).alias(f"f_{key}"),
        pl.when(take)
        .then(pl.lit(Kind.TEXT))
        .otherwise(pl.col(f"k_{key}"))
        .cast(pl.UInt8)
        .alias(f"k_{key}"),
        pl.when(take)
        .then(pl.format(gettext("ditulis sekali per kelompok di baris {}"), pl.col("_cr")))
        .otherwise(pl.col(f"_origin_{key}"))
        .alias(f"_origin_{key}"),
    ).drop("_cv", "_cr")


def _months(
    frame: pl.DataFrame, mapping: SheetMapping, notes: list[dict[str, Any]]
) -> pl.DataFrame:
    """A wide layout's incentive: per row, the latest month with an amount (not 0 or "-")."""
    if not mapping.months:
        return frame
    # Left to right is the order of months, unless every month names its year.
    if all(int(m[2] or 0) for m in mapping.months):
        ordered = sorted(mapping.months, key=lambda m: (int(m[2]), int(m[1]), int(m[0])))
    else:
        ordered = sorted(mapping.months, key=lambda m: int(m[0]))
    letters = [column_letter(int(m[0])) for m in ordered]
    labels = gettext("kolom {first}–{last}: {months}").format(
        first=letters[0], last=letters[-1], months=", ".join(str(m[3]) for m in ordered)
    )
    ignored = "; ".join(
        gettext("'{label}' (kolom {letter}, {why})").format(
            label=i[1], letter=column_letter(int(i[0])), why=i[2]
        )
        for i in mapping.ignored
    )
    if "incentive" in mapping.columns:
        notes.append(
            {
                "kind": "bulan",
                "field": "incentive",
                "rows": "",
                "text": gettext(
                    "Kolom bulanan ({labels}) tidak dibaca: insentif diambil dari kolom '{column}'."
                ).format(labels=labels, column=mapping.label_of("incentive"))
                + (
                    " " + gettext("Diabaikan juga: {ignored}.").format(ignored=ignored)
                    if ignored
                    else ""
                ),
            }
        )
        return frame
    amount = {}
    for column, *_ in ordered:
        values = frame[f"c{column}"].unique().to_list()
        parsed = [parsing.parse_money(_number(v)) if v else None for v in values]
        amount[column] = pl.col(f"c{column}").replace_strict(
            values, parsed, default=None, return_dtype=pl.Int64
        )
    latest_first = list(reversed(ordered))
    has = [(amount[m[0]].fill_null(0) > 0) for m in latest_first]
    chosen_text = pl.coalesce(
        [pl.when(h).then(pl.col(f"c{m[0]}")) for h, m in zip(has, latest_first, strict=True)]
    )
    chosen_kind = pl.coalesce(
        [pl.when(h).then(pl.col(f"k{m[0]}")) for h, m in zip(has, latest_first, strict=True)]
    )
    chosen_month = pl.coalesce(
        [pl.when(h).then(pl.lit(str(m[3]))) for h, m in zip(has, latest_first, strict=True)]
    )
    frame = frame.with_columns(
        chosen_text.fill_null("").alias("f_incentive"),
        chosen_kind.fill_null(Kind.EMPTY).cast(pl.UInt8).alias("k_incentive"),
        chosen_month.alias("_incentive_month"),
    )
    used = (
        frame.filter(pl.col("_incentive_month").is_not_null() & pl.col("_skip").is_null())
        .group_by("_incentive_month", maintain_order=True)
        .len()
    )
    per_month = {m: n for m, n in used.iter_rows()}
    taken = ", ".join(
        gettext("{month} ({n} baris)").format(month=m[3], n=per_month[str(m[3])])
        for m in latest_first
        if str(m[3]) in per_month
    )
    notes.append(
        {
            "kind": "bulan",
            "field": "incentive",
            "rows": "",
            "text": gettext(
                "Insentif bulanan dalam {n} kolom ({labels}): dipakai bulan terakhir yang terisi "
                "di tiap baris — {taken}."
            ).format(n=len(ordered), labels=labels, taken=taken or gettext("tidak ada yang terisi"))
            + (" " + gettext("Diabaikan: {ignored}.").format(ignored=ignored) if ignored else "")
            + " "
            + gettext(
                "Riwayat pembayaran per bulan belum disimpan registri; hanya bulan terakhir."
            ),
            "used": [str(m[3]) for m in latest_first if str(m[3]) in per_month],
            "columns": letters,
            "ignored": [column_letter(int(i[0])) for i in mapping.ignored],
        }
    )
    return frame


def _number(text: str) -> object:
    """Month cells come as text; numbers as written by ``parsing.text`` read back as numbers."""
    return int(text) if re.fullmatch(r"\d+", text or "") else text


# Sheets that hold no roster: instructions, code lists and lookups, recaps and charts. Their
# rows (an instructions sheet's example row too) are never data.
_NOT_DATA_SHEET = re.compile(
    r"(?i)\b(PETUNJUK|PANDUAN|CARA\s*(PENGISIAN|MENGISI)|INSTRUKSI|KETERANGAN|PENJELASAN|"
    r"README|BACA\s*SAYA|REFERENSI|REFERENCE|DAFTAR\s*KODE|KODE\s*WILAYAH|LOOKUP|"
    r"DROPDOWN|PILIHAN|CONTOH|EXAMPLE|LEGEND[A]?|REKAP(ITULASI)?|RINGKASAN|SUMMARY|"
    r"GRAFIK|CHART|STATISTIK)\b"
)
_INSTRUCTIONS_TITLE = re.compile(
    r"(?i)\b(PETUNJUK\s+PENGISIAN|CARA\s+(PENGISIAN|MENGISI)|PANDUAN\s+PENGISIAN)\b"
)


def not_data_sheet(sheet: Sheet) -> str:
    """Why a sheet is not read as data (an Indonesian note), or "" when it is a roster.

    By its name ("Petunjuk", "Kode Wilayah", "Rekap") or its title ("PETUNJUK PENGISIAN" above
    any header). A workbook whose every sheet is named so is read anyway: a lone "Rekap" that
    holds the people is the roster, and its rows are checked like any others.
    """
    title = " ".join(str(v) for row in sheet.head[:5] for v in row if str(v).strip())
    by_name = bool(_NOT_DATA_SHEET.search(sheet.name))
    if by_name and sheet.siblings and all(_NOT_DATA_SHEET.search(n) for n in sheet.siblings):
        return ""
    if by_name:
        return gettext(
            "Lembar '{name}' adalah lembar petunjuk/rekap/referensi; barisnya tidak dibaca."
        ).format(name=sheet.name)
    # A title "PETUNJUK PENGISIAN" marks an instructions sheet, unless NIKs follow: templates
    # also put their instructions above the roster itself.
    niks = sum(1 for row in sheet.head if any(len(re.sub(r"\D", "", str(v))) >= 15 for v in row))
    if _INSTRUCTIONS_TITLE.search(title) and niks <= 2:
        return gettext(
            "Lembar '{name}' berjudul petunjuk pengisian; barisnya tidak dibaca."
        ).format(name=sheet.name)
    return ""


def sheet_read(
    sheet: Sheet,
    mapping: SheetMapping,
    *,
    progress: ProgressFn | None = None,
    limit: int | None = None,
) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
    """A sheet's data rows as the validation reads them, after its layout (merged cells,
    blocks, non-data rows, month columns: ``imports.layout``), and the notes on that."""
    frame = sheet.frame(
        columns=mapping.read_columns,
        first_row=mapping.first_data_row,
        progress=progress,
        limit=limit,
        row_text=True,
    )
    return layout_apply(frame, mapping=mapping, merged=sheet.merged)
