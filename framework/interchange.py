"""A whole framework version as one document, written and read as YAML or XLSX.

Both formats carry the same document (``framework_document``), so a framework exported and
imported again, in either format, exports identically. Lifecycle (status, who approved) is not
part of the document: an imported framework is always a new draft that must be agreed and put
in force in the product, by a national administrator.

XLSX layout, one sheet per entity, first row the column names: ``versi`` (key/value),
``jenjang``, ``unit``, ``unit_elemen`` (one row per performance criterion),
``unit_kompetensi_kunci``, ``paket``, ``paket_unit`` (role ``inti``/``pilihan``) and ``aturan``
(required units joined by ``;``). A ``petunjuk`` sheet explains this and is ignored on import.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from framework.matching import title_key
from framework.models import (
    UNIT_CODE,
    CompetencyUnit,
    FrameworkVersion,
    Level,
    NomenclatureRule,
    Package,
)
from registry.models import Education
from satupintu.formulas import SafeSheet, unquote
from satupintu.workbooks import WorkbookRefused, upload_check

FORMAT = "satupintu-kerangka/1"
LEVEL_FIELDS = [
    "number",
    "category",
    "unified_title",
    "work_ability",
    "knowledge",
    "responsibility",
]
UNIT_FIELDS = ["code", "title", "description", "range_of_variables", "assessment_guide"]
PACKAGE_FIELDS = ["code", "name", "kind", "level", "programme", "description", "min_electives"]
RULE_FIELDS = [
    "legacy_title",
    "scope",
    "min_education",
    "min_years",
    "min_certified_units",
    "required_units",
    "level",
    "unified_title",
    "regulation",
    "regulation_number",
    "article",
    "effective_date",
    "priority",
    "notes",
]
INT_FIELDS = {"number", "level", "min_electives", "priority"}
OPTIONAL_INT_FIELDS = {"min_years", "min_certified_units"}
YAML_HEADER = (
    "# Kerangka kualifikasi pendamping pembangunan — format Satu Pintu "
    f"({FORMAT}).\n"
    "# Impor: Kerangka › Versi › Impor, atau `python manage.py load_framework BERKAS`.\n"
)
GUIDE = [
    ["Kerangka kualifikasi pendamping pembangunan", FORMAT],
    ["versi", "nama versi, contoh (TRUE/FALSE), catatan"],
    ["jenjang", "jenjang KKNI 1-9, deskriptor, nomenklatur baku (III-IX)"],
    ["unit", "unit kompetensi; kode X.000000.000.00"],
    ["unit_elemen", "satu baris per kriteria unjuk kerja: kode unit, nomor dan judul elemen"],
    ["unit_kompetensi_kunci", "kode unit, aspek, tingkat 1-3"],
    ["paket", "pemaketan per jenjang, okupasi atau klaster"],
    ["paket_unit", "kode paket, kode unit, peran inti/pilihan"],
    ["aturan", "aturan nomenklatur; unit wajib dipisah titik koma"],
]


# --- document <-> database -------------------------------------------------------------------


def framework_document(version: FrameworkVersion) -> dict[str, Any]:
    """The version's full content as plain data, in a stable order."""
    units = list(version.units.order_by("code"))
    packages = (
        version.packages.select_related("level")
        .prefetch_related("core_units", "elective_units")
        .order_by("id")
    )
    rules = version.rules.select_related("level").prefetch_related("required_units").order_by("id")
    return {
        "format": FORMAT,
        "version": {"name": version.name, "is_example": version.is_example, "notes": version.notes},
        "levels": [
            {name: getattr(level, name) for name in LEVEL_FIELDS}
            for level in version.levels.order_by("number")
        ],
        "units": [
            {
                **{name: getattr(unit, name) for name in UNIT_FIELDS},
                "elements": [
                    {"title": e["title"], "criteria": list(e["criteria"])} for e in unit.elements
                ],
                "key_competencies": [
                    {"aspect": k["aspect"], "level": k["level"]} for k in unit.key_competencies
                ],
            }
            for unit in units
        ],
        "packages": [
            {
                "code": p.code,
                "name": p.name,
                "kind": p.kind,
                "level": p.level.number,
                "programme": p.programme,
                "description": p.description,
                "core_units": sorted(u.code for u in p.core_units.all()),
                "elective_units": sorted(u.code for u in p.elective_units.all()),
                "min_electives": p.min_electives,
            }
            for p in packages
        ],
        "rules": [
            {
                "legacy_title": r.legacy_title,
                "scope": r.scope,
                "min_education": r.min_education,
                "min_years": r.min_years,
                "min_certified_units": r.min_certified_units,
                "required_units": sorted(u.code for u in r.required_units.all()),
                "level": r.level.number,
                "unified_title": r.unified_title,
                "regulation": r.regulation,
                "regulation_number": r.regulation_number,
                "article": r.article,
                "effective_date": r.effective_date.isoformat(),
                "priority": r.priority,
                "notes": r.notes,
            }
            for r in rules
        ],
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if not isinstance(value, str) else value.strip()


def _int(value: Any, *, optional: bool = False) -> int | None:
    if value in (None, ""):
        return None if optional else 0
    return int(float(value)) if isinstance(value, str | float) else int(value)


def _date(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return dt.date.fromisoformat(_text(value)).isoformat()


def document_normalise(doc: Any) -> dict[str, Any]:
    """Coerce a parsed file into the canonical document, collecting every problem found."""
    errors: list[str] = []
    if not isinstance(doc, dict):
        raise ValidationError(_("Berkas kerangka tidak berisi dokumen yang dikenal."))
    if doc.get("format") != FORMAT:
        errors.append(
            _("Format harus '%(format)s' (ditemukan: %(found)s).")
            % {"format": FORMAT, "found": repr(doc.get("format"))}
        )
    version = doc.get("version") or {}
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": {
            "name": _text(version.get("name")),
            "is_example": bool(version.get("is_example")),
            "notes": _text(version.get("notes")),
        },
        "levels": [],
        "units": [],
        "packages": [],
        "rules": [],
    }
    if not out["version"]["name"]:
        errors.append(_("Nama versi wajib diisi."))

    def fields(kind: str, i: int, row: dict, names: list[str]) -> dict[str, Any]:
        item: dict[str, Any] = {}
        for name in names:
            try:
                if name in INT_FIELDS:
                    item[name] = _int(row.get(name))
                elif name in OPTIONAL_INT_FIELDS:
                    item[name] = _int(row.get(name), optional=True)
                elif name == "effective_date":
                    item[name] = _date(row.get(name))
                elif name == "required_units":
                    value = row.get(name) or []
                    if isinstance(value, str):
                        value = [v for v in (s.strip() for s in value.split(";")) if v]
                    item[name] = sorted(_text(v) for v in value)
                else:
                    item[name] = _text(row.get(name))
            except (TypeError, ValueError):
                errors.append(
                    _("%(kind)s %(i)s: nilai '%(name)s' tidak valid (%(value)s).")
                    % {"kind": kind, "i": i, "name": name, "value": repr(row.get(name))}
                )
                item[name] = None
        return item

    for i, row in enumerate(doc.get("levels") or [], 1):
        out["levels"].append(
            fields(pgettext("one row of an import", "Jenjang"), i, row, LEVEL_FIELDS)
        )
    for i, row in enumerate(doc.get("units") or [], 1):
        unit = fields(pgettext("one row of an import", "Unit"), i, row, UNIT_FIELDS)
        unit["elements"] = [
            {
                "title": _text(e.get("title")),
                "criteria": [_text(c) for c in e.get("criteria") or []],
            }
            for e in row.get("elements") or []
        ]
        unit["key_competencies"] = [
            {"aspect": _text(k.get("aspect")), "level": _int(k.get("level"))}
            for k in row.get("key_competencies") or []
        ]
        out["units"].append(unit)
    for i, row in enumerate(doc.get("packages") or [], 1):
        package = fields(pgettext("one row of an import", "Paket"), i, row, PACKAGE_FIELDS)
        package["core_units"] = sorted(_text(c) for c in row.get("core_units") or [])
        package["elective_units"] = sorted(_text(c) for c in row.get("elective_units") or [])
        # Keep the documented key order.
        out["packages"].append(
            {
                k: package[k]
                for k in [
                    "code",
                    "name",
                    "kind",
                    "level",
                    "programme",
                    "description",
                    "core_units",
                    "elective_units",
                    "min_electives",
                ]
            }
        )
    for i, row in enumerate(doc.get("rules") or [], 1):
        out["rules"].append(fields(pgettext("one row of an import", "Aturan"), i, row, RULE_FIELDS))
    out["units"].sort(key=lambda u: u["code"] or "")
    if errors:
        raise ValidationError(errors)
    return out


