"""Kemendagri region codes as offices write them in spreadsheet cells: one rule for every reader.

A code is groups of digits: province ``32``, regency ``32.04``, district ``32.04.05``, village
``32.04.05.2001``. Offices write them dotted, spaced or as bare digits (``3204``), and Excel
turns a code typed into a number cell into a number: ``32.04`` stays 32.04, but ``32.10``
becomes 32.1. A regency code has two digits after the dot, so 32.1 can only have been 32.10:
the lost zero is put back, with a note for the operator to check, whether the cell is a number
or a CSV's text written from one. Anything else that is not a code is refused with the reason;
the caller decides whether a name may stand there instead (``imports.regions``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_lazy

# Digits per group, by level.
GROUPS = {
    "province": (2,),
    "regency": (2, 2),
    "district": (2, 2, 2),
    "village": (2, 2, 2, 4),
}
LEVEL_LABELS = {
    "province": gettext_lazy("provinsi"),
    "regency": gettext_lazy("kabupaten/kota"),
    "district": gettext_lazy("kecamatan"),
    "village": gettext_lazy("desa/kelurahan"),
}
EXAMPLES = {
    "province": "32",
    "regency": "32.04",
    "district": "32.04.05",
    "village": "32.04.05.2001",
}
_BY_DIGITS = {sum(groups): groups for groups in GROUPS.values()}
_LEVEL_BY_GROUPS = {len(groups): level for level, groups in GROUPS.items()}
_SEPARATED = re.compile(r"^\d+(?:[.\s]\d+)*$")
_LOST_ZERO = re.compile(r"^(\d{2})\.(\d)$")


@dataclass(frozen=True)
class CodeReading:
    code: str | None = None
    why: str = ""  # the reason when ``code`` is None, in Indonesian
    note: str = ""  # how the cell was read when not as written, for the operator to check

    @property
    def level(self) -> str | None:
        return _LEVEL_BY_GROUPS.get(self.code.count(".") + 1) if self.code else None


def looks_like_code(value: object) -> bool:
    """A number, or text of digits with dots or spaces: a code was meant, not a name."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return bool(_SEPARATED.match(str(value or "").strip()))


def code_from_cell(value: object, *, level: str | None = None) -> CodeReading:
    """The dotted code in a cell (a number or text), at ``level`` when one is given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return CodeReading(why=gettext("kosong"))
    if isinstance(value, bool):
        return CodeReading(why=gettext("bukan kode wilayah Kemendagri"))
    note = ""
    if isinstance(value, float):
        if value.is_integer():
            text = str(int(value))
        elif 0 < value < 100:
            text = repr(value)  # 32.04 -> "32.04"; 32.1 (was 32.10) -> "32.1"
        else:
            return CodeReading(why=gettext("angka desimal, bukan kode wilayah Kemendagri"))
    else:
        text = str(value).strip()
    if lost := _LOST_ZERO.match(text):
        text = f"{lost[1]}.{lost[2]}0"
        note = _lost_zero_note(text)
    if not _SEPARATED.match(text):
        return CodeReading(why=gettext("bukan kode wilayah Kemendagri (PP.RR.SS.VVVV)"))
    pieces = re.split(r"[.\s]+", text)
    if len(pieces) == 1:
        digits = pieces[0]
        groups = _BY_DIGITS.get(len(digits))
        if groups is None:
            return CodeReading(why=gettext("jumlah digit tidak sesuai (2, 4, 6 atau 10 digit)"))
        pieces, start = [], 0
        for size in groups:
            pieces.append(digits[start : start + size])
            start += size
    expected = GROUPS.get(_LEVEL_BY_GROUPS.get(len(pieces), ""), ())
    if tuple(map(len, pieces)) != expected:
        return CodeReading(why=gettext("bukan kode wilayah Kemendagri (PP.RR.SS.VVVV)"))
    return _checked(".".join(pieces), level, note=note)


def _lost_zero_note(code: str) -> str:
    return gettext(
        "dibaca sebagai %(code)s: Excel menyimpan kode sebagai angka dan menghapus nol di belakang"
    ) % {"code": code}


def _checked(code: str, level: str | None, *, note: str = "") -> CodeReading:
    reading = CodeReading(code=code, note=note)
    if level and reading.level != level:
        return CodeReading(
            why=gettext("bukan kode %(level)s (contoh: %(example)s)")
            % {"level": LEVEL_LABELS[level], "example": EXAMPLES[level]},
        )
    return reading
