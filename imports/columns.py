"""Finding the header row and recognising columns from the Indonesian words offices use.

Recognition goes from strict to loose: an exact known header ("NO. KTP"), then keyword
rules ("any header with KTP or NIK in it"), then rapidfuzz similarity for typos
("PENDIDKAN"). The operator sees the result and can correct it; a corrected mapping can be
saved as a named profile and applied to the next file by header text, not by position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from imports import parsing
from satupintu import tables

MATCH_THRESHOLD = 80
FUZZY_THRESHOLD = 86


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    aliases: tuple[str, ...]
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field("no", "No. urut", ("NO", "NO URUT", "NOMOR URUT", "NOMOR", "NO URUT PENDAMPING")),
    Field(
        "nik",
        "NIK",
        ("NIK", "NO KTP", "NOMOR KTP", "NOMOR INDUK KEPENDUDUKAN", "NIK KTP", "NO NIK", "KTP"),
        required=True,
    ),
    Field(
        "name",
        "Nama",
        ("NAMA", "NAMA LENGKAP", "NAMA PENDAMPING", "NAMA SESUAI KTP", "NAMA KONSELOR"),
        required=True,
    ),
    Field(
        "birth_place_date",
        "Tempat, tanggal lahir",
        ("TEMPAT TGL LAHIR", "TEMPAT TANGGAL LAHIR", "TTL", "TEMPAT DAN TANGGAL LAHIR"),
    ),
    Field("birth_place", "Tempat lahir", ("TEMPAT LAHIR", "KOTA LAHIR")),
    Field("birth_date", "Tanggal lahir", ("TGL LAHIR", "TANGGAL LAHIR", "TGL LHR", "LAHIR")),
    Field("sex", "Jenis kelamin", ("L P", "JK", "JENIS KELAMIN", "KELAMIN", "GENDER", "SEX")),
    Field("province", "Provinsi", ("PROVINSI", "PROPINSI", "PROV", "NAMA PROVINSI")),
    Field(
        "regency",
        "Kabupaten/kota",
        (
            "KAB KOTA",
            "KABUPATEN KOTA",
            "KABUPATEN",
            "KOTA",
            "KODE WILAYAH",
            "WILAYAH",
            "KODE KAB KOTA",
            "LOKASI TUGAS",
            "WILAYAH TUGAS",
            "PENEMPATAN",
            "KAB KOTA TUGAS",
        ),
        required=True,
    ),
    Field("district", "Kecamatan", ("KECAMATAN", "KEC", "KODE KECAMATAN")),
    Field("village", "Desa/kelurahan", ("DESA", "KELURAHAN", "DESA KELURAHAN", "DESA KEL")),
    Field("legacy_title", "Jabatan", ("JABATAN", "NAMA JABATAN", "POSISI", "JENIS PENDAMPING")),
    Field(
        "employment_status",
        "Status kepegawaian",
        ("STATUS", "STATUS KEPEGAWAIAN", "STATUS PEGAWAI", "STATUS KERJA", "JENIS KEPEGAWAIAN"),
    ),
    Field(
        "incentive",
        "Insentif per bulan",
        ("INSENTIF", "HONOR", "HONOR BULAN", "INSENTIF RP", "HONORARIUM", "GAJI", "UPAH"),
    ),
    Field("phone", "Nomor HP", ("NO HP", "NOMOR HP", "TELEPON", "TELP", "NO TELP", "HP", "NO WA")),
    Field("education", "Pendidikan", ("PENDIDIKAN", "PENDIDIKAN TERAKHIR", "IJAZAH TERAKHIR")),
    Field("email", "Surel", ("EMAIL", "E MAIL", "SUREL", "ALAMAT EMAIL")),
    Field("sk_number", "Nomor SK", ("SK", "NO SK", "NOMOR SK", "SK PENGANGKATAN")),
    Field("sk_date", "Tanggal SK", ("TGL SK", "TANGGAL SK")),
    Field("start_date", "TMT (mulai tugas)", ("TMT", "TMT PENUGASAN", "TMT TUGAS", "MULAI TUGAS")),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
REQUIRED = [f.key for f in FIELDS if f.required]

_ALIASES = {f.key: {alias for alias in f.aliases} for f in FIELDS}
_EXACT = {alias: f.key for f in FIELDS for alias in f.aliases}
# Words that qualify a header without changing what it holds ("INSENTIF (RP)", "PER BULAN").
_NOISE = {"RP", "PER", "BULAN", "BLN", "TERAKHIR", "YANG", "DAN", "SAAT", "INI", "THN", "TAHUN"}
_STATUS_QUALIFIERS = {"PEGAWAI", "KEPEGAWAIAN", "KERJA", "ASN", "PEKERJAAN", "KONTRAK", "TENAGA"}
_NAME_EXCLUDE = {
    "JABATAN",
    "IBU",
    "DESA",
    "KECAMATAN",
    "KEC",
    "KAB",
    "KABUPATEN",
    "KOTA",
    "PROVINSI",
    "INSTANSI",
    "BANK",
    "LEMBAGA",
    "PROGRAM",
    "AYAH",
    "SUAMI",
    "ISTRI",
    "KELUARGA",
    "ATASAN",
}


def header_key(value: object) -> str:
    """'No. KTP' -> 'NO KTP'; 'TEMPAT, TGL LAHIR' -> 'TEMPAT TGL LAHIR' (the words of
    ``satupintu.tables.header_key``, upper case, for matching the word rules below)."""
    return tables.header_key(value).replace("_", " ").upper()


def _rule(tokens: list[str], key: str) -> str | None:
    words = set(tokens)
    if "NIK" in words or "KTP" in words or "KEPENDUDUKAN" in key:
        return "nik"
    if "TTL" in words or ("TEMPAT" in words and words & {"TGL", "TANGGAL", "TG"}):
        return "birth_place_date"
    if "TEMPAT" in words and "LAHIR" in words:
        return "birth_place"
    if "LAHIR" in words and words & {"TGL", "TANGGAL", "TG"}:
        return "birth_date"
    if words & {"KELAMIN", "JK", "GENDER"} or key == "L P":
        return "sex"
    if words & {"HP", "TELP", "TELEPON", "TLP", "WA", "WHATSAPP", "PONSEL", "HANDPHONE"}:
        return "phone"
    if "TMT" in words or ("MULAI" in words and words & {"TUGAS", "KERJA"}):
        return "start_date"
    if "SK" in words:
        return "sk_date" if words & {"TGL", "TANGGAL"} else "sk_number"
    if words & {"EMAIL", "SUREL"}:
        return "email"
    if words & {"INSENTIF", "HONOR", "HONORARIUM", "GAJI", "UPAH"}:
        return "incentive"
    if words & {"PENDIDIKAN", "IJAZAH"}:
        return "education"
    if "JABATAN" in words:
        return "legacy_title"
    if "KEPEGAWAIAN" in words or (
        tokens[:1] == ["STATUS"] and (len(tokens) == 1 or tokens[1] in _STATUS_QUALIFIERS)
    ):
        return "employment_status"
    if words & {"DESA", "KELURAHAN"}:
        return "village"
    if words & {"KECAMATAN", "KEC"}:
        return "district"
    if words & {"KABUPATEN", "KAB", "KOTA", "KABKOTA"} or "WILAYAH" in words:
        return "regency"
    if words & {"PROVINSI", "PROPINSI", "PROV"}:
        return "province"
    if tokens[:1] == ["NAMA"] and not words & _NAME_EXCLUDE:
        return "name"
    return None


def field_match(value: object) -> tuple[str | None, int]:
    """The field a header cell names, with a confidence score (0-100)."""
    key = header_key(value)
    if not key or key.isdigit():
        return None, 0
    tokens = [t for t in key.split() if t not in _NOISE] or key.split()
    core = " ".join(tokens)
    if key in _EXACT:
        return _EXACT[key], 100
    if core in _EXACT:
        return _EXACT[core], 98
    if len(core) > 40:  # a sentence (a title row), not a header
        return None, 0
    ruled = _rule(tokens, key)
    if ruled:
        return ruled, 90
    best, best_score = None, 0
    for alias, field_key in _EXACT.items():
        if len(alias) < 4:  # 'JK', 'HP', 'NO': too short to compare loosely
            continue
        score = fuzz.ratio(core, alias)
        if score > best_score:
            best, best_score = field_key, int(score)
    if best_score >= FUZZY_THRESHOLD:
        return best, best_score
    return None, 0


def column_letter(index: int) -> str:
    name, index = "", index + 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


@dataclass
class SheetMapping:
    """Where a sheet's header is and which column holds which field."""

    header_row: int = 0  # 1-based; 0 = no header found
    header_rows: int = 1
    columns: dict[str, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)  # column -> header text as written
    scores: dict[str, int] = field(default_factory=dict)
    source: str = "otomatis"  # otomatis | profil | operator
    # A wide layout: one incentive column per month, [column, month, year or 0, header text],
    # and the columns left out on purpose ([column, header text, why]: a yearly sum).
    months: list[list[Any]] = field(default_factory=list)
    ignored: list[list[Any]] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.header_row > 0

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.header_rows

    @property
    def missing_required(self) -> list[str]:
        return [key for key in REQUIRED if key not in self.columns]

    def label_of(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None:
            return FIELD_BY_KEY[key].label if key in FIELD_BY_KEY else key
        return self.labels.get(index) or column_letter(index)

    def as_json(self) -> dict[str, Any]:
        return {
            "header_row": self.header_row,
            "header_rows": self.header_rows,
            "columns": dict(self.columns),
            "labels": {str(k): v for k, v in self.labels.items()},
            "source": self.source,
            "months": [list(m) for m in self.months],
            "ignored": [list(i) for i in self.ignored],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SheetMapping:
        return cls(
            header_row=int(data.get("header_row") or 0),
            header_rows=int(data.get("header_rows") or 1),
            columns={k: int(v) for k, v in (data.get("columns") or {}).items()},
            labels={int(k): v for k, v in (data.get("labels") or {}).items()},
            source=data.get("source", "operator"),
            months=[list(m) for m in data.get("months") or []],
            ignored=[list(i) for i in data.get("ignored") or []],
        )

    @property
    def read_columns(self) -> list[int]:
        """Every column the import reads: the mapped fields and the month columns."""
        return sorted(set(self.columns.values()) | {int(m[0]) for m in self.months})


def _merged_lookup(
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
) -> dict[tuple[int, int], tuple[int, int]]:
    """Every cell covered by a merged range -> the range's top-left cell (0-based)."""
    covered = {}
    for (r0, c0), (r1, c1) in merged:
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 2000:  # a merged banner over a whole block
            continue
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered[(r, c)] = (r0, c0)
    return covered


def _cell(
    head: list[list[object]], covered: dict[tuple[int, int], tuple[int, int]], r: int, c: int
) -> str:
    r0, c0 = covered.get((r, c), (r, c))
    row = head[r0] if r0 < len(head) else []
    value = row[c0] if c0 < len(row) else ""
    return str(value).strip() if value is not None else ""


def _row_matches(labels: dict[int, str]) -> tuple[dict[str, tuple[int, int]], int]:
    found: dict[str, tuple[int, int]] = {}
    for c, label in labels.items():
        key, score = field_match(label)
        if key is None or score < MATCH_THRESHOLD:
            continue
        if key not in found or score > found[key][1]:
            found[key] = (c, score)
    fields = [k for k in found if k != "no"]
    quality = len(fields) * 10 + sum(s for _, s in found.values()) // 100
    if not ({"nik", "name"} & set(found)) or len(fields) < 2:
        quality = 0
    return found, quality


def detect_mapping(
    head: list[list[object]], merged: list[tuple[tuple[int, int], tuple[int, int]]] | None = None
) -> SheetMapping:
    """Find the header row among the first rows and map its columns to fields.

    1. Every row is scored by how many distinct fields its cells name; title rows (one merged
       cell) and data rows score nothing. The best row needs NIK or Nama and one more field.
    2. The row below may be a second header line under merged cells ("TEMPAT" | "TGL LAHIR"
       under "TEMPAT, TGL LAHIR"): it is used when it names fields and holds no data.
    """
    covered = _merged_lookup(merged or [])
    width = max((len(r) for r in head), default=0)
    best_row, best_quality, best_found, best_labels = -1, 0, {}, {}
    for r in range(len(head)):
        labels = {c: _cell(head, covered, r, c) for c in range(width)}
        labels = {c: v for c, v in labels.items() if v}
        found, quality = _row_matches(labels)
        if quality > best_quality:
            best_row, best_quality, best_found, best_labels = r, quality, found, labels
    if best_row < 0:
        return SheetMapping()
    header_rows = 1
    if best_row + 1 < len(head):
        below = {c: str(v).strip() for c, v in enumerate(head[best_row + 1]) if str(v).strip()}
        looks_like_data = any(sum(ch.isdigit() for ch in v) >= 8 for v in below.values())
        # Only merged header cells make a second header line; otherwise the row below is data.
        merged_here = any(
            r0 == best_row and (r1 > r0 or c1 > c0) for (r0, c0), (r1, c1) in (merged or [])
        )
        if below and merged_here and not looks_like_data:
            combined = {}
            for c in set(best_labels) | set(below):
                parent, child = best_labels.get(c, ""), below.get(c, "")
                # A label under a merged parent qualifies it ("LAHIR" / "TEMPAT").
                options = [o for o in (f"{parent} {child}".strip(), child) if child and o]
                best = max(options, key=lambda o: field_match(o)[1]) if options else ""
                combined[c] = best if best and field_match(best)[1] else (parent or child)
            found2, quality2 = _row_matches(combined)
            # A row of months under a merged "INSENTIF BULANAN" names no new field, but it is
            # the header of a wide layout all the same.
            months_below = sum(1 for v in below.values() if _month_of(v)) >= 3
            if quality2 > best_quality or (quality2 == best_quality and months_below):
                best_found, best_labels, header_rows = found2, combined, 2
    mapping = SheetMapping(
        header_row=best_row + 1,
        header_rows=header_rows,
        columns={k: c for k, (c, _) in best_found.items()},
        labels=best_labels,
        scores={k: s for k, (_, s) in best_found.items()},
    )
    return months_detect(mapping)


# Words around a month in a wide layout's headers ("INSENTIF BULANAN JAN", "HONOR FEB 2024").
_MONTH_NOISE = {"INSENTIF", "HONOR", "HONORARIUM", "GAJI", "UPAH", "BULANAN", "BULAN", "BLN", "RP"}
_MONTH_WORDS = {word.upper(): month for word, month in parsing.MONTHS.items()}
_YEARLY = {"JUMLAH", "TOTAL", "SETAHUN", "TAHUNAN", "REKAP"}


def _month_of(label: str) -> tuple[int, int] | None:
    """'INSENTIF BULANAN JAN' -> (1, 0); 'Des 2024' -> (12, 2024); anything else -> None."""
    words = [w for w in header_key(label).split() if w not in _MONTH_NOISE]
    if not words or len(words) > 2 or words[0] not in _MONTH_WORDS:
        return None
    year = 0
    if len(words) == 2:
        if not re.fullmatch(r"\d{2}|\d{4}", words[1]):
            return None
        year = int(words[1]) if len(words[1]) == 4 else 2000 + int(words[1])
    return _MONTH_WORDS[words[0]], year


def months_detect(mapping: SheetMapping) -> SheetMapping:
    """A wide layout: three or more month columns ("Jan" … "Des", under a merged "INSENTIF
    BULANAN") are incentive columns, one per month; a yearly sum beside them is left out.

    The month columns are taken off any field they were mistaken for (the merged parent makes
    each read "INSENTIF …"); a separate monthly-incentive column, if there is one, stays the
    incentive and the months are then only reported.
    """
    months: list[list[Any]] = []
    for c, label in sorted(mapping.labels.items()):
        found = _month_of(label)
        if found:
            # Shown as the month was written ("Jun", "Des 2024"), without its parent header.
            shown = " ".join(w for w in str(label).split() if header_key(w) not in _MONTH_NOISE)
            months.append([c, found[0], found[1], shown or label])
    if len(months) < 3:
        return mapping
    month_columns = {m[0] for m in months}
    for key in [k for k, c in mapping.columns.items() if c in month_columns]:
        del mapping.columns[key]
        mapping.scores.pop(key, None)
    first, last = min(month_columns), max(month_columns)
    for c, label in sorted(mapping.labels.items()):
        words = set(header_key(label).split())
        if c in month_columns or not words & _YEARLY or not first - 3 <= c <= last + 3:
            continue
        mapping.ignored.append([c, label, "jumlah setahun"])
        if mapping.columns.get("incentive") == c:
            del mapping.columns["incentive"]
            mapping.scores.pop("incentive", None)
    mapping.months = months
    return mapping


def mapping_apply_profile(
    head: list[list[object]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]] | None,
    profile: dict[str, Any],
) -> SheetMapping:
    """Apply a saved profile ({field: header text}) to a sheet: find each header by its text."""
    wanted = {k: header_key(v) for k, v in (profile.get("columns") or {}).items()}
    covered = _merged_lookup(merged or [])
    width = max((len(r) for r in head), default=0)
    fixed_row = int(profile.get("header_row") or 0)
    candidates = [fixed_row - 1] if fixed_row else range(len(head))
    best: SheetMapping | None = None
    for r in candidates:
        if r < 0 or r >= len(head):
            continue
        labels = {c: _cell(head, covered, r, c) for c in range(width)}
        labels = {c: v for c, v in labels.items() if v}
        by_key = {header_key(v): c for c, v in labels.items()}
        columns = {}
        for key, text in wanted.items():
            if not text:
                continue
            if text in by_key:
                columns[key] = by_key[text]
                continue
            near = [(fuzz.ratio(text, k), c) for k, c in by_key.items()]
            score, c = max(near, default=(0, -1))
            if score >= 90:
                columns[key] = c
        if columns and (best is None or len(columns) > len(best.columns)):
            best = SheetMapping(
                header_row=r + 1,
                columns=columns,
                labels=labels,
                source="profil",
                scores={k: 100 for k in columns},
            )
    if best is None:
        return SheetMapping(source="profil")
    # Fields the profile does not name are still recognised automatically.
    auto = detect_mapping(head, merged)
    if auto.header_row == best.header_row:
        for key, c in auto.columns.items():
            if key not in best.columns and key not in wanted and c not in best.columns.values():
                best.columns[key] = c
                best.scores[key] = auto.scores.get(key, 0)
        best.header_rows = auto.header_rows
        best.labels = auto.labels or best.labels
        month_columns = {m[0] for m in auto.months}
        if month_columns and not month_columns & set(best.columns.values()):
            best.months, best.ignored = auto.months, auto.ignored
    return best
