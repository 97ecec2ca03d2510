"""Reading where a facilitator serves: regency by code or by name, never by guessing.

Offices write "32.04", "3204", "KAB. BANDUNG", "Kab Bandung", "Kabupaten Bandung", "Kota
Bandung", "BANDUNG" … Names repeat (Kabupaten Bandung 32.04, Kota Bandung 32.73; Kabupaten
Banjar in Kalimantan Selatan, Kota Banjar in Jawa Barat), so a name is resolved only when
exactly one regency fits it (and the province column, when there is one). "Bandung" alone is
ambiguous and is rejected with both candidates named: the importer never picks one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from regions.models import District, Province, Regency, Village

KIND_WORDS = {
    "KABUPATEN": "kab",
    "KAB": "kab",
    "KABUPATEM": "kab",
    "PEMKAB": "kab",
    "KOTA": "kota",
    "KOTAMADYA": "kota",
    "KODYA": "kota",
    "PEMKOT": "kota",
    "KOTIF": "kota",
}
DROP_WORDS = {"ADMINISTRASI", "ADM", "ADMINISTRATIF", "PROVINSI", "PROV", "PROPINSI", "DAERAH"}
EXPAND = {"KEP": "KEPULAUAN", "KEPL": "KEPULAUAN", "TJ": "TANJUNG", "KEPUL": "KEPULAUAN"}
PROVINCE_ALIASES = {
    "DKI": "31",
    "DKIJAKARTA": "31",
    "JAKARTA": "31",
    "KHUSUSIBUKOTAJAKARTA": "31",
    "DIY": "34",
    "DIYOGYAKARTA": "34",
    "YOGYAKARTA": "34",
    "JOGJAKARTA": "34",
    "JOGJA": "34",
    "ISTIMEWAYOGYAKARTA": "34",
    "NAD": "11",
    "NANGGROEACEHDARUSSALAM": "11",
    "BABEL": "19",
    "BANGKABELITUNG": "19",
    "KEPRI": "21",
    "NTB": "52",
    "NTT": "53",
    "SUMUT": "12",
    "SUMBAR": "13",
    "SUMSEL": "16",
    "JABAR": "32",
    "JATENG": "33",
    "JATIM": "35",
    "KALBAR": "61",
    "KALTENG": "62",
    "KALSEL": "63",
    "KALTIM": "64",
    "KALTARA": "65",
    "SULUT": "71",
    "SULTENG": "72",
    "SULSEL": "73",
    "SULTRA": "74",
    "SULBAR": "76",
    "MALUT": "82",
    "PABAR": "92",
    "PBD": "96",
}
_CODE = re.compile(r"^(\d{2})[.\s]?(\d{2})(?:[.\s]?(\d{2})(?:[.\s]?(\d{4}))?)?$")


@dataclass(frozen=True)
class RegionResult:
    code: str | None = None
    error: str | None = None  # region_missing | region_unknown | region_ambiguous | region_mismatch
    message: str = ""
    fix: str = ""
    district: str | None = None  # when a district or village code was written


def _tokens(value: str) -> list[str]:
    raw = unicodedata.normalize("NFKC", value).upper()
    words = re.sub(r"[^A-Z0-9]+", " ", raw).split()
    return [EXPAND.get(w, w) for w in words if w not in DROP_WORDS]


def name_key(value: str) -> tuple[str | None, str]:
    """'KAB. Batang Hari' -> ('kab', 'BATANGHARI'); 'Bandung' -> (None, 'BANDUNG')."""
    words = _tokens(value)
    kind = None
    if words and words[0] in KIND_WORDS:
        kind = KIND_WORDS[words.pop(0)]
    elif len(words) > 1 and words[-1] in KIND_WORDS:  # "BANDUNG (KAB)"
        kind = KIND_WORDS[words.pop()]
    return kind, "".join(words)


class RegionIndex:
    """The Kemendagri table, indexed by code and by normalised name."""

    def __init__(self, provinces: dict[str, str], regencies: dict[str, tuple[str, str]]):
        self.provinces = provinces
        self.regencies = regencies
        self.province_by_key: dict[str, str] = dict(PROVINCE_ALIASES)
        for code, name in provinces.items():
            self.province_by_key["".join(_tokens(name))] = code
        self.by_kind: dict[tuple[str, str], list[str]] = {}
        self.by_bare: dict[str, list[str]] = {}
        for code, (_, name) in regencies.items():
            kind, key = name_key(name)
            kind = kind or ("kota" if int(code[3:5]) >= 71 else "kab")
            self.by_kind.setdefault((kind, key), []).append(code)
            self.by_bare.setdefault(key, []).append(code)
        self._districts: dict[str, dict[str, str]] = {}
        self._villages: dict[str, dict[str, str]] = {}

    def label(self, code: str) -> str:
        return f"{self.regencies[code][1]} ({code})"

    def province(self, value: str) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if re.fullmatch(r"\d{1,2}(\.0+)?", value):
            code = f"{int(float(value)):02d}"
            return code if code in self.provinces else None
        return self.province_by_key.get("".join(_tokens(value)))

    def regency(
        self, value: str, *, province_text: str = "", numeric: bool = False
    ) -> RegionResult:
        """Resolve one regency cell (with the row's province cell, if any)."""
        value = (value or "").strip()
        province = self.province(province_text) if province_text else None
        if not value:
            return RegionResult(
                error="region_missing",
                message="Kabupaten/kota tempat bertugas kosong.",
                fix="Isi nama kabupaten/kota (mis. 'Kabupaten Bandung') atau kodenya (mis. 32.04).",
            )
        if numeric:
            # A code typed into a number cell: 32.10 is stored as 32.1, so read two decimals.
            try:
                number = float(value)
                value = f"{number:.2f}" if number < 100 else str(int(number))
            except ValueError:
                pass
        compact = value.replace(" ", "")
        if match := _CODE.match(compact):
            return self._by_code(match, value, province, province_text)
        return self._by_name(value, province, province_text)

    def _by_code(self, match: re.Match, value: str, province: str | None, province_text: str):
        code = f"{match[1]}.{match[2]}"
        district = f"{code}.{match[3]}" if match[3] else None
        if code not in self.regencies:
            return RegionResult(
                error="region_unknown",
                message=f"Kode kabupaten/kota {code} tidak ada dalam tabel wilayah Kemendagri.",
                fix="Periksa kode (format PP.RR, mis. 32.04); kode lama sebelum pemekaran "
                "harus diganti kode yang berlaku sekarang.",
            )
        if province and code[:2] != province:
            return self._mismatch(code, province_text)
        return RegionResult(code=code, district=district)

    def _by_name(self, value: str, province: str | None, province_text: str) -> RegionResult:
        kind, key = name_key(value)
        if kind:
            found = list(self.by_kind.get((kind, key), []))
            if not found and kind == "kota":
                # "Kota Waringin Barat" for Kabupaten Kotawaringin Barat: still one regency.
                found = list(self.by_bare.get("KOTA" + key, []))
        else:
            found = list(self.by_bare.get(key, []))
        in_province = [c for c in found if c[:2] == province] if province else found
        if len(in_province) == 1:
            return RegionResult(code=in_province[0])
        if not found:
            return self._unknown(value, province)
        if province and not in_province:
            return self._mismatch(found[0], province_text)
        names = " atau ".join(self.label(c) for c in in_province)
        return RegionResult(
            error="region_ambiguous",
            message=f"'{value}' bisa berarti {names}; sistem tidak menebak.",
            fix="Tulis lengkap dengan 'Kabupaten' atau 'Kota' (dan provinsinya), atau pakai kode "
            "wilayah.",
        )

    def _mismatch(self, code: str, province_text: str) -> RegionResult:
        return RegionResult(
            error="region_mismatch",
            message=f"{self.label(code)} tidak berada di provinsi '{province_text}'.",
            fix="Samakan kolom provinsi dan kabupaten/kota.",
        )

    def _unknown(self, value: str, province: str | None) -> RegionResult:
        _, key = name_key(value)
        pool = {
            code: name_key(name)[1]
            for code, (prov, name) in self.regencies.items()
            if not province or prov == province
        }
        near = process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=80) if key else None
        hint = f" Mungkin maksudnya {self.label(near[2])}?" if near else ""
        return RegionResult(
            error="region_unknown",
            message=f"Kabupaten/kota '{value}' tidak ditemukan dalam tabel wilayah Kemendagri.",
            fix="Tulis nama resmi kabupaten/kota atau kodenya (mis. 32.04)." + hint,
        )

    def district(self, value: str, *, regency: str) -> str | None:
        """A district (kecamatan) of the regency by code or name; None when not found."""
        value = (value or "").strip()
        if not value:
            return None
        compact = value.replace(" ", "")
        if match := _CODE.match(compact):
            code = f"{match[1]}.{match[2]}.{match[3]}" if match[3] else None
            known = self._district_map(regency).values()
            return code if code and code[:5] == regency and code in known else None
        return self._district_map(regency).get("".join(_tokens(value)).removeprefix("KECAMATAN"))

    def village(self, value: str, *, district: str) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if re.fullmatch(r"[\d.\s]+", value):
            digits = re.sub(r"\D", "", value)
            code = f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
            return code if code in self._village_map(district).values() else None
        key = "".join(_tokens(value))
        villages = self._village_map(district)
        for prefix in ("DESA", "KELURAHAN", "KEL", "DS"):
            if key not in villages and key.startswith(prefix):
                key = key.removeprefix(prefix)
        return villages.get(key)

    def _district_map(self, regency: str) -> dict[str, str]:
        if regency not in self._districts:
            self._districts[regency] = {
                "".join(_tokens(name)): code
                for code, name in District.objects.filter(regency_id=regency).values_list(
                    "code", "name"
                )
            }
        return self._districts[regency]

    def _village_map(self, district: str) -> dict[str, str]:
        if district not in self._villages:
            self._villages[district] = {
                "".join(_tokens(name)): code
                for code, name in Village.objects.filter(district_id=district).values_list(
                    "code", "name"
                )
            }
        return self._villages[district]


@lru_cache(maxsize=1)
def _index() -> RegionIndex:
    provinces = dict(Province.objects.values_list("code", "name"))
    regencies = {
        code: (province, name)
        for code, province, name in Regency.objects.values_list("code", "province_id", "name")
    }
    return RegionIndex(provinces, regencies)


def region_index() -> RegionIndex:
    """The index, built once per process (the region table changes only on reload)."""
    index = _index()
    if not index.regencies:  # built before the table was loaded (e.g. a fresh test DB)
        _index.cache_clear()
        index = _index()
    return index
