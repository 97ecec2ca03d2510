"""Which rule places an engagement, and why: the harmonisation decision for one set of facts.

The decision for a set of facts is pure (no database): harmonisation resolves it once per
distinct combination of facts (there are few) and applies the answers in bulk.

1. The title as written is recognised: the titled rules in scope (the engagement's cluster or
   programme, or any) whose normalised title matches exactly, else the most similar one above
   the threshold (framework.matching). No recognised title: the engagement is unmatched and
   listed for an administrator, with the most similar known titles suggested.
2. The candidates are the recognised title's rules plus the placement rules in scope (blank
   title), effective on the date of harmonisation.
3. The candidates whose conditions hold (minimum education, years of service, certified units)
   compete: the highest priority wins, then the higher level, then the more specific rule.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import translation

from framework.matching import best_match, suggestions, title_key
from framework.models import EDUCATION_RANK, FrameworkVersion, NomenclatureRule
from registry.models import ROMAN, Education

STATUS_MATCHED = "cocok"
STATUS_UNMATCHED = "tidak_cocok"
EDUCATION_LABELS = dict(Education.choices)


@dataclass(frozen=True)
class Facts:
    legacy_title: str
    programme: str  # slug
    education: str = ""  # registry.models.Education value, "" when unknown
    years: int | None = None  # full years of service, None when unknown
    unit_codes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RuleData:
    id: int
    legacy_title: str
    title_key: str
    scope: str
    min_education: str
    min_years: int | None
    min_certified_units: int | None
    required_codes: frozenset[str]
    level: int
    unified_title: str
    legal_basis: str
    effective_date: dt.date
    priority: int
    label: str

    def holds(self, facts: Facts) -> bool:
        if self.min_education and EDUCATION_RANK.get(facts.education, -1) < EDUCATION_RANK.get(
            self.min_education, 99
        ):
            return False
        if self.min_years is not None and (facts.years or 0) < self.min_years:
            return False
        if (
            self.min_certified_units is not None
            and len(facts.unit_codes) < self.min_certified_units
        ):
            return False
        return self.required_codes <= facts.unit_codes

    @property
    def specificity(self) -> int:
        return sum(
            [
                bool(self.title_key),
                bool(self.scope),
                bool(self.min_education),
                self.min_years is not None,
                self.min_certified_units is not None,
                bool(self.required_codes),
            ]
        )


@dataclass
class Outcome:
    level: int | None
    unified_title: str
    harmonisation: dict[str, Any]
    stamp: dict[str, Any] = field(default_factory=dict)
    suggestions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.level is not None


class RuleSet:
    """The rules of one framework version, ready to resolve many facts quickly."""

    def __init__(self, version: FrameworkVersion, programme_names: dict[str, str] | None = None):
        self.version = version
        self.programme_names = programme_names or {}
        rules = (
            NomenclatureRule.objects.filter(version=version)
            .select_related("level")
            .prefetch_related("required_units")
            .order_by("id")
        )
        self.rules: list[RuleData] = []
        for rule in rules:
            rule._required_codes = sorted(u.code for u in rule.required_units.all())
            self.rules.append(
                RuleData(
                    id=rule.pk,
                    legacy_title=rule.legacy_title,
                    title_key=rule.title_key,
                    scope=rule.scope,
                    min_education=rule.min_education,
                    min_years=rule.min_years,
                    min_certified_units=rule.min_certified_units,
                    required_codes=frozenset(rule._required_codes),
                    level=rule.level.number,
                    unified_title=rule.title_for_level,
                    legal_basis=rule.legal_basis,
                    effective_date=rule.effective_date,
                    priority=rule.priority,
                    label=rule.label,
                )
            )
        self.known_titles = sorted({r.title_key for r in self.rules if r.title_key})
        self._display = {}
        for r in self.rules:
            if r.title_key:
                self._display.setdefault(r.title_key, r.legacy_title)
        self._recognised: dict[tuple[str, str], tuple[str, float] | None] = {}
        self._in_scope: dict[str, list[RuleData]] = {}

    def thresholds(self) -> list[int]:
        """The years-of-service values any rule tests (facts only matter up to these)."""
        return sorted({r.min_years for r in self.rules if r.min_years is not None})

    def in_scope(self, programme: str) -> list[RuleData]:
        if programme not in self._in_scope:
            self._in_scope[programme] = [r for r in self.rules if r.scope in ("", programme)]
        return self._in_scope[programme]

    def recognise(self, legacy_title: str, programme: str) -> tuple[str, float] | None:
        """The known title (normalised) this title as written is taken for, with its score."""
        key = title_key(legacy_title)
        cache_key = (key, programme)
        if cache_key not in self._recognised:
            keys = sorted({r.title_key for r in self.in_scope(programme) if r.title_key})
            self._recognised[cache_key] = best_match(key, keys)
        return self._recognised[cache_key]

    def suggest(self, legacy_title: str) -> list[dict[str, Any]]:
        """Most similar known titles in any scope, for mapping an unmatched title."""
        out = []
        for key, score in suggestions(title_key(legacy_title), self.known_titles):
            scopes = sorted({r.scope or "semua" for r in self.rules if r.title_key == key})
            out.append({"title": self._display[key], "score": score, "scopes": scopes})
        return out

    def resolve(self, facts: Facts, *, as_of: dt.date) -> Outcome:
        # What the explanation says is compared between runs; the stamp (which version and
        # rule row produced it) is stored with it but does not by itself make a change: a
        # placement a new version confirms keeps the version that established it.
        version = {"example": self.version.is_example}
        stamp = {"version": self.version.name, "version_id": self.version.pk}
        fact_dict = {
            "legacy_title": facts.legacy_title,
            "cluster": facts.programme,
            "education": facts.education,
            "years_of_service": facts.years,
            "certified_units": sorted(facts.unit_codes),
        }
        cluster = self.programme_names.get(facts.programme, facts.programme)
        recognised = self.recognise(facts.legacy_title, facts.programme)
        if recognised is None:
            suggested = self.suggest(facts.legacy_title)
            hint = ", ".join(f"«{s['title']}»" for s in suggested)
            return Outcome(
                level=None,
                unified_title="",
                harmonisation={
                    "status": STATUS_UNMATCHED,
                    **version,
                    "facts": fact_dict,
                    "explanation": (
                        f"Jabatan «{facts.legacy_title}» di {cluster} belum dikenali oleh aturan "
                        f"nomenklatur mana pun; menunggu pemetaan administrator."
                        + (f" Jabatan yang mirip: {hint}." if hint else "")
                    ),
                    "suggestions": suggested,
                },
                stamp=stamp,
                suggestions=suggested,
            )
        key, score = recognised
        candidates = [
            r
            for r in self.in_scope(facts.programme)
            if r.title_key in ("", key) and r.effective_date <= as_of
        ]
        holding = [r for r in candidates if r.holds(facts)]
        facts_text = self._facts_text(facts)
        if not holding:
            return Outcome(
                level=None,
                unified_title="",
                harmonisation={
                    "status": STATUS_UNMATCHED,
                    **version,
                    "facts": fact_dict,
                    "recognised_title": self._display[key],
                    "explanation": (
                        f"Jabatan «{facts.legacy_title}» dikenali sebagai «{self._display[key]}», "
                        f"tetapi tidak ada aturan yang berlaku dan syaratnya terpenuhi "
                        f"({facts_text})."
                    ),
                },
                stamp=stamp,
            )
        rule = max(holding, key=lambda r: (r.priority, r.level, r.specificity, -r.id))
        how = "cocok persis" if score >= 100 else f"kemiripan {score:.0f}%"
        legal = rule.legal_basis
        if self.version.is_example and "contoh" not in legal.lower():
            legal += " (contoh, bukan peraturan resmi)"
        # The rule and legal basis are stored (and shown) beside the explanation, so the
        # sentence carries only what they do not: what was recognised, on which facts. It is
        # kept short because it is stored on every engagement.
        explanation = (
            f"«{facts.legacy_title}» ({facts.programme}) dikenali sebagai «{self._display[key]}» "
            f"({how}); {facts_text} → jenjang {ROMAN[rule.level]}."
        )
        return Outcome(
            level=rule.level,
            unified_title=rule.unified_title,
            harmonisation={
                "status": STATUS_MATCHED,
                **version,
                "rule": rule.label,
                "recognised_title": self._display[key],
                "match_score": round(score, 1),
                "facts": fact_dict,
                "legal_basis": legal,
                "explanation": explanation,
            },
            stamp={**stamp, "rule_id": rule.id},
        )

    @staticmethod
    def _facts_text(facts: Facts) -> str:
        # Stored on the engagement: in the site's language, whoever triggers the harmonisation.
        with translation.override(settings.LANGUAGE_CODE):
            education = str(EDUCATION_LABELS.get(facts.education, "tidak tercatat"))
        years = "tidak diketahui" if facts.years is None else f"{facts.years} tahun"
        units = len(facts.unit_codes)
        return f"pendidikan {education}, masa kerja {years}, {units} unit bersertifikat"
