"""Spreadsheet formula injection (OWASP "CSV injection"), on the way out and on the way in.

A name imported as ``=HYPERLINK("http://…";"klik")`` is data to us, but a spreadsheet opening
our CSV, or an XLSX cell stored as a formula, runs it. Every CSV and XLSX the product writes
passes its cells through ``cell_safe``: a *text* cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading single quote, which spreadsheets show as
text. Numbers (negative ones too) are left as numbers: only strings are neutralised. The same
rule for CSV and XLSX, so that a workbook saved again as CSV stays safe; the XLSX writers are
also told never to turn a string into a formula (XlsxWriter ``strings_to_formulas: False``;
openpyxl makes a formula only of a string that begins with ``=``, which ``cell_safe`` rules out).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What the import looks for in names: the characters a person types to start a formula.
TYPED_FORMULA_STARTS = ("=", "+", "-", "@")
XLSXWRITER_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}


def cell_safe(value: Any) -> Any:
    """The value to write to a CSV or XLSX cell: a formula-like string quoted, the rest as is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


FIRST_CHARACTERS = frozenset(FORMULA_STARTS)  # each start is one character


def row_safe(row: Iterable[Any]) -> list[Any]:
    """``cell_safe`` of every cell, inline: the exports call it once per row of millions."""
    return [
        "'" + value if isinstance(value, str) and value[:1] in FIRST_CHARACTERS else value
        for value in row
    ]


def rows_safe(rows: Iterable[Iterable[Any]]) -> Iterable[list[Any]]:
    return (row_safe(row) for row in rows)


def unquote(value: Any) -> Any:
    """A cell read back from one of our own files: the quote ``cell_safe`` added, taken off."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class SafeSheet:
    """An openpyxl worksheet whose ``append`` neutralises every row (see ``cell_safe``)."""

    def __init__(self, sheet: Any) -> None:
        self._sheet = sheet

    def append(self, row: Iterable[Any]) -> None:
        self._sheet.append(row_safe(row))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sheet, name)
