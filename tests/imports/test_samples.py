"""The proof: the five sample files through the single door, checked against expected.json."""

import json

import pytest

from accounts.models import AuditEntry
from imports.services import ImportSource, legacy_import
from registry.models import Engagement, Flag, Person, Programme
from tests.imports.conftest import SAMPLES

ORDER = ["lanjut-usia.xlsx", "disabilitas.xlsx", "anak.csv", "napza.xlsx", "tuna-sosial-kpo.xlsx"]
REASONS = {"birth_date_mismatch": Flag.Code.NIK_BIRTH_DATE}


def expected_rows():
    return json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))


def import_all(actor, expected):
    outcomes = {}
    clusters = {f["file"]: f["cluster"] for f in expected["files"]}
    for name in ORDER:
        outcomes[name] = legacy_import(
            actor=actor,
            programme=Programme.objects.get(slug=clusters[name]),
            sources=[ImportSource(path=SAMPLES / name)],
            report=False,
        )
    return outcomes


@pytest.mark.django_db
def test_samples_import_matches_expected(operator):
    # given
    expected = expected_rows()

    # when
    outcomes = import_all(operator, expected)

    # then: every row has the expected outcome and reason
    for spec in expected["files"]:
        rows = outcomes[spec["file"]].rows
        got = {r["row"]: (r["outcome"], r["reason"]) for r in rows.iter_rows(named=True)}
        want = {
            r["row"]: (r["outcome"], REASONS.get(r["reason"], r["reason"])) for r in spec["rows"]
        }
        assert got == want, spec["file"]
        assert outcomes[spec["file"]].failed is False

    # then: exactly the expected people, with NIK-encoded sex and birth date and the name
    people = {p.nik: p for p in Person.objects.all()}
    assert set(people) == set(expected["people"])
    for nik, spec in expected["people"].items():
        person = people[nik]
        assert (person.sex, person.birth_date.isoformat()) == (spec["sex"], spec["birth_date"])
        assert person.full_name.casefold() == spec["name"].casefold(), nik

    # then: exactly the expected engagements (one per person, cluster and regency)
    got = set(Engagement.objects.values_list("person__nik", "programme__slug", "regency_id"))
    want = {
        (nik, e["cluster"], e["regency_code"])
        for nik, spec in expected["people"].items()
        for e in spec["engagements"]
    }
    assert got == want
    assert len(got) == expected["counts"]["engagements"]
    assert Person.objects.count() == expected["counts"]["people"]

    # then: no rejected row entered; legacy titles are kept as written
    titles = {
        (nik, slug, code): title
        for nik, slug, code, title in Engagement.objects.values_list(
            "person__nik", "programme__slug", "regency_id", "legacy_title"
        )
    }
    for spec in expected["files"]:
        for row in spec["rows"]:
            key = (row["nik"], row["cluster"], row["regency_code"])
            if row["outcome"] == "reject":
                assert key not in got, (spec["file"], row["row"])
            elif not row.get("duplicate_of_row"):
                assert titles[key] == row["legacy_title"], (spec["file"], row["row"])

    # then: the expected people, and only they, are flagged for verification
    open_flags = set(
        Flag.objects.filter(resolved_at__isnull=True)
        .exclude(code__in=[Flag.Code.CONCURRENT_PAID, Flag.Code.ASN_ALSO_PAID])
        .values_list("person__nik", "code")
    )
    want_flags = {
        (nik, REASONS[spec["flag"]]) for nik, spec in expected["people"].items() if spec.get("flag")
    }
    assert open_flags == want_flags
    counts = expected["counts"]
    assert sum(o.counts["rows_read"] for o in outcomes.values()) == counts["data_rows"]
    assert sum(o.counts["rejected"] for o in outcomes.values()) == counts["rejected_rows"]
    assert sum(o.counts["flagged"] for o in outcomes.values()) == counts["flagged_rows"]


@pytest.mark.django_db
def test_reimporting_the_samples_changes_nothing(operator):
    # given
    expected = expected_rows()
    import_all(operator, expected)
    before = (
        Person.objects.count(),
        Engagement.objects.count(),
        Flag.objects.count(),
        AuditEntry.objects.exclude(action=AuditEntry.Action.IMPORT).count(),
        sorted(Engagement.objects.values_list("id", "updated_at")),
    )

    # when
    outcomes = import_all(operator, expected)

    # then
    after = (
        Person.objects.count(),
        Engagement.objects.count(),
        Flag.objects.count(),
        AuditEntry.objects.exclude(action=AuditEntry.Action.IMPORT).count(),
        sorted(Engagement.objects.values_list("id", "updated_at")),
    )
    assert after == before
    for outcome in outcomes.values():
        assert outcome.counts["new_people"] == 0
        assert outcome.counts["new_engagements"] == 0
        assert outcome.counts["updated_engagements"] == 0
        assert outcome.counts["updated_people"] == 0
        assert outcome.counts["flags_raised"] == 0
    # each import is audited with its file hash, even when it changed nothing
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT)
    assert entries.count() == 10
    assert all(len(e.changes["sha256"]) == 64 for e in entries)
