"""Finding people by name or NIK, the same way on PostgreSQL and SQLite.

A name query is folded like ``name_key`` (accents, case, punctuation), honorifics and degrees are
dropped, and every remaining word must match a word of the name in any order: as a prefix
("SIT" finds SITI), or, for words of five letters or more, as the whole word with one typo
(one letter added, dropped, changed, or two neighbours swapped: "AMINHA" finds AMINAH).

Both databases answer from a word index over ``name_key`` with the same two operations, whole
word and word prefix, so they give the same answers (tests/registry/test_search.py holds them
to it): PostgreSQL a GIN full-text index (a stored ``to_tsvector('simple', name_key)``, no
extension needed), SQLite an FTS5 table kept in step by triggers (registry migration 0006).
The one-typo variants of a word are spelled out here as alternatives of the word query, so neither
database needs a fuzzy-matching extension.

A query of digits is a NIK: the whole 16 digits, or (for roles that see NIKs) its first or
last digits. Roles that see NIKs masked may search only by the whole NIK: a prefix search
would confirm a masked NIK digit by digit (issue 12).
"""

import re
import string
import unicodedata
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

_Row = TypeVar("_Row")

WORD = re.compile(r"[^A-Z0-9 ]+")
# Honorifics and degrees as offices type them into the name column (after folding: "S.Sos."
# becomes the words S and SOS). Dropped from a query; a stored name keeps them.
HONORIFICS = frozenset(
    [
        "H",
        "HJ",
        "HAJI",
        "HAJJAH",
        "DR",
        "DRS",
        "DRA",
        "IR",
        "PROF",
        "KH",
        "NY",
        "TN",
        "SDR",
        "SDRI",
        "BPK",
        "IBU",
        "S",
        "SOS",
        "SPD",
        "SE",
        "SH",
        "ST",
        "SKOM",
        "SKM",
        "SKEP",
        "SAG",
        "SPSI",
        "SIP",
        "SAP",
        "SKESOS",
        "STR",
        "STRSOS",
        "SHI",
        "SPDI",
        "SPT",
        "SS",
        "SHUT",
        "AMD",
        "KEP",
        "AMDKEP",
        "MSI",
        "MM",
        "MPD",
        "MH",
        "MT",
        "MKES",
        "MKESOS",
        "MPSI",
        "MAP",
        "MAG",
        "PSIKOLOG",
    ]
)
TYPO_MIN = 5  # shorter words match by prefix only: one typo in four letters is another name
ALPHABET = string.ascii_uppercase
NIK_SEARCH_MASKED = _(
    "Peran Anda melihat NIK tersamar: cari dengan NIK lengkap 16 digit, atau dengan nama."
)


def fold(text: str) -> str:
    """Upper case without accents, punctuation to spaces, spaces folded ('José  Ñ.' -> 'JOSE N')."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(WORD.sub(" ", plain.upper()).split())


def query_words(q: str) -> list[str]:
    """The words a name query must match; honorifics dropped unless nothing else is left."""
    words = fold(q).split()
    kept = [w for w in words if w not in HONORIFICS]
    return list(dict.fromkeys(kept or words))[:6]


def typo_variants(word: str) -> set[str]:
    """Every word one edit away (Damerau: insert, delete, substitute, swap neighbours)."""
    if len(word) < TYPO_MIN or not word.isalpha():
        return set()
    found: set[str] = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        found.update(head + ch + tail for ch in ALPHABET)
        if tail:
            found.add(head + tail[1:])
            found.update(head + ch + tail[1:] for ch in ALPHABET)
            if len(tail) > 1:
                found.add(head + tail[1] + tail[0] + tail[2:])
    found.discard(word)
    return found


@dataclass
class Search:
    """What a ``q`` means: a Q on Person, and the merged-away records a NIK named."""

    q: Q = field(default_factory=Q)
    nik: str = ""  # the whole NIK searched for, if the query was one
    kind: str = ""  # "name", "nik" or "" (no query)


def _pg_match(words: list[str]) -> Q:
    # A tsquery constant, not to_tsquery(): a stable function would be parsed again for every
    # row the planner checks; the lexemes are already what the 'simple' configuration makes
    # of them (lower-case letters and digits).
    terms = []
    for w in words:
        alternatives = [f"'{w.lower()}':*"] + [f"'{v.lower()}'" for v in sorted(typo_variants(w))]
        terms.append("(" + " | ".join(alternatives) + ")")
    sql = '"registry_person"."name_words" @@ %s::tsquery'
    return Q(RawSQL(sql, [" & ".join(terms)], output_field=BooleanField()))


def _sqlite_match(words: list[str]) -> Q:
    terms = []
    for w in words:
        alternatives = [f'"{w}"*'] + [f'"{v}"' for v in sorted(typo_variants(w))]
        terms.append("(" + " OR ".join(alternatives) + ")")
    sql = "SELECT rowid FROM registry_person_fts WHERE registry_person_fts MATCH %s"
    return Q(pk__in=RawSQL(sql, [" AND ".join(terms)]))


def name_match(q: str) -> Q:
    words = query_words(q)
    if not words:
        return Q()
    if connection.vendor == "postgresql":
        return _pg_match(words)
    return _sqlite_match(words)


def nik_match(digits: str, *, full_only: bool) -> Q:
    if len(digits) >= 16:
        return Q(nik=digits)
    if full_only:
        raise ValidationError({"q": NIK_SEARCH_MASKED})
    prefix = Q(nik__startswith=digits)
    if connection.vendor == "postgresql":
        # Served by the reverse(nik) index of migration 0006 (a suffix is a prefix reversed).
        suffix = Q(
            RawSQL(
                'reverse("registry_person"."nik") LIKE %s',
                [digits[::-1] + "%"],
                output_field=BooleanField(),
            )
        )
    else:
        suffix = Q(nik__endswith=digits)
    return prefix | suffix


def index_read(qs: QuerySet[Any, _Row]) -> list[_Row]:
    """Rows of a query on the search index, read through the index.

    PostgreSQL cannot estimate a word query with a few hundred typo alternatives and may
    choose to check every row instead (tens of microseconds a row at 500,000 people); the
    GIN index answers it in milliseconds. So sequential scans are off for this one query."""
    if connection.vendor != "postgresql":
        return list(qs)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return list(qs)


def search(q: str, *, full_nik_only: bool) -> Search:
    """Parse a query. ValidationError (on ``q``) for a NIK search the role may not make."""
    q = (q or "").strip()[:100]
    if not q:
        return Search()
    digits = re.sub(r"[\s.\-']", "", q)
    if digits.isdigit():
        return Search(
            q=nik_match(digits, full_only=full_nik_only),
            nik=digits if len(digits) == 16 else "",
            kind="nik",
        )
    return Search(q=name_match(q), kind="name")
