"""What an import produced: per-file reports, the batch outcome, row outcomes and counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from imports.columns import SheetMapping
from imports.models import ImportRun
from imports.validation import FIELD_KEYS, Validated


@dataclass
class FileReport:
    name: str
    sha256: str = ""
    size: int = 0
    sheets: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""
    run: ImportRun | None = None

    @property
    def failed(self) -> bool:
        """Unreadable, or not one data row of it could be accepted."""
        return bool(self.error) or not self.counts.get("accepted")


@dataclass
class ImportOutcome:
    files: list[FileReport]
    counts: dict[str, int] = field(default_factory=dict)
    issues: pl.DataFrame = field(default_factory=pl.DataFrame)
    rows: pl.DataFrame = field(default_factory=pl.DataFrame)  # file, sheet, row, outcome, reason
    ending: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)
    dry_run: bool = True
    committed: bool = False
    report: bytes = b""

    @property
    def failed(self) -> bool:
        return any(f.failed for f in self.files)


# A stated birth date or place may come from the combined "Tempat, Tgl Lahir" column.
_LABEL_FALLBACK = {"birth_date": "birth_place_date", "birth_place": "birth_place_date"}


def labels(mappings: dict[tuple[str, str], SheetMapping]) -> pl.DataFrame:
    def label(mapping: SheetMapping, key: str) -> str:
        fallback = _LABEL_FALLBACK.get(key)
        if key not in mapping.columns and fallback in mapping.columns:
            return mapping.label_of(fallback)
        return mapping.label_of(key)

    rows = [
        (file_name, sheet, key, label(mapping, key))
        for (file_name, sheet), mapping in mappings.items()
        for key in FIELD_KEYS
    ]
    return pl.DataFrame(
        rows,
        schema={"file": pl.String, "sheet": pl.String, "field": pl.String, "column": pl.String},
        orient="row",
    )


def outcomes(sources: pl.DataFrame, issues: pl.DataFrame) -> pl.DataFrame:
    """One outcome per data row: reject > flag > accept, with the first reason of that kind."""
    rank = {"reject": 0, "flag": 1, "warning": 2}
    worst = (
        issues.with_columns(pl.col("severity").replace_strict(rank, default=3).alias("rank"))
        .sort("src", "rank")
        .group_by("src", maintain_order=True)
        .agg(pl.col("rank").first(), pl.col("code").first().alias("reason"))
    )
    return (
        sources.join(worst, on="src", how="left")
        .with_columns(
            pl.when(pl.col("rank") == 0)
            .then(pl.lit("reject"))
            .when(pl.col("rank") == 1)
            .then(pl.lit("flag"))
            .otherwise(pl.lit("accept"))
            .alias("outcome"),
            pl.when(pl.col("rank") <= 1).then(pl.col("reason")).otherwise(None).alias("reason"),
        )
        .select("src", "file", "sheet", "row", "outcome", "reason")
        .sort("src")
    )


def count(
    outcome: ImportOutcome,
    files: list[FileReport],
    validated: Validated,
    bulk_counts: dict[str, int],
) -> dict[str, int]:
    per_file = (
        outcome.rows.group_by("file", "outcome")
        .len()
        .pivot(on="outcome", index="file", values="len")
        .fill_null(0)
    )
    by_file = {r["file"]: r for r in per_file.iter_rows(named=True)}
    totals = {"rows_read": 0, "accepted": 0, "rejected": 0, "flagged": 0, "skipped": 0}
    for report in files:
        got = by_file.get(report.name, {})
        skipped = sum(n for (f, _), n in validated.skipped.items() if f == report.name)
        report.counts = {
            "rows_read": got.get("accept", 0) + got.get("flag", 0) + got.get("reject", 0),
            "accepted": got.get("accept", 0) + got.get("flag", 0),
            "rejected": got.get("reject", 0),
            "flagged": got.get("flag", 0),
            "skipped": skipped,
        }
        for key in totals:
            totals[key] += report.counts[key]
    return {**totals, **bulk_counts}