def document_check(doc: dict[str, Any], *, programmes: set[str]) -> None:
    """Every cross-reference and value a version needs, reported all at once."""
    errors: list[str] = []
    numbers = [lv["number"] for lv in doc["levels"]]
    if len(set(numbers)) != len(numbers):
        errors.append(_("Nomor jenjang ganda."))
    categories = {c for c, _ in Level.Category.choices}
    for lv in doc["levels"]:
        if not 1 <= (lv["number"] or 0) <= 9:
            errors.append(_("Jenjang %(n)s: harus 1-9.") % {"n": lv["number"]})
        if lv["category"] not in categories:
            errors.append(
                _("Jenjang %(n)s: kategori '%(category)s' tidak dikenal.")
                % {"n": lv["number"], "category": lv["category"]}
            )
        if 3 <= (lv["number"] or 0) <= 9 and not lv["unified_title"]:
            errors.append(
                _("Jenjang %(n)s: nomenklatur baku wajib untuk jenjang III-IX.")
                % {"n": lv["number"]}
            )
    codes = [u["code"] for u in doc["units"]]
    if len(set(codes)) != len(codes):
        errors.append(_("Kode unit ganda."))
    for u in doc["units"]:
        if not UNIT_CODE.match(u["code"] or ""):
            errors.append(
                _("Unit '%(code)s': kode tidak sesuai format SKKNI X.000000.000.00.")
                % {"code": u["code"]}
            )
        if not u["title"]:
            errors.append(_("Unit '%(code)s': judul wajib diisi.") % {"code": u["code"]})
        if not u["elements"] or any(not e["title"] or not e["criteria"] for e in u["elements"]):
            errors.append(
                _("Unit '%(code)s': setiap elemen perlu judul dan kriteria unjuk kerja.")
                % {"code": u["code"]}
            )
        if any(k["level"] not in (1, 2, 3) or not k["aspect"] for k in u["key_competencies"]):
            errors.append(
                _("Unit '%(code)s': tingkat kompetensi kunci harus 1-3.") % {"code": u["code"]}
            )
    known_units, known_levels = set(codes), set(numbers)
    package_kinds = {k for k, _ in Package.Kind.choices}
    package_codes = [p["code"] for p in doc["packages"]]
    if len(set(package_codes)) != len(package_codes):
        errors.append(_("Kode paket ganda."))
    for p in doc["packages"]:
        name = _("Paket '%(code)s'") % {"code": p["code"]}
        if p["kind"] not in package_kinds:
            errors.append(
                _("%(name)s: jenis '%(kind)s' tidak dikenal.") % {"name": name, "kind": p["kind"]}
            )
        if p["level"] not in known_levels:
            errors.append(
                _("%(name)s: jenjang %(level)s tidak ada.") % {"name": name, "level": p["level"]}
            )
        if p["programme"] and p["programme"] not in programmes:
            errors.append(
                _("%(name)s: klaster/program '%(programme)s' tidak dikenal.")
                % {"name": name, "programme": p["programme"]}
            )
        missing = sorted(set(p["core_units"] + p["elective_units"]) - known_units)
        if missing:
            errors.append(
                _("%(name)s: unit tidak ada: %(units)s.")
                % {"name": name, "units": ", ".join(missing)}
            )
        if set(p["core_units"]) & set(p["elective_units"]):
            errors.append(
                _("%(name)s: unit yang sama tidak boleh inti sekaligus pilihan.") % {"name": name}
            )
        if p["min_electives"] > len(p["elective_units"]):
            errors.append(
                _("%(name)s: minimal unit pilihan melebihi jumlah unit pilihan.") % {"name": name}
            )
    educations = {e for e, _ in Education.choices}
    for i, r in enumerate(doc["rules"], 1):
        name = _("Aturan %(i)s («%(title)s»)") % {
            "i": i,
            "title": r["legacy_title"] or _("semua jabatan"),
        }
        if r["level"] not in known_levels:
            errors.append(
                _("%(name)s: jenjang %(level)s tidak ada.") % {"name": name, "level": r["level"]}
            )
        if r["scope"] and r["scope"] not in programmes:
            errors.append(
                _("%(name)s: klaster/program '%(programme)s' tidak dikenal.")
                % {"name": name, "programme": r["scope"]}
            )
        if r["min_education"] and r["min_education"] not in educations:
            errors.append(
                _("%(name)s: pendidikan '%(education)s' tidak dikenal.")
                % {"name": name, "education": r["min_education"]}
            )
        if not r["regulation"] or not r["regulation_number"]:
            errors.append(
                _("%(name)s: dasar hukum (peraturan dan nomor) wajib diisi.") % {"name": name}
            )
        missing = sorted(set(r["required_units"]) - known_units)
        if missing:
            errors.append(
                _("%(name)s: unit tidak ada: %(units)s.")
                % {"name": name, "units": ", ".join(missing)}
            )
    if errors:
        raise ValidationError(errors)


