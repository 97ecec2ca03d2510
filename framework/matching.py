"""Tolerant matching of legacy titles: offices write the same title in any case and spelling.

Two steps: a normalised key (case, accents, punctuation, "&" and spaces folded) makes
"PENDAMPING LANSIA", "Pendamping  Lansia." and "pendamping lansia" one title; rapidfuzz then
accepts small spelling slips ("Pendamping Lansi", "Konselor Adikasi") above a threshold. The
threshold is high on purpose: "Pendamping LU" and "Pendamping PD" differ by two letters and must
stay two titles (they score 85).
"""

import re
import unicodedata

from rapidfuzz import fuzz, process

MATCH_THRESHOLD = 90.0
SUGGEST_LIMIT = 3
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def title_key(title: str) -> str:
    text = unicodedata.normalize("NFKD", title or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = text.replace("&", " dan ")
    words = _NON_ALNUM.sub(" ", text).split()
    # Spelled-out abbreviations ("T.K.S.K", "P. D.") become one word ("tksk", "pd").
    out: list[str] = []
    run = False  # is the last word a run of single letters?
    for word in words:
        single = len(word) == 1 and word.isalpha()
        if single and run:
            out[-1] += word
        else:
            out.append(word)
        run = single or (run and single)
    return " ".join(out)


def _score(a: str, b: str, **_kwargs) -> float:
    # Word order slips ("Lansia Pendamping") count as the same title too.
    return max(fuzz.ratio(a, b), fuzz.token_sort_ratio(a, b))


def best_match(key: str, candidates: list[str]) -> tuple[str, float] | None:
    """The candidate key most similar to ``key`` if it passes the threshold."""
    if not key or not candidates:
        return None
    if key in candidates:
        return key, 100.0
    found = process.extractOne(key, candidates, scorer=_score, score_cutoff=MATCH_THRESHOLD)
    return (found[0], float(found[1])) if found else None


def suggestions(
    key: str, candidates: list[str], limit: int = SUGGEST_LIMIT
) -> list[tuple[str, float]]:
    """The most similar candidate keys, whatever their score, for an administrator to pick from."""
    if not key or not candidates:
        return []
    found = process.extract(key, candidates, scorer=fuzz.WRatio, limit=limit)
    return [(match, round(float(score), 1)) for match, score, _ in found]
