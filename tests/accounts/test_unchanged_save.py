"""Every edit page, opened by every role that may open it and saved without a change, changes
nothing that is stored.

The form is submitted the way a browser submits it: the page's HTML is parsed and each control
sends what the browser would send — including the browser's value sanitisation, which turns a
date the ``<input type="date">`` cannot read ("26-10-1981") into nothing. A widget that cannot
echo its own value (this is how "Ubah penugasan" erased SK dates) fails here, for any form.

Edit pages are found in the access matrix (``tests/accounts/endpoints``): every page whose URL
name ends in ``-edit``/``-update``, plus the detail pages that carry their object's edit form
(``DETAIL_EDITORS``); their URLs come from the matrix's own rows for each role.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from tests.accounts.endpoints import ENDPOINTS, Endpoint, form_errors
from tests.accounts.world import ROLES, World

DETAIL_EDITORS = {
    "incentives:scale-detail",
    "incentives:scenario-detail",
    # The assessor's one form for an assessment's units: sent untouched, it decides nothing.
    "competency:assessment-detail",
}


def _is_edit_page(name: str) -> bool:
    return name.endswith(("-edit", "-update")) or name in DETAIL_EDITORS


EDIT_PAGES = sorted({e.name for e in ENDPOINTS if not e.api and _is_edit_page(e.name)})


# --- the browser: parse a page's forms, submit one as a browser would -------------------------


def _sanitise(kind: str, value: str) -> str:
    """The HTML value sanitisation algorithm for the input types our forms use."""
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            return ""
        return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else ""
    if kind == "month":
        return value if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value) else ""
    if kind == "number":
        return value if re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", value) else ""
    if kind in {"text", "search", "tel", "email", "password", "hidden", "url"}:
        return value if kind == "hidden" else value.replace("\r", "").replace("\n", "")
    return value


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    submitter: tuple[str, str] | None = None
    has_submit: bool = False


class FormParser(HTMLParser):
    """Forms as a browser with JavaScript builds their data set (``<noscript>`` is text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.noscript = 0
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "noscript":
            self.noscript += 1
        if self.noscript:
            return
        if tag == "form":
            self.form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        disabled = "disabled" in a
        name = a.get("name")
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"submit", "image"}:
                self.form.has_submit = True
                if self.form.submitter is None and name and not disabled:
                    self.form.submitter = (name, a.get("value", ""))
                elif self.form.submitter is None:
                    self.form.submitter = ("", "")
            elif kind in {"button", "reset"} or not name or disabled:
                return
            elif kind == "file":
                self.form.files.append(name)
            elif kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.form.fields.append((name, a.get("value", "on")))
            else:
                self.form.fields.append((name, _sanitise(kind, a.get("value", ""))))
        elif tag == "button":
            if a.get("type", "submit").lower() == "submit":
                self.form.has_submit = True
                if self.form.submitter is None:
                    self.form.submitter = (name or "", a.get("value", "")) if not disabled else None
        elif tag == "select":
            self.select = {
                "name": name,
                "multiple": "multiple" in a,
                "disabled": disabled,
                "options": [],
            }
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self.select["options"].append(self.option)
        elif tag == "textarea":
            self.textarea = {"name": name, "disabled": disabled, "text": ""}

    def handle_data(self, data):
        if self.noscript:
            return
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "noscript":
            self.noscript -= 1
            return
        if self.noscript:
            return
        if tag == "form":
            self.form = None
        elif tag == "option":
            self.option = None
        elif tag == "select" and self.select is not None:
            select, self.select = self.select, None
            if self.form is None or not select["name"] or select["disabled"]:
                return
            options = select["options"]
            chosen = [o for o in options if o["selected"]]
            if not select["multiple"] and not chosen and options:
                chosen = options[:1]  # a single select shows (and sends) its first option
            if not select["multiple"]:
                chosen = chosen[-1:]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self.form.fields.append((select["name"], value))
        elif tag == "textarea" and self.textarea is not None:
            area, self.textarea = self.textarea, None
            if self.form is not None and area["name"] and not area["disabled"]:
                text = area["text"][1:] if area["text"].startswith("\n") else area["text"]
                self.form.fields.append((area["name"], text.replace("\r\n", "\n")))


