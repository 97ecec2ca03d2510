"""Sheets as offices lay them out: merged cells, regency blocks, values written once per group,
province headers, signatures, examples, instruction sheets, monthly columns; and conflicts
with rows refused for their region. Each test writes its own small file."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from imports.services import ImportSource, legacy_import
from registry.models import Engagement, Flag, Person
from tests.factories import make_nik

HEAD = ["No", "NIK", "Nama", "Kab/Kota", "Jabatan"]


def nik(serial: int, regency: str = "32.01") -> str:
    return make_nik(regency=regency, serial=serial)


def book(path, rows, *, head=HEAD, merges=(), sheets=None):
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["DAFTAR PENDAMPING"])
    ws.append(head)
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    for title, extra in (sheets or {}).items():
        other = wb.create_sheet(title)
        for row in extra:
            other.append(row)
    wb.save(path)
    return path


def run(actor, programme, *paths, dry_run=False, report=False):
    return legacy_import(
        actor=actor,
        programme=programme,
        sources=[ImportSource(path=p) for p in paths],
        dry_run=dry_run,
        report=report,
    )


def outcomes(result):
    return {r["row"]: (r["outcome"], r["reason"]) for r in result.rows.iter_rows(named=True)}


def layout_notes(result, kind=None):
    return [
        note
        for f in result.files
        for s in f.sheets
        for note in s.get("layout") or []
        if kind is None or note["kind"] == kind
    ]


def skipped(result):
    return {
        reason: n
        for f in result.files
        for s in f.sheets
        for reason, n in (s.get("skipped") or {}).items()
    }


@pytest.fixture
def elderly(programmes):
    return programmes["lanjut-usia"]


@pytest.mark.django_db
def test_a_merged_regency_cell_applies_to_every_row_it_covers(tmp_path, operator, elderly):
    # given: Kab. Bogor merged down rows 3-5, Kota Bogor written on row 6
    rows = [[1, nik(1), "Ani", "Kab. Bogor", "P"], [2, nik(2), "Budi", None, "P"]]
    rows += [[3, nik(3), "Citra", None, "P"], [4, nik(4), "Dedi", "Kota Bogor", "P"]]
    path = book(tmp_path / "gabung.xlsx", rows, merges=["D3:D5"])

    # when
    result = run(operator, elderly, path)

    # then: all four in, three in Kabupaten Bogor, and the report names the merge
    assert set(outcomes(result).values()) == {("accept", None)}
    regencies = dict(Engagement.objects.values_list("person__nik", "regency_id"))
    assert [regencies[nik(i)] for i in (1, 2, 3, 4)] == ["32.01", "32.01", "32.01", "32.71"]
    (note,) = layout_notes(result, "sel_gabungan")
    assert "D3:D5" in note["text"] and note["rows"] == "3–5"


@pytest.mark.django_db
def test_a_block_header_sets_the_regency_of_the_rows_under_it(tmp_path, operator, elderly):
    # given: two blocks under header rows, totals between them, one row naming its own regency
    rows = [
        ["KABUPATEN BOGOR"],
        [1, nik(1), "Ani", None, "P"],
        [2, nik(2), "Budi", None, "P"],
        ["JUMLAH KABUPATEN BOGOR", None, "2 orang"],
        ["II. KOTA BDG"],
        [3, nik(3, "32.73"), "Citra", None, "P"],
        [4, nik(4, "32.73"), "Dedi", "Kota Cimahi", "P"],
    ]
    path = book(tmp_path / "blok.xlsx", rows, merges=["A3:E3", "A7:E7"])

    # when
    result = run(operator, elderly, path, report=True)

    # then
    got = dict(Engagement.objects.values_list("person__nik", "regency_id"))
    assert got == {
        nik(1): "32.01",
        nik(2): "32.01",
        nik(3, "32.73"): "32.73",
        nik(4, "32.73"): "32.77",
    }
    assert skipped(result) == {"judul_blok": 2, "jumlah": 1}
    texts = [n["text"] for n in layout_notes(result, "judul_blok")]
    assert any("Baris 3 'KABUPATEN BOGOR'" in t and "4–5" in t for t in texts)
    # The header's abbreviation is named too, on the rows it covered.
    codes = result.issues.filter(result.issues["row"] == 8)["code"].to_list()
    assert "region_abbreviation" in codes
    # ... and in the report's sheet of conclusions.
    sheet = load_workbook(io.BytesIO(result.report))["Yang disimpulkan"]
    listed = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any("judul blok" in v for v in listed) and any("KOTA BDG" in v for v in listed)


@pytest.mark.django_db
def test_a_block_header_nobody_can_read_refuses_its_rows_saying_where(tmp_path, operator, elderly):
    rows = [["KABUPATEN ANTAH BERANTAH"], [1, nik(1), "Ani", None, "P"]]
    result = run(operator, elderly, book(tmp_path / "blok.xlsx", rows), dry_run=True)
    assert outcomes(result)[4] == ("reject", "region_unknown")
    (message,) = result.issues.filter(result.issues["code"] == "region_unknown")["message"]
    assert "judul blok baris 3" in message


@pytest.mark.django_db
def test_a_value_written_once_per_group_is_carried_but_a_gap_is_not(tmp_path, operator, elderly):
    # given: groups with the regency only on their first row ...
    once = [
        [1, nik(1), "Ani", "Kab. Bogor", "P"],
        [2, nik(2), "Budi", None, "P"],
        [3, nik(3), "Citra", None, "P"],
        [4, nik(4, "32.02"), "Dedi", "Kab. Sukabumi", "P"],
        [5, nik(5, "32.02"), "Eka", None, "P"],
        [6, nik(6, "32.02"), "Fani", None, "P"],
    ]
    # ... and a flat list where one row forgot its regency
    gap = [
        [1, nik(11), "Gita", "Kab. Bogor", "P"],
        [2, nik(12), "Hadi", "Kab. Bogor", "P"],
        [3, nik(13), "Ira", None, "P"],
        [4, nik(14), "Joni", "Kab. Bogor", "P"],
    ]

    # when
    carried = run(operator, elderly, book(tmp_path / "sekali.xlsx", once), dry_run=True)
    not_carried = run(operator, elderly, book(tmp_path / "celah.xlsx", gap), dry_run=True)

    # then
    assert set(outcomes(carried).values()) == {("accept", None)}
    assert [n["rows"] for n in layout_notes(carried, "isi_ke_bawah")] == ["4–5", "7–8"]
    assert outcomes(not_carried)[5] == ("reject", "region_missing")
    assert not layout_notes(not_carried, "isi_ke_bawah")


@pytest.mark.django_db
def test_province_headers_and_signatures_are_skipped_and_counted(tmp_path, operator, elderly):
    # given: a national list under province headers, "Banjar" under Kalimantan Selatan, and a
    # signature block whose lines sit in the Nama column
    rows = [
        ["PROVINSI KALIMANTAN SELATAN"],
        [1, nik(1, "63.03"), "Ani", "Banjar", "P"],
        ["PROVINSI JAWA BARAT"],
        [2, nik(2, "32.79"), "Budi", "Banjar", "P"],
        [],
        [None, None, "Bendahara Pengeluaran,"],
        [None, None, "Drs. H. Ahmad Sulaeman, M.Si"],
        [None, None, "NIP. 19680101 199303 1 004"],
    ]
    path = book(tmp_path / "nasional.xlsx", rows, merges=["A3:E3", "A5:E5"])

    # when
    result = run(operator, elderly, path, dry_run=True, report=True)

    # then: Banjar is read in each province; nothing else is a data row
    assert outcomes(result) == {4: ("accept", None), 6: ("accept", None)}
    assert skipped(result) == {"judul_provinsi": 2, "kosong": 1, "tanda_tangan": 3}
    fix = load_workbook(io.BytesIO(result.report))["Perbaiki & unggah ulang"]
    assert fix.max_row == 1  # no signature line offered back as a refused row
    summary = load_workbook(io.BytesIO(result.report))["Ringkasan"]
    lines = [str(c.value) for row in summary.iter_rows() for c in row if c.value]
    assert "Dilewati: 3 tanda tangan/penutup" in lines


@pytest.mark.django_db
def test_examples_and_instruction_sheets_are_never_data(tmp_path, operator, elderly):
    # given: an example row on the data sheet, and an instructions sheet with its own example
    rows = [
        ["Contoh", nik(9), "Nama Pendamping (contoh)", "Kab. Bogor", "P"],
        [1, nik(1), "Ani", "Kab. Bogor", "P"],
    ]
    guide = [
        ["PETUNJUK PENGISIAN"],
        HEAD,
        [1, nik(8), "Siti Aminah, S.Sos (contoh)", "Kab. Bandung", "P"],
    ]
    recap = [["NO", "NAMA", "NIK", "KAB/KOTA"], [1, "Rekap Saja", nik(7), "Kab. Bogor"]]
    path = book(tmp_path / "contoh.xlsx", rows, sheets={"Petunjuk": guide, "Rekap 2025": recap})

    # when
    result = run(operator, elderly, path)

    # then
    assert set(Person.objects.values_list("nik", flat=True)) == {nik(1)}
    assert skipped(result) == {"contoh": 1}
    notes = {s["name"]: s["note"] for s in result.files[0].sheets}
    assert "petunjuk" in notes["Petunjuk"] and "tidak dibaca" in notes["Rekap 2025"]


@pytest.mark.django_db
def test_a_workbook_of_only_a_recap_sheet_is_read(tmp_path, operator, elderly):
    # A lone sheet named "Rekap" that holds the people is the roster.
    wb = Workbook()
    ws = wb.active
    ws.title = "Rekap"
    ws.append(HEAD)
    ws.append([1, nik(1), "Ani", "Kab. Bogor", "P"])
    wb.save(tmp_path / "rekap.xlsx")
    result = run(operator, elderly, tmp_path / "rekap.xlsx", dry_run=True)
    assert outcomes(result) == {2: ("accept", None)}


def _monthly(path, rows, *, extra_incentive=False):
    wb = Workbook()
    ws = wb.active
    months = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun"]
    head = ["No", "NIK", "Nama", "Kab/Kota"] + (["Insentif"] if extra_incentive else [])
    ws.append(head + ["INSENTIF BULANAN"] + [""] * 5 + ["JUMLAH"])
    ws.append([""] * len(head) + months + [""])
    start = len(head) + 1
    ws.merge_cells(start_row=1, start_column=start, end_row=1, end_column=start + 5)
    for c in range(1, len(head) + 1):
        ws.merge_cells(start_row=1, start_column=c, end_row=2, end_column=c)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


@pytest.mark.django_db
def test_monthly_columns_give_the_latest_month_paid_and_the_report_says_which(
    tmp_path, operator, elderly
):
    # given: Jan-Jun under a merged INSENTIF BULANAN and a yearly sum; one person unpaid since Apr
    rows = [
        [
            1,
            nik(1),
            "Ani",
            "Kab. Bogor",
            2_000_000,
            2_000_000,
            2_000_000,
            2_000_000,
            2_000_000,
            2_200_000,
            12_200_000,
        ],
        [
            2,
            nik(2),
            "Budi",
            "Kab. Bogor",
            "Rp 1.900.000",
            "Rp 1.900.000",
            "Rp 1.900.000",
            "-",
            "-",
            "-",
            "Rp 5.700.000",
        ],
    ]
    path = _monthly(tmp_path / "bulanan.xlsx", rows)

    # when
    result = run(operator, elderly, path)

    # then
    got = dict(Engagement.objects.values_list("person__nik", "monthly_incentive"))
    assert got == {nik(1): 2_200_000, nik(2): 1_900_000}
    (note,) = layout_notes(result, "bulan")
    assert note["columns"] == ["E", "F", "G", "H", "I", "J"] and note["ignored"] == ["K"]
    assert note["used"] == ["Jun", "Mar"] and "Jun (1 baris)" in note["text"]
    assert "jumlah setahun" in result.files[0].sheets[0]["note"]


@pytest.mark.django_db
def test_a_monthly_incentive_column_wins_over_the_months(tmp_path, operator, elderly):
    rows = [[1, nik(1), "Ani", "Kab. Bogor", 2_500_000, 1, 2, 3, 4, 5, 6, 21]]
    result = run(operator, elderly, _monthly(tmp_path / "b.xlsx", rows, extra_incentive=True))
    assert Engagement.objects.get().monthly_incentive == 2_500_000
    (note,) = layout_notes(result, "bulan")
    assert "tidak dibaca" in note["text"]


@pytest.mark.django_db
def test_a_conflict_with_a_row_refused_for_its_region_still_reaches_the_registry(
    tmp_path, operator, elderly
):
    # given: one NIK in two offices' files: readable in the first, an unknown regency in the
    # second, and a different name
    first = book(tmp_path / "satu.xlsx", [[1, nik(1), "Ani Rahayu", "Kab. Bogor", "P"]])
    second = tmp_path / "dua.csv"
    with open(second, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(
            [["NIK", "Nama", "Kab/Kota"], [nik(1), "Anita Rahayu", "Kab. Antah Berantah"]]
        )

    # when: both in one batch
    result = run(operator, elderly, first, second)

    # then: the person entered once, flagged for the conflict, and both rows say so
    person = Person.objects.get(nik=nik(1))
    (flag,) = Flag.objects.filter(person=person, code=Flag.Code.CONFLICT)
    assert "Anita Rahayu" in flag.reason and "dua.csv" in flag.reason
    codes = {(r["file"], r["code"]) for r in result.issues.iter_rows(named=True)}
    assert {("satu.xlsx", "data_bertentangan"), ("dua.csv", "conflict_with_accepted")} <= codes
    assert ("dua.csv", "region_unknown") in codes


@pytest.mark.django_db
def test_a_windows_1252_csv_with_abbreviations_and_old_names(tmp_path, operator, elderly):
    rows = [
        ["NIK", "Nama", "Provinsi", "Kab/Kota"],
        [nik(1, "13.03"), "Désirée Putri", "Sumatera Barat", "Kab. Sawahlunto/Sijunjung"],
        [nik(2, "36.74"), "André Lubis", "Banten", "Kota Tangsel"],
        [nik(3, "95.04"), "Noël Wenda", "Papua", "KAB TOLIKARA"],
    ]
    path = tmp_path / "dinsos.csv"
    with open(path, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    result = run(operator, elderly, path)
    got = dict(Engagement.objects.values_list("person__full_name", "regency_id"))
    assert got == {"Désirée Putri": "13.03", "André Lubis": "36.74", "Noël Wenda": "95.04"}
    codes = {r["row"]: r["code"] for r in result.issues.iter_rows(named=True)}
    assert codes[2] == "region_old_name" and codes[3] == "region_abbreviation"
    assert codes[4] == "region_old_province"


@pytest.mark.django_db
def test_instructions_above_a_roster_do_not_hide_it(tmp_path, operator, elderly):
    # given: a template's data sheet with its filling instructions above the header
    wb = Workbook()
    ws = wb.active
    ws.title = "Master Data"
    ws.append(["PETUNJUK PENGISIAN: tulis NIK sebagai teks, satu baris satu orang."])
    ws.append(HEAD)
    for i in range(1, 6):
        ws.append([i, nik(i), f"Orang {i}", "Kab. Bogor", "P"])
    wb.save(tmp_path / "templat.xlsx")

    # when
    result = run(operator, elderly, tmp_path / "templat.xlsx", dry_run=True)

    # then: the roster is read
    assert len(outcomes(result)) == 5
    assert set(outcomes(result).values()) == {("accept", None)}
