"""Finding regions by the names operators know ("Kab. Bandung", "cileunyi") or by a typed code.

Names repeat across levels and provinces ("Bandung" is a regency, a city and several
villages), so a search returns ranked candidates with their parent context, and resolving a
typed value to one region (``region_resolve``) reports an ambiguity instead of guessing.

Matching runs on ``search_name``, the name folded by ``fold`` (lower case, no accents or
punctuation) and indexed: an exact or prefix match uses the index; a word or substring match
scans one level's names (at most 83,000 villages), with a bounded result.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Length

from accounts.access import region_scope_prefix
from accounts.models import User
from regions.codes import LEVEL_LABELS
from regions.models import District, Province, Regency, Village

LEVELS = ("province", "regency", "district", "village")
MODELS = {"province": Province, "regency": Regency, "district": District, "village": Village}
# The parent chain each level reads for its context line.
PARENTS = {
    "province": (),
    "regency": ("province",),
    "district": ("regency", "regency__province"),
    "village": ("district", "district__regency", "district__regency__province"),
}
LIMIT = 20
MIN_LENGTH = 2
# Abbreviations offices write for the regency prefixes ("Kab. Bandung", "Kab Bandung").
ABBREVIATIONS = {"kab": "kabupaten", "kabupaten": "kabupaten", "kota": "kota", "kot": "kota"}
TYPE_WORDS = {"kabupaten", "kota"}
CODE = re.compile(r"^\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?$")
UNDOTTED_CODE = re.compile(r"^(\d{2})(\d{2})?(\d{2})?(\d{4})?$")


def fold(text: str) -> str:
    """Lower case, accents and apostrophes removed, other punctuation as spaces, one space."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’`]", "", text.lower())
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _query_forms(query: str) -> list[str]:
    """The folded query, and the forms a regency name takes ("kab bandung" -> "kabupaten
    bandung"; "bandung" -> also "kabupaten bandung", "kota bandung")."""
    folded = fold(query)
    words = folded.split()
    if not words:
        return []
    if words[0] in ABBREVIATIONS and len(words) > 1:
        return [" ".join([ABBREVIATIONS[words[0]], *words[1:]])]
    return [folded, f"kabupaten {folded}", f"kota {folded}"]


def typed_code(query: str) -> str | None:
    """A region code as typed: dotted ("32.04.05") or run together ("320405")."""
    text = (query or "").strip()
    if CODE.match(text):
        return text
    match = UNDOTTED_CODE.match(text)
    if match and all(match.groups()[: len([g for g in match.groups() if g])]):
        return ".".join(g for g in match.groups() if g)
    return None


@dataclass(frozen=True)
class RegionHit:
    code: str
    name: str
    level: str
    context: str  # "Kab. Bandung, Jawa Barat"
    # 0 exact name or code, 1 name prefix, 2 a word's prefix, 3 inside the name.
    rank: int = 0

    @property
    def label(self) -> str:
        return f"{self.name} — {self.context}" if self.context else self.name

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level])


def short_name(name: str) -> str:
    """ "Kabupaten Bandung" -> "Kab. Bandung" (the form used in context lines)."""
    return "Kab. " + name[len("Kabupaten ") :] if name.startswith("Kabupaten ") else name


def _hit(level: str, region, rank: int = 0) -> RegionHit:
    parents = []
    node = region
    for attr in ("district", "regency", "province"):
        parent = getattr(node, attr, None) if hasattr(type(node), attr) else None
        if parent is not None:
            parents.append(short_name(parent.name))
            node = parent
    return RegionHit(
        code=region.code,
        name=short_name(region.name),
        level=level,
        context=", ".join(parents),
        rank=rank,
    )


def region_hit(region) -> RegionHit:
    """The display form of one region object."""
    level = next(level for level, model in MODELS.items() if isinstance(region, model))
    return _hit(level, region)


def _inside(code: str, area: str) -> bool:
    return not area or code == area or code.startswith(area + ".")


def _narrowest(scope: str | None, within: str) -> str | None:
    """The smaller of two areas when one holds the other; None when they do not meet."""
    if scope is None:
        return None
    if _inside(within, scope):
        return within
    if _inside(scope, within):
        return scope
    return None


