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

Modules: ``frames`` (stacking the sheets, and the helpers every check shares), ``rows``
(``rows_validate`` and its result), ``names`` (full name and titles), ``contacts`` (phones),
``dates`` (the stated birth date, place and sex; date parsing), ``places`` (regency, scope,
district, village) and ``engagement`` (title, status, incentive, SK, dates).
"""

from imports.validation.contacts import phone_expr
from imports.validation.frames import FIELD_KEYS, TOTALS, SheetInput, standardise
from imports.validation.names import name_frame
from imports.validation.rows import (
    MAX_LENGTHS,
    NIK_MESSAGES,
    ProgressFn,
    Validated,
    rows_validate,
)

__all__ = [
    "FIELD_KEYS",
    "MAX_LENGTHS",
    "NIK_MESSAGES",
    "TOTALS",
    "ProgressFn",
    "SheetInput",
    "Validated",
    "name_frame",
    "phone_expr",
    "rows_validate",
    "standardise",
]
