"""``registry_bulk_upsert``: the plan, then the writes, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db import transaction

from accounts import access
from accounts.models import User
from accounts.services import audit_record_many
from registry import access as registry_access
from registry.bulk.inserts import insert_engagements, insert_people
from registry.bulk.plan import Plan, bulk_plan, conform, flags_from_notes
from registry.bulk.reads import existing_people, select_in
from registry.bulk.schema import (
    ENGAGEMENT_FACTS,
    FACT_LABELS,
    NOTE_SCHEMA,
    ROW_SCHEMA,
    SQLITE_CHUNK,
    ProgressFn,
    notes_of,
)
from registry.bulk.updates import (
    apply_ending,
    apply_engagement_updates,
    apply_person_updates,
    insert_flags,
    json,
)
from registry.models import Engagement, Flag, Programme
from registry.services import person_flags_refresh


@dataclass
class BulkResult:
    counts: dict[str, int] = field(default_factory=dict)
    notes: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=NOTE_SCHEMA))
    ending: list[dict[str, Any]] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # sample of changed facts
    # Rows whose NIK belongs to a person the actor cannot see: not applied; each becomes a
    # request to that person's scope holders to confirm the new engagement (CLAIM_COLUMNS).
    claims: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=CLAIM_SCHEMA))


# The engagement facts a claim carries (collaboration's engagement_claim_submit applies them).
CLAIM_FACTS = [
    "regency_id",
    "district_id",
    "village_id",
    "legacy_title",
    "employment_status",
    "monthly_incentive",
    "sk_number",
    "sk_date",
    "start_date",
]
CLAIM_COLUMNS = ["src", "origin", "nik", *CLAIM_FACTS]
CLAIM_SCHEMA: dict[str, Any] = {"person_id": pl.Int64, **{c: ROW_SCHEMA[c] for c in CLAIM_COLUMNS}}
OTHER_SCOPE = "nik_other_scope"
OTHER_SCOPE_MESSAGE = (
    "NIK ini sudah terdaftar untuk orang yang bertugas di luar cakupan Anda. Baris ini tidak "
    "disimpan; penugasan barunya menunggu konfirmasi pemegang cakupan orang itu (atau "
    "verifikator nasional). Data orang itu tidak ditampilkan dan tidak diubah."
)
OTHER_SCOPE_FIX = (
    "Bila NIK sesuai KTP, tidak perlu mengunggah ulang: permohonan konfirmasi dibuat saat impor "
    "disimpan. Bila NIK salah ketik, perbaiki NIK lalu unggah lagi."
)


def _split_hidden(actor: User, rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Rows of people the actor cannot see, out of the rows to apply.

    Matching such a row silently would attach the actor's engagement to that person, after
    which the actor reads (and edits) everything about them; the plan's conflict notes would
    quote their stored name and contacts even in a dry run. So these rows are neither planned
    nor compared: they come back as claims, with a note that quotes nothing stored.
    """
    if not rows.height or registry_access.sees_everyone(actor):
        return rows, pl.DataFrame(schema=CLAIM_SCHEMA)
    people = existing_people(rows["nik"].unique()).select("nik", "person_id")
    hidden = registry_access.people_hidden(actor, people["person_id"].to_list())
    if not hidden:
        return rows, pl.DataFrame(schema=CLAIM_SCHEMA)
    hidden_people = people.filter(
        pl.col("person_id").is_in(pl.Series(sorted(hidden), dtype=pl.Int64).implode())
    )
    claimed = rows.join(hidden_people, on="nik", how="inner", maintain_order="left")
    # One claim per person and regency (a repeated row asks once).
    claims = claimed.select(list(CLAIM_SCHEMA)).filter(
        pl.struct("person_id", "regency_id").is_first_distinct()
    )
    kept = rows.join(hidden_people, on="nik", how="anti", maintain_order="left")
    return kept, claims


