"""Reading aggregate tables (CSV or XLSX) and reporting problems the way an office can fix them.

Every problem names the file, the row as the spreadsheet shows it, the column and what to do.
Readers never write: the services validate a whole file first and save all of it or nothing.
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext

from satupintu.workbooks import upload_check

MAX_PROBLEMS = 200


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


@dataclass
class Table:
    file: str
    header: list[str]  # normalised: lower case, spaces as underscores
    raw_header: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cells)
    header_row: int


def normalise_header(value) -> str:
    text = str(value or "").strip().lower()
    text = re.sub(r"[\s/\-.]+", "_", text)
    return text.strip("_")


def _decode(data: bytes) -> str:
    # Offices save CSV from Excel as UTF-8 (often with BOM) or as Windows-1252.
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(path: Path) -> list[list]:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False)


def read_table(path: Path, *, display_name: str | None = None, required: set[str]) -> Table:
    """The first sheet (or the CSV) with its header row: the first row naming a required column.

    Raises ValueError with an Indonesian message when the file cannot be read at all.
    """
    name = display_name or path.name
    suffix = path.suffix.lower()
    # Size, zip bomb, entity bomb, password, macros: refused before calamine unpacks anything
    # (WorkbookRefused is a ValueError with the Indonesian message).
    upload_check(path, name=name)
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        try:
            rows = _xlsx_rows(path)
        except Exception as error:  # calamine raises its own types for broken files
            raise ValueError(
                gettext(
                    "%(file)s: berkas tidak dapat dibaca sebagai lembar kerja (%(error)s). "
                    "Cara memperbaiki: buka di Excel/LibreOffice lalu simpan ulang sebagai .xlsx."
                )
                % {"file": name, "error": error}
            ) from error
    elif suffix in {".csv", ".txt"}:
        rows = _csv_rows(path.read_bytes())
    else:
        raise ValueError(
            gettext(
                "%(file)s: jenis berkas '%(suffix)s' tidak didukung. "
                "Cara memperbaiki: simpan sebagai .csv (UTF-8) atau .xlsx."
            )
            % {"file": name, "suffix": suffix}
        )
    for index, row in enumerate(rows[:20]):
        header = [normalise_header(cell) for cell in row]
        if required & set(header):
            body = [
                (index + 1 + offset + 1, list(cells))
                for offset, cells in enumerate(rows[index + 1 :])
                if any(str(c).strip() for c in cells if c is not None)
            ]
            return Table(
                file=name,
                header=header,
                raw_header=[str(c) for c in row],
                rows=body,
                header_row=index + 1,
            )
    wanted = ", ".join(sorted(required))
    raise ValueError(
        gettext(
            "%(file)s: baris judul kolom tidak ditemukan di 20 baris pertama. "
            "Cara memperbaiki: beri judul kolom, salah satunya: %(wanted)s."
        )
        % {"file": name, "wanted": wanted}
    )


def cell(cells: list, index: int):
    return cells[index] if index < len(cells) else None


_DIGITS = re.compile(r"^\d+$")


def parse_count(value) -> int | None:
    """A whole, non-negative number, or None when the cell is not one."""
    if value is None:
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    text = str(value).strip().replace(" ", "")
    if text.endswith(".0") and _DIGITS.match(text[:-2]):
        text = text[:-2]
    return int(text) if _DIGITS.match(text) else None


def parse_region_code(value) -> tuple[str | None, str]:
    """A dotted Kemendagri code from a cell, or (None, why not)."""
    if value is None or str(value).strip() == "":
        return None, gettext("kosong")
    if isinstance(value, float):
        # Excel turns "32.10" into the number 32.1: the code can no longer be trusted.
        return None, gettext("tersimpan sebagai angka desimal sehingga nol di belakang bisa hilang")
    text = str(value).strip()
    if isinstance(value, int) or _DIGITS.match(text):
        digits = text
        parts = {2: [2], 4: [2, 2], 6: [2, 2, 2], 10: [2, 2, 2, 4]}.get(len(digits))
        if not parts:
            return None, gettext("jumlah digit tidak sesuai (2, 4, 6 atau 10 digit)")
        out, start = [], 0
        for size in parts:
            out.append(digits[start : start + size])
            start += size
        return ".".join(out), ""
    if re.match(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", text):
        return text, ""
    return None, gettext("bukan kode wilayah Kemendagri (PP.RR.SS.VVVV)")