def forms_posting_to(html: str, path: str) -> list[Form]:
    """The page's POST forms that submit to the page itself (its own edit form, not the
    action buttons that post elsewhere)."""
    parser = FormParser()
    parser.feed(html)
    return [
        f
        for f in parser.forms
        if f.method == "post" and f.has_submit and urlsplit(f.action).path in ("", path)
    ]


def data_of(form: Form) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    if form.submitter and form.submitter[0]:
        data.setdefault(form.submitter[0], []).append(form.submitter[1])
    return data


# --- the database, before and after -----------------------------------------------------------

SKIPPED_APPS = {"regions", "sessions", "contenttypes", "admin", "auth"}


def _compared(model) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "auto_now", False) and f.name not in {"updated_at", "modified_at"}
    ]


def _models() -> Iterator[type[models.Model]]:
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in SKIPPED_APPS and model._meta.managed:
            yield model


def snapshot() -> dict[str, dict]:
    state = {}
    for model in _models():
        names = [f.attname for f in _compared(model)]
        pk = model._meta.pk.attname
        state[model._meta.label] = {
            row[pk]: {k: row[k] for k in names} for row in model.objects.values(*names)
        }
    return state


def differences(before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """Stored values that changed, and rows that vanished without an identical replacement
    (a service may rewrite a row set; the values are what must stay)."""
    found = []
    for label, rows in before.items():
        now = after[label]
        pk = apps.get_model(label)._meta.pk.attname

        def bare(row, pk=pk):
            return tuple(sorted((k, repr(v)) for k, v in row.items() if k != pk))

        appeared = {bare(row) for key, row in now.items() if key not in rows}
        for key, row in rows.items():
            if key not in now:
                if bare(row) not in appeared:
                    found.append(f"{label} #{key} vanished: {row}")
                continue
            changed = {k: (v, now[key][k]) for k, v in row.items() if now[key][k] != v}
            if changed:
                found.append(f"{label} #{key}: {changed}")
    return found


# --- the walk ---------------------------------------------------------------------------------


def _urls(world: World, role: str, name: str) -> list[str]:
    """The URLs the matrix opens or saves on this page for this role, on objects in scope."""
    urls = []
    rows: list[Endpoint] = [e for e in ENDPOINTS if e.name == name and not e.api]
    for row in rows:
        for case in row.cases(role):
            if case in {"out", "out-region", "other"}:
                continue
            url, _ = row.request(world, role, case)
            if url not in urls:
                urls.append(url)
    return urls


def test_the_walk_finds_the_edit_pages():
    assert {
        "registry:person-edit",
        "registry:engagement-edit",
        "framework:rule-edit",
        "competency:lsp-update",
        "incentives:scale-detail",
    } <= set(EDIT_PAGES)


@pytest.mark.parametrize("page", EDIT_PAGES)
def test_saving_an_edit_page_unchanged_changes_nothing(client, shared_world: World, page: str):
    opened, problems = [], []
    for role in ROLES:
        client.cookies[settings.SESSION_COOKIE_NAME] = shared_world.sessions[role]
        for url in _urls(shared_world, role, page):
            # given: the page as the role's browser shows it
            response = client.get(url)
            if response.status_code != 200:
                continue
            path = urlsplit(url).path
            for form in forms_posting_to(response.content.decode(), path):
                opened.append(f"{role} {url}")
                before = snapshot()

                # when: saved without touching anything
                saved = client.post(form.action or url, data_of(form))

                # then
                changes = differences(before, snapshot())
                if changes:
                    problems.append(f"{role} {url}: {changes}")
                if saved.status_code != 302:
                    errors = form_errors(saved)
                    problems.append(f"{role} {url}: not saved ({saved.status_code}){errors}")

    assert opened, f"no role could open an edit form on {page}"
    assert not problems, "\n".join(problems)