def document_store(doc: dict[str, Any], *, version: FrameworkVersion) -> None:
    """Create the document's levels, units, packages and rules under ``version`` (in order)."""
    levels = {lv["number"]: Level.objects.create(version=version, **lv) for lv in doc["levels"]}
    units = {}
    for u in doc["units"]:
        unit = CompetencyUnit(version=version, **u)
        unit.full_clean(exclude=["version"])
        units[u["code"]] = unit
    CompetencyUnit.objects.bulk_create(units.values())
    units = {u.code: u for u in version.units.all()}
    for p in doc["packages"]:
        package = Package.objects.create(
            version=version,
            code=p["code"],
            name=p["name"],
            kind=p["kind"],
            level=levels[p["level"]],
            programme=p["programme"],
            description=p["description"],
            min_electives=p["min_electives"],
        )
        package.core_units.set([units[c] for c in p["core_units"]])
        package.elective_units.set([units[c] for c in p["elective_units"]])
    for r in doc["rules"]:
        rule = NomenclatureRule.objects.create(
            version=version,
            title_key=title_key(r["legacy_title"]),
            level=levels[r["level"]],
            effective_date=dt.date.fromisoformat(r["effective_date"]),
            **{
                k: v for k, v in r.items() if k not in {"level", "effective_date", "required_units"}
            },
        )
        if r["required_units"]:
            rule.required_units.set([units[c] for c in r["required_units"]])


