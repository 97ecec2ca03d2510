"""Reading need and population tables: column names, region codes, failing as a whole."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

from distribution.models import RegionLevel, level_of_code
from regions.codes import code_from_cell
from regions.models import District, Province, Regency, Village
from satupintu.tables import Problems, cell, read_table

CODE_COLUMNS = [
    "kode_wilayah",
    "kode",
    "kode_desa",
    "kode_kecamatan",
    "kode_kabupaten",
    "kode_kab_kota",
]


CLUSTER_COLUMNS = ["klaster", "program", "klaster_program", "cluster"]


VALUE_COLUMNS = ["jumlah", "kebutuhan", "nilai", "jumlah_kebutuhan"]


POPULATION_COLUMNS = ["jumlah_penduduk", "penduduk", "populasi", "jumlah"]


LEVEL_NAMES = {
    RegionLevel.VILLAGE: gettext_lazy("desa/kelurahan"),
    RegionLevel.DISTRICT: gettext_lazy("kecamatan"),
    RegionLevel.REGENCY: gettext_lazy("kabupaten/kota"),
}


def first_column(header: list[str], names: list[str]) -> int | None:
    for name in names:
        if name in header:
            return header.index(name)
    return None


def _known_codes(level: str) -> frozenset[str]:
    model = {
        RegionLevel.VILLAGE: Village,
        RegionLevel.DISTRICT: District,
        RegionLevel.REGENCY: Regency,
        RegionLevel.PROVINCE: Province,
    }[level]
    return frozenset(model.objects.values_list("code", flat=True))


def split(code: str) -> tuple[str, str, str, str]:
    """(province, regency, district, village) codes of a code; blanks below its level."""
    return (
        code[:2],
        code[:5] if len(code) >= 5 else "",
        code[:8] if len(code) >= 8 else "",
        code if len(code) == 13 else "",
    )


def read_codes(table, problems: Problems, code_index: int, level: str | None):
    """Check each row's region code: known, and all at one level (village, district or regency).

    Returns (level, {row number: code}).
    """
    codes: dict[int, str] = {}
    column = table.raw_header[code_index]
    known: dict[str, frozenset[str]] = {}
    for row_number, cells in table.rows:
        raw = cell(cells, code_index)
        reading = code_from_cell(raw)
        code = reading.code
        if code is None:
            problems.add(
                row_number,
                column,
                gettext("kode wilayah '%(value)s' %(why)s.")
                % {"value": raw if raw is not None else "", "why": reading.why},
                gettext("tulis kode sebagai teks bertitik, mis. 32.04.01.2001 (format sel: Teks)."),
            )
            continue
        code_level = level_of_code(code)
        if code_level == RegionLevel.PROVINCE:
            problems.add(
                row_number,
                column,
                gettext("kode '%(code)s' adalah kode provinsi.") % {"code": code},
                gettext("isi kebutuhan per desa/kelurahan, kecamatan atau kabupaten/kota."),
            )
            continue
        if level is None:
            level = code_level
        if code_level != level:
            problems.add(
                row_number,
                column,
                gettext(
                    "kode '%(code)s' adalah tingkat %(level)s, sedangkan berkas ini tingkat "
                    "%(file_level)s."
                )
                % {
                    "code": code,
                    "level": LEVEL_NAMES.get(code_level, code_level),
                    "file_level": LEVEL_NAMES.get(level, level),
                },
                gettext("satu berkas memuat satu tingkat wilayah saja; pisahkan ke berkas lain."),
            )
            continue
        if level not in known:
            known[level] = _known_codes(level)
        if code not in known[level]:
            problems.add(
                row_number,
                column,
                gettext(
                    "kode '%(code)s' tidak ada dalam data wilayah Kemendagri (idn-area-data 4.0.1)."
                )
                % {"code": code},
                gettext("periksa kode; untuk wilayah hasil pemekaran gunakan kode terbaru."),
            )
            continue
        codes[row_number] = code
    return level, codes


def fail(problems: Problems) -> None:
    raise ValidationError(
        [gettext("Impor dibatalkan; tidak ada data yang disimpan."), *problems.messages()]
    )


def read_or_fail(path: Path, display_name: str | None, required: set[str]):
    try:
        return read_table(path, name=display_name or path.name, required=required)
    except ValueError as error:
        raise ValidationError([str(error)]) from error