def _within_filter(prefix: str) -> Q:
    """Regions inside the area with code ``prefix`` (the area itself included)."""
    if not prefix:
        return Q()
    return Q(code=prefix) | Q(code__startswith=prefix + ".")


def regions_matching(
    query: str,
    *,
    level: str | tuple[str, ...] | None = None,
    within: str | None = None,
    user: User | None = None,
    limit: int = LIMIT,
) -> list[RegionHit]:
    """Regions whose name or code matches ``query``, best first, at most ``limit``.

    1. A typed code (``32.04.05`` or ``320405``) is looked up as a code.
    2. Otherwise each level is searched on the folded name and every hit ranked: exact name
       (also "Bandung" for "Kabupaten/Kota Bandung"), then name prefix, then a word of the name
       starting with the query, then anywhere inside it; shorter names first, then by level
       (province before village) and code.
    ``within`` narrows to one area's code; ``user`` narrows to the user's scope.
    """
    prefix = _narrowest(region_scope_prefix(user), within or "")
    if prefix is None:
        return []
    levels = _levels(level)
    code = typed_code(query)
    forms = [] if code else _query_forms(query)
    if not code and (not forms or len(forms[0]) < MIN_LENGTH):
        return []
    scored: list[tuple[tuple, RegionHit]] = []
    for index, name in enumerate(levels):
        model = MODELS[name]
        qs = model.objects.filter(_within_filter(prefix)).select_related(*PARENTS[name])
        if code:
            rows = [(0, region) for region in qs.filter(code=code)]
        else:
            rows = _ranked(qs, forms, limit)
        for rank, region in rows:
            key = (rank, len(short_name(region.name)), index, region.code)
            scored.append((key, _hit(name, region, rank)))
    scored.sort(key=lambda pair: pair[0])
    return [hit for _, hit in scored[:limit]]


def _ranked(qs, forms: list[str], limit: int) -> list[tuple[int, object]]:
    folded = forms[0]
    exact = Q(search_name__in=forms)
    prefix = Q()
    for form in forms:
        prefix |= Q(search_name__startswith=form)
    word = Q(search_name__contains=" " + folded)
    rank = Case(
        When(exact, then=Value(0)),
        When(prefix, then=Value(1)),
        When(word, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    matches = qs.filter(prefix | word | Q(search_name__contains=folded))
    rows = matches.annotate(rank=rank).order_by("rank", Length("name"), "code")[:limit]
    return [(row.rank, row) for row in rows]


@dataclass(frozen=True)
class Resolved:
    """The outcome of resolving a typed value: one region, or why not."""

    hit: RegionHit | None
    candidates: tuple[RegionHit, ...] = ()


def region_resolve(
    value: str,
    *,
    level: str | tuple[str, ...] | None = None,
    within: str | None = None,
    user: User | None = None,
) -> Resolved:
    """The one region a typed name or code means, or the candidates when it is ambiguous.

    A code resolves directly. A name resolves when exactly one region has that name (folded,
    "Bandung" also matching "Kabupaten/Kota Bandung"); or, failing an exact name, when the
    search finds exactly one region. No candidates means unknown.
    """
    hits = regions_matching(value, level=level, within=within, user=user, limit=LIMIT)
    if typed_code(value):
        return Resolved(hits[0] if hits else None, tuple(hits))
    exact = [h for h in hits if h.rank == 0]
    if len(exact) == 1:
        return Resolved(exact[0], tuple(exact))
    if exact:
        return Resolved(None, tuple(exact))
    if len(hits) == 1:
        return Resolved(hits[0], tuple(hits))
    return Resolved(None, tuple(hits))


def _levels(level: str | tuple[str, ...] | None) -> list[str]:
    if not level:
        return list(LEVELS)
    return [level] if isinstance(level, str) else [name for name in LEVELS if name in level]


def region_get(code: str, *, level: str | tuple[str, ...] | None = None):
    """The region object with this code at this level (or levels; None: any), else None."""
    for name in _levels(level):
        region = MODELS[name].objects.filter(code=code).first()
        if region is not None:
            return region
    return None
