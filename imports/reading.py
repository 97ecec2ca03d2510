"""Opening legacy files: every sheet of an XLSX/XLS/ODS workbook, or a CSV in any dialect.

A file becomes a list of ``Sheet``s. A sheet shows its first rows as cells (for finding the
header) and, once the columns are known, turns the data rows into a polars frame: per mapped
column the cell as text (``c<i>``) and what kind of cell it was (``k<i>``, see ``Kind``),
plus the 1-based sheet row number. The kind matters: a NIK in a *numeric* cell has already
lost its last digit in Excel, and a date cell needs no guessing.

Memory: python-calamine holds one sheet in memory; the frame is built from it in chunks and
holds only the mapped columns. A CSV is read whole by polars' multi-threaded reader (a
500,000-row file is ~65 MB) unless it has quoted line breaks, which the csv module handles.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice, repeat
from pathlib import Path
from typing import Any, cast

import charset_normalizer
import polars as pl
from python_calamine import CalamineError, CalamineSheet, CalamineWorkbook

from imports.parsing import text
from satupintu.workbooks import WorkbookRefused, upload_check

HEAD_ROWS = 40
CHUNK = 50_000
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
DELIMITERS = [";", ",", "\t", "|"]

ProgressFn = Callable[[int, int, str], None]


class Kind:
    EMPTY, TEXT, NUMBER, DATE, OTHER = 0, 1, 2, 3, 4


class FileReadError(Exception):
    """The file cannot be read at all; the message tells the operator why, in Indonesian."""


_KIND_BY_TYPE = {
    str: Kind.TEXT,
    float: Kind.NUMBER,
    int: Kind.NUMBER,
    bool: Kind.OTHER,
    dt.date: Kind.DATE,
    dt.datetime: Kind.DATE,
    type(None): Kind.EMPTY,
}


def _cell_text(value: object) -> str:
    return value if type(value) is str else text(value)


def _mixed_frame(
    values: list[object] | tuple[object, ...], name: str, kind_name: str
) -> pl.DataFrame | None:
    """Text and numbers in one column (money as "Rp 2.500.000" here and 2500000 there) without
    a Python call per cell: the same text as ``parsing.text`` gives each cell, or None for the
    rare column (fractions, NaN, infinities, numbers beyond 10^18) left to the cell-by-cell
    path."""
    is_text = pl.Series(list(map(isinstance, values, repeat(str))), dtype=pl.Boolean)
    is_float = pl.Series(list(map(isinstance, values, repeat(float))), dtype=pl.Boolean)
    as_text = pl.Series(name, values, dtype=pl.String, strict=False)
    as_number = pl.Series(values, dtype=pl.Float64, strict=False)
    integral = is_float & (as_number == as_number.floor()) & (as_number.abs() < 1e18)
    if (is_float & ~integral).any():
        return None
    return pl.DataFrame(
        [as_text, integral.alias("_i"), is_text.alias("_t"), as_number.alias("_n")]
    ).select(
        pl.when(pl.col("_i"))
        .then(pl.col("_n").cast(pl.Int64).cast(pl.String))
        .otherwise(pl.col(name))
        .alias(name),
        pl.when(pl.col("_t")).then(Kind.TEXT).otherwise(Kind.NUMBER).alias(kind_name),
    )


def column_frame(values: list[object] | tuple[object, ...], index: int) -> pl.DataFrame:
    """One column's cells as text and kind.

    Columns of one type (all text, or all numbers), and text mixed with numbers, are converted
    without a Python call per cell; columns with dates or other cells take one per cell.
    """
    name, kind_name = f"c{index}", f"k{index}"
    types = set(map(type, values))
    frame: pl.DataFrame | None
    if types <= {str}:
        frame = pl.DataFrame([pl.Series(name, values, dtype=pl.String)])
        kind = pl.lit(Kind.TEXT)
    elif types <= {float, int}:
        number = pl.Series(name, values, dtype=pl.Float64)
        # 2100000.0 reads "2100000", as Excel shows it; NaN cells are empty.
        integral = number.is_finite() & (number == number.floor())
        if (integral & (number.abs() < 1e18) | number.is_nan()).all():
            frame = pl.DataFrame([number]).select(
                pl.when(pl.col(name).is_nan())
                .then(pl.lit(""))
                .otherwise(pl.col(name).cast(pl.Int64).cast(pl.String))
                .alias(name)
            )
        else:  # fractions, infinities, numbers beyond Int64: rare, written as parsing.text does
            shown = ["" if v != v else text(v) for v in values]  # v != v: NaN
            frame = pl.DataFrame([pl.Series(name, shown, dtype=pl.String)])
        kind = pl.lit(Kind.NUMBER)
    elif (
        types <= {str, float, int} and (frame := _mixed_frame(values, name, kind_name)) is not None
    ):
        kind = pl.col(kind_name)
    else:
        frame = pl.DataFrame(
            [
                pl.Series(name, list(map(_cell_text, values)), dtype=pl.String),
                pl.Series(
                    kind_name,
                    list(map(_KIND_BY_TYPE.get, map(type, values), repeat(Kind.OTHER))),
                    dtype=pl.UInt8,
                ),
            ]
        )
        kind = pl.col(kind_name)
    return frame.with_columns(pl.col(name).str.strip_chars()).with_columns(
        pl.when(pl.col(name) == "")
        .then(pl.lit(Kind.EMPTY))
        .otherwise(kind)
        .cast(pl.UInt8)
        .alias(kind_name)
    )


@dataclass
class Sheet:
    """One sheet (or the one table of a CSV) of a source file."""

    file_name: str
    name: str
    head: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    n_rows: int = 0
    siblings: tuple[str, ...] = ()  # every sheet name of the workbook, this one included
    _rows: Callable[[], Iterator[list[object]]] | None = None
    _frame: pl.DataFrame | None = None  # CSV: already a frame of text columns c0..cN

    def frame(
        self,
        *,
        columns: list[int],
        first_row: int,
        progress: ProgressFn | None = None,
        limit: int | None = None,
        row_text: bool = False,
    ) -> pl.DataFrame:
        """Rows from ``first_row`` (1-based) to the end (or ``limit`` rows), given columns only.

        ``row_text``: also a column ``_text``, the whole row's non-empty cells joined by " | ",
        for the rows where at most two of the given columns hold something (block headers,
        signature lines, banners written in a column nobody mapped); null elsewhere.
        """
        if self._frame is not None:
            frame = self._csv_frame(columns, first_row, row_text=row_text)
            return frame.head(limit) if limit is not None else frame
        assert self._rows is not None
        rows = self._rows()
        # Skip the rows above the data and cut the rest in chunks without a Python step per row.
        for _ in islice(rows, first_row - 1):
            pass
        parts: list[pl.DataFrame] = []
        start, remaining = first_row, limit
        while True:
            size = CHUNK if remaining is None else min(CHUNK, remaining)
            chunk = list(islice(rows, size))
            if chunk or not parts:
                parts.append(self._chunk_frame(chunk, columns, start, row_text=row_text))
            start += len(chunk)
            if remaining is not None:
                remaining -= len(chunk)
            if len(chunk) < size or remaining == 0:
                break
            if progress:
                progress(start, self.n_rows, f"Membaca {self.file_name} [{self.name}]")
        return pl.concat(parts, how="vertical", rechunk=True)

    @staticmethod
    def _chunk_frame(
        chunk: list[list[object]], columns: list[int], start: int, *, row_text: bool = False
    ) -> pl.DataFrame:
        n = len(chunk)
        frames = [pl.DataFrame({"row": pl.int_range(start, start + n, eager=True, dtype=pl.Int64)})]
        if chunk and len(set(map(len, chunk))) == 1:
            transposed = list(zip(*chunk, strict=True))  # one C pass instead of one per column
        else:
            transposed = [
                tuple(row[i] if i < len(row) else "" for row in chunk)
                for i in range(max((len(r) for r in chunk), default=0))
            ]
        for index in columns:
            values = transposed[index] if index < len(transposed) else ("",) * n
            frames.append(column_frame(values, index))
        frame = pl.concat(frames, how="horizontal")
        if row_text:
            sparse = _sparse_rows(frame, columns)
            texts: list[str | None] = [None] * n
            for i in sparse:
                texts[i] = " | ".join(t for t in map(_cell_text, chunk[i]) if t.strip())
            frame = frame.with_columns(pl.Series("_text", texts, dtype=pl.String))
        return frame

    def _csv_frame(self, columns: list[int], first_row: int, *, row_text: bool) -> pl.DataFrame:
        assert self._frame is not None
        frame = self._frame.slice(first_row - 1)
        width = self._frame.width
        out = [pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias("row")]
        for index in columns:
            if index < width:
                col = pl.col(f"column_{index}").fill_null("").str.strip_chars()
            else:
                col = pl.lit("", dtype=pl.String)
            out.append(col.alias(f"c{index}"))
        frame = frame.select(out)
        frame = frame.with_columns(
            [
                pl.when(pl.col(f"c{i}") == "")
                .then(Kind.EMPTY)
                .otherwise(Kind.TEXT)
                .cast(pl.UInt8)
                .alias(f"k{i}")
                for i in columns
            ]
        )
        if row_text:
            # The whole row's text only for the few sparse rows: joining every cell of every
            # row would cost more than reading the file.
            sparse = _sparse_rows(frame, columns)
            texts: list[str | None] = [None] * frame.height
            if sparse:
                rows = self._frame.slice(first_row - 1)[sparse]
                for i, row in zip(sparse, rows.iter_rows(), strict=True):
                    texts[i] = " | ".join(v.strip() for v in row if v and v.strip())
            frame = frame.with_columns(pl.Series("_text", texts, dtype=pl.String))
        return frame


def _sparse_rows(frame: pl.DataFrame, columns: list[int]) -> list[int]:
    """Positions of the rows where at most two of the given columns hold something."""
    if not frame.height:
        return []
    filled = pl.sum_horizontal(
        [(pl.col(f"k{i}") != Kind.EMPTY).cast(pl.Int32) for i in columns] or [pl.lit(0)]
    )
    return frame.select(pl.arg_where(filled <= 2)).to_series().to_list()


def file_open(path: Path | str, *, name: str | None = None) -> list[Sheet]:
    """Every sheet of the file at ``path``. Raises FileReadError with an Indonesian message."""
    return list(file_sheets(path, name=name))


def file_sheets(path: Path | str, *, name: str | None = None) -> Iterator[Sheet]:
    """The sheets one at a time: a workbook's sheet is loaded when reached, so that a file of
    several large sheets holds one in memory, not all. Raises FileReadError."""
    path = Path(path)
    name = name or path.name
    if not path.exists():
        raise FileReadError(f"Berkas {name} tidak ditemukan.")
    if path.stat().st_size == 0:
        raise FileReadError(f"Berkas {name} kosong.")
    suffix = Path(name).suffix.lower()
    try:
        # Size, zip bomb, entity bomb, password, macros: refused before calamine unpacks.
        upload_check(path, name=name)
    except WorkbookRefused as exc:
        raise FileReadError(str(exc)) from exc
    with open(path, "rb") as fh:
        magic = fh.read(8)
    is_zip = magic.startswith(b"PK\x03\x04")
    is_ole = magic.startswith(b"\xd0\xcf\x11\xe0")
    if suffix in SPREADSHEET_SUFFIXES or is_zip or is_ole:
        yield from _workbook_sheets(path, name)
    elif suffix in CSV_SUFFIXES or not suffix:
        yield _csv_sheet(path.read_bytes(), name)
    else:
        raise FileReadError(
            f"Jenis berkas {name} tidak didukung. Unggah berkas Excel (.xlsx, .xls), "
            "OpenDocument (.ods) atau CSV."
        )


def _workbook_sheets(path: Path, name: str) -> Iterator[Sheet]:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
    except CalamineError as exc:
        raise FileReadError(
            f"Berkas {name} tidak dapat dibuka sebagai lembar kerja ({exc.__class__.__name__}). "
            "Pastikan berkas tidak rusak atau terkunci kata sandi, lalu simpan ulang sebagai .xlsx."
        ) from exc
    except Exception as exc:  # calamine raises plain errors for some broken files
        raise FileReadError(
            f"Berkas {name} tidak dapat dibuka sebagai lembar kerja: {exc}. "
            "Simpan ulang berkas dari Excel atau LibreOffice sebagai .xlsx."
        ) from exc
    for sheet_name in names:
        try:
            sheet = workbook.get_sheet_by_name(sheet_name)
        except CalamineError as exc:
            raise FileReadError(f"Lembar '{sheet_name}' pada {name} tidak terbaca: {exc}.") from exc
        head = sheet.to_python(skip_empty_area=False, nrows=HEAD_ROWS)
        yield Sheet(
            file_name=name,
            name=sheet_name,
            head=[list(row) for row in head],
            merged=list(sheet.merged_cell_ranges or []),
            n_rows=(sheet.end[0] + 1) if sheet.end else 0,
            siblings=tuple(names),
            _rows=_calamine_rows(sheet),
        )
        del sheet  # this generator must not keep the sheet once the caller has moved on


def _calamine_rows(sheet: CalamineSheet) -> Callable[[], Iterator[list[Any]]]:
    """Rows from sheet row 1, with absolute column positions.

    python-calamine's iter_rows starts at row 1 but drops the empty columns left of the data,
    so the offset is put back here; to_python (used for the head) keeps absolute positions.
    """
    offset = sheet.start[1] if sheet.start else 0
    if not offset:
        return sheet.iter_rows
    pad: list[object] = [""] * offset
    return lambda: (pad + row for row in sheet.iter_rows())


def release_freed_memory() -> None:
    """Hand memory a closed workbook freed back to the operating system.

    python-calamine holds a whole sheet in many small C allocations; once the sheet is gone,
    glibc keeps those pages for reuse by C code only, while the polars frames that follow
    allocate elsewhere. ``malloc_trim`` returns them (a 500,000-row sheet is ~450 MB), so the
    import's peak is the larger of the two phases instead of their sum. Elsewhere: no-op.
    """
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
UNREADABLE = "\ufffd"  # what a byte that is not UTF-8 becomes in a UTF-8 file (warned per cell)


def decode(raw: bytes, *, name: str) -> str:
    """The text of a CSV, decoded strictly, its encoding detected per file.

    1. A BOM says UTF-8 or UTF-16. Without one, valid UTF-8 is UTF-8.
    2. Text that is UTF-8 but for a few stray bytes (its accented letters are valid UTF-8
       sequences) stays UTF-8: decoding all of it as Windows-1252 would turn every "ñ" into
       "Ã±" without a word. The stray bytes become U+FFFD, which validation reports by row and
       column (``imports.validation.rows``).
    3. Anything else goes to the detector (charset-normalizer), and is decoded strictly in the
       encoding it finds; a file no encoding reads is refused with what to do.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FileReadError(_unreadable(name)) from exc
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in raw[:4096]:
        raise FileReadError(f"Berkas {name} bukan teks CSV yang dapat dibaca.")
    if body is not raw or _mostly_utf8(body):
        return body.decode("utf-8", errors="replace")
    matches = charset_normalizer.from_bytes(raw)
    best = matches.best()
    if best is None:
        raise FileReadError(_unreadable(name))
    encoding = best.encoding
    # Short Latin text reads the same in several code pages (ñ is ń in Windows-1250); an
    # Indonesian office's old Excel export is Windows-1252, so that wins a tie.
    tied = [m.encoding for m in matches if (m.chaos, -m.coherence) <= (best.chaos, -best.coherence)]
    if "cp1252" in tied:
        encoding = "cp1252"
    try:
        return raw.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise FileReadError(_unreadable(name)) from exc


