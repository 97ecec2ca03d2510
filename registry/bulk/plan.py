"""The plan: everything an import would change, computed before anything is written."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from accounts.models import User
from regions.selectors import region_code_sets
from registry import access as registry_access
from registry.bulk.reads import existing_engagements, existing_people, serving_elsewhere
from registry.bulk.schema import (
    ENGAGEMENT_FACTS,
    FACT_FIELDS,
    FACT_LABELS,
    NOTE_SCHEMA,
    PERSON_FACTS,
    PERSON_IDENTITY,
    PERSON_STAGE,
    ROW_SCHEMA,
    empty,
    notes_of,
)
from registry.models import Engagement, Flag, Programme


def conform(rows: pl.DataFrame) -> pl.DataFrame:
    missing = [
        pl.lit(None, dtype=t).alias(c) for c, t in ROW_SCHEMA.items() if c not in rows.columns
    ]
    rows = rows.with_columns(missing) if missing else rows
    rows = rows.select([pl.col(c).cast(t) for c, t in ROW_SCHEMA.items()])
    return rows if rows["src"].is_sorted() else rows.sort("src")


def _nik_flags(rows: pl.DataFrame, regency_codes: frozenset[str]) -> pl.DataFrame:
    """Row notes for stated facts that disagree with the NIK (registry.nik.nik_mismatches)."""
    stated = pl.col("stated_birth_date")
    nik_date = pl.col("birth_date")
    date_differs = stated.is_not_null() & (
        (stated.dt.day() != nik_date.dt.day())
        | (stated.dt.month() != nik_date.dt.month())
        | (stated.dt.year() % 100 != nik_date.dt.year() % 100)
    )
    sex_differs = pl.col("stated_sex").is_not_null() & (pl.col("stated_sex") != pl.col("sex"))
    encoded = pl.when(pl.col("sex") == "P").then(pl.lit("perempuan")).otherwise(pl.lit("laki-laki"))
    prefix = pl.format("{}.{}", pl.col("nik").str.slice(0, 2), pl.col("nik").str.slice(2, 2))
    parts = [
        notes_of(
            rows.filter(date_differs),
            field="birth_date",
            value=stated.dt.strftime("%d-%m-%Y"),
            severity="flag",
            code=Flag.Code.NIK_BIRTH_DATE,
            message=pl.format(
                "Tanggal lahir tercatat {}, tetapi NIK menunjukkan {}.",
                stated.dt.strftime("%d-%m-%Y"),
                nik_date.dt.strftime("%d-%m-%Y"),
            ),
            fix="Cocokkan dengan KTP: jika NIK benar, perbaiki tanggal lahir; jika tanggal lahir "
            "benar, NIK kemungkinan salah ketik. Data tetap masuk dan ditandai untuk verifikasi.",
        ),
        notes_of(
            rows.filter(sex_differs),
            field="sex",
            value=pl.col("stated_sex"),
            severity="flag",
            code=Flag.Code.NIK_SEX,
            message=pl.format(
                "Jenis kelamin tercatat {}, tetapi NIK menunjukkan {}.",
                pl.col("stated_sex"),
                encoded,
            ),
            fix="Cocokkan dengan KTP (digit tanggal NIK ditambah 40 untuk perempuan). Data tetap "
            "masuk dan ditandai untuk verifikasi.",
        ),
        notes_of(
            rows.filter(~prefix.is_in(pl.Series(sorted(regency_codes), dtype=pl.String).implode())),
            field="nik",
            value=pl.col("nik"),
            severity="flag",
            code=Flag.Code.NIK_REGION_UNKNOWN,
            message=pl.format(
                "Kode kabupaten/kota NIK ({}) tidak ada dalam tabel wilayah saat ini (mungkin kode "
                "lama sebelum pemekaran).",
                prefix,
            ),
            fix="Tidak perlu diubah bila NIK sesuai KTP; verifikator akan memeriksanya.",
        ),
    ]
    return pl.concat(parts)


def _row_conflicts(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows that repeat a NIK (or NIK and regency) of an earlier row: a repeat adds nothing, a
    repeat with different facts is a conflict to verify (the first row's facts are used)."""
    notes = []
    for facts, keys, scope in (
        (PERSON_IDENTITY + PERSON_FACTS, ["nik"], "orang"),
        (ENGAGEMENT_FACTS, ["nik", "regency_id"], "penugasan"),
    ):
        repeated = rows.filter(pl.len().over(keys) > 1)  # usually a handful of rows
        if not repeated.height:
            continue
        first = repeated.sort("src").group_by(keys, maintain_order=True).first()
        joined = repeated.join(first, on=keys, suffix="_first").filter(
            pl.col("src") != pl.col("src_first")
        )
        if not joined.height:
            continue
        if scope == "penugasan":
            notes.append(
                notes_of(
                    joined,
                    field="nik",
                    value=pl.col("nik"),
                    severity="warning",
                    code="duplicate_row",
                    message=pl.format(
                        "Baris ini mengulang {} (NIK dan kabupaten/kota sama); tidak dibuat "
                        "penugasan kedua.",
                        pl.col("origin_first"),
                    ),
                    fix="Hapus baris ganda dari berkas bila memang sama.",
                )
            )
        for fact in facts:
            differs = (
                pl.col(fact).is_not_null()
                & pl.col(f"{fact}_first").is_not_null()
                & (pl.col(fact) != pl.col(f"{fact}_first"))
            )
            bad = joined.filter(differs)
            if not bad.height:
                continue
            notes.append(
                notes_of(
                    bad,
                    field=FACT_FIELDS.get(fact, fact),
                    value=pl.col(fact).cast(pl.String),
                    severity="flag",
                    code=Flag.Code.CONFLICT,
                    message=pl.format(
                        "NIK ini juga ada di {} dengan {} '{}'; data {} dari baris itu yang "
                        "dipakai.",
                        pl.col("origin_first"),
                        pl.lit(FACT_LABELS[fact]),
                        pl.col(f"{fact}_first").cast(pl.String),
                        pl.lit(scope),
                    ),
                    fix="Periksa mana yang benar dan perbaiki berkas; orang ini ditandai untuk "
                    "verifikasi.",
                )
            )
    return pl.concat(notes) if notes else empty(NOTE_SCHEMA)


