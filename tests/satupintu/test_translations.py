"""English that is complete: every text a person reads in a template goes through the translation
machinery, and the English catalogues are current, fully translated and compiled.

Bahasa Indonesia is the source language; `make messages` extracts the strings into each app's
`locale/en/LC_MESSAGES/django.po` (and `locale/` for the project's own templates), the
translator fills `msgstr`, and the same target compiles the `.mo` files.
"""

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import override_settings

ROOT = Path(settings.BASE_DIR)
TEMPLATES = sorted(
    path
    for path in ROOT.glob("*/templates/**/*.html")
    if path.parts[len(ROOT.parts)] not in {".venv", "node_modules"}
) + sorted((ROOT / "templates").glob("**/*.html"))

# Text a reader sees but no language changes: the product's name, abbreviations, symbols.
SAME_IN_EVERY_LANGUAGE = re.compile(
    r"^(Satu Pintu|[A-Z0-9][A-Z0-9./&-]{0,7}|Rp|htmx|Swagger UI|Redoc|ODbL 1\.0|Bahasa / Language)$"
)
VISIBLE_ATTRIBUTES = {"title", "placeholder", "alt", "aria-label", "label"}
# A tag, variable or translated block is replaced by an invisible separator: it ends a piece of
# text but, unlike a NUL, is allowed inside a tag name or attribute by the HTML parser.
HOLE = "\u2063"


def _text_outside_translation(source: str) -> str:
    """The template with every tag, variable and translated block replaced by a hole: what is
    left is literal text."""
    parts = []
    skip_until = None
    for token in Lexer(source).tokenize():
        if skip_until:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skip_until:
                skip_until = None
            parts.append(HOLE)
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0]
            if word in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                skip_until = {"comment": "endcomment", "verbatim": "endverbatim"}.get(
                    word, "end" + word
                )
        parts.append(HOLE)
    return "".join(parts)


class _Literals(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES or (
                tag == "input"
                and name == "value"
                and dict(attrs).get("type") in {"submit", "button"}
            ):
                self._check(value or "")

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden = max(0, self._hidden - 1)

    def handle_data(self, data):
        if not self._hidden:
            self._check(data)

    def _check(self, text):
        for piece in text.split(HOLE):
            piece = " ".join(piece.split()).strip(" .,:;()[]/·–—-×|«»?!%#*+=<>\"'")
            if re.search(r"[A-Za-z]{2,}", piece) and not SAME_IN_EVERY_LANGUAGE.match(piece):
                self.found.append(piece)


def test_every_template_text_goes_through_the_translation_machinery():
    # given
    untranslated = {}
    # when
    for path in TEMPLATES:
        name = str(path.relative_to(ROOT))
        parser = _Literals()
        parser.feed(_text_outside_translation(path.read_text(encoding="utf-8")))
        if parser.found:
            untranslated[name] = parser.found[:5]
    # then
    assert not untranslated, (
        "Teks ini tidak melalui {% translate %} / {% blocktranslate %}: "
        + "; ".join(f"{path}: {texts}" for path, texts in sorted(untranslated.items()))
    )


def _entries(po_text: str) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) of a .po file written by makemessages (--no-wrap)."""
    entries = {}
    for block in po_text.split("\n\n"):
        ids = re.findall(r'^msgid(?:_plural)? "(.*)"$', block, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', block, re.M)
        if ids and ids[0]:
            entries["\x04".join(ids)] = ("\x04".join(strs), "#, fuzzy" in block)
    return entries


def _catalogues(root: Path) -> dict[str, Path]:
    return {
        str(path.relative_to(root)): path
        for path in root.glob("**/locale/en/LC_MESSAGES/django.po")
        if ".venv" not in path.parts and "node_modules" not in path.parts
    }


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext (xgettext) is not installed")
def test_english_catalogues_are_current_complete_and_compiled(tmp_path):
    # given: a tree of links to the sources, with copies of the committed catalogues
    committed = _catalogues(ROOT)
    for entry in ROOT.iterdir():
        if entry.name in {
            ".venv",
            "node_modules",
            "var",
            "tests",
            "bench",
            "static",
            "docs",
            ".git",
        }:
            continue
        if entry.is_dir() and (entry / "locale").is_dir():
            (tmp_path / entry.name).mkdir()
            for child in entry.iterdir():
                if child.name == "locale":
                    shutil.copytree(child, tmp_path / entry.name / "locale")
                else:
                    (tmp_path / entry.name / child.name).symlink_to(child)
        elif entry.name == "locale":
            shutil.copytree(entry, tmp_path / "locale")
        else:
            (tmp_path / entry.name).symlink_to(entry)
    # when
    cwd = os.getcwd()
    try:
        os.chdir(tmp_path)
        with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
            call_command(
                "makemessages", locale=["en"], symlinks=True, no_location=True,
                no_obsolete=True, no_wrap=True, verbosity=0,
                ignore_patterns=["var", "static", "docs", "tests", "bench"],
            )  # fmt: skip
    finally:
        os.chdir(cwd)
    extracted = _catalogues(tmp_path)
    # then: the committed catalogues hold exactly what the sources ask for ...
    assert sorted(extracted) == sorted(committed), "make messages: katalog baru atau hilang"
    problems = []
    for name, path in extracted.items():
        fresh = _entries(path.read_text(encoding="utf-8"))
        stored = _entries(committed[name].read_text(encoding="utf-8"))
        if set(fresh) != set(stored):
            problems.append(f"{name}: tidak mutakhir (jalankan `make messages`)")
        # ... every entry is translated and none is fuzzy ...
        empty = [
            msgid for msgid, (msgstr, fuzzy) in stored.items() if fuzzy or not msgstr.strip("\x04")
        ]
        if empty:
            problems.append(f"{name}: {len(empty)} belum diterjemahkan, mis. {empty[:3]}")
        # ... and the compiled .mo is the .po as it stands.
        if shutil.which("msgfmt"):
            mo = committed[name].with_suffix(".mo")
            compiled = subprocess.run(
                ["msgfmt", "--check-format", "-o", "-", str(committed[name])],
                capture_output=True,
                check=True,
            ).stdout
            if not mo.exists() or mo.read_bytes() != compiled:
                problems.append(f"{name}: .mo tidak sesuai .po (jalankan `make messages`)")
    assert not problems, "; ".join(problems)


def _translations(po_text: str) -> dict[tuple[str, str], str]:
    """(msgctxt, msgid) -> msgstr of a .po file (plurals joined)."""
    found = {}
    for block in po_text.split("\n\n"):
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        ids = re.findall(r'^msgid(?:_plural)? "(.*)"$', block, re.M)
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', block, re.M)
        if ids and ids[0]:
            found[(context.group(1) if context else "", "\x04".join(ids))] = "\x04".join(strs)
    return found


def test_the_same_words_read_the_same_in_every_app():
    # given: every English catalogue. Django merges them into one per language, so a text
    # that two apps translate differently reads as whichever app loads first, everywhere
    # ("Catatan kegiatan" became "Audit log" in the logbook). Words that mean different things
    # carry a context (pgettext), which makes them different entries.
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for name, path in _catalogues(ROOT).items():
        for key, text in _translations(path.read_text(encoding="utf-8")).items():
            seen.setdefault(key, {})[name] = text

    # then
    differing = {
        key[1]: sorted(set(texts.values()))
        for key, texts in seen.items()
        if len(set(texts.values())) > 1
    }
    assert not differing, (
        f"satu teks, beberapa terjemahan (samakan, atau beri konteks): {differing}"
    )
