"""A second set of real-looking office files, generated with their ground truth.

Each call of ``office_files(folder, seed)`` writes the kinds of files offices keep, each with
the layouts and habits that lost people before (letterheads, merged two-row headers, regency
blocks, province headers, signature blocks, instruction and recap sheets, example rows,
monthly incentive columns, Windows-1252 CSVs, abbreviations, old names, typos, provinces from
before a split), choosing regencies, writings, block styles and people at random from the
seed, so that no test tunes to one file. The truth says, for every row written, what a correct
import does with it: accept it (with the regency, name and incentive it must get, and the
resolutions the report must name) or refuse it (a region that cannot be told apart), or skip it
as a non-data row, and for every sheet whether it is data at all.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FIRST = [
    "Siti",
    "Ahmad",
    "Budi",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hendra",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Oktaviani",
    "Putu",
    "Rahmat",
    "Sri",
    "Taufik",
    "Umi",
    "Wahyu",
    "Yuni",
    "Zainal",
    "Agus",
    "Bayu",
    "Citra",
    "Dian",
    "Fajar",
    "Hana",
    "Irfan",
]
LAST = [
    "Rahayu",
    "Santoso",
    "Wijaya",
    "Lubis",
    "Siregar",
    "Nasution",
    "Hidayat",
    "Saputra",
    "Purnama",
    "Kusuma",
    "Pratama",
    "Wulandari",
    "Hasibuan",
    "Harahap",
    "Setiawan",
    "Permata",
    "Marpaung",
    "Sitompul",
    "Gunawan",
    "Halim",
    "Susanti",
    "Nugroho",
    "Utami",
    "Firmansyah",
]
ACCENTED = ["Désirée", "André", "Renée", "José", "Noël", "Zoë"]
TITLES = ["", "", "", ", S.Sos", ", S.Kesos", ", S.Psi", ", A.Md"]

# (written, code, resolution kinds) by province; None as code: ambiguous, must be refused.
JABAR_BLOCKS = [
    ("KABUPATEN BOGOR", "32.01", set()),
    ("KABUPATEN SUKABUMI", "32.02", set()),
    ("KAB. CIANJUR", "32.03", set()),
    ("KOTA BDG", "32.73", {"singkatan"}),
    ("KAB. GARUTT", "32.05", {"salah_ketik"}),
    ("KOTA TASIK", "32.78", {"singkatan"}),
    ("KABUPATEN KUNINGAN", "32.08", set()),
    ("KOTA DEPOK", "32.76", set()),
    ("KAB. BANDUNG BARAT", "32.17", set()),
]
# Written in a regency column, with the province header above them, for a national list.
NATIONAL = {
    "KALIMANTAN SELATAN": [
        ("Kab. HSS", "63.06", {"singkatan"}),
        ("HST (KAB)", "63.07", {"singkatan"}),
        ("Kota Banjarmasin", "63.71", set()),
        ("Kab. Tala", "63.01", {"singkatan"}),
    ],
    "DKI JAKARTA": [
        ("Jaktim", "31.75", {"singkatan"}),
        ("Jaksel", "31.74", {"singkatan"}),
        ("Kodya Jakarta Barat", "31.73", set()),
    ],
    "BANTEN": [
        ("Kota Tangsel", "36.74", {"singkatan"}),
        ("Kab. Tangerang", "36.03", set()),
        ("Tng", None, set()),  # Kabupaten or Kota Tangerang: refused
    ],
    "SUMATERA SELATAN": [
        ("Kab. OKU", "16.01", {"singkatan"}),
        ("OKU Timur", "16.08", {"singkatan"}),
        ("Kab. Mura", "16.05", {"singkatan"}),  # Musi Rawas here, Murung Raya elsewhere
    ],
    "SUMATERA BARAT": [
        ("Kab. Sawahlunto/Sijunjung", "13.03", {"nama_lama"}),
        ("Kab. 50 Kota", "13.07", {"singkatan"}),
        ("Kota Padang", "13.71", set()),
    ],
    "SULAWESI BARAT": [("Mamuju Utara", "76.01", {"nama_lama"}), ("Kab. Majene", "76.05", set())],
    "KALIMANTAN BARAT": [
        ("Kab. Pontianak", "61.02", {"nama_lama"}),
        ("Kota Pontianak", "61.71", set()),
        ("Kab. Kubu Raya", "61.12", set()),
    ],
    "SULAWESI SELATAN": [("Kota Ujung Pandang", "73.71", {"nama_lama"})],
    "JAWA TIMUR": [
        ("Kab. Magettan", "35.20", {"salah_ketik"}),
        ("Kodya Surabaya", "35.78", set()),
        ("Madiun", None, set()),  # Kabupaten or Kota Madiun: refused
    ],
    "JAWA TENGAH": [
        ("Kota Surkarta", "33.72", {"salah_ketik"}),
        ("Kota Semmarang", "33.74", {"salah_ketik"}),
        ("Solo", "33.72", {"singkatan"}),
    ],
    "PAPUA": [
        ("KAB TOLIKARA", "95.04", {"provinsi_lama"}),
        ("Kab. Jayawijaya", "95.01", {"provinsi_lama"}),
        ("Kab. Merauke", "93.01", {"provinsi_lama"}),
        ("Kota Jayapura", "91.71", set()),
    ],
    "PAPUA BARAT": [
        ("RAJA AMPAT", "96.03", {"provinsi_lama"}),
        ("Kab. Manokwari", "92.02", set()),
    ],
}
# A CSV from a district office: regency and province columns, written as people write them.
CSV_REGIONS = [
    ("Kab. Sawahlunto/Sijunjung", "Sumatera Barat", "13.03", {"nama_lama"}),
    ("Kab Pontianak", "Kalimantan Barat", "61.02", {"nama_lama"}),
    ("Kota Tangsel", "Banten", "36.74", {"singkatan"}),
    ("Kab. Magettan", "Jawa Timur", "35.20", {"salah_ketik"}),
    ("KAB TOLIKARA", "Papua", "95.04", {"provinsi_lama"}),
    ("Kab. Bogor", "Jawa Barat", "32.01", set()),
    ("32.73", "Jawa Barat", "32.73", set()),
    ("Bandung", "Jawa Barat", None, set()),  # Kabupaten or Kota Bandung: refused
    ("Kab. Mura", "", None, set()),  # Musi Rawas or Murung Raya, no province: refused
]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agt", "Sep", "Okt", "Nov", "Des"]
SIGNATURE = [
    "Bandung, 15 Januari 2025",
    "Kepala Dinas Sosial,",
    "",
    "Drs. H. Ahmad Sulaeman, M.Si",
    "NIP. 19680101 199303 1 004",
]


@dataclass
class Row:
    """A data row as written and what the import must make of it."""

    file: str
    sheet: str
    row: int
    nik: str
    name: str  # without titles
    code: str | None  # None: the region cannot be told apart and the row must be refused
    resolutions: set[str] = field(default_factory=set)
    incentive: int | None = None


@dataclass
class Truth:
    rows: list[Row] = field(default_factory=list)
    skipped: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    not_data_sheets: set[tuple[str, str]] = field(default_factory=set)
    conflicts: set[str] = field(default_factory=set)  # NIKs whose sources disagree
    files: list[Path] = field(default_factory=list)

    def skip(self, file: str, sheet: str, reason: str, n: int = 1) -> None:
        counts = self.skipped.setdefault((file, sheet), {})
        counts[reason] = counts.get(reason, 0) + n

    @property
    def accepted(self) -> list[Row]:
        return [r for r in self.rows if r.code]


class _People:
    def __init__(self, rng: random.Random):
        self.rng, self.serial = rng, 0

    def make(self, code: str, *, accented: bool = False) -> tuple[str, str, str, str]:
        """(nik, name as written, name without titles, birth date text) of a new person whose
        NIK was issued in the regency ``code``; ``self.sex`` is the sex the NIK encodes."""
        rng = self.rng
        self.serial += 1
        sex = self.sex = rng.choice("LP")
        birth = dt.date(rng.randint(1965, 2000), rng.randint(1, 12), rng.randint(1, 28))
        day = birth.day + (40 if sex == "P" else 0)
        nik = (
            f"{code.replace('.', '')}{rng.randint(1, 9):02d}{day:02d}{birth:%m%y}{self.serial:04d}"
        )
        first = rng.choice(ACCENTED) if accented else rng.choice(FIRST)
        name = f"{first} {rng.choice(LAST)}"
        written = name.upper() if rng.random() < 0.3 else name
        return nik, written + rng.choice(TITLES), name, birth.strftime("%d-%m-%Y")


def _header_two_rows(ws, top: int, labels: list[tuple[str, str]]) -> None:
    """Two header rows: (parent, child) per column; equal parents merge across, a lone parent
    merges down."""
    col = 1
    while col <= len(labels):
        parent, child = labels[col - 1]
        span = 1
        while col + span <= len(labels) and labels[col + span - 1][0] == parent and child:
            span += 1
        ws.cell(top, col, parent)
        if child:
            for i in range(span):
                ws.cell(top + 1, col + i, labels[col + i - 1][1])
            if span > 1:
                ws.merge_cells(
                    start_row=top, start_column=col, end_row=top, end_column=col + span - 1
                )
        else:
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 1, end_column=col)
        col += span


def _letterhead(ws, lines: list[str], width: int) -> int:
    for i, line in enumerate(lines, start=1):
        ws.cell(i, 1, line)
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=width)
    return len(lines) + 2  # one blank row under the letterhead


BLOCK_HEADER = [
    ("NO", ""),
    ("NIK", ""),
    ("NAMA LENGKAP", ""),
    ("TEMPAT, TGL LAHIR", "TEMPAT"),
    ("TEMPAT, TGL LAHIR", "TGL LAHIR"),
    ("L/P", ""),
    ("KAB/KOTA", ""),
    ("JABATAN", ""),
    ("STATUS", ""),
    ("INSENTIF (RP)", ""),
]


def _jabar_blocks(folder: Path, rng: random.Random, people: _People, truth: Truth) -> None:
    """A Jawa Barat sheet in regency blocks, with an instructions sheet and a recap sheet."""
    name, sheet = "dinsos-jabar-blok.xlsx", "Data Pendamping"
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    width = len(BLOCK_HEADER)
    row = _letterhead(
        ws,
        ["PEMERINTAH PROVINSI JAWA BARAT", "DINAS SOSIAL", "DAFTAR PENDAMPING LANJUT USIA 2025"],
        width,
    )
    _header_two_rows(ws, row, BLOCK_HEADER)
    row += 2
    for i in range(width):  # column numbers under the header
        ws.cell(row, i + 1, str(i + 1))
    truth.skip(name, sheet, "nomor_kolom")
    row += 1
    # The template's example row, left in.
    ws.cell(row, 1, "Contoh")
    ws.cell(row, 2, "3273014508850001")
    ws.cell(row, 3, "Nama Pendamping (contoh)")
    ws.cell(row, 7, "Kota Bandung")
    truth.skip(name, sheet, "contoh")
    row += 1
    number = 0
    blocks = rng.sample(JABAR_BLOCKS, k=rng.randint(5, len(JABAR_BLOCKS)))
    for written, code, kinds in blocks:
        style = rng.choice(["header", "merged", "once"])
        size = rng.randint(3, 9)
        if style == "header":
            ws.cell(row, 1, rng.choice(["", "A. ", "I. "]) + written)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            truth.skip(name, sheet, "judul_blok")
            row += 1
        first = row
        for j in range(size):
            number += 1
            nik, shown, plain, birth = people.make(code)
            cells = [
                number,
                nik,
                shown,
                rng.choice(["Bogor", "Bandung", "Garut"]),
                birth,
                people.sex,
                "",
                "Pendamping Lansia",
                "Kontrak",
                "Rp 2.500.000,-",
            ]
            if style in ("merged", "once") and j == 0:
                cells[6] = written.title() if rng.random() < 0.5 else written
            for c, value in enumerate(cells, start=1):
                ws.cell(row, c, value)
            # How the row gets its regency: from the header, or from the block's first row.
            done = {"merged": "sel_gabungan", "once": "isi_ke_bawah", "header": "judul_blok"}
            carried = {done[style]} if style == "header" or j > 0 else set()
            truth.rows.append(Row(name, sheet, row, nik, plain, code, kinds | carried, 2_500_000))
            row += 1
        if style == "merged":
            ws.merge_cells(start_row=first, start_column=7, end_row=row - 1, end_column=7)
        ws.cell(row, 1, f"JUMLAH {written}")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
        ws.cell(row, 10, 2_500_000 * size)
        truth.skip(name, sheet, "jumlah")
        row += 1
    ws.cell(row, 1, "JUMLAH TOTAL")
    truth.skip(name, sheet, "jumlah")
    row += 2
    for line in SIGNATURE:
        if line:
            # Offices put the signature under the Nama or the Jabatan column.
            ws.cell(row, rng.choice([3, 8]), line)
            truth.skip(name, sheet, "tanda_tangan")
        row += 1
    # The instructions, with an example row under the same header.
    guide = wb.create_sheet("Petunjuk Pengisian")
    guide.append(["PETUNJUK PENGISIAN"])
    guide.append(["1. Tulis NIK 16 digit sebagai teks."])
    guide.append(["NO", "NIK", "NAMA LENGKAP", "L/P", "KAB/KOTA", "JABATAN"])
    guide.append(
        [1, "3204014508850002", "Siti Aminah, S.Sos (contoh)", "P", "Kab. Bandung", "Pendamping"]
    )
    truth.not_data_sheets.add((name, "Petunjuk Pengisian"))
    recap = wb.create_sheet("Rekap")
    recap.append(["REKAPITULASI PER KAB/KOTA"])
    recap.append(["NO", "NAMA KAB/KOTA", "JUMLAH PENDAMPING"])
    for i, (written, _, _) in enumerate(blocks, start=1):
        recap.append([i, written, rng.randint(3, 9)])
    truth.not_data_sheets.add((name, "Rekap"))
    wb.save(folder / name)
    truth.files.append(folder / name)


def _national(folder: Path, rng: random.Random, people: _People, truth: Truth) -> None:
    """A national list under province header rows; regencies as people write them."""
    name, sheet = "rekap-nasional-provinsi.xlsx", "Nasional"
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    headers = [
        "No.",
        "Nama Pendamping",
        "No. KTP",
        "JK",
        "Tanggal Lahir",
        "Kabupaten/Kota",
        "Jabatan",
        "Honor",
    ]
    row = _letterhead(ws, ["KEMENTERIAN SOSIAL RI", "DATA PENDAMPING PER PROVINSI"], len(headers))
    for c, label in enumerate(headers, start=1):
        ws.cell(row, c, label)
    row += 1
    number = 0
    provinces = rng.sample(sorted(NATIONAL), k=len(NATIONAL))
    for province in provinces:
        ws.cell(row, 1, f"PROVINSI {province}")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(headers))
        truth.skip(name, sheet, "judul_provinsi")
        row += 1
        for written, code, kinds in NATIONAL[province]:
            for _ in range(rng.randint(1, 3)):
                number += 1
                # A NIK issued where the person serves (an ambiguous one: anywhere in Jawa).
                nik, shown, plain, birth = people.make(code or rng.choice(["36.03", "35.19"]))
                for c, value in enumerate(
                    [
                        number,
                        shown,
                        "'" + nik,
                        people.sex,
                        birth,
                        written,
                        "Pendamping Sosial",
                        2_750_000,
                    ],
                    start=1,
                ):
                    ws.cell(row, c, value)
                truth.rows.append(Row(name, sheet, row, nik, plain, code, set(kinds), 2_750_000))
                row += 1
    row += 1
    ws.cell(row, 2, "Bendahara Pengeluaran,")
    truth.skip(name, sheet, "tanda_tangan")
    ws.cell(row + 3, 2, "Hj. Ratna Dewi, S.E.")
    truth.skip(name, sheet, "tanda_tangan")
    wb.save(folder / name)
    truth.files.append(folder / name)


def _monthly(folder: Path, rng: random.Random, people: _People, truth: Truth) -> None:
    """One incentive column per month under a merged "INSENTIF BULANAN", with a yearly sum."""
    name, sheet = "insentif-bulanan-2024.xlsx", "Insentif 2024"
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    labels = [("NO", ""), ("NIK", ""), ("NAMA", ""), ("KAB/KOTA", "")]
    labels += [("INSENTIF BULANAN", m) for m in MONTHS] + [("JUMLAH", "")]
    row = _letterhead(ws, ["DAFTAR PEMBAYARAN INSENTIF PENDAMPING TAHUN 2024"], len(labels))
    _header_two_rows(ws, row, labels)
    row += 2
    places = [
        ("Kab. Bandung", "32.04"),
        ("32.73", "32.73"),
        ("Kota Cimahi", "32.77"),
        ("Kab. Sumedang", "32.11"),
    ]
    for number in range(1, rng.randint(12, 25)):
        written, code = rng.choice(places)
        nik, shown, plain, _ = people.make(code)
        amount = rng.choice([2_100_000, 2_300_000, 2_500_000])
        raised = amount + 200_000
        last = rng.choice([12, 12, 12, 9, 6])  # some stopped being paid during the year
        paid = [raised if m >= 7 else amount for m in range(1, last + 1)]
        cells = [number, nik, shown, written]
        cells += [
            (p if rng.random() < 0.7 else f"Rp {p:,}".replace(",", ".")) if m <= last else "-"
            for m, p in zip(range(1, 13), paid + [0] * (12 - last), strict=True)
        ]
        cells.append(sum(paid))
        for c, value in enumerate(cells, start=1):
            ws.cell(row, c, value)
        truth.rows.append(Row(name, sheet, row, nik, plain, code, set(), paid[-1]))
        row += 1
    wb.save(folder / name)
    truth.files.append(folder / name)


def _csv_cp1252(folder: Path, rng: random.Random, people: _People, truth: Truth) -> list[Row]:
    """A Windows-1252 CSV from a district office, ';'-separated, regency and province columns."""
    name = "pendamping-kabupaten.csv"
    lines = [["NIK", "Nama", "Tgl Lahir", "L/P", "Provinsi", "Kab/Kota", "Jabatan", "Status"]]
    rows = []
    for written, province, code, kinds in CSV_REGIONS:
        for _ in range(rng.randint(2, 4)):
            nik, shown, plain, birth = people.make(code or "32.04", accented=rng.random() < 0.4)
            lines.append(
                [
                    nik,
                    shown,
                    birth,
                    people.sex,
                    province,
                    written,
                    "Pendamping Sosial",
                    "Honorer",
                ]
            )
            rows.append(Row(name, "CSV", len(lines), nik, plain, code, set(kinds)))
    with open(folder / name, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(lines)
    truth.rows.extend(rows)
    truth.files.append(folder / name)
    return rows


def _conflict(folder: Path, rng: random.Random, truth: Truth) -> None:
    """Two rows of one NIK: the national list has it under one name and a region it can read;
    a second office writes it under another name and a regency nobody can tell (refused). The
    conflict must still reach the registry as a flag on the accepted person."""
    accepted = next(r for r in truth.rows if r.code and r.file.startswith("rekap-nasional"))
    name = "susulan-kabupaten.csv"
    lines = [
        ["NIK", "Nama", "Kab/Kota"],
        [accepted.nik, accepted.name + " Lain", "Kab. Antah Berantah"],
    ]
    with open(folder / name, "w", encoding="cp1252", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(lines)
    truth.rows.append(Row(name, "CSV", 2, accepted.nik, accepted.name + " Lain", None))
    truth.conflicts.add(accepted.nik)
    truth.files.append(folder / name)


def office_files(folder: Path, seed: int) -> Truth:
    """Write the set into ``folder`` and return its truth."""
    rng = random.Random(seed)
    people = _People(rng)
    truth = Truth()
    _jabar_blocks(folder, rng, people, truth)
    _national(folder, rng, people, truth)
    _monthly(folder, rng, people, truth)
    _csv_cp1252(folder, rng, people, truth)
    _conflict(folder, rng, truth)
    return truth


def column(index: int) -> str:
    return get_column_letter(index)
