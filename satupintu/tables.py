"""Reading an uploaded table (CSV or the first sheet of a workbook) the way every upload does.

Offices type headers by hand ("Kode Kab/Kota", "kode_kabkota", "KODE KAB. KOTA") and save
CSV from Excel in their locale (";" or ",", UTF-8 with a BOM or Windows-1252). One reader
finds the header row, keeps each data row's number as the spreadsheet shows it (so a problem
can say "baris 14"), and reports problems with the file, row, column and how to fix it.

Used by the aggregate uploads (need, population, caseloads, regional indexes, special areas).
The legacy registry import (``imports.reading``) reads every sheet into polars frames for
files of half a million rows; it shares ``header_key`` and the region code rule
(``regions.codes``) with this reader.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext
from python_calamine import CalamineWorkbook

from satupintu.workbooks import upload_check

MAX_PROBLEMS = 200
HEADER_SEARCH_ROWS = 20
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}


def header_key(value: object) -> str:
    """'Kode Kab/Kota' -> 'kode_kab_kota'; 'No. KTP' -> 'no_ktp' (one rule for every reader)."""
    raw = unicodedata.normalize("NFKC", str(value or "")).lower()
    return "_".join(re.sub(r"[^a-z0-9]+", " ", raw).split())


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(gettext("baris %(row)s") % {"row": self.row})
        if self.column:
            where.append(gettext("kolom '%(column)s'") % {"column": self.column})
        return gettext("%(where)s: %(problem)s Cara memperbaiki: %(fix)s") % {
            "where": ", ".join(where),
            "problem": self.message,
            "fix": self.fix,
        }


class Problems:
    """Collects problems up to a limit, so a broken file gives a useful, bounded report."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.dropped = 0

    def add(self, row: int | None, column: str, message: str, fix: str) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(self.file, row, column, message, fix))
        else:
            self.dropped += 1

    def __bool__(self) -> bool:
        return bool(self.items)

    def messages(self) -> list[str]:
        out = [str(p) for p in self.items]
        if self.dropped:
            out.append(
                gettext("… dan %(n)s masalah lain (perbaiki yang di atas lalu impor ulang).")
                % {"n": self.dropped}
            )
        return out


class Record(dict[str, str]):
    """One data row as text keyed by column; ``row`` is its number as the spreadsheet shows it."""

    row: int


@dataclass
class Table:
    file: str
    header: list[str]  # header_key of each column
    raw_header: list[str]  # as written, for messages
    rows: list[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, cells)
    header_row: int

    def records(self, aliases: dict[str, str] | None = None) -> list[Record]:
        """Rows as text keyed by header (renamed by ``aliases``); cells as ``cell_text``."""
        keys = [(aliases or {}).get(key, key) for key in self.header]
        out = []
        for number, cells in self.rows:
            record = Record(zip(keys, map(cell_text, cells), strict=False))
            record.row = number
            out.append(record)
        return out


def cell(cells: list[Any], index: int) -> Any:
    return cells[index] if index < len(cells) else None


def cell_text(value: object) -> str:
    """A cell as the office typed it: 2500000.0 -> '2500000', None -> ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DIGITS = re.compile(r"^\d+$")


def count_from_cell(value: object) -> int | None:
    """A whole, non-negative number, or None when the cell is not one."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value).strip().replace(" ", "")
    if text.endswith(".0") and _DIGITS.match(text[:-2]):
        text = text[:-2]
    return int(text) if _DIGITS.match(text) else None


def _decode(data: bytes) -> str:
    # Offices save CSV from Excel as UTF-8 (often with BOM) or as Windows-1252.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data)
    sample = text[:4096]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        # The header decides: offices save with ";" (Excel, Indonesian locale) or ",".
        header_line = sample.split("\n", 1)[0]
        delimiter = max(",;\t", key=header_line.count)
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _sheet_rows(source: Path | IO[bytes], name: str) -> list[list[Any]]:
    try:
        if isinstance(source, Path):
            workbook = CalamineWorkbook.from_path(str(source))
        else:
            workbook = CalamineWorkbook.from_filelike(source)
        rows: list[list[Any]] = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own types for broken files
        raise ValueError(
            gettext(
                "%(file)s: berkas tidak dapat dibaca sebagai lembar kerja (rusak atau bukan "
                "XLSX). Cara memperbaiki: buka di Excel/LibreOffice lalu simpan ulang "
                "sebagai .xlsx."
            )
            % {"file": name}
        ) from error
    return rows


def read_table(source: Path | IO[bytes], *, name: str, required: set[str] | None = None) -> Table:
    """The first sheet (or the CSV) from its header row on.

    The header row is the first of the first 20 rows that names one of ``required`` (by
    ``header_key``), or the first row that is not empty when nothing is required. Raises
    ValueError with an Indonesian message (naming the file) when the file cannot be read.
    """
    suffix = Path(name).suffix.lower()
    # Size, zip bomb, entity bomb, password, macros: refused before calamine unpacks anything
    # (WorkbookRefused is a ValueError with the Indonesian message).
    upload_check(source, name=name)
    if suffix in SPREADSHEET_SUFFIXES:
        rows = _sheet_rows(source, name)
    elif suffix in CSV_SUFFIXES:
        data = source.read_bytes() if isinstance(source, Path) else source.read()
        rows = _csv_rows(data)
    else:
        raise ValueError(
            gettext(
                "%(file)s: jenis berkas '%(suffix)s' tidak didukung. "
                "Cara memperbaiki: simpan sebagai .csv (UTF-8) atau .xlsx."
            )
            % {"file": name, "suffix": suffix}
        )
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        header = [header_key(value) for value in row]
        if (required & set(header)) if required else any(header):
            body = [
                (index + 1 + offset + 1, list(cells))
                for offset, cells in enumerate(rows[index + 1 :])
                if any(str(c).strip() for c in cells if c is not None)
            ]
            return Table(
                file=name,
                header=header,
                raw_header=[cell_text(value) for value in row],
                rows=body,
                header_row=index + 1,
            )
    if not required:
        return Table(file=name, header=[], raw_header=[], rows=[], header_row=0)
    wanted = ", ".join(sorted(required))
    raise ValueError(
        gettext(
            "%(file)s: baris judul kolom tidak ditemukan di %(n)s baris pertama. "
            "Cara memperbaiki: beri judul kolom, salah satunya: %(wanted)s."
        )
        % {"file": name, "n": HEADER_SEARCH_ROWS, "wanted": wanted}
    )
