"""legacy_import: the single door's rules, monthly updates, full rosters, scope and bad files."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEntry
from imports.models import ImportRun
from imports.services import ImportSource, legacy_import
from registry.models import Engagement, Flag, Person
from tests.factories import make_nik
from tests.imports.conftest import person_row, write_xlsx


def run(actor, programme, *paths, **options):
    return legacy_import(
        actor=actor,
        programme=programme,
        sources=[ImportSource(path=p) for p in paths],
        report=False,
        **options,
    )


def outcome_of(result, row):
    (found,) = [r for r in result.rows.iter_rows(named=True) if r["row"] == row]
    return found["outcome"], found["reason"]


@pytest.fixture
def elderly(programmes):
    return programmes["lanjut-usia"]


@pytest.mark.django_db
def test_monthly_reimport_takes_changed_facts_with_an_audit_entry(tmp_path, operator, elderly):
    # given: last month's file is in the registry
    first = [person_row(1), person_row(2), person_row(3)]
    run(operator, elderly, write_xlsx(tmp_path / "januari.xlsx", first))
    engagement = Engagement.objects.get(person__nik=make_nik(serial=1))

    # when: this month person 1 has a new title, incentive, status and phone
    changed = person_row(
        1,
        title="Pendamping Lanjut Usia Madya",
        incentive="Rp 2.750.000,-",
        status="PPPK",
        phone="0813-1111-2222",
    )
    result = run(
        operator,
        elderly,
        write_xlsx(tmp_path / "februari.xlsx", [changed, person_row(2), person_row(3)]),
    )

    # then
    engagement.refresh_from_db()
    assert (
        engagement.legacy_title,
        engagement.monthly_incentive,
        engagement.employment_status,
    ) == ("Pendamping Lanjut Usia Madya", 2_750_000, "PPPK")
    assert engagement.person.phone == "+6281311112222"
    assert result.counts["updated_engagements"] == 1
    assert result.counts["updated_people"] == 1
    assert result.counts["unchanged"] == 2
    entry = AuditEntry.objects.get(
        action=AuditEntry.Action.UPDATE,
        object_id=str(engagement.pk),
        object_type="registry.engagement",
    )
    assert entry.changes["monthly_incentive"] == [2_500_000, 2_750_000]
    assert entry.changes["legacy_title"] == ["Pendamping Lansia", "Pendamping Lanjut Usia Madya"]
    assert entry.actor == operator


@pytest.mark.django_db
def test_people_absent_are_ended_only_with_full_roster_after_a_preview(tmp_path, operator, elderly):
    # given: three people registered; the new file omits person 3, and person 2's row is broken
    run(operator, elderly, write_xlsx(tmp_path / "lama.xlsx", [person_row(n) for n in (1, 2, 3)]))
    new = write_xlsx(
        tmp_path / "baru.xlsx", [person_row(1), person_row(2, regency="Kab. Entah Berantah")]
    )

    # when: a plain import, then a full-roster dry run
    plain = run(operator, elderly, new)
    preview = run(operator, elderly, new, full_roster=True, dry_run=True)

    # then: nothing ended yet; the preview names person 3 only (person 2's row was unreadable)
    assert plain.counts["ended"] == 0
    assert [item["nik"] for item in preview.ending] == [make_nik(serial=3)]
    assert Engagement.objects.filter(status=Engagement.Status.ENDED).count() == 0

    # when: the full roster is committed
    done = run(operator, elderly, new, full_roster=True)

    # then
    ended = Engagement.objects.get(status=Engagement.Status.ENDED)
    assert ended.person.nik == make_nik(serial=3)
    assert ended.end_date == timezone.localdate()
    assert done.counts["ended"] == 1
    assert AuditEntry.objects.filter(
        object_id=str(ended.pk), changes__status__1="berakhir"
    ).exists()


@pytest.mark.django_db
def test_rows_outside_the_operators_scope_are_rejected(tmp_path, regency_operator, programmes):
    # given: a Kabupaten Bandung operator's file with a row in Kota Bandung
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(1), person_row(2, regency="Kota Bandung")])

    # when
    result = run(regency_operator, programmes["lanjut-usia"], path)

    # then
    assert outcome_of(result, 4) == ("accept", None)
    assert outcome_of(result, 5) == ("reject", "out_of_scope")
    assert list(Engagement.objects.values_list("regency_id", flat=True)) == ["32.04"]
    # and a programme outside their scope is refused outright
    with pytest.raises(PermissionDenied):
        run(regency_operator, programmes["anak"], path)


@pytest.mark.django_db
def test_bandung_alone_is_rejected_never_guessed(tmp_path, operator, elderly):
    # given
    rows = [
        person_row(1, regency="Bandung"),
        person_row(2, regency="KAB. BANDUNG"),
        person_row(3, regency="Kota Bandung"),
        person_row(4, regency="3273"),
    ]

    # when
    result = run(operator, elderly, write_xlsx(tmp_path / "bdg.xlsx", rows))

    # then
    assert outcome_of(result, 4) == ("reject", "region_ambiguous")
    got = dict(Engagement.objects.values_list("person__nik", "regency_id"))
    assert got == {
        make_nik(serial=2): "32.04",
        make_nik(serial=3): "32.73",
        make_nik(serial=4): "32.73",
    }
    message = result.issues.filter(result.issues["code"] == "region_ambiguous")["message"][0]
    assert "Kabupaten Bandung (32.04)" in message and "Kota Bandung (32.73)" in message


@pytest.mark.django_db
def test_nik_in_a_numeric_cell_is_rejected_with_how_to_fix(tmp_path, operator, elderly):
    # given: Excel stored the NIK as a number and kept 15 significant digits
    rows = [person_row(1, nik=float(make_nik(serial=1)))]

    # when
    result = run(operator, elderly, write_xlsx(tmp_path / "angka.xlsx", rows))

    # then
    assert outcome_of(result, 4) == ("reject", "nik_numeric_cell")
    assert "Teks" in result.issues["fix"][0]
    assert result.failed  # every data row of the file was rejected
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_conflicts_are_flagged_not_overwritten(tmp_path, operator, programmes):
    # given: a person registered from the elderly cluster's file
    run(
        operator,
        programmes["lanjut-usia"],
        write_xlsx(tmp_path / "lu.xlsx", [person_row(1, name="Siti Aminah", phone="0812 1")]),
    )

    # when: the disability cluster's file names the same NIK differently, and states
    # a birth date and sex that disagree with the NIK
    other = person_row(
        1, name="Siti Amina Rahayu", birth="18-08-1985", sex="P", phone="0813-9999-8888"
    )
    result = run(operator, programmes["disabilitas"], write_xlsx(tmp_path / "pd.xlsx", [other]))

    # then: one person, two engagements, name kept, flags raised
    person = Person.objects.get()
    assert person.full_name == "Siti Aminah"
    assert person.engagements.count() == 2
    codes = set(person.flags.values_list("code", flat=True))
    assert {Flag.Code.CONFLICT, Flag.Code.NIK_BIRTH_DATE, Flag.Code.NIK_SEX} <= codes
    assert outcome_of(result, 4)[0] == "flag"


@pytest.mark.django_db
def test_people_paid_twice_are_flagged(tmp_path, operator, programmes):
    # given / when: the same paid person in two clusters
    run(operator, programmes["lanjut-usia"], write_xlsx(tmp_path / "a.xlsx", [person_row(1)]))
    run(operator, programmes["disabilitas"], write_xlsx(tmp_path / "b.xlsx", [person_row(1)]))

    # then
    assert (
        Flag.objects.filter(code=Flag.Code.CONCURRENT_PAID, resolved_at__isnull=True).count() == 1
    )


@pytest.mark.django_db
def test_an_unreadable_file_stops_the_whole_batch(tmp_path, operator, elderly):
    # given
    good = write_xlsx(tmp_path / "baik.xlsx", [person_row(1)])
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 rusak")

    # when
    result = run(operator, elderly, good, bad)

    # then
    assert result.failed and not result.committed
    assert "tidak dapat dibuka" in result.files[1].error
    assert not Person.objects.exists()
    assert set(ImportRun.objects.values_list("status", flat=True)) == {ImportRun.Status.FAILED}


@pytest.mark.django_db
def test_dry_run_writes_nothing_but_reports_the_same_counts(tmp_path, operator, elderly):
    # given
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(1), person_row(2), person_row(2)])

    # when
    dry = run(operator, elderly, path, dry_run=True)

    # then
    assert not Person.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.IMPORT).exists()
    real = run(operator, elderly, path)
    for key in ("new_people", "new_engagements", "duplicates", "rejected", "rows_read"):
        assert dry.counts[key] == real.counts[key], key
    assert real.counts["new_engagements"] == 2 and real.counts["duplicates"] == 1
    repeat = real.issues.filter(real.issues["code"] == "duplicate_row")
    assert repeat["row"].to_list() == [6] and "baris 5" in repeat["message"][0]


@pytest.mark.django_db
def test_the_report_can_be_corrected_and_uploaded_again(tmp_path, operator, elderly):
    # given: a file with one broken NIK
    path = write_xlsx(tmp_path / "a.xlsx", [person_row(1), person_row(2, nik="3204-0117")])
    result = legacy_import(actor=operator, programme=elderly, sources=[ImportSource(path=path)])
    report = tmp_path / "laporan.xlsx"
    report.write_bytes(result.report)

    # when: the operator fixes the NIK in the report's first sheet and uploads the report
    wb = load_workbook(io.BytesIO(result.report))
    sheet = wb["Perbaiki & unggah ulang"]
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("Alasan penolakan") + 1).value.startswith("NIK harus 16")
    sheet.cell(2, headers.index("NIK") + 1).value = make_nik(serial=2)
    wb.save(report)
    again = run(operator, elderly, report)

    # then: only the corrected row is read (the other sheets carry the report marker)
    assert again.counts["rows_read"] == 1
    assert Person.objects.filter(nik=make_nik(serial=2)).exists()
    assert ImportRun.objects.filter(status=ImportRun.Status.COMMITTED).count() == 2


@pytest.mark.django_db
def test_tmt_and_titles_are_read(tmp_path, operator, elderly):
    # given
    header = ["NIK", "Nama", "Kab/Kota", "TMT", "Tempat, Tgl Lahir"]
    rows = [
        [
            make_nik(serial=7),
            "Dr. Budi Santoso, M.Si",
            "32.04",
            dt.date(2019, 1, 2),
            "Bandung, 17 Agustus 1985",
        ]
    ]

    # when
    run(operator, elderly, write_xlsx(tmp_path / "a.xlsx", rows, header=header))

    # then
    person = Person.objects.get()
    assert (person.full_name, person.titles_front, person.titles_back) == (
        "Budi Santoso",
        "Dr.",
        "M.Si",
    )
    assert person.birth_place == "Bandung"
    assert person.engagements.get().start_date == dt.date(2019, 1, 2)
    assert person.engagements.get().employment_status == "kontrak"


@pytest.mark.django_db
def test_district_village_and_old_nik_region(tmp_path, operator, elderly):
    # given: a NIK issued in Papua before the 2022 split (91.01, now Merauke 93.01)
    header = ["NIK", "Nama", "Kab/Kota", "Kecamatan", "Desa"]
    old_nik = make_nik(regency="91.01", serial=9)
    rows = [
        [make_nik(serial=1), "Budi", "Kab. Bandung", "Cileunyi", "Cileunyi Wetan"],
        [old_nik, "Yohanes", "93.01", "Kecamatan Entah", ""],
    ]

    # when
    result = run(operator, elderly, write_xlsx(tmp_path / "a.xlsx", rows, header=header))

    # then
    first = Engagement.objects.get(person__nik=make_nik(serial=1))
    assert first.district_id == "32.04.05"
    assert first.village_id and first.village_id.startswith("32.04.05.")
    second = Engagement.objects.get(person__nik=old_nik)
    assert second.regency_id == "93.01" and second.district_id is None
    assert outcome_of(result, 5) == ("flag", Flag.Code.NIK_REGION_UNKNOWN)
    codes = set(result.issues["code"].to_list())
    assert "district_unknown" in codes


@pytest.mark.django_db
def test_planning_in_parts_gives_the_same_result(tmp_path, operator, elderly, monkeypatch):
    # given: parts of three rows, and a file whose repeats and conflicts span parts
    import registry.bulk.plan

    monkeypatch.setattr(registry.bulk.plan, "PLAN_PART", 3)
    rows = [person_row(n) for n in range(1, 9)]
    rows += [person_row(2), person_row(5, name="Nama Lain"), person_row(7, regency="Kota Bandung")]

    # when
    first = run(operator, elderly, write_xlsx(tmp_path / "a.xlsx", rows))
    again = run(operator, elderly, write_xlsx(tmp_path / "a.xlsx", rows), full_roster=True)

    # then
    assert (first.counts["new_people"], first.counts["new_engagements"]) == (8, 9)
    assert first.counts["duplicates"] == 2
    assert Flag.objects.filter(code=Flag.Code.CONFLICT).count() == 1
    assert again.counts["unchanged"] == 9 and again.counts["ended"] == 0


def test_a_commit_asks_for_harmonisation_after_it(db, django_capture_on_commit_callbacks, tmp_path):
    """Imported engagements get their level: the import queues the framework's harmonize job."""
    from jobs.models import Job

    # given: a small valid file
    path = tmp_path / "lansia.csv"
    path.write_text(
        "NIK;Nama;L/P;Tgl Lahir;Kab/Kota;Jabatan\n"
        "3204015708850001;Siti Aminah;P;17-08-1985;Kabupaten Bandung;Pendamping Lansia\n",
        encoding="utf-8",
    )
    # when
    with django_capture_on_commit_callbacks(execute=False):
        call_command("import_legacy", str(path), "--cluster", "lanjut-usia", stdout=io.StringIO())
    # then
    assert Job.objects.filter(kind="harmonize", title="Harmonisasi setelah impor").exists()