def _mostly_utf8(raw: bytes) -> bool:
    """UTF-8 with a few stray bytes: more valid multi-byte sequences than bytes that fail."""
    valid = len(_UTF8_MULTIBYTE.findall(raw))
    if not valid:
        return False
    text = raw.decode("utf-8", errors="replace")
    stray = text.count(UNREADABLE) - len(re.findall(rb"\xef\xbf\xbd", raw))
    return stray <= valid


def _unreadable(name: str) -> str:
    return (
        f"Berkas {name} tidak dapat dibaca sebagai teks: encoding-nya tidak dikenali. Buka di "
        "Excel atau LibreOffice lalu simpan ulang sebagai 'CSV UTF-8', kemudian unggah lagi."
    )


def _utf8_bytes(raw: bytes) -> bytes | None:
    """The file's bytes when they already are UTF-8 (BOM removed), else None."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    try:
        # Validation only: the decoded text is dropped at once, polars reads the bytes.
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return raw


def sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines most consistently into more than one field."""
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        counts = [c for c in counts if c > 1]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = counts.count(mode) * mode
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_sheet(raw: bytes, name: str) -> Sheet:
    """A CSV as one sheet. polars reads it (multi-threaded) unless a quoted field spans lines,
    which would shift row numbers; then the csv module does. Only non-UTF-8 files are decoded
    to text first: a 500,000-row file is not held twice."""
    # A NUL is never text in a UTF-8 or single-byte CSV (UTF-16 has them everywhere, but starts
    # with its BOM): it is a damaged or binary file, and PostgreSQL cannot even store the
    # header labels it would give (hypothesis found it).
    if b"\x00" in raw and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileReadError(
            f"Berkas {name} berisi karakter kosong (NUL), jadi bukan teks CSV yang utuh: berkas "
            "rusak atau bukan CSV. Buka berkas aslinya di Excel atau LibreOffice, simpan sebagai "
            "'CSV UTF-8', lalu unggah lagi."
        )
    data = _utf8_bytes(raw)
    # Exactly one of them is set: ``content`` when the bytes are not UTF-8, else ``data``.
    content = decode(raw, name=name) if data is None else None
    sample = (
        content[:20_000]
        if content is not None
        else cast(bytes, data)[:80_000].decode("utf-8", "ignore")
    )
    if not sample.strip():
        raise FileReadError(f"Berkas {name} kosong.")
    delimiter = sniff_delimiter(sample)
    if data is None:
        data = cast(str, content).encode("utf-8")
    del raw
    frame = None
    try:
        frame = pl.read_csv(
            io.BytesIO(data), separator=delimiter, has_header=False, infer_schema=False
        )
    except pl.exceptions.PolarsError:
        frame = None  # a line longer than the first, or a broken quote: the csv module decides
    else:
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if frame.height != lines:  # a quoted field spans lines
            frame = None
    if frame is None:
        text_ = content if content is not None else data.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text_), delimiter=delimiter))
        width = max((len(r) for r in rows), default=0)
        columns = {
            f"column_{i}": pl.Series([r[i] if i < len(r) else "" for r in rows], dtype=pl.String)
            for i in range(width)
        }
        frame = pl.DataFrame(columns)
    # Column names by position whatever the reader called them (column_0, column_1 …).
    frame.columns = [f"column_{i}" for i in range(frame.width)]
    head = [["" if v is None else v for v in row] for row in frame.head(HEAD_ROWS).iter_rows()]
    return Sheet(file_name=name, name="CSV", head=head, n_rows=frame.height, _frame=frame)
