"""Reading where a facilitator serves: regency by code or by name, never by guessing.

Offices write "32.04", "3204", "KAB. BANDUNG", "Kab Bandung", "Kabupaten Bandung", "Kota
Bandung", "BANDUNG" … Names repeat (Kabupaten Bandung 32.04, Kota Bandung 32.73; Kabupaten
Banjar in Kalimantan Selatan, Kota Banjar in Jawa Barat), so a name is resolved only when
exactly one regency fits it (and the province column, when there is one). "Bandung" alone is
ambiguous and is rejected with both candidates named: the importer never picks one.

People also write abbreviations ("Kab. HSS", "Jaktim"), old names of renamed regencies ("Kab.
Pontianak", now Mempawah), one-letter typos ("Kab. Magettan") and the province a regency had
before a split ("Tolikara, Papua"). Those are read from curated tables (``imports.regiondata``,
``imports/data/``), under the same rule: one candidate or a refusal naming them all, and a note
saying how the value was read, which the report lists for the operator to check.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext, gettext_lazy
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from imports import regiondata
from regions.codes import CodeReading, code_from_cell, looks_like_code
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
KIND_LABEL = {"kab": "Kabupaten", "kota": "Kota"}
# A typo is corrected only in a name this long (after normalising): one letter of "AGAM" is a
# quarter of it, and short names lie close to each other.
TYPO_MIN_LENGTH = 5

# How a regency was read, when not as written in the table (reported per row and per file).
ABBREVIATION, OLD_NAME = "singkatan", "nama_lama"
TYPO, OLD_PROVINCE = "salah_ketik", "provinsi_lama"
LOST_ZERO = "nol_hilang"
HOW_LABELS = {
    ABBREVIATION: gettext_lazy("singkatan"),
    OLD_NAME: gettext_lazy("nama lama"),
    TYPO: gettext_lazy("salah ketik satu huruf"),
    OLD_PROVINCE: gettext_lazy("provinsi sebelum pemekaran"),
    LOST_ZERO: gettext_lazy("kode tersimpan sebagai angka"),
}


@dataclass(frozen=True)
class RegionResult:
    code: str | None = None
    error: str | None = None  # region_missing | region_unknown | region_ambiguous | region_mismatch
    message: str = ""
    fix: str = ""
    district: str | None = None  # when a district or village code was written
    how: str = ""  # comma-separated HOW_LABELS keys when the value was not read as written
    note: str = ""  # what was concluded, in Indonesian, for the operator to check


@dataclass(frozen=True)
class _Candidate:
    code: str
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _tokens(value: str) -> list[str]:
    raw = unicodedata.normalize("NFKC", value).upper()
    words = re.sub(r"[^A-Z0-9]+", " ", raw).split()
    return [EXPAND.get(w, w) for w in words if w not in DROP_WORDS]


def name_parts(value: str) -> list[tuple[str | None, list[str]]]:
    """The ways a written name splits into a kind (kab/kota) and its words.

    'KAB. Batang Hari' -> [('kab', ['BATANG', 'HARI'])]; 'BANDUNG (KAB)' -> [('kab', ['BANDUNG']),
    (None, ['BANDUNG', 'KAB'])]: a trailing kind word may also be part of the name ("Lima Puluh
    Kota")."""
    words = _tokens(value)
    if words and words[0] in KIND_WORDS:
        return [(KIND_WORDS[words[0]], words[1:])]
    if len(words) > 1 and words[-1] in KIND_WORDS:
        return [(KIND_WORDS[words[-1]], words[:-1]), (None, words)]
    return [(None, words)]


def name_key(value: str) -> tuple[str | None, str]:
    """'KAB. Batang Hari' -> ('kab', 'BATANGHARI'); 'Bandung' -> (None, 'BANDUNG')."""
    kind, words = name_parts(value)[0]
    return kind, "".join(words)


class RegionIndex:
    """The Kemendagri table, indexed by code and by normalised name, with the curated tables of
    ``imports.regiondata``: abbreviations, old names of renamed regencies, province splits.

    A name is resolved, in this order, as written (today's name or an old one), through the
    abbreviations, then as a one-letter typo; each step accepts only a single candidate (within
    the province written, if any) and says what it did. Nothing is ever guessed between two.
    """

    def __init__(self, provinces: dict[str, str], regencies: dict[str, tuple[str, str]]):
        self.provinces = provinces
        self.regencies = regencies
        self.province_by_key: dict[str, str] = dict(PROVINCE_ALIASES)
        for code, name in provinces.items():
            self.province_by_key["".join(_tokens(name))] = code
        self.by_kind: dict[tuple[str, str], list[str]] = {}
        self.by_bare: dict[str, list[str]] = {}
        self.kind_of: dict[str, str] = {}
        self.key_of: dict[str, str] = {}
        for code, (_, name) in regencies.items():
            kind, key = name_key(name)
            kind = kind or ("kota" if int(code[3:5]) >= 71 else "kab")
            self.kind_of[code], self.key_of[code] = kind, key
            self.by_kind.setdefault((kind, key), []).append(code)
            self.by_bare.setdefault(key, []).append(code)
        self.old_by_kind: dict[tuple[str, str], list[regiondata.OldName]] = {}
        self.old_by_bare: dict[str, list[regiondata.OldName]] = {}
        for old in regiondata.old_names():
            if old.code not in regencies:
                continue
            kind, key = name_key(old.written)
            self.old_by_kind.setdefault((kind or self.kind_of[old.code], key), []).append(old)
            self.old_by_bare.setdefault(key, []).append(old)
        self.abbreviations: dict[str, list[regiondata.Abbreviation]] = {}
        for abbreviation in regiondata.abbreviations():
            self.abbreviations.setdefault(abbreviation.word, []).append(abbreviation)
        self.splits: dict[str, dict[str, str]] = {}
        for split in regiondata.province_splits():
            self.splits.setdefault(split.old, {})[split.new] = split.basis
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
        self,
        value: str,
        *,
        province_text: str = "",
        nik_province: str = "",
    ) -> RegionResult:
        """Resolve one regency cell (with the row's province cell, if any).

        ``nik_province``: the first two digits of the row's NIK; where no province is written it
        bounds the search for a one-letter typo (a NIK says where it was issued, usually near).
        """
        value = (value or "").strip()
        province = self.province(province_text) if province_text else None
        if not value:
            return RegionResult(
                error="region_missing",
                message="Kabupaten/kota tempat bertugas kosong.",
                fix="Isi nama kabupaten/kota (mis. 'Kabupaten Bandung') atau kodenya (mis. 32.04).",
            )
        if looks_like_code(value):
            # One rule for codes in cells (regions.codes): "3204", "32 04", and Excel's 32.1
            # for 32.10, whether the cell is a number or a CSV's text written from one.
            return self._by_code(code_from_cell(value), province, province_text)
        return self._by_name(value, province, province_text, nik_province)

    # --- provinces ------------------------------------------------------------------------

    def _in_province(self, code: str, province: str) -> bool:
        """The regency lies in the province, or in one split off from it since."""
        return code[:2] == province or code[:2] in self.splits.get(province, {})

    def _old_province_note(self, code: str, province: str, province_text: str) -> str:
        basis = self.splits[province][code[:2]]
        return gettext(
            "Provinsi ditulis '{written}', sebagaimana sebelum pemekaran; {regency} kini di "
            "Provinsi {province} ({basis})."
        ).format(
            written=province_text,
            regency=self.regencies[code][1],
            province=self.provinces[code[:2]],
            basis=basis,
        )

    def _by_code(
        self, reading: CodeReading, province: str | None, province_text: str
    ) -> RegionResult:
        if reading.code is None or reading.level == "province":
            return RegionResult(
                error="region_unknown",
                message=f"Kode kabupaten/kota tidak terbaca: {reading.why or 'kode provinsi'}.",
                fix="Tulis kode kabupaten/kota PP.RR (mis. 32.04) sebagai teks, atau namanya "
                "(mis. 'Kabupaten Bandung').",
            )
        code = reading.code[:5]
        district = reading.code[:8] if reading.level in {"district", "village"} else None
        how, note = (LOST_ZERO, reading.note) if reading.note else ("", "")
        if code not in self.regencies:
            return RegionResult(
                error="region_unknown",
                message=f"Kode kabupaten/kota {code} tidak ada dalam tabel wilayah Kemendagri.",
                fix="Periksa kode (format PP.RR, mis. 32.04); kode lama sebelum pemekaran "
                "harus diganti kode yang berlaku sekarang.",
            )
        if province and not self._in_province(code, province):
            return self._mismatch(code, province_text)
        if province and code[:2] != province:
            return RegionResult(
                code=code,
                district=district,
                how=",".join(filter(None, [OLD_PROVINCE, how])),
                note="; ".join(
                    filter(None, [self._old_province_note(code, province, province_text), note])
                ),
            )
        return RegionResult(code=code, district=district, how=how, note=note)

    # --- names ----------------------------------------------------------------------------

    def _lookup(self, kind: str | None, key: str) -> list[_Candidate]:
        """Regencies named so today, or once (an old name, with its legal basis)."""
        if kind:
            codes = list(self.by_kind.get((kind, key), []))
            if not codes and kind == "kota":
                # "Kota Waringin Barat" for Kabupaten Kotawaringin Barat: still one regency.
                codes = list(self.by_bare.get("KOTA" + key, []))
            olds = self.old_by_kind.get((kind, key), [])
        else:
            codes = list(self.by_bare.get(key, []))
            olds = self.old_by_bare.get(key, [])
        found = {code: _Candidate(code) for code in codes}
        for old in olds:
            found.setdefault(
                old.code,
                _Candidate(
                    old.code,
                    (OLD_NAME,),
                    (
                        gettext("{old} adalah nama lama {current} ({basis}).").format(
                            old=old.written, current=old.current, basis=old.basis
                        ),
                    ),
                ),
            )
        return list(found.values())

    def _expansions(self, words: list[str]) -> list[tuple[list[str], list[str]]]:
        """The words with listed abbreviations expanded (each meaning), and the notes on them."""
        options: list[tuple[list[str], list[str]]] = [([], [])]
        used = False
        for word in words:
            meanings = self.abbreviations.get(word)
            if not meanings:
                options = [(w + [word], n) for w, n in options]
                continue
            used = True
            options = [
                (
                    w + _tokens(m.expansion),
                    n
                    + [
                        gettext("Singkatan {word} = {words} (daftar singkatan; {source}).").format(
                            word=word, words=m.expansion, source=m.source
                        )
                    ],
                )
                for w, n in options
                for m in meanings
            ]
        return options if used else []

    def _by_name(
        self, value: str, province: str | None, province_text: str, nik_province: str
    ) -> RegionResult:
        parts = name_parts(value)
        # 1. As written: today's name, or an old name.
        found = [c for kind, words in parts for c in self._lookup(kind, "".join(words))]
        if found:
            return self._choose(value, found, province, province_text)
        # 2. Through the list of abbreviations.
        found = []
        for kind, words in parts:
            for expanded, notes in self._expansions(words):
                for c in self._lookup(kind, "".join(expanded)):
                    found.append(_Candidate(c.code, (ABBREVIATION, *c.tags), (*notes, *c.notes)))
        if found:
            return self._choose(value, found, province, province_text)
        # 3. A one-letter typo, within the province written or the NIK's.
        return self._typo(value, parts, province, province_text, nik_province)

    def _choose(
        self,
        value: str,
        found: list[_Candidate],
        province: str | None,
        province_text: str,
        *,
        ambiguous_reason: str = "",
    ) -> RegionResult:
        unique: dict[str, _Candidate] = {}
        for candidate in found:
            unique.setdefault(candidate.code, candidate)
        in_province = [
            c for c in unique.values() if not province or self._in_province(c.code, province)
        ]
        if len(in_province) == 1:
            chosen = in_province[0]
            tags, notes = list(chosen.tags), list(chosen.notes)
            if province and chosen.code[:2] != province:
                tags.append(OLD_PROVINCE)
                notes.append(self._old_province_note(chosen.code, province, province_text))
            how = ",".join(dict.fromkeys(tags))
            note = ""
            if how:
                read = gettext("'{value}' dibaca {regency}.")
                note = read.format(value=value, regency=self.label(chosen.code))
                note += " " + " ".join(notes)
            return RegionResult(code=chosen.code, how=how, note=note.strip())
        if province and not in_province:
            return self._mismatch(next(iter(unique)), province_text)
        names = " atau ".join(self._candidate_label(c) for c in in_province)
        return RegionResult(
            error="region_ambiguous",
            message=gettext("'{value}' bisa berarti {names}; {reason}sistem tidak menebak.").format(
                value=value, names=names, reason=ambiguous_reason
            ),
            fix="Tulis lengkap dengan 'Kabupaten' atau 'Kota' (dan provinsinya), atau pakai kode "
            "wilayah.",
        )

    def _candidate_label(self, candidate: _Candidate) -> str:
        label = self.label(candidate.code)
        if OLD_NAME in candidate.tags:
            label += " " + gettext("(nama lamanya)")
        if ABBREVIATION in candidate.tags:
            label += " " + gettext("(menurut daftar singkatan)")
        return label

    def _typo(
        self,
        value: str,
        parts: list[tuple[str | None, list[str]]],
        province: str | None,
        province_text: str,
        nik_province: str,
    ) -> RegionResult:
        """Accept a one-letter typo only when exactly one regency of the same kind, within the
        province written (or else the NIK's province), is one edit away."""
        scope = province or (nik_province if nik_province in self.provinces else None)
        if scope:
            found = []
            for kind, words in parts:
                key = "".join(words)
                if len(key) < TYPO_MIN_LENGTH:
                    continue
                for code, official in self.key_of.items():
                    if not self._in_province(code, scope) or (kind and self.kind_of[code] != kind):
                        continue
                    if len(official) >= TYPO_MIN_LENGTH and OSA.distance(key, official) == 1:
                        where = (
                            gettext("Provinsi {name}")
                            if province
                            else gettext("Provinsi {name} (menurut NIK)")
                        ).format(name=self.provinces[scope])
                        found.append(
                            _Candidate(
                                code,
                                (TYPO,),
                                (
                                    gettext(
                                        "Salah ketik satu huruf: satu-satunya kabupaten/kota di "
                                        "{where} yang berbeda satu huruf dan sama jenisnya "
                                        "(Kab./Kota)."
                                    ).format(where=where),
                                ),
                            )
                        )
            if found:
                return self._choose(
                    value,
                    found,
                    province,
                    province_text,
                    ambiguous_reason=gettext("beberapa nama berbeda satu huruf dari tulisan ini, "),
                )
        return self._unknown(value, parts, province)

    def _mismatch(self, code: str, province_text: str) -> RegionResult:
        return RegionResult(
            error="region_mismatch",
            message=f"{self.label(code)} tidak berada di provinsi '{province_text}'.",
            fix="Samakan kolom provinsi dan kabupaten/kota.",
        )

    def _unknown(
        self, value: str, parts: list[tuple[str | None, list[str]]], province: str | None
    ) -> RegionResult:
        """Not found: a hint names the nearest regency of the kind written ("Kota Semmarang" ->
        Kota Semarang, never Kabupaten Semarang), else the nearest of the other kind, saying so."""
        kind, words = parts[0]
        key = "".join(words)
        pool = {
            code: self.key_of[code]
            for code, (prov, _) in self.regencies.items()
            if not province or self._in_province(code, province)
        }
        same_kind = {c: k for c, k in pool.items() if not kind or self.kind_of[c] == kind}
        hint = ""
        near = key and process.extractOne(key, same_kind, scorer=fuzz.ratio, score_cutoff=80)
        if near:
            hint = " " + gettext("Mungkin maksudnya {regency}?").format(regency=self.label(near[2]))
        elif key and (near := process.extractOne(key, pool, scorer=fuzz.ratio, score_cutoff=80)):
            written = KIND_LABEL[kind] if kind else ""
            hint = " " + gettext(
                "Mungkin maksudnya {regency}? (tertulis '{written}', padahal yang ada {kind})"
            ).format(
                regency=self.label(near[2]),
                written=written,
                kind=KIND_LABEL[self.kind_of[near[2]]],
            )
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
        if looks_like_code(value):
            reading = code_from_cell(value)
            code = (
                reading.code[:8]
                if reading.code and reading.level in {"district", "village"}
                else None
            )
            known = self._district_map(regency).values()
            return code if code and code[:5] == regency and code in known else None
        return self._district_map(regency).get("".join(_tokens(value)).removeprefix("KECAMATAN"))

    def village(self, value: str, *, district: str) -> str | None:
        value = (value or "").strip()
        if not value:
            return None
        if looks_like_code(value):
            code = code_from_cell(value, level="village").code
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
