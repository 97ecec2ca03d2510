"""Value parsers for what offices write in legacy spreadsheets.

Each parser takes one cell value as python-calamine or the CSV reader gives it (``str``,
``int``/``float`` for numeric cells, ``date``/``datetime`` for date cells, ``None`` for empty)
and returns a normalised value, or ``None`` when the value cannot be read. They are pure and
cheap; the import applies them once per *distinct* value of a column (see
``imports.validation``), so a 500,000-row file costs as many calls as it has different dates,
not rows. Phones and names, nearly all distinct, also have vectorised fast paths there that
must agree with these functions (the property tests check that).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

from django.utils import timezone
from rapidfuzz import fuzz, process

from registry.models import Education, EmploymentStatus

EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serials a date column may plausibly hold: 1908 .. 2100. Smaller numbers are more likely
# a year or a typo than a date, and are reported as unreadable rather than guessed.
SERIAL_MIN, SERIAL_MAX = 3000, 73415

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "pebruari": 2,
    "feb": 2,
    "peb": 2,
    "february": 2,
    "maret": 3,
    "mar": 3,
    "march": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "agustus": 8,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agus": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "oct": 10,
    "october": 10,
    "november": 11,
    "nopember": 11,
    "nov": 11,
    "nop": 11,
    "desember": 12,
    "des": 12,
    "dec": 12,
    "december": 12,
}

_NUMERIC_DATE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
_WORD_DATE = re.compile(r"^(\d{1,2})[\s\-/.]*([A-Za-z]+)\.?[\s\-/.,]*(\d{2}|\d{4})$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL = re.compile(r"^\d{1,5}(\.0+)?$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def text(value: object) -> str:
    """A cell as the text an operator sees (numbers without a spurious '.0')."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ") if value.time() != dt.time() else value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _century(yy: int, *, today: dt.date | None = None) -> int:
    """A two-digit year: the most recent year that is not in the future."""
    today = today or timezone.localdate()
    year = 2000 + yy
    return year if year <= today.year else 1900 + yy


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """A date from a date cell, an Excel serial, or text in the forms offices write.

    Text: dd-mm-yyyy, dd/mm/yyyy, dd.mm.yyyy, ISO yyyy-mm-dd (with or without a time),
    yyyymmdd, "17 Agustus 1985", "17 Agt 1985", "17-Aug-85". Day-first is assumed, as
    Indonesian offices write; month-first is read only when day-first is impossible
    (12/25/1985 can only be 25 December).
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_serial(float(value))
    raw = str(value).strip()
    if not raw:
        return None
    raw = _TIME_TAIL.sub("", raw).strip()
    if _SERIAL.match(raw):
        return _from_serial(float(raw))
    if match := _COMPACT_DATE.match(raw):
        return _make(int(match[1]), int(match[2]), int(match[3]))
    if match := _NUMERIC_DATE.match(raw):
        a, b, c = match.groups()
        if len(a) == 4:  # ISO order
            return _make(int(a), int(b), int(c))
        if len(c) not in (2, 4):
            return None
        year = int(c) if len(c) == 4 else _century(int(c))
        first, second = int(a), int(b)
        return _make(year, second, first) or (_make(year, first, second) if second > 12 else None)
    if match := _WORD_DATE.match(raw):
        day, word, year_text = match.groups()
        month = MONTHS.get(word.lower())
        if month is None:
            return None
        year = int(year_text) if len(year_text) == 4 else _century(int(year_text))
        return _make(year, month, int(day))
    return None


def _from_serial(serial: float) -> dt.date | None:
    if not math.isfinite(serial) or not SERIAL_MIN <= serial <= SERIAL_MAX:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


_PLACE_DATE_SPLIT = re.compile(r"^(?P<place>.*?)[\s,;/]+(?P<date>[^,;/\s][^,;]*)$")


def split_place_date(value: object) -> tuple[str, dt.date | None, str]:
    """'Muna Barat, 21-09-1985' -> ('Muna Barat', date(1985, 9, 21), '21-09-1985').

    Returns (place, date or None, the date part as written). The date part is the text after
    the last comma; without a comma, the longest tail that reads as a date.
    """
    if isinstance(value, dt.date):
        return "", parse_date(value), text(value)
    raw = text(value)
    if not raw:
        return "", None, ""
    if "," in raw:
        place, _, date_text = raw.rpartition(",")
        return place.strip(" ,/"), parse_date(date_text.strip()), date_text.strip()
    words = raw.split()
    for i in range(len(words)):  # longest tail first
        candidate = " ".join(words[i:])
        found = parse_date(candidate)
        if found is not None:
            return " ".join(words[:i]).strip(" /-"), found, candidate
    return raw, None, ""


SEX_WORDS = {
    "L": "L",
    "LK": "L",
    "LAKI": "L",
    "LAKILAKI": "L",
    "LAKI2": "L",
    "PRIA": "L",
    "M": "L",
    "MALE": "L",
    "COWOK": "L",
    "LELAKI": "L",
    "P": "P",
    "PR": "P",
    "PEREMPUAN": "P",
    "WANITA": "P",
    "W": "P",
    "F": "P",
    "FEMALE": "P",
    "WN": "P",
    "PERMPUAN": "P",
}


def parse_sex(value: object) -> str | None:
    """'L', 'LK', 'Laki-laki', 'Pria' -> 'L'; 'P', 'PR', 'Perempuan', 'Wanita' -> 'P'."""
    key = re.sub(r"[^A-Z0-9]", "", text(value).upper())
    return SEX_WORDS.get(key)


_MONEY_PREFIX = re.compile(r"^(RP\.?|IDR)\s*", re.IGNORECASE)
_MONEY_SUFFIX = re.compile(r"\s*([.,]-+|-+|/\s*(BLN|BULAN)|PER\s*BULAN)\s*$", re.IGNORECASE)
_MILLION = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(JUTA|JT)$", re.IGNORECASE)
_THOUSAND = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(RIBU|RB|K)$", re.IGNORECASE)
_ID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")
_EN_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d{1,2})?$")
_PLAIN = re.compile(r"^\d+([.,]\d{1,2})?$")
_SPACED = re.compile(r"^\d{1,3}( \d{3})+$")


def parse_money(value: object) -> int | None:
    """Rupiah as a whole number: 'Rp 2.500.000,-', '2,500,000', '2.5 juta', 2500000.0."""
    if value is None or isinstance(value, bool | dt.date):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            return None
        return int(round(value))
    raw = str(value).strip()
    raw = _MONEY_PREFIX.sub("", raw)
    raw = _MONEY_SUFFIX.sub("", raw).strip()
    if not raw:
        return None
    for pattern, factor in ((_MILLION, 1_000_000), (_THOUSAND, 1_000)):
        if match := pattern.match(raw):
            return int(round(float(match[1].replace(",", ".")) * factor))
    if _SPACED.match(raw):
        return int(raw.replace(" ", ""))
    if _ID_GROUPED.match(raw):
        whole, _, cents = raw.partition(",")
        return int(round(float(whole.replace(".", "") + "." + (cents or "0"))))
    if _EN_GROUPED.match(raw):
        return int(round(float(raw.replace(",", ""))))
    if _PLAIN.match(raw):
        return int(round(float(raw.replace(",", "."))))
    return None


PHONE_MIN_DIGITS, PHONE_MAX_DIGITS = 7, 13


def parse_phone(value: object) -> str | None:
    """A phone number as +62 followed by the national number, or None.

    Accepts '0812-3456-789', '+62 812 3456 789', '628123456789', '8123456789', '(021) 555 1234',
    a numeric cell (812345678.0). Where a cell holds several numbers ('0812.. / 0813..') the
    first one is taken.
    """
    if value is None or isinstance(value, bool | dt.date):
        return None
    raw = text(value)
    first = re.split(r"[/;,]|\s{2,}|\bATAU\b", raw, maxsplit=1, flags=re.IGNORECASE)[0]
    digits = re.sub(r"\D", "", first)
    if first.strip().startswith("+") and not digits.startswith("62"):
        return None  # a foreign number; not ours to rewrite
    national = _national(digits)
    if national is None:
        return None
    return "+62" + national


def _national(digits: str) -> str | None:
    if digits.startswith("0062"):
        digits = digits[4:]
    elif digits.startswith("62"):
        digits = digits[2:]
    elif digits.startswith("0"):
        digits = digits[1:]
    if digits.startswith("0") or not PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS:
        return None
    return digits


# Front titles: academic, professional and religious ones written before the name.
FRONT_TITLES = {
    "PROF",
    "DR",
    "DRS",
    "DRA",
    "IR",
    "DRG",
    "H",
    "HJ",
    "KH",
    "NS",
    "APT",
    "DRH",
    "AR",
    "TGH",
}
_SPACES = re.compile(r"\s+")


def _front_key(token: str) -> str:
    return token.rstrip(".").upper()


def parse_name(value: object) -> tuple[str, str, str]:
    """Split academic titles off a name, keeping the case as written.

    'SITI AMINAH, S.Sos' -> ('SITI AMINAH', '', 'S.Sos');
    'Dr. Budi Santoso, M.Si' -> ('Budi Santoso', 'Dr.', 'M.Si');
    'Prof. Dr. Ir. Hj. Ani, M.Sc., Ph.D.' -> ('Ani', 'Prof. Dr. Ir. Hj.', 'M.Sc., Ph.D.').
    A single initial such as 'M.' (Muhammad) is part of the name, not a title.
    """
    raw = _SPACES.sub(" ", unicodedata.normalize("NFKC", text(value))).strip(" ,;")
    if not raw:
        return "", "", ""
    head, sep, tail = raw.partition(",")
    back = ""
    if sep:
        back_parts = [part.strip() for part in tail.split(",") if part.strip()]
        if back_parts and all(_looks_like_back_title(part) for part in back_parts):
            back = ", ".join(back_parts)
        else:  # a comma inside the name itself: keep it whole
            head, back = raw, ""
    words = head.split(" ")
    front: list[str] = []
    while len(words) > 1 and _front_key(words[0]) in FRONT_TITLES:
        front.append(words.pop(0))
    # Dotted titles written after the name without a comma: 'Budi Santoso S.Sos'.
    trailing: list[str] = []
    while len(words) > 1 and "." in words[-1] and _looks_like_back_title(words[-1]):
        if len(words[-1].rstrip(".")) <= 1:
            break
        trailing.insert(0, words.pop())
    if trailing:
        back = ", ".join([" ".join(trailing)] + ([back] if back else []))
    return " ".join(words).strip(), " ".join(front), back


DOTLESS_TITLES = {"SE", "SH", "MM", "MH", "MA", "BA", "MBA", "PHD", "AMD"}


def _looks_like_back_title(part: str) -> bool:
    compact = part.replace(" ", "")
    if len(compact) > 20 or not compact:
        return False
    if compact.rstrip(".").upper() in DOTLESS_TITLES:
        return True
    return bool(re.fullmatch(r"(?:[A-Za-z]{1,5}\.){1,4}[A-Za-z]{0,6}\.?", compact)) and any(
        ch.isupper() for ch in compact
    )


STATUS_WORDS = {
    EmploymentStatus.PNS: ["PNS", "ASN PNS", "PEGAWAI NEGERI SIPIL", "PEGAWAI NEGERI", "CPNS"],
    EmploymentStatus.PPPK: [
        "PPPK",
        "P3K",
        "ASN PPPK",
        "PEGAWAI PEMERINTAH DENGAN PERJANJIAN KERJA",
    ],
    EmploymentStatus.CONTRACT: [
        "KONTRAK",
        "TENAGA KONTRAK",
        "PKWT",
        "KONTRAK KERJA",
        "NON ASN KONTRAK",
        "PEGAWAI KONTRAK",
    ],
    EmploymentStatus.HONORARY: [
        "HONORER",
        "HONOR",
        "TENAGA HONORER",
        "NON ASN HONORER",
        "HONORER DAERAH",
        "THL",
    ],
    EmploymentStatus.VOLUNTEER: ["RELAWAN", "SUKARELA", "VOLUNTEER", "TENAGA SUKARELA"],
}
_STATUS_LOOKUP = {word: status for status, words in STATUS_WORDS.items() for word in words}


def parse_status(value: object) -> str | None:
    """Employment status words to EmploymentStatus values; small typos are forgiven."""
    key = _SPACES.sub(" ", re.sub(r"[^A-Z0-9 ]", " ", text(value).upper())).strip()
    if not key:
        return None
    if key in _STATUS_LOOKUP:
        return str(_STATUS_LOOKUP[key])
    match = process.extractOne(key, _STATUS_LOOKUP.keys(), scorer=fuzz.ratio, score_cutoff=85)
    return str(_STATUS_LOOKUP[match[0]]) if match else None


_EDUCATION_LEVELS = [
    (r"S\s*-?\s*3|STRATA\s*3|STRATA\s*III|DOKTOR(AL)?", Education.S3),
    (r"S\s*-?\s*2|STRATA\s*2|STRATA\s*II|MAGISTER|PASCA\s*SARJANA", Education.S2),
    (r"PROFESI|NERS", Education.PROFESI),
    (r"S\s*-?\s*1|STRATA\s*1|STRATA\s*I|SARJANA", Education.S1),
    (r"D\s*-?\s*(4|IV)|DIPLOMA\s*(4|IV)", Education.D4),
    (r"D\s*-?\s*(3|III)|DIPLOMA\s*(3|III)|AKADEMI", Education.D3),
    (r"D\s*-?\s*(2|II)|DIPLOMA\s*(2|II)", Education.D2),
    (r"D\s*-?\s*(1|I)|DIPLOMA\s*(1|I)", Education.D1),
    (r"SMA|SMK|SMU|SLTA|MA|MAK|STM|SMEA|PAKET\s*C", Education.SMA),
    (r"SMP|SLTP|MTS|PAKET\s*B", Education.SMP),
    (r"SD|MI|PAKET\s*A", Education.SD),
]
_EDUCATION_PATTERNS = [
    (re.compile(rf"^(?:{pattern})(?![A-Z0-9])[\s,./-]*(?P<field>.*)$"), level)
    for pattern, level in _EDUCATION_LEVELS
]


def parse_education(value: object) -> tuple[str, str]:
    """'S1 Psikologi' -> ('S1', 'Psikologi'); 'SMK' -> ('SMA', ''); unknown -> ('', text)."""
    raw = _SPACES.sub(" ", text(value)).strip()
    upper = raw.upper()
    for pattern, level in _EDUCATION_PATTERNS:
        if match := pattern.match(upper):
            start = match.start("field")
            return str(level), raw[start:].strip(" -,./")
    return "", raw
