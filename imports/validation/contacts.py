"""Contacts: phone numbers as a polars expression, the twin of ``parsing.parse_phone``."""

from __future__ import annotations

import polars as pl

from imports import parsing
from imports.reading import Kind


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
