"""Reads for the import pages: whose imports a user sees, and the preview of an uploaded file."""

from __future__ import annotations

import copy
import uuid
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from accounts import access
from accounts.models import User
from imports.columns import FIELDS, SheetMapping, column_letter
from imports.layout import SKIP_LABELS, not_data_sheet, sheet_read
from imports.models import ImportRun, MappingProfile
from imports.parsing import text
from imports.reading import FileReadError, Sheet, file_open
from imports.regions import HOW_LABELS, region_index
from imports.validation import SheetInput, rows_validate, standardise
from registry.nik import mask_in_text, mask_nik

PREVIEW_HEAD = 15
PREVIEW_ROWS = 10


def import_runs_visible(user: User) -> QuerySet[ImportRun]:
    """An operator sees their own imports; auditors and national admins see all."""
    qs = ImportRun.objects.select_related("programme", "operator", "job")
    if access.can_browse_audit(user):
        return qs
    if not access.can_write(user):
        return qs.none()
    return qs.filter(operator=user)


def import_run_get(user: User, uid: uuid.UUID) -> ImportRun:
    run = import_runs_visible(user).filter(uid=uid).first()
    if run is None:
        raise Http404("Impor tidak ditemukan.")
    return run


def sees_uploaded_data(user: User) -> bool:
    """An import's preview, issues, changes, endings and report are the file as uploaded: NIKs,
    names and phones in full, for those who see full NIKs and contacts in the registry."""
    return access.sees_nik(user) and access.sees_contact(user)


def import_run_shown(user: User, run: ImportRun) -> ImportRun:
    """The run as this user may see it: a copy without the uploaded rows (preview, issue values)
    and with masked NIKs for anyone who does not see full NIKs (an auditor reviewing another
    operator's import). Not to be saved."""
    if sees_uploaded_data(user):
        return run
    shown = copy.copy(run)
    shown.preview = []
    # The messages quote values too (the registry's stored phone or e-mail in a conflict, the
    # NIK of another row): masked as the pages mask them for this reader.
    nik, contact = not access.sees_nik(user), not access.sees_contact(user)
    shown.issues = [
        {
            **issue,
            "value": "",
            "message": mask_in_text(issue.get("message") or "", nik=nik, contact=contact),
            "fix": mask_in_text(issue.get("fix") or "", nik=nik, contact=contact),
        }
        for issue in run.issues
    ]
    shown.message = mask_in_text(run.message, nik=nik, contact=contact)
    shown.changes = [{**item, "nik": mask_nik(item.get("nik") or "")} for item in run.changes]
    shown.ending = [{**item, "nik": mask_nik(item.get("nik") or "")} for item in run.ending]
    return shown


def mapping_profiles() -> QuerySet[MappingProfile]:
    return MappingProfile.objects.order_by("name")


def preview_build(
    run: ImportRun, *, user: User, sheets: list[Sheet] | None = None
) -> list[dict[str, Any]]:
    """Each sheet: its first rows, the header and mapping in use, and the first data rows as the
    importer will read them (parsed and checked, nothing written). JSON-ready, so that the
    service can keep it on the run: reading a large workbook takes seconds."""
    if sheets is None:
        try:
            sheets = file_open(Path(run.file.path), name=run.file_name)
        except (FileReadError, ValueError, OSError) as exc:
            return [{"name": "-", "error": str(exc)}]
    previews = []
    for sheet in sheets:
        mapping = SheetMapping.from_json(run.mapping.get(sheet.name) or {})
        width = max((len(r) for r in sheet.head), default=0)
        header = sheet.head[mapping.header_row - 1] if mapping.found else []
        preview: dict[str, Any] = {
            "name": sheet.name,
            "error": "",
            "head": [
                [i + 1, [_cell(v) for v in row] + [""] * (width - len(row))]
                for i, row in enumerate(sheet.head[:PREVIEW_HEAD])
            ],
            "mapping": {
                **mapping.as_json(),
                "found": mapping.found,
                "missing_required": mapping.missing_required,
            },
            "columns": [
                [
                    c,
                    f"{column_letter(c)}: {_cell(header[c]) if c < len(header) else ''}".rstrip(
                        ": "
                    ),
                ]
                for c in range(width)
            ],
            "fields": [
                {
                    "key": f.key,
                    "label": f.label,
                    "required": f.required,
                    "column": mapping.columns.get(f.key),
                }
                for f in FIELDS
            ],
            "rows": [],
            "issues": [],
        }
        preview["not_data"] = not_data_sheet(sheet)
        preview["layout"] = []
        preview["resolutions"] = []
        if mapping.found and not mapping.missing_required and not preview["not_data"]:
            frame, preview["layout"] = sheet_read(sheet, mapping, limit=PREVIEW_ROWS)
            checked = rows_validate(
                frame=standardise([SheetInput(run.file_name, sheet.name, mapping, frame)]),
                actor=user,
                programme=run.programme,
                regions=region_index(),
            )
            preview["rows"] = _jsonable(
                checked.sources.join(checked.rows, on="src", how="left").sort("src").to_dicts()
            )
            preview["issues"] = _jsonable(
                checked.issues.join(checked.sources, on="src").sort("src").to_dicts()
            )
            preview["resolutions"] = checked.resolutions
        previews.append(preview)
    return previews


def _jsonable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()} for row in rows
    ]


def _cell(value: object) -> str:
    return text(value)


def import_run_conclusions(run: ImportRun) -> list[dict[str, Any]]:
    """What the last run of an import concluded rather than read as written, per sheet, for the
    run page: the rows skipped by reason, the layout (merged cells, block and province headers,
    values written once, month columns, sheets left out) and each regency read through an
    abbreviation, an old name, a typo or a province from before a split."""
    out = []
    for sheet in run.sheets or []:
        skipped = [
            {"label": SKIP_LABELS.get(reason, reason), "count": n}
            for reason, n in (sheet.get("skipped") or {}).items()
        ]
        resolutions = [
            {**r, "how_label": ", ".join(str(HOW_LABELS.get(h, h)) for h in r["how"].split(","))}
            for r in sheet.get("resolutions") or []
        ]
        layout = sheet.get("layout") or []
        if skipped or resolutions or layout:
            out.append(
                {
                    "name": sheet["name"],
                    "skipped": skipped,
                    "layout": layout,
                    "resolutions": resolutions,
                }
            )
    return out