# --- document <-> files ----------------------------------------------------------------------


def document_to_yaml(doc: dict[str, Any]) -> str:
    return YAML_HEADER + yaml.safe_dump(
        doc, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )


def document_from_yaml(text: str | bytes) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValidationError(_("YAML tidak dapat dibaca: %(error)s") % {"error": error}) from error
    return document_normalise(data)


def document_to_xlsx(doc: dict[str, Any]) -> bytes:
    # Inside: openpyxl is heavy and only the spreadsheet path needs it.
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)

    def sheet(name: str, header: list[str], rows: list[list[Any]]) -> None:
        ws = SafeSheet(book.create_sheet(name))
        ws.append(header)
        for row in rows:
            ws.append(row)

    sheet("petunjuk", ["lembar", "isi"], GUIDE)
    version = doc["version"]
    sheet(
        "versi",
        ["kunci", "nilai"],
        [
            ["format", doc["format"]],
            ["name", version["name"]],
            ["is_example", version["is_example"]],
            ["notes", version["notes"]],
        ],
    )
    sheet("jenjang", LEVEL_FIELDS, [[lv[f] for f in LEVEL_FIELDS] for lv in doc["levels"]])
    sheet("unit", UNIT_FIELDS, [[u[f] for f in UNIT_FIELDS] for u in doc["units"]])
    sheet(
        "unit_elemen",
        ["unit_code", "element_no", "element_title", "criterion_no", "criterion"],
        [
            [u["code"], i, e["title"], j, c]
            for u in doc["units"]
            for i, e in enumerate(u["elements"], 1)
            for j, c in enumerate(e["criteria"], 1)
        ],
    )
    sheet(
        "unit_kompetensi_kunci",
        ["unit_code", "aspect", "level"],
        [[u["code"], k["aspect"], k["level"]] for u in doc["units"] for k in u["key_competencies"]],
    )
    package_cols = [f for f in PACKAGE_FIELDS]
    sheet("paket", package_cols, [[p[f] for f in package_cols] for p in doc["packages"]])
    sheet(
        "paket_unit",
        ["package_code", "unit_code", "role"],
        [[p["code"], c, "inti"] for p in doc["packages"] for c in p["core_units"]]
        + [[p["code"], c, "pilihan"] for p in doc["packages"] for c in p["elective_units"]],
    )
    sheet(
        "aturan",
        RULE_FIELDS,
        [
            ["; ".join(r[f]) if f == "required_units" else r[f] for f in RULE_FIELDS]
            for r in doc["rules"]
        ],
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rows(book, name: str) -> list[dict[str, Any]]:
    if name not in book.sheetnames:
        raise ValidationError(_("Lembar '%(name)s' tidak ada di berkas XLSX.") % {"name": name})
    rows = book[name].iter_rows(values_only=True)
    header = [_text(h) for h in next(rows, ())]
    return [
        # A text cell our export quoted (see satupintu.formulas) reads back as written.
        dict(zip(header, map(unquote, row), strict=False))
        for row in rows
        if any(cell not in (None, "") for cell in row)
    ]


def document_from_xlsx(data: bytes, *, name: str = "kerangka.xlsx") -> dict[str, Any]:
    # Inside: openpyxl is heavy and only the spreadsheet path needs it.
    from openpyxl import load_workbook

    try:
        upload_check(data, name=name)
    except WorkbookRefused as error:
        raise ValidationError(str(error)) from error
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise ValidationError(_("XLSX tidak dapat dibaca: %(error)s") % {"error": error}) from error
    meta = {_text(r["kunci"]): r["nilai"] for r in _rows(book, "versi")}
    is_example = meta.get("is_example")
    if isinstance(is_example, str):
        is_example = is_example.strip().lower() in {"true", "ya", "1", "benar"}
    units: dict[str, dict[str, Any]] = {}
    for row in _rows(book, "unit"):
        units[_text(row["code"])] = {**row, "elements": [], "key_competencies": []}
    elements: dict[tuple[str, int], dict[str, Any]] = {}
    for row in sorted(
        _rows(book, "unit_elemen"),
        key=lambda r: (_text(r["unit_code"]), _int(r["element_no"]), _int(r["criterion_no"])),
    ):
        code = _text(row["unit_code"])
        if code not in units:
            raise ValidationError(
                _("unit_elemen: unit '%(code)s' tidak ada di lembar unit.") % {"code": code}
            )
        key = (code, _int(row["element_no"]))
        if key not in elements:
            elements[key] = {"title": row["element_title"], "criteria": []}
            units[code]["elements"].append(elements[key])
        elements[key]["criteria"].append(row["criterion"])
    for row in _rows(book, "unit_kompetensi_kunci"):
        code = _text(row["unit_code"])
        if code not in units:
            raise ValidationError(
                _("unit_kompetensi_kunci: unit '%(code)s' tidak ada.") % {"code": code}
            )
        units[code]["key_competencies"].append({"aspect": row["aspect"], "level": row["level"]})
    packages = {
        _text(r["code"]): {**r, "core_units": [], "elective_units": []}
        for r in _rows(book, "paket")
    }
    for row in _rows(book, "paket_unit"):
        code = _text(row["package_code"])
        if code not in packages:
            raise ValidationError(_("paket_unit: paket '%(code)s' tidak ada.") % {"code": code})
        role = "core_units" if _text(row["role"]).lower() == "inti" else "elective_units"
        packages[code][role].append(row["unit_code"])
    return document_normalise(
        {
            "format": meta.get("format"),
            "version": {
                "name": meta.get("name"),
                "is_example": is_example,
                "notes": meta.get("notes"),
            },
            "levels": _rows(book, "jenjang"),
            "units": list(units.values()),
            "packages": list(packages.values()),
            "rules": _rows(book, "aturan"),
        }
    )


def document_from_file(name: str, data: bytes) -> dict[str, Any]:
    if name.lower().endswith((".xlsx", ".xlsm")):
        return document_from_xlsx(data, name=name)
    if name.lower().endswith((".yaml", ".yml")):
        return document_from_yaml(data)
    raise ValidationError(_("Berkas kerangka harus .yaml/.yml atau .xlsx."))
