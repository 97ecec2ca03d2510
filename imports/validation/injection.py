"""Names written as spreadsheet formulas (``=HYPERLINK(…)``, ``+SUM(…)``, ``@SUM(…)``).

The row enters with the name as written (a warning, like a wrongly decoded character: the
value is what the file says), and the report names the file, row and column, so that an
operator replaces it with the person's real name. Every file the product writes quotes such a
cell (``satupintu.formulas``), so the name cannot run as a formula on the way out either.
"""

from __future__ import annotations

import polars as pl

from imports.validation.frames import issue
from satupintu.formulas import TYPED_FORMULA_STARTS

FIELDS = ["name"]
# A leading quote is what our own exports put before such a cell; it is still a formula name.
FORMULA = "^'?[" + "".join("\\" + c for c in TYPED_FORMULA_STARTS) + "]"


def formula_checks(df: pl.DataFrame, issues: list[pl.DataFrame]) -> None:
    for key in FIELDS:
        if key not in df.columns:
            continue
        issues.append(
            issue(
                df.filter(pl.col(key).str.strip_chars().str.contains(FORMULA)),
                field_key=key,
                severity="warning",
                code="formula_name",
                message="Nama berisi rumus (diawali =, +, -, @): bukan nama orang, dan bisa "
                "dijalankan sebagai rumus bila berkas dibuka di Excel.",
                fix="Ganti isi sel dengan nama lengkap orang tersebut (tanpa =, +, -, @ di depan), "
                "lalu unggah lagi.",
            )
        )
