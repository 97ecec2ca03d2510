# ruff: noqa: E501 - the XLSX parts are XML with long namespace URLs, kept verbatim
"""Synthetic legacy spreadsheets for the import benchmark, in two of the sample layouts.

- CSV in the layout of ``anak.csv``: UTF-8 with BOM, ``;`` delimiter, header on row 1.
- XLSX in the layout of ``lanjut-usia.xlsx``: title rows, a merged title cell, the header on
  row 4, a combined "TEMPAT, TGL LAHIR" column, money as text or numbers, a JUMLAH row.

The XLSX is written by hand (zip of XML with a shared-string table, as Excel writes it) so
that generating 500,000 rows takes seconds instead of the minutes openpyxl needs. Rows are
deterministic for a given count; about 1 % are broken on purpose (missing or short NIK,
impossible NIK date), 0.5 % state a birth date that disagrees with the NIK and 0.5 % repeat
an earlier row, as in the samples.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
REGIONS = ROOT / "regions" / "data"

FIRST = [
    "Aditya",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fajar",
    "Galih",
    "Hana",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Maya",
    "Nur",
    "Oki",
    "Putri",
    "Rahmat",
    "Siti",
    "Tri",
    "Umar",
    "Vina",
    "Wahyu",
    "Yuni",
    "Zulfa",
    "Agus",
    "Bambang",
    "Cahya",
    "Dian",
    "Endang",
    "Fitri",
]
LAST = [
    "Hutapea",
    "Siregar",
    "Halim",
    "Farida",
    "Wijaya",
    "Pratama",
    "Saputra",
    "Lubis",
    "Nasution",
    "Hidayat",
    "Kurniawan",
    "Santoso",
    "Wibowo",
    "Setiawan",
    "Rahayu",
    "Susanto",
    "Gunawan",
    "Harahap",
    "Simanjuntak",
    "Pangestu",
]
TITLES_BACK = ["", "", "", "", "S.Sos", "S.Kesos", "S.Psi", "A.Md", "M.Si", "S.Tr.Sos"]
EDUCATION = ["SMA", "D3", "S1 Psikologi", "S1 Pekerjaan Sosial", "S1 Keperawatan", "S2 Hukum"]
STATUS = ["Kontrak", "Honorer", "Relawan", "PPPK"]
MONTHS = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"

CSV_HEADER = [
    "Nama",
    "No. KTP",
    "Tgl Lahir",
    "L/P",
    "Provinsi",
    "Kab/Kota",
    "Jabatan",
    "Status Kepegawaian",
    "Insentif",
    "No HP",
]
XLSX_HEADER = [
    "NO",
    "NAMA LENGKAP",
    "NIK",
    "TEMPAT, TGL LAHIR",
    "L/P",
    "PENDIDIKAN",
    "PROVINSI",
    "KABUPATEN/KOTA",
    "NO. HP",
    "HONOR/BULAN",
    "TMT",
    "JABATAN",
]


@dataclass
class Person:
    name: str
    nik: str
    sex: str
    birth: dt.date
    stated_birth: dt.date
    province: str
    regency_name: str
    regency_short: str
    phone: str
    money: int
    status: str
    education: str
    start: dt.date


def _regions() -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    with open(REGIONS / "provinces.csv", encoding="utf-8") as fh:
        provinces = {row["code"]: row["name"] for row in csv.DictReader(fh)}
    with open(REGIONS / "regencies.csv", encoding="utf-8") as fh:
        regencies = [(r["code"], r["province_code"], r["name"]) for r in csv.DictReader(fh)]
    return provinces, regencies


def people(n: int, *, seed: int = 2020) -> list[Person]:
    """``n`` rows worth of people; broken and repeated rows are mixed in by the writers."""
    rnd = random.Random(seed)
    provinces, regencies = _regions()
    out: list[Person] = []
    for i in range(n):
        code, prov, name = regencies[i % len(regencies)]
        serial = i // len(regencies) + 1  # unique (regency, serial) -> unique NIK
        sex = "P" if rnd.random() < 0.5 else "L"
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(0, 40 * 365))
        day = birth.day + (40 if sex == "P" else 0)
        nik = f"{code.replace('.', '')}{rnd.randrange(1, 20):02d}{day:02d}{birth:%m%y}{serial:04d}"
        stated = birth + dt.timedelta(days=1) if rnd.random() < 0.005 else birth
        kind, _, bare = name.partition(" ")
        full = f"{rnd.choice(FIRST)} {rnd.choice(FIRST)} {rnd.choice(LAST)}"
        title = rnd.choice(TITLES_BACK)
        full = full.upper() if rnd.random() < 0.4 else full
        full = f"{full}, {title}" if title else full
        out.append(
            Person(
                name=full,
                nik=nik,
                sex=sex,
                birth=birth,
                stated_birth=stated,
                province=provinces[prov],
                regency_name=name,
                regency_short=("KAB. " if kind == "Kabupaten" else "KOTA ") + bare.upper(),
                phone=f"08{rnd.randrange(10**9, 10**10)}",
                money=rnd.choice([2000, 2100, 2200]) * 1000,
                status=rnd.choice(STATUS),
                education=rnd.choice(EDUCATION),
                start=dt.date(2012, 1, 1) + dt.timedelta(days=rnd.randrange(0, 8 * 365)),
            )
        )
    return out


def _broken_nik(i: int, nik: str) -> str:
    """Every 100th row is broken in one of the ways the samples show."""
    kind = (i // 100) % 3
    if kind == 0:
        return ""
    if kind == 1:
        return nik[:15]
    return nik[:6] + "97" + nik[8:]


def _rows(n: int) -> list[tuple[int, Person, str]]:
    base = people(n)
    rows = []
    for i in range(n):
        if i % 200 == 199:  # a repeat of an earlier row
            j = i - 150
            rows.append((i, base[j], base[j].nik))
            continue
        person = base[i]
        nik = _broken_nik(i, person.nik) if i % 100 == 50 else person.nik
        rows.append((i, person, nik))
    return rows


def write_csv(path: Path, n: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        writer.writerow(CSV_HEADER)
        for i, p, nik in _rows(n):
            money = f"Rp{p.money:,}".replace(",", ".") + ",-" if i % 3 == 0 else str(p.money)
            writer.writerow(
                [
                    p.name,
                    nik,
                    f"{p.stated_birth:%d/%m/%Y}",
                    p.sex,
                    p.province,
                    p.regency_short.title() if i % 2 else p.regency_name,
                    "Sakti Peksos",
                    p.status,
                    money,
                    p.phone,
                ]
            )
    return path


def _col(i: int) -> str:
    name = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        name = chr(65 + rem) + name
    return name


class _SharedStrings:
    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.index)
        return found

    def xml(self) -> str:
        items = "".join(f"<si><t>{escape(s)}</t></si>" for s in self.index)
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(self.index)}" uniqueCount="{len(self.index)}">{items}</sst>'
        )


_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs></styleSheet>"
    ),
}


def write_xlsx(path: Path, n: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    sst = _SharedStrings()

    def row_xml(r: int, values: list[object]) -> str:
        cells = []
        for c, value in enumerate(values):
            ref = f"{_col(c)}{r}"
            if value is None or value == "":
                continue
            if isinstance(value, int | float):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="s"><v>{sst(str(value))}</v></c>')
        return f'<row r="{r}">{"".join(cells)}</row>'

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in _STATIC.items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(
                b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            head = [
                row_xml(1, ["DATA PENDAMPING LANJUT USIA (DATA UJI)"]),
                row_xml(2, ["Direktorat Jenderal Rehabilitasi Sosial"]),
                row_xml(4, XLSX_HEADER),
            ]
            fh.write("".join(head).encode())
            chunk = []
            for i, p, nik in _rows(n):
                place = p.regency_name.split(" ", 1)[1]
                money: object = p.money if i % 2 else f"Rp{p.money:,}".replace(",", ".") + ",-"
                chunk.append(
                    row_xml(
                        i + 5,
                        [
                            i + 1,
                            p.name,
                            nik,
                            f"{place}, {p.stated_birth:%d-%m-%Y}",
                            p.sex,
                            p.education,
                            p.province.upper(),
                            p.regency_short,
                            p.phone,
                            money,
                            f"{p.start:%d-%m-%Y}",
                            "Pendamping Lansia",
                        ],
                    )
                )
                if len(chunk) >= 5000:
                    fh.write("".join(chunk).encode())
                    chunk = []
            chunk.append(row_xml(n + 6, ["", "JUMLAH", f"{n} orang"]))
            fh.write("".join(chunk).encode())
            fh.write(
                b'</sheetData><mergeCells count="1"><mergeCell ref="A1:L1"/></mergeCells></worksheet>'
            )
        zf.writestr("xl/sharedStrings.xml", sst.xml())
    return path


def ensure(n: int) -> tuple[Path, Path]:
    """The CSV and XLSX files for ``n`` rows, generated once into bench/out/."""
    csv_path, xlsx_path = OUT / f"import_{n}.csv", OUT / f"import_{n}.xlsx"
    if not csv_path.exists():
        write_csv(csv_path, n)
    if not xlsx_path.exists():
        write_xlsx(xlsx_path, n)
    return csv_path, xlsx_path


if __name__ == "__main__":  # pragma: no cover - manual use
    import sys

    for made in ensure(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000):
        print(made)
