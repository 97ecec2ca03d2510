"""NIK rules (DOMAIN.md, "Identity: NIK").

``PPRRSSDDMMYYXXXX``: province, regency, district of issue; birth date with 40 added to the day
for women; a serial. No check digit. python-stdnum is not used to decide validity: its area
table lacks Kalimantan Utara (65) and provinces 92-96, and it reads days 81-99 as dates.
Provinces are checked against the loaded Kemendagri table; an unknown regency prefix is only a
warning, because NIKs keep the code of the region that issued them (e.g. 91.01 Merauke,
issued before Papua's 2022 split).
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

NON_DIGITS_ALLOWED = re.compile(r"[\s'.\-`’‘]")
ADULT_MIN_AGE = 15


@dataclass
class NikResult:
    nik: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sex: str = ""
    # Every real date the DDMMYY part can mean (one or two centuries).
    birth_date_candidates: list[dt.date] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def province_code(self) -> str:
        return self.nik[:2]

    @property
    def regency_code(self) -> str:
        return f"{self.nik[:2]}.{self.nik[2:4]}"

    def likely_birth_date(self, today: dt.date | None = None) -> dt.date | None:
        """The candidate that makes a working-age adult, else the latest one in the past."""
        today = today or timezone.localdate()
        past = [d for d in self.birth_date_candidates if d <= today]
        adults = [d for d in past if (today - d).days >= ADULT_MIN_AGE * 365]
        pool = adults or past
        return max(pool) if pool else None


def nik_clean(raw: object) -> str:
    """Strip what offices add around a NIK (apostrophes, spaces, dots, dashes)."""
    return NON_DIGITS_ALLOWED.sub("", str(raw or "")).strip()


def _dates(day: int, month: int, yy: int) -> list[dt.date]:
    found = []
    for century in (1900, 2000):
        try:
            found.append(dt.date(century + yy, month, day))
        except ValueError:
            continue
    return found


def nik_check(
    raw: object,
    *,
    province_codes: set[str] | frozenset[str],
    regency_codes: set[str] | frozenset[str],
) -> NikResult:
    """Check a NIK against the rules; errors reject it, warnings only flag it."""
    nik = nik_clean(raw)
    result = NikResult(nik=nik)
    if not nik.isdigit():
        result.errors.append("NIK hanya boleh berisi angka.")
        return result
    if len(nik) != 16:
        result.errors.append(f"NIK harus 16 digit, bukan {len(nik)} digit.")
        return result
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if 1 <= day <= 31:
        result.sex = "L"
    elif 41 <= day <= 71:
        result.sex = "P"
        day -= 40
    else:
        result.errors.append(
            f"Digit tanggal lahir NIK ({nik[6:8]}) tidak sah: harus 01-31 (laki-laki) "
            "atau 41-71 (perempuan, tanggal + 40)."
        )
        return result
    result.birth_date_candidates = _dates(day, month, yy)
    if not result.birth_date_candidates:
        result.errors.append(
            f"Tanggal lahir dalam NIK ({nik[6:8]}-{nik[8:10]}-{nik[10:12]}) bukan tanggal yang ada."
        )
    if nik[:2] not in province_codes:
        result.errors.append(
            f"Kode provinsi NIK ({nik[:2]}) tidak ada dalam tabel wilayah Kemendagri."
        )
    elif result.regency_code not in regency_codes:
        result.warnings.append(
            f"Kode kabupaten/kota NIK ({result.regency_code}) tidak ada dalam tabel wilayah "
            "saat ini "
            "(mungkin kode lama sebelum pemekaran); periksa saat verifikasi."
        )
    if nik[12:] == "0000":
        result.errors.append("Nomor urut NIK (4 digit terakhir) tidak boleh 0000.")
    return result


def nik_mismatches(
    result: NikResult, *, sex: str | None, birth_date: dt.date | None
) -> list[tuple[str, str]]:
    """Stated facts that disagree with the NIK, as (flag code, reason) pairs."""
    found: list[tuple[str, str]] = []
    if not result.is_valid:
        return found
    if sex and result.sex and sex != result.sex:
        encoded = "perempuan" if result.sex == "P" else "laki-laki"
        found.append(
            (
                "nik_jenis_kelamin",
                f"Jenis kelamin tercatat {sex}, tetapi NIK menunjukkan {encoded}.",
            )
        )
    if birth_date and result.birth_date_candidates:
        nik_date = result.birth_date_candidates[0]
        same = (birth_date.day, birth_date.month, birth_date.year % 100) == (
            nik_date.day,
            nik_date.month,
            nik_date.year % 100,
        )
        if not same:
            found.append(
                (
                    "nik_tanggal_lahir",
                    f"Tanggal lahir tercatat {birth_date:%d-%m-%Y}, tetapi NIK menunjukkan "
                    f"{nik_date:%d-%m}-..{nik_date:%y}.",
                )
            )
    return found


def mask_nik(nik: str) -> str:
    """``3171011708450001`` -> ``3171************``: only the province and regency of issue.

    Digits 7-12 are the birth date and sex, shown beside the NIK, so they cannot be hidden
    by masking them alone: with the district (5-6) and serial (13-16) shown too, a NIK was
    two digits from known, and a whole-NIK search confirmed it in under 100 tries. Hiding
    district and serial leaves a million candidates (issue 12)."""
    if len(nik) < 8:
        return "*" * len(nik)
    return nik[:4] + "*" * (len(nik) - 4)


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:5] + "*" * (len(phone) - 8) + phone[-3:]


_NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")
_EMAIL_IN_TEXT = re.compile(r"[^\s'\"(),;<>@]+@[^\s'\"(),;<>@]+\.[A-Za-z]{2,}")
_PHONE_IN_TEXT = re.compile(r"(?<![\d*])(?:\+?62|0)[\d\s().\-]{7,}\d")


def mask_in_text(text: str, *, nik: bool = True, contact: bool = True) -> str:
    """A message with the NIKs (``nik``) and phones and e-mail addresses (``contact``) in it
    masked as pages mask them: for a reader who does not see them in the registry (an auditor
    reading another operator's import messages, which quote stored and uploaded values)."""
    if not text:
        return text
    if nik:
        text = _NIK_IN_TEXT.sub(lambda m: mask_nik(m.group()), text)
    if contact:
        text = _EMAIL_IN_TEXT.sub(lambda m: m.group()[:1] + "***@***", text)
        text = _PHONE_IN_TEXT.sub(lambda m: mask_phone(re.sub(r"[^\d+]", "", m.group())), text)
    return text
