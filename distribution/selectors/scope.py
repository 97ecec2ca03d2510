"""Levels, the user's scope and region references: what a page may show, and where."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import access
from accounts.models import Role, User
from distribution.models import RegionLevel, StaffingStandard
from regions.models import District, Province, Regency, Village
from registry.models import Programme

NATION = "nasional"


NATION_CODE = "ID"  # ISO 3166 code of Indonesia: Kemendagri has no code for the nation


LEVELS = [
    NATION,
    RegionLevel.PROVINCE,
    RegionLevel.REGENCY,
    RegionLevel.DISTRICT,
    RegionLevel.VILLAGE,
]


RANK = {level: i for i, level in enumerate(LEVELS)}


CHILD = {LEVELS[i]: LEVELS[i + 1] for i in range(len(LEVELS) - 1)}


LEVEL_LABEL = {
    NATION: _("Nasional"),
    RegionLevel.PROVINCE: _("Provinsi"),
    RegionLevel.REGENCY: _("Kabupaten/kota"),
    RegionLevel.DISTRICT: _("Kecamatan"),
    RegionLevel.VILLAGE: _("Desa/kelurahan"),
}


REMAINDER_LABEL = {
    RegionLevel.DISTRICT: _("Tingkat kabupaten/kota (tanpa kecamatan)"),
    RegionLevel.VILLAGE: _("Tingkat kecamatan (tanpa desa/kelurahan)"),
}


MODELS = {
    RegionLevel.PROVINCE: Province,
    RegionLevel.REGENCY: Regency,
    RegionLevel.DISTRICT: District,
    RegionLevel.VILLAGE: Village,
}


ENGAGEMENT_FIELD = {
    RegionLevel.PROVINCE: "province_id",
    RegionLevel.REGENCY: "regency_id",
    RegionLevel.DISTRICT: "district_id",
    RegionLevel.VILLAGE: "village_id",
}


PARENT_FIELD = {
    RegionLevel.PROVINCE: None,
    RegionLevel.REGENCY: "province_id",
    RegionLevel.DISTRICT: "regency_id",
    RegionLevel.VILLAGE: "district_id",
}


PARENT_LEVEL = {
    RegionLevel.PROVINCE: NATION,
    RegionLevel.REGENCY: RegionLevel.PROVINCE,
    RegionLevel.DISTRICT: RegionLevel.REGENCY,
    RegionLevel.VILLAGE: RegionLevel.DISTRICT,
}


EPS = 1e-6


@dataclass(frozen=True)
class Scope:
    """What a user may see here: actual counts through accounts.access, need by region."""

    engagement_q: Q
    province: str | None
    regency: str | None
    programme_ids: frozenset[int] | None

    @property
    def home_code(self) -> str:
        return self.regency or self.province or ""

    def covers(self, code: str) -> bool:
        home = self.home_code
        return not home or code == home or code.startswith(home + ".")


def scope_for(user: User) -> Scope:
    """The user's distribution scope, or PermissionDenied.

    Actual counts use access.engagement_scope(user) unchanged. Need and population are
    aggregates of a region, so they follow the same region (province or regency) and
    clusters. A facilitator's scope is their own record, not an area, so aggregates of an
    area are not theirs to see.
    """
    q = access.engagement_scope(user)
    allowed = access.can_read(user) and user.role != Role.FACILITATOR and q != access.NOTHING
    if not allowed:
        raise PermissionDenied(gettext("Peran Anda tidak dapat melihat sebaran pendamping."))
    return Scope(
        engagement_q=q,
        province=user.scope_province_id or (user.scope_regency_id or "")[:2] or None,
        regency=user.scope_regency_id or None,
        programme_ids=access.programme_ids(user),
    )


def national_scope() -> Scope:
    """Everything, for jobs that compute on behalf of the system (snapshots, benchmarks)."""
    return Scope(engagement_q=Q(), province=None, regency=None, programme_ids=None)


def programmes_in(scope: Scope, cluster: str = "") -> list[Programme]:
    qs = Programme.objects.order_by("kind", "name")
    if scope.programme_ids is not None:
        qs = qs.filter(pk__in=scope.programme_ids)
    if cluster:
        qs = qs.filter(slug=cluster)
        if not qs.exists():
            raise Http404(gettext("Klaster/program tidak ditemukan."))
    return list(qs)


def current_standards() -> dict[int, StaffingStandard]:
    return {
        s.programme_id: s
        for s in StaffingStandard.objects.filter(is_current=True).select_related("programme")
    }


@dataclass(frozen=True)
class RegionRef:
    level: str
    code: str
    name: str
    parents: tuple["RegionRef", ...] = ()

    @property
    def child_level(self) -> str | None:
        return CHILD.get(self.level)

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABEL[self.level])

    @property
    def export_code(self) -> str:
        return self.code or NATION_CODE


def _level_of(code: str) -> str | None:
    return {2: RegionLevel.PROVINCE, 5: RegionLevel.REGENCY, 8: RegionLevel.DISTRICT}.get(len(code))


def region_get(scope: Scope, code: str) -> RegionRef:
    """The region with this code if inside the scope, else 404. ``""`` is the user's home
    region: the nation for national users."""
    code = (code or "").strip() or scope.home_code  # no code: the user's own region
    nation = RegionRef(NATION, "", "Indonesia")
    if not code:
        return nation
    level = _level_of(code)
    if level is None or not scope.covers(code):
        raise Http404(gettext("Wilayah tidak ditemukan."))
    parents = [nation]
    for length, parent_level in [(2, RegionLevel.PROVINCE), (5, RegionLevel.REGENCY)]:
        if len(code) > length:
            parent_code = code[:length]
            name = (
                MODELS[parent_level].objects.filter(pk=parent_code).values_list("name", flat=True)
            )
            if not name:
                raise Http404(gettext("Wilayah tidak ditemukan."))
            parents.append(RegionRef(parent_level, parent_code, name[0]))
    name = MODELS[level].objects.filter(pk=code).values_list("name", flat=True).first()
    if name is None:
        raise Http404(gettext("Wilayah tidak ditemukan."))
    # Breadcrumbs stop at the scope's home: a regency operator has no province page.
    visible = tuple(
        p for p in parents if scope.covers(p.code) or not p.code and not scope.home_code
    )
    return RegionRef(level, code, name, visible)


def home_region(scope: Scope) -> RegionRef:
    return region_get(scope, scope.home_code)
