"""Reads of the framework: the public catalogue, version comparison and unmatched titles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from framework.access import can_manage_framework, version_get, versions_visible
from framework.interchange import framework_document
from framework.models import CompetencyUnit, FrameworkVersion, Level, NomenclatureRule, Package
from framework.resolve import RuleSet
from registry.levels import engagement_title_counts
from registry.models import Programme


def catalogue_version(*, user: User | None, version_id: Any = None) -> FrameworkVersion | None:
    """The version asked for (if visible), else the one in force, else the newest visible."""
    if version_id and str(version_id).isdigit():
        return version_get(user, int(version_id))
    visible = versions_visible(user)
    return (
        visible.filter(status=FrameworkVersion.Status.IN_FORCE).first()
        or visible.exclude(status=FrameworkVersion.Status.DRAFT).first()
        or visible.first()
    )


def version_list(*, user: User | None) -> QuerySet[FrameworkVersion]:
    return versions_visible(user).select_related("agreed_by", "activated_by", "created_by")


def level_list(*, version: FrameworkVersion) -> QuerySet[Level]:
    return version.levels.prefetch_related(
        Prefetch("packages", queryset=Package.objects.order_by("kind", "code"))
    ).order_by("number")


def package_list(*, version: FrameworkVersion) -> QuerySet[Package]:
    units = CompetencyUnit.objects.order_by("code")
    return (
        version.packages.select_related("level")
        .prefetch_related(
            Prefetch("core_units", queryset=units), Prefetch("elective_units", queryset=units)
        )
        .order_by("level__number", "kind", "code")
    )


def unit_list(*, version: FrameworkVersion, q: str = "") -> QuerySet[CompetencyUnit]:
    qs = version.units.order_by("code")
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return qs


def unit_get(*, version: FrameworkVersion, code: str) -> CompetencyUnit:
    unit = (
        version.units.filter(code=code)
        .prefetch_related("core_of__level", "elective_of__level")
        .first()
    )
    if unit is None:
        raise Http404(_("Unit kompetensi tidak ditemukan."))
    return unit


def rule_list(*, version: FrameworkVersion, scope: str = "") -> QuerySet[NomenclatureRule]:
    qs = version.rules.select_related("level", "version").prefetch_related("required_units")
    if scope:
        qs = qs.filter(scope__in=["", scope])
    return qs.order_by("scope", "title_key", "-priority", "id")


def rule_get(*, user: User, pk: int) -> NomenclatureRule:
    rule = (
        NomenclatureRule.objects.select_related("version", "level")
        .filter(pk=pk, version__in=versions_visible(user))
        .first()
    )
    if rule is None:
        raise Http404(_("Aturan tidak ditemukan."))
    return rule


@dataclass
class UnmatchedTitle:
    legacy_title: str
    programme: Programme
    engagements: int
    suggestions: list[dict[str, Any]] = field(default_factory=list)


def unmatched_titles(*, user: User, version: FrameworkVersion) -> list[UnmatchedTitle]:
    """Titles in the registry that no rule of ``version`` recognises, most frequent first.

    Computed live against the version (not the stored results), so a draft can be checked
    before it is put in force.
    """
    if not can_manage_framework(user):
        return []
    programmes = Programme.objects.in_bulk()
    rules = RuleSet(version, {p.slug: p.name for p in programmes.values()})
    out = []
    for title, programme_id, count in engagement_title_counts():
        programme = programmes[programme_id]
        if rules.recognise(title, programme.slug) is None:
            out.append(UnmatchedTitle(title, programme, count, rules.suggest(title)))
    return sorted(out, key=lambda u: (-u.engagements, u.programme.slug, u.legacy_title))


@dataclass
class SectionDiff:
    name: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _rule_key(rule: dict[str, Any]) -> tuple:
    return (
        rule["legacy_title"].lower(),
        rule["scope"],
        rule["min_education"],
        rule["min_years"],
        rule["min_certified_units"],
        tuple(rule["required_units"]),
    )


def _rule_text(rule: dict[str, Any]) -> str:
    title = f"«{rule['legacy_title']}»" if rule["legacy_title"] else _("semua jabatan dikenali")
    cond = [
        _("pendidikan ≥ %(education)s") % {"education": rule["min_education"]}
        if rule["min_education"]
        else "",
        _("masa kerja ≥ %(years)s th") % {"years": rule["min_years"]}
        if rule["min_years"] is not None
        else "",
        _("≥ %(n)s unit") % {"n": rule["min_certified_units"]}
        if rule["min_certified_units"] is not None
        else "",
        _("unit %(codes)s") % {"codes": ", ".join(rule["required_units"])}
        if rule["required_units"]
        else "",
    ]
    text = _("%(title)s (%(scope)s) → jenjang %(level)s")
    if any(cond):
        text = _("%(title)s (%(scope)s) dengan %(conditions)s → jenjang %(level)s")
    return text % {
        "title": title,
        "scope": rule["scope"] or _("semua"),
        "conditions": ", ".join(c for c in cond if c),
        "level": rule["level"],
    }


def version_diff(*, old: FrameworkVersion, new: FrameworkVersion) -> list[SectionDiff]:
    """What differs between two versions, section by section, in words."""
    a, b = framework_document(old), framework_document(new)
    sections = []

    def keyed(kind: str, key: str, label) -> SectionDiff:
        diff = SectionDiff(kind)
        left = {item[key]: item for item in a[section_of[kind]]}
        right = {item[key]: item for item in b[section_of[kind]]}
        for k in sorted(right.keys() - left.keys(), key=str):
            diff.added.append(label(right[k]))
        for k in sorted(left.keys() - right.keys(), key=str):
            diff.removed.append(label(left[k]))
        for k in sorted(left.keys() & right.keys(), key=str):
            if left[k] != right[k]:
                fields = [f for f in right[k] if left[k].get(f) != right[k].get(f)]
                diff.changed.append(f"{label(right[k])}: {', '.join(fields)}")
        return diff

    levels, units, packages = _("Jenjang"), _("Unit kompetensi"), _("Paket")
    section_of = {levels: "levels", units: "units", packages: "packages"}
    sections.append(
        keyed(
            levels,
            "number",
            lambda x: _("Jenjang %(n)s %(title)s")
            % {"n": x["number"], "title": x["unified_title"]},
        )
    )
    sections.append(keyed(units, "code", lambda x: f"{x['code']} {x['title']}"))
    sections.append(keyed(packages, "code", lambda x: f"{x['code']} ({x['name']})"))
    rules = SectionDiff(_("Aturan nomenklatur"))
    left = {_rule_key(r): r for r in a["rules"]}
    right = {_rule_key(r): r for r in b["rules"]}
    for k in right.keys() - left.keys():
        rules.added.append(_rule_text(right[k]))
    for k in left.keys() - right.keys():
        rules.removed.append(_rule_text(left[k]))
    for k in left.keys() & right.keys():
        if left[k] != right[k]:
            fields = [f for f in right[k] if left[k].get(f) != right[k].get(f)]
            was = (
                " " + _("(sebelumnya jenjang %(level)s)") % {"level": left[k]["level"]}
                if "level" in fields
                else ""
            )
            rules.changed.append(f"{_rule_text(right[k])}{was}: {', '.join(fields)}")
    for items in (rules.added, rules.removed, rules.changed):
        items.sort()
    sections.append(rules)
    return sections