@dataclass
class Plan:
    new_people: pl.DataFrame
    new_engagements: pl.DataFrame
    engagement_updates: pl.DataFrame  # engagement_id, person_id, changed fields (final values)
    person_updates: pl.DataFrame
    ending: pl.DataFrame
    kept_ids: pl.Series  # engagements the rows matched (a full roster keeps them)
    flags: pl.DataFrame  # nik, code, reason, details(json str), src
    notes: pl.DataFrame
    people: pl.DataFrame  # nik -> person_id for existing people
    duplicates: int
    unchanged: int


PLAN_PART = 100_000


def bulk_plan(
    *,
    actor: User,
    programme: Programme,
    rows: pl.DataFrame,
    full_roster: bool,
    protected_niks: pl.Series,
    source: str,
) -> Plan:
    """Everything the import would change, computed before writing anything.

    Large batches are planned in parts of about 100,000 rows, split by NIK so that every row
    of a person is in the same part: the joins against what the registry holds stay that size
    (a monthly re-import of 500,000 registered people would otherwise hold them all at once).
    """
    count = max(1, -(-rows.height // PLAN_PART))
    if count == 1:
        parts = [_plan_part(programme=programme, rows=rows, source=source)]
    else:
        keyed = rows.with_columns((pl.col("nik").hash(seed=0) % count).alias("_part"))
        parts = [
            _plan_part(
                programme=programme,
                rows=keyed.filter(pl.col("_part") == i).drop("_part"),
                source=source,
            )
            for i in range(count)
        ]
    plan = Plan(
        **{
            name: pl.concat([getattr(p, name) for p in parts], how="vertical_relaxed")
            for name in (
                "new_people",
                "new_engagements",
                "engagement_updates",
                "person_updates",
                "flags",
                "notes",
                "people",
            )
        },
        kept_ids=pl.concat([p.kept_ids for p in parts]),
        ending=empty({"engagement_id": pl.Int64}),
        duplicates=sum(p.duplicates for p in parts),
        unchanged=sum(p.unchanged for p in parts),
    )
    if full_roster:
        plan.ending = _roster_ending(
            actor=actor,
            programme=programme,
            keep_ids=set(plan.kept_ids.to_list()),
            protected_niks=pl.concat([protected_niks, rows["nik"].unique()]),
        )
    return plan


def _plan_part(*, programme: Programme, rows: pl.DataFrame, source: str) -> Plan:
    """The plan for the rows of some NIKs (every row of a NIK is in the same part)."""
    _, regency_codes = region_code_sets()
    rows = rows.with_columns(name_key_expr(pl.col("full_name")).alias("name_key"))
    notes = [_nik_flags(rows, regency_codes), _row_conflicts(rows)]

    niks = rows["nik"].unique()
    people = existing_people(niks)
    # The first row of each person and of each engagement, with only the columns each needs
    # (rows are in source order): the plan holds narrow frames, not copies of every row.
    person_rows = rows.select(
        "src",
        "nik",
        "origin",
        "name_key",
        *[c for c in PERSON_STAGE if c not in ("nik", "name_key")],
    ).filter(pl.col("nik").is_first_distinct())
    engagement_rows = rows.select(
        "src", "nik", "origin", "regency_id", *[f for f in ENGAGEMENT_FACTS]
    ).filter(pl.struct("nik", "regency_id").is_first_distinct())
    duplicates = rows.height - engagement_rows.height
    engagement_rows = engagement_rows.join(people.select("nik", "person_id"), on="nik", how="left")
    existing = existing_engagements(people["person_id"].unique().to_list(), programme.pk)
    matched = engagement_rows.join(existing, on=["person_id", "regency_id"], how="left")
    new_engagements = matched.filter(pl.col("engagement_id").is_null())
    old = matched.filter(pl.col("engagement_id").is_not_null())

    # Existing engagements take the row's changed facts; nulls mean "not stated" and keep.
    change_exprs = {
        fact: pl.col(fact).is_not_null()
        & (pl.col(f"db_{fact}").is_null() | (pl.col(fact) != pl.col(f"db_{fact}")))
        for fact in ENGAGEMENT_FACTS
    }
    reactivate = pl.col("db_status") != Engagement.Status.ACTIVE
    old = old.with_columns(
        [e.alias(f"chg_{fact}") for fact, e in change_exprs.items()]
        + [reactivate.alias("chg_status")]
    )
    any_change = pl.any_horizontal([f"chg_{f}" for f in ENGAGEMENT_FACTS] + ["chg_status"])
    engagement_updates = old.filter(any_change)
    unchanged = old.height - engagement_updates.height

    # Person facts: fill blanks; change them only from the person's own roster, i.e. when the
    # row matched an engagement already registered and the person serves nowhere else. Two
    # rosters that disagree would otherwise overwrite each other on every monthly re-import.
    elsewhere = serving_elsewhere(people["person_id"].unique().to_list(), programme.pk)
    same_roster = set(old["nik"].to_list())
    existing_person_rows = person_rows.join(people, on="nik", how="inner").with_columns(
        (
            pl.col("nik").is_in(pl.Series(sorted(same_roster), dtype=pl.String).implode())
            & ~pl.col("person_id").is_in(pl.Series(sorted(elsewhere), dtype=pl.Int64).implode())
        ).alias("same_roster")
    )
    person_notes, person_updates = _person_changes(existing_person_rows)
    notes.append(person_notes)

    new_people = person_rows.join(people.select("nik"), on="nik", how="anti")

    all_notes = (
        pl.concat([n for n in notes if n.height])
        if any(n.height for n in notes)
        else empty(NOTE_SCHEMA)
    )
    flags = flags_from_notes(all_notes, rows, source=source)
    return Plan(
        new_people=new_people,
        new_engagements=new_engagements,
        engagement_updates=engagement_updates,
        person_updates=person_updates,
        ending=empty({"engagement_id": pl.Int64}),
        kept_ids=old["engagement_id"],
        flags=flags,
        notes=all_notes,
        people=people.select("nik", "person_id"),
        duplicates=duplicates,
        unchanged=unchanged,
    )


def name_key_expr(expr: pl.Expr) -> pl.Expr:
    """registry.services.name_key, vectorised (accents dropped, upper case, punctuation to
    spaces, folded)."""
    return (
        expr.str.normalize("NFKD")
        .str.replace_all(r"\p{M}+", "")
        .str.to_uppercase()
        .str.replace_all(r"[^A-Z0-9 ]+", " ")
        .str.replace_all(r" +", " ")
        .str.strip_chars(" ")
    )


def _person_changes(joined: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Notes (conflicts with the registry) and updates for people already registered.

    A blank registry fact is filled in. A different one is changed only when the row comes
    from the same roster (its engagement was already registered: the monthly update of the
    same file); from another source it is a conflict to verify, and the registry keeps its
    value.
    """
    notes = [
        notes_of(
            joined.filter(pl.col("db_name_key") != pl.col("name_key")),
            field="name",
            value=pl.col("full_name"),
            severity="flag",
            code=Flag.Code.CONFLICT,
            message=pl.format(
                "Nama berbeda dengan data registri untuk NIK ini ('{}'); nama registri tidak "
                "diubah.",
                pl.col("db_full_name"),
            ),
            fix="Periksa KTP: bila NIK benar, samakan nama; bila NIK salah ketik, perbaiki NIK.",
        )
    ]
    facts = PERSON_FACTS + ["titles_front", "titles_back"]
    new_values = []
    for fact in facts:
        value, db = pl.col(fact), pl.col(f"db_{fact}")
        filled = value.is_not_null() & (value != "")
        blank = db.is_null() | (db == "")
        # Case and spacing are how an office typed it, not a different fact.
        differs = filled & ~blank & (_folded(value) != _folded(db))
        if fact in PERSON_FACTS:
            change = filled & (blank | (differs & pl.col("same_roster")))
        else:  # titles: offices write them or leave them out; fill, never overwrite
            change = filled & blank
        new_values.append(pl.when(change).then(value).otherwise(None).alias(f"new_{fact}"))
        conflict = joined.filter(differs & ~pl.col("same_roster"))
        if fact in PERSON_FACTS and conflict.height:
            notes.append(
                notes_of(
                    conflict,
                    field=FACT_FIELDS.get(fact, fact),
                    value=value,
                    severity="flag",
                    code=Flag.Code.CONFLICT,
                    message=pl.format(
                        "{} berbeda dengan data registri ('{}') yang berasal dari sumber lain; "
                        "data registri tidak diubah.",
                        pl.lit(FACT_LABELS[fact].capitalize()),
                        db,
                    ),
                    fix="Periksa mana yang benar; verifikator dapat memperbaikinya di registri.",
                )
            )
    updates = joined.select(
        "src", "nik", "person_id", *[f"db_{f}" for f in facts], *new_values
    ).filter(pl.any_horizontal([pl.col(f"new_{f}").is_not_null() for f in facts]))
    return pl.concat(notes), updates


def _folded(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars()


def _roster_ending(
    *, actor: User, programme: Programme, keep_ids: set[int], protected_niks: pl.Series
) -> pl.DataFrame:
    """The programme's active engagements in the actor's write scope that the file omits."""
    schema = {
        "engagement_id": pl.Int64,
        "person_id": pl.Int64,
        "nik": pl.String,
        "full_name": pl.String,
        "regency_id": pl.String,
        "regency_name": pl.String,
        "legacy_title": pl.String,
        "start_date": pl.Date,
    }
    qs = registry_access.engagements_visible(
        actor, Engagement.objects.filter(programme=programme, status=Engagement.Status.ACTIVE)
    ).order_by("regency_id", "person__full_name")
    rows = list(
        qs.values_list(
            "id",
            "person_id",
            "person__nik",
            "person__full_name",
            "regency_id",
            "regency__name",
            "legacy_title",
            "start_date",
        )
    )
    protected = set(protected_niks.to_list())
    writable = {
        code: registry_access.can_write_at(actor, programme=programme, regency_code=code)
        for code in {r[4] for r in rows}
    }
    rows = [r for r in rows if r[0] not in keep_ids and r[2] not in protected and writable[r[4]]]
    return pl.DataFrame(rows, schema=schema, orient="row")


def flags_from_notes(notes: pl.DataFrame, rows: pl.DataFrame, *, source: str) -> pl.DataFrame:
    """One flag per person and code; the reasons of all its rows are joined."""
    flagged = notes.filter(pl.col("code").is_in([c.value for c in Flag.Code])).join(
        rows.select("src", "nik", "origin"), on="src", how="inner"
    )
    if not flagged.height:
        return empty(
            {
                "nik": pl.String,
                "code": pl.String,
                "reason": pl.String,
                "origins": pl.List(pl.String),
                "source": pl.String,
            }
        )
    return (
        flagged.group_by(["nik", "code"], maintain_order=True)
        .agg(
            pl.col("message").unique(maintain_order=True).str.join(" ").alias("reason"),
            pl.col("origin").drop_nulls().unique(maintain_order=True).alias("origins"),
        )
        .with_columns(pl.lit(source).alias("source"))
    )