def registry_bulk_upsert(
    *,
    actor: User,
    programme: Programme,
    rows: pl.DataFrame,
    source: str,
    full_roster: bool = False,
    protected_niks: Iterable[str] | pl.Series = (),
    flag_notes: pl.DataFrame | None = None,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
) -> BulkResult:
    """Apply validated rows of one programme through the single door (see module docstring).

    The caller has checked each row's scope with ``accounts.access.can_write_at``; this checks
    the actor may write at all. ``protected_niks``: NIKs seen in rows the caller rejected, so
    that a full roster never ends the engagement of someone whose row was merely unreadable.
    ``flag_notes``: notes (``NOTE_SCHEMA``, by row ``src``) the caller found itself that must
    become flags too, e.g. a conflict with a row it rejected; they are not repeated in
    ``BulkResult.notes``.
    """
    access.require(access.can_write(actor), "Peran Anda tidak boleh menambah data registri.")
    step: ProgressFn = progress or (lambda done, total, message: None)
    rows = conform(rows)
    # One transaction from the first read: the staging tables live until it ends.
    with transaction.atomic():
        step(0, 7, "Membandingkan dengan registri")
        all_rows = rows
        rows, claims = _split_hidden(actor, rows)
        hidden_notes = notes_of(
            all_rows.join(rows.select("src"), on="src", how="anti"),
            field="nik",
            value=pl.col("nik"),
            severity="reject",
            code=OTHER_SCOPE,
            message=OTHER_SCOPE_MESSAGE,
            fix=OTHER_SCOPE_FIX,
        )
        if flag_notes is not None and flag_notes.height:
            flag_notes = flag_notes.join(hidden_notes.select("src"), on="src", how="anti")
        plan = bulk_plan(
            actor=actor,
            programme=programme,
            rows=rows,
            full_roster=full_roster,
            protected_niks=pl.Series("nik", protected_niks, dtype=pl.String)
            if not isinstance(protected_niks, pl.Series)
            else protected_niks,
            source=source,
        )
        if flag_notes is not None and flag_notes.height:
            extra = flags_from_notes(flag_notes, rows, source=source)
            plan.flags = pl.concat([plan.flags, extra.select(plan.flags.columns)])
        flagged_people = plan.flags["nik"].n_unique() if plan.flags.height else 0
        result = BulkResult(
            counts={
                "new_people": plan.new_people.height,
                "new_engagements": plan.new_engagements.height,
                "updated_engagements": plan.engagement_updates.height,
                "updated_people": plan.person_updates.height,
                "unchanged": plan.unchanged,
                "duplicates": plan.duplicates,
                "ended": plan.ending.height,
                "flagged_people": flagged_people,
                "flags_raised": 0,
            },
            notes=pl.concat([plan.notes, hidden_notes]) if hidden_notes.height else plan.notes,
            ending=plan.ending.head(5000).to_dicts() if plan.ending.height else [],
            changes=_change_sample(plan),
            claims=claims,
        )
        result.counts["pending_confirmation"] = claims.height
        if dry_run:
            return result
        step(1, 7, "Menyimpan orang baru")
        new_ids = insert_people(plan.new_people, actor=actor)
        step(2, 7, "Menyimpan penugasan baru")
        result.counts["new_engagements"] = insert_engagements(
            plan.new_engagements, programme=programme, actor=actor, new_ids=new_ids
        )
        step(3, 7, "Memperbarui penugasan yang berubah")
        entries = apply_engagement_updates(plan, actor=actor, source=source)
        entries += apply_person_updates(plan, actor=actor, source=source)
        step(4, 7, "Mengakhiri penugasan yang tidak tercantum")
        entries += apply_ending(plan, actor=actor, source=source)
        step(5, 7, "Mencatat tanda verifikasi dan audit")
        result.counts["flags_raised"] = insert_flags(plan.flags)
        audit_record_many(entries)
        step(6, 7, "Memeriksa rangkap penugasan berbayar")
        touched = _payment_candidates(plan)
        for i in range(0, len(touched), SQLITE_CHUNK):
            person_flags_refresh(person_ids=touched[i : i + SQLITE_CHUNK], source=source)
        step(7, 7, "Selesai menyimpan")
    return result


def _payment_candidates(plan: Plan) -> list[int]:
    """People whose engagements changed and who may now (or no longer) be paid twice.

    A payment conflict needs two engagements, and person_flags_refresh reads every engagement
    of whom it is given: so a person registered by this import is a candidate only with two or
    more new engagements, and a registered one only with two or more engagements in all or an
    open payment flag to close.
    """
    new = plan.new_engagements.select("nik", "person_id")  # narrow: filters copy rows
    several_new = new.filter(pl.col("person_id").is_null()).group_by("nik").len()
    niks = several_new.filter(pl.col("len") > 1)["nik"].to_list()
    candidates = set(existing_people(niks)["person_id"].to_list()) if niks else set()
    touched = set(plan.engagement_updates["person_id"].to_list())
    touched |= set(plan.ending["person_id"].to_list()) if plan.ending.height else set()
    touched |= set(new["person_id"].drop_nulls().to_list())
    ids = sorted(touched)
    if ids:
        several = select_in(
            "SELECT person_id FROM registry_engagement WHERE {cond} GROUP BY person_id "
            "HAVING COUNT(*) > 1",
            "person_id",
            ids,
            {"person_id": pl.Int64},
        )
        flagged = select_in(
            "SELECT person_id FROM registry_flag WHERE resolved_at IS NULL AND code IN (%s, %s) "
            "AND {cond}",
            "person_id",
            ids,
            {"person_id": pl.Int64},
            extra=[Flag.Code.CONCURRENT_PAID.value, Flag.Code.ASN_ALSO_PAID.value],
        )
        candidates |= set(several["person_id"].to_list()) | set(flagged["person_id"].to_list())
    return sorted(candidates)


def _change_sample(plan: Plan, limit: int = 200) -> list[dict[str, Any]]:
    """A few changed engagements for the preview (the audit has them all)."""
    out = []
    for row in plan.engagement_updates.head(limit).iter_rows(named=True):
        fields = {
            FACT_LABELS[f]: [json(row[f"db_{f}"]), json(row[f])]
            for f in ENGAGEMENT_FACTS
            if row[f"chg_{f}"]
        }
        if row["chg_status"]:
            fields[FACT_LABELS["status"]] = [row["db_status"], Engagement.Status.ACTIVE]
        out.append(
            {
                "src": row["src"],
                "nik": row["nik"],
                "regency_id": row["regency_id"],
                "fields": fields,
            }
        )
    return out
