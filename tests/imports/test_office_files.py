"""The measure of issue 23: a second set of real-looking office files (generated with their
truth by ``officefiles``, from several seeds), imported through the single door in one batch.

The import must recover at least 99.5 % of the people and engagements, invent and corrupt none,
guess no ambiguous region, skip and count the non-data rows, and name in its report every
resolution it made (abbreviation, old name, typo, province before a split, block header,
merged cell, value written once) on the rows it made it for.
"""

import re

import pytest

from imports.services import ImportSource, legacy_import
from registry.models import Engagement, Flag, Person, Programme
from tests.imports.officefiles import office_files

RECOVERY = 0.995
# Resolution kinds of the truth -> the row note's code, or the layout note's kind.
ROW_CODES = {
    "singkatan": "region_abbreviation",
    "nama_lama": "region_old_name",
    "salah_ketik": "region_typo",
    "provinsi_lama": "region_old_province",
}
LAYOUT_KINDS = {"judul_blok", "sel_gabungan", "isi_ke_bawah"}


def _rows_of(text: str) -> set[int]:
    rows = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        if m := re.fullmatch(r"(\d+)–(\d+)", part):
            rows.update(range(int(m[1]), int(m[2]) + 1))
        else:
            rows.add(int(part))
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_second_set_of_office_files(tmp_path, operator, seed):
    # given
    truth = office_files(tmp_path, seed)
    programme = Programme.objects.get(slug="lanjut-usia")

    # when: all files in one batch, as an operator uploads a folder
    result = legacy_import(
        actor=operator,
        programme=programme,
        sources=[ImportSource(path=p) for p in truth.files],
        report=True,
    )

    # then: people and engagements recovered, none invented, none corrupted
    expected = {(r.nik, r.code) for r in truth.accepted}
    names = {r.nik: r.name for r in truth.accepted}
    got = set(Engagement.objects.values_list("person__nik", "regency_id"))
    assert got <= expected, f"invented or misplaced: {sorted(got - expected)[:5]}"
    assert len(got) / len(expected) >= RECOVERY, sorted(expected - got)[:10]
    people = dict(Person.objects.values_list("nik", "full_name"))
    assert set(people) <= set(names)
    assert len(people) / len(names) >= RECOVERY
    assert all(people[n].casefold() == names[n].casefold() for n in people), "names corrupted"
    incentives = {r.nik: r.incentive for r in truth.accepted if r.incentive}
    paid = dict(Engagement.objects.values_list("person__nik", "monthly_incentive"))
    assert {n: paid[n] for n in incentives if n in paid} == {
        n: v for n, v in incentives.items() if n in paid
    }

    # then: every ambiguous region refused as such, never guessed
    outcome = {(r["file"], r["row"]): r for r in result.rows.iter_rows(named=True)}
    for row in truth.rows:
        got_row = outcome[(row.file, row.row)]
        if row.code is None:
            assert got_row["outcome"] == "reject", row
            assert got_row["reason"] in {"region_ambiguous", "region_unknown"}, row

    # then: non-data sheets and rows skipped and counted by kind, not refused
    for f in result.files:
        for sheet in f.sheets:
            key = (f.name, sheet["name"])
            if key in truth.not_data_sheets:
                assert "tidak dibaca" in sheet["note"], key
            want = truth.skipped.get(key, {})
            got_skips = sheet.get("skipped") or {}
            for reason, n in want.items():
                assert got_skips.get(reason) == n, (key, reason, got_skips)
    assert result.counts["rows_read"] == len(truth.rows)

    # then: every resolution named on its row (codes) or over its rows (layout notes)
    by_row: dict[tuple[str, int], set[str]] = {}
    for issue in result.issues.iter_rows(named=True):
        by_row.setdefault((issue["file"], issue["row"]), set()).add(issue["code"])
    covered: dict[tuple[str, str], set[int]] = {}
    for f in result.files:
        for sheet in f.sheets:
            for note in sheet.get("layout") or []:
                if note["kind"] in LAYOUT_KINDS and note.get("field") == "regency":
                    covered.setdefault((f.name, note["kind"]), set()).update(_rows_of(note["rows"]))
    for row in truth.accepted:
        for kind in row.resolutions:
            if kind in ROW_CODES:
                assert ROW_CODES[kind] in by_row.get((row.file, row.row), set()), (row, kind)
            else:
                assert row.row in covered.get((row.file, kind), set()), (row, kind)

    # then: the conflict with the refused row reached the registry
    for conflicted in truth.conflicts:
        assert Flag.objects.filter(person__nik=conflicted, code=Flag.Code.CONFLICT).exists()
