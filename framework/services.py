"""Writes to the framework: importing versions, their lifecycle and editing drafts.

Lifecycle: draft → agreed → in force → superseded. Only drafts are edited; an agreed or
in-force version is the record of what was agreed and stays as it is (history is kept). Putting
a version in force re-harmonises every engagement (framework.harmonize.framework_version_activate).
Every write is for national administrators (framework.access) and audited.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEntry, User
from accounts.services import audit_diff, audit_record, audit_snapshot
from framework import interchange
from framework.access import can_manage_framework
from framework.matching import title_key
from framework.models import CompetencyUnit, FrameworkVersion, Level, NomenclatureRule
from registry.models import Programme

DATA_DIR = Path(__file__).resolve().parent / "data"
STARTER_FILE = DATA_DIR / "kerangka-contoh.yaml"
RULE_FIELDS = [
    "legacy_title",
    "scope",
    "min_education",
    "min_years",
    "min_certified_units",
    "level_id",
    "unified_title",
    "regulation",
    "regulation_number",
    "article",
    "effective_date",
    "priority",
    "notes",
]


def _require_manager(actor: User) -> None:
    if not can_manage_framework(actor):
        raise PermissionDenied(_("Hanya administrator nasional yang boleh mengubah kerangka."))


def _require_draft(version: FrameworkVersion) -> None:
    if not version.is_editable:
        raise ValidationError(
            _(
                "Versi «%(name)s» berstatus %(status)s dan tidak dapat diubah; salin menjadi draf "
                "baru."
            )
            % {"name": version.name, "status": version.get_status_display().lower()}
        )


def _programme_slugs() -> set[str]:
    return set(Programme.objects.values_list("slug", flat=True))


@transaction.atomic
def framework_version_import(
    *,
    actor: User,
    document: dict[str, Any],
    source: str = "",
    name: str | None = None,
) -> FrameworkVersion:
    """Create a draft version from a framework document (framework.interchange)."""
    _require_manager(actor)
    document = interchange.document_normalise(document)
    if name:
        document["version"]["name"] = name.strip()
    interchange.document_check(document, programmes=_programme_slugs())
    meta = document["version"]
    if FrameworkVersion.objects.filter(name=meta["name"]).exists():
        raise ValidationError(
            {"name": _("Versi bernama «%(name)s» sudah ada.") % {"name": meta["name"]}}
        )
    version = FrameworkVersion.objects.create(
        name=meta["name"],
        is_example=meta["is_example"],
        notes=meta["notes"],
        source=source[:200],
        created_by=actor if actor.pk else None,
    )
    interchange.document_store(document, version=version)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=version,
        changes={
            "levels": len(document["levels"]),
            "units": len(document["units"]),
            "packages": len(document["packages"]),
            "rules": len(document["rules"]),
            "example": meta["is_example"],
        },
        note=source,
    )
    return version


def framework_version_import_file(
    *, actor: User, filename: str, data: bytes, name: str | None = None
) -> FrameworkVersion:
    document = interchange.document_from_file(filename, data)
    return framework_version_import(actor=actor, document=document, source=filename, name=name)


@transaction.atomic
def framework_version_copy(
    *, actor: User, version: FrameworkVersion, name: str
) -> FrameworkVersion:
    """A new draft with the same content, to edit towards the next agreed version."""
    _require_manager(actor)
    document = interchange.framework_document(version)
    document["version"]["notes"] = (
        f"Disalin dari «{version.name}». " + document["version"]["notes"]
    ).strip()
    return framework_version_import(
        actor=actor, document=document, source=f"salinan dari versi {version.pk}", name=name
    )


@transaction.atomic
def framework_version_agree(
    *, actor: User, version: FrameworkVersion, note: str = ""
) -> FrameworkVersion:
    """Record that a draft was agreed (by Bappenas and the ministries); it is frozen from now."""
    _require_manager(actor)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.DRAFT:
        raise ValidationError(_("Hanya draf yang dapat disepakati."))
    if not version.rules.exists() or not version.levels.filter(number__range=(3, 9)).count() == 7:
        raise ValidationError(
            _("Versi perlu jenjang III-IX dan sedikitnya satu aturan nomenklatur.")
        )
    version.status = FrameworkVersion.Status.AGREED
    version.agreed_by, version.agreed_at = actor if actor.pk else None, timezone.now()
    if note:
        version.notes = f"{version.notes}\n{note}".strip()
    version.save(update_fields=["status", "agreed_by", "agreed_at", "notes"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=version,
        changes={"status": [FrameworkVersion.Status.DRAFT, version.status]},
        note=note,
    )
    return version


@transaction.atomic
def framework_version_delete(*, actor: User, version: FrameworkVersion) -> None:
    _require_manager(actor)
    _require_draft(version)
    audit_record(
        actor=actor, action=AuditEntry.Action.DELETE, obj=version, changes={"name": version.name}
    )
    version.rules.all().delete()
    version.packages.all().delete()
    version.delete()


def framework_version_set_in_force(
    *, actor: User, version: FrameworkVersion
) -> FrameworkVersion | None:
    """Switch the version in force (status only); returns the version it supersedes.

    Called by framework.harmonize.framework_version_activate inside its transaction, so the
    switch and the re-harmonisation commit together.
    """
    _require_manager(actor)
    version = FrameworkVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != FrameworkVersion.Status.AGREED:
        raise ValidationError(_("Hanya versi yang sudah disepakati yang dapat diberlakukan."))
    now = timezone.now()
    previous = (
        FrameworkVersion.objects.select_for_update()
        .filter(status=FrameworkVersion.Status.IN_FORCE)
        .first()
    )
    if previous is not None:
        previous.status, previous.superseded_at = FrameworkVersion.Status.SUPERSEDED, now
        previous.save(update_fields=["status", "superseded_at"])
    version.status = FrameworkVersion.Status.IN_FORCE
    version.activated_by, version.activated_at = actor if actor.pk else None, now
    version.save(update_fields=["status", "activated_by", "activated_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=version,
        changes={
            "status": [FrameworkVersion.Status.AGREED, version.status],
            "superseded": previous.name if previous else None,
        },
    )
    return previous


def _rule_clean(version: FrameworkVersion, data: dict[str, Any]) -> None:
    errors = {}
    if data.get("scope") and data["scope"] not in _programme_slugs():
        errors["scope"] = _("Klaster/program '%(programme)s' tidak dikenal.") % {
            "programme": data["scope"]
        }
    level_id = data.get("level_id")
    if not level_id or not Level.objects.filter(pk=level_id, version=version).exists():
        errors["level"] = _("Pilih jenjang dari versi ini.")
    if not data.get("regulation") or not data.get("regulation_number"):
        errors["regulation"] = _("Dasar hukum (peraturan dan nomor) wajib diisi.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def nomenclature_rule_create(
    *,
    actor: User,
    version: FrameworkVersion,
    level: Level,
    legacy_title: str,
    regulation: str,
    regulation_number: str,
    effective_date: dt.date,
    scope: str = "",
    article: str = "",
    min_education: str = "",
    min_years: int | None = None,
    min_certified_units: int | None = None,
    required_units: list[CompetencyUnit] | None = None,
    unified_title: str = "",
    priority: int = 0,
    notes: str = "",
) -> NomenclatureRule:
    _require_manager(actor)
    _require_draft(version)
    data = {
        "legacy_title": legacy_title.strip(),
        "scope": scope,
        "min_education": min_education,
        "min_years": min_years,
        "min_certified_units": min_certified_units,
        "level_id": level.pk,
        "unified_title": unified_title.strip(),
        "regulation": regulation.strip(),
        "regulation_number": regulation_number.strip(),
        "article": article.strip(),
        "effective_date": effective_date,
        "priority": priority,
        "notes": notes,
    }
    _rule_clean(version, data)
    rule = NomenclatureRule(version=version, title_key=title_key(legacy_title), **data)
    rule.full_clean()
    rule.save()
    if required_units:
        if any(u.version_id != version.pk for u in required_units):
            raise ValidationError({"required_units": _("Unit harus dari versi yang sama.")})
        rule.required_units.set(required_units)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=rule,
        changes=audit_diff({}, audit_snapshot(rule, RULE_FIELDS)),
        note=f"versi {version.name}",
    )
    return rule


@transaction.atomic
def nomenclature_rule_update(
    *, actor: User, rule: NomenclatureRule, data: dict[str, Any]
) -> NomenclatureRule:
    _require_manager(actor)
    _require_draft(rule.version)
    before = audit_snapshot(rule, RULE_FIELDS)
    for key, value in data.items():
        if key in RULE_FIELDS:
            setattr(rule, key, value.strip() if isinstance(value, str) else value)
    _rule_clean(rule.version, audit_snapshot(rule, RULE_FIELDS))
    rule.title_key = title_key(rule.legacy_title)
    rule.full_clean()
    rule.save()
    if "required_units" in data:
        units = list(data["required_units"] or [])
        if any(u.version_id != rule.version_id for u in units):
            raise ValidationError({"required_units": _("Unit harus dari versi yang sama.")})
        rule.required_units.set(units)
    changes = audit_diff(before, audit_snapshot(rule, RULE_FIELDS))
    audit_record(actor=actor, action=AuditEntry.Action.UPDATE, obj=rule, changes=changes)
    return rule


@transaction.atomic
def nomenclature_rule_delete(*, actor: User, rule: NomenclatureRule) -> None:
    _require_manager(actor)
    _require_draft(rule.version)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=rule,
        changes=audit_snapshot(rule, RULE_FIELDS),
    )
    rule.delete()


def framework_draft_for_edit(*, actor: User) -> FrameworkVersion:
    """The newest draft, or a new draft copied from the version in force (quick mapping path)."""
    _require_manager(actor)
    draft = FrameworkVersion.objects.filter(status=FrameworkVersion.Status.DRAFT).first()
    if draft is not None:
        return draft
    base = FrameworkVersion.objects.filter(status=FrameworkVersion.Status.IN_FORCE).first()
    if base is None:
        raise ValidationError(_("Belum ada versi kerangka yang berlaku untuk disalin."))
    name = f"Draf dari {base.name} ({timezone.localdate():%d-%m-%Y})"
    n = 2
    while FrameworkVersion.objects.filter(name=name).exists():
        name = f"Draf dari {base.name} ({timezone.localdate():%d-%m-%Y}, {n})"
        n += 1
    return framework_version_copy(actor=actor, version=base, name=name)
