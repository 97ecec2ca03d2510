"""Every date and month a form shows comes back unchanged when the form is saved.

A browser drops a ``value`` its date input cannot read, so a date rendered in the locale's order
("26-10-1981") shows empty and is erased by the next save. The guard below fails when any form of
the project has a date field whose widget is not one of the shared ISO widgets
(``satupintu.forms``), or when a template writes a date input's value without an ISO format.
"""

import datetime as dt
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.utils import translation

from satupintu.forms import DateInput, MonthField, MonthInput

BASE = Path(settings.BASE_DIR)


def _project_apps():
    # Ours only: a virtualenv inside the checkout (.venv/…/site-packages) holds third-party apps.
    return [
        a
        for a in apps.get_app_configs()
        if Path(a.path).is_relative_to(BASE) and "site-packages" not in Path(a.path).parts
    ]


def _import_project_modules() -> None:
    """Forms can live in ``forms.py``, a ``forms`` package or a view module: import them all."""
    for app in _project_apps():
        for info in pkgutil.walk_packages([app.path], prefix=f"{app.name}."):
            if any(part in info.name for part in (".migrations", ".management", ".tests")):
                continue
            importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _project_forms() -> list[type[forms.BaseForm]]:
    _import_project_modules()
    names = {a.name for a in _project_apps()}
    found = {
        form
        for form in _subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in names | {"satupintu"}
    }
    return sorted(found, key=lambda f: f"{f.__module__}.{f.__qualname__}")


def test_the_project_has_forms_with_dates():
    # a guard that finds nothing guards nothing
    dated = [
        f
        for f in _project_forms()
        if any(isinstance(x, forms.DateField) for x in f.base_fields.values())
    ]
    assert len(dated) >= 10


def test_every_date_field_uses_the_shared_iso_widget():
    # given
    offenders = []

    # when
    for form in _project_forms():
        for name, field in form.base_fields.items():
            widget = field.widget
            is_date = isinstance(field, forms.DateField) or isinstance(widget, forms.DateInput)
            if is_date and not isinstance(widget, (DateInput, MonthInput, forms.HiddenInput)):
                offenders.append(f"{form.__module__}.{form.__qualname__}.{name}")
            if isinstance(widget, MonthInput) and not isinstance(field, MonthField):
                offenders.append(f"{form.__module__}.{form.__qualname__}.{name} (month)")

    # then
    assert not offenders, (
        "Use satupintu.forms.DateField/DateInput (or MonthField) for these date fields: "
        f"{offenders}"
    )


DATE_INPUT = re.compile(r"<input\b[^>]*\btype=\"(date|month)\"[^>]*>")
VALUE = re.compile(r"\bvalue=\"([^\"]*)\"")


def test_templates_write_date_input_values_in_iso():
    # given
    offenders = []
    templates = [p for a in _project_apps() for p in Path(a.path).rglob("templates/**/*.html")]
    templates += list((BASE / "templates").rglob("*.html"))

    # when
    for path in templates:
        for match in DATE_INPUT.finditer(path.read_text()):
            kind, tag = match.group(1), match.group(0)
            value = VALUE.search(tag)
            iso = "date:'Y-m-d'" if kind == "date" else "date:'Y-m'"
            if value and value.group(1) and iso not in value.group(1):
                offenders.append(f"{path.relative_to(BASE)}: {tag}")

    # then
    assert templates and not offenders, offenders


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_date_renders_in_iso_in_every_language(language):
    # given
    class Form(forms.Form):
        born = forms.DateField(widget=DateInput)
        month = MonthField()

    form = Form(initial={"born": dt.date(1981, 10, 26), "month": dt.date(2026, 3, 1)})

    # when
    with translation.override(language):
        html = str(form["born"]) + str(form["month"])

    # then
    assert 'type="date"' in html and 'value="1981-10-26"' in html
    assert 'type="month"' in html and 'value="2026-03"' in html


def test_dates_are_read_in_iso_and_in_indonesian_order():
    # given
    class Form(forms.Form):
        born = forms.DateField(widget=DateInput)
        month = MonthField()

    # when: read in Indonesian (forms are validated in the request's language; an earlier
    # test's English request may have left English active in this thread)
    with translation.override("id"):
        iso = Form(data={"born": "1981-10-26", "month": "2026-03"})
        typed = Form(data={"born": "26-10-1981", "month": "2026-03-17"})
        valid = iso.is_valid() and typed.is_valid()

    # then
    assert valid, (iso.errors, typed.errors)
    assert (
        iso.cleaned_data
        == typed.cleaned_data
        == {
            "born": dt.date(1981, 10, 26),
            "month": dt.date(2026, 3, 1),
        }
    )
