"""Every region at one level with its figures, and the remainder rows that make children add up."""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from distribution.models import RegionLevel, StaffingStandard
from distribution.selectors.figures import Figures, RegionRow, figures_of, merge, required_for
from distribution.selectors.scope import (
    EPS,
    LEVEL_LABEL,
    NATION,
    PARENT_LEVEL,
    RANK,
    REMAINDER_LABEL,
    RegionRef,
    Scope,
    current_standards,
    home_region,
    programmes_in,
)
from distribution.selectors.sources import actual_counts, need_and_population, region_names
from registry.models import Programme


def level_rows(
    *,
    scope: Scope,
    level: str,
    within: RegionRef | None = None,
    programmes: list[Programme] | None = None,
    standards: dict[int, StaffingStandard] | None = None,
) -> list[RegionRow]:
    """Every region at ``level`` inside ``within`` (default: the scope's home), with remainders.

    Steps:
    1. Active engagements grouped by region and cluster (engagements without a region at
       this level fall to their parent's remainder).
    2. Need and population from the precomputed aggregates (villages: from the figures).
    3. Required from the standards in force.
    4. Per parent, remainder = parent − Σ children, kept only when it is not zero.
    """
    within = within or home_region(scope)
    programmes = programmes if programmes is not None else programmes_in(scope)
    standards = standards if standards is not None else current_standards()
    ids = [p.pk for p in programmes]
    if level == NATION:
        if within.level != NATION:
            raise ValidationError(
                gettext("Tingkat nasional berada di atas cakupan Anda (%(region)s).")
                % {"region": within.name}
            )
        rows = level_rows(
            scope=scope,
            level=RegionLevel.PROVINCE,
            within=within,
            programmes=programmes,
            standards=standards,
        )
        nation = RegionRow(level=NATION, code="", name="Indonesia", population=None)
        for row in rows:
            merge(nation, row)
        return [nation]
    if RANK[level] < RANK[within.level]:
        raise ValidationError(
            gettext(
                "Tingkat %(level)s berada di atas cakupan Anda (%(region)s); pilih tingkat "
                "%(home)s atau di bawahnya."
            )
            % {
                "level": str(LEVEL_LABEL[level]).lower(),
                "region": within.name,
                "home": str(LEVEL_LABEL[within.level]).lower(),
            }
        )
    if level == RegionLevel.VILLAGE and within.level != RegionLevel.DISTRICT:
        raise ValidationError(gettext("Rincian desa/kelurahan hanya tersedia per kecamatan."))

    names = region_names(level, within)
    actual = actual_counts(scope, level, within, ids)
    need, population = need_and_population(level, within, ids)
    rows: dict[str, RegionRow] = {
        code: RegionRow(level=level, code=code, name=name, population=population.get(code))
        for code, name in names.items()
    }
    for code, row in rows.items():
        for programme_id in ids:
            n, districts, regencies = need.get((code, programme_id), (0, 0, 0))
            row.cells[programme_id] = figures_of(
                standards.get(programme_id),
                level=level,
                need=n,
                districts=districts,
                regencies=regencies,
                actual=0,
                population=row.population,
            )
    remainder_actual: dict[tuple[str, int], int] = defaultdict(int)
    for (code, parent, programme_id), n in actual.items():
        if code is None:
            if parent is not None:
                remainder_actual[(parent, programme_id)] += n
            continue
        row = rows.get(code)
        if row is not None:
            row.cells[programme_id].actual += n
            if programme_id in standards:
                row.cells[programme_id].actual_standard += n

    out = list(rows.values())
    if level in (RegionLevel.DISTRICT, RegionLevel.VILLAGE):
        out = _with_remainders(out, level, within, ids, standards, remainder_actual)
    return out


def _with_remainders(rows, level, within, ids, standards, remainder_actual) -> list[RegionRow]:
    """Add, after each parent's children, the part of the parent no child holds."""
    parent_level = PARENT_LEVEL[level]
    parent_need, parent_population = need_and_population(parent_level, within, ids)
    parent_names = region_names(parent_level, within)
    children: dict[str, list[RegionRow]] = defaultdict(list)
    for row in rows:
        children[row.code[:5] if level == RegionLevel.DISTRICT else row.code[:8]].append(row)
    out: list[RegionRow] = []
    for parent_code, parent_name in parent_names.items():
        kids = children.get(parent_code, [])
        out.extend(kids)
        pop_parent = parent_population.get(parent_code)
        pop_kids = sum(k.population or 0 for k in kids)
        rest = RegionRow(
            level=level,
            code=parent_code,
            name=f"{parent_name} — {REMAINDER_LABEL[level]}",
            is_remainder=True,
            population=(pop_parent - pop_kids) if pop_parent is not None else None,
        )
        keep = bool(rest.population)
        for programme_id in ids:
            n, districts, regencies = parent_need.get((parent_code, programme_id), (0, 0, 0))
            standard = standards.get(programme_id)
            parent_required = required_for(
                standard, level=parent_level, need=n, districts=districts, regencies=regencies
            )
            kid_need = sum(k.cells[programme_id].need for k in kids)
            kid_required = sum(k.cells[programme_id].required or 0 for k in kids)
            actual = remainder_actual.get((parent_code, programme_id), 0)
            cell = Figures(
                need=n - kid_need,
                actual=actual,
                actual_standard=actual if standard is not None else 0,
                required=None if parent_required is None else parent_required - kid_required,
                population=rest.population,
            )
            if cell.required is not None and abs(cell.required) < EPS:
                cell.required = 0.0
            rest.cells[programme_id] = cell
            keep = keep or bool(cell.need or cell.actual or (cell.required or 0) > EPS)
        if keep:
            out.append(rest)
    return out
