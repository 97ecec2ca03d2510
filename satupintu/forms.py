"""Form widgets and fields every app uses, so that a form can always echo its own value.

A browser's ``<input type="date">`` only accepts ``YYYY-MM-DD`` (and ``type="month"`` only
``YYYY-MM``). Django's own ``DateInput`` renders the active locale's first input format instead —
``26-10-1981`` in Indonesian — which the browser discards: the field shows empty and a save
without changes erases the date. These widgets always render ISO, whatever the language.
``tests/satupintu/test_shared_widgets.py`` fails when a form uses anything else for a date.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy

ISO_DATE = "%Y-%m-%d"
ISO_MONTH = "%Y-%m"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None, format=None):
        super().__init__(attrs=attrs, format=ISO_MONTH)


class DateField(forms.DateField):
    """A date typed in a date input (ISO) or by hand in Indonesian order (26-10-1981)."""

    widget = DateInput


class MonthField(forms.DateField):
    """A month (stored as its first day): ``2026-03`` from a month input, or a full date."""

    widget = MonthInput
    input_formats = [ISO_MONTH, ISO_DATE]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class MoneyInput(forms.TextInput):
    """Rupiah as people write them: shown with thousands dots ("2.500.000")."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return super().format_value(value)


class MoneyField(forms.IntegerField):
    """Whole rupiah, typed as "2500000", "2.500.000", "Rp 2.500.000" or "2.500.000,00".

    A text input, not ``type=number``: a number input would discard "2.500.000" before the
    form is even sent.
    """

    widget = MoneyInput
    default_error_messages = {
        "invalid": gettext_lazy(
            "Tulis jumlah rupiah dengan angka, mis. 2.500.000 atau Rp 2.500.000."
        ),
    }

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if text[:2].lower() == "rp":
                text = text[2:].strip().lstrip(".").strip()
            text = text.replace(" ", "").replace("\u00a0", "")
            if text.endswith((",00", ",0")):
                text = text.rsplit(",", 1)[0]
            if "." in text and all(len(part) == 3 for part in text.split(".")[1:]):
                text = text.replace(".", "")
            value = text
        return super().to_python(value)

    def widget_attrs(self, widget):
        # IntegerField would add min/step attributes meant for a number input.
        return {}


class LabelledErrorsMixin:
    """A required field left empty says which one: "Nomor SK wajib diisi.", not a bare
    "Bidang ini harus diisi." that repeats for every field."""

    def full_clean(self):
        # Here rather than in __init__: forms add fields (the region pickers) after theirs.
        for field in self.fields.values():
            if field.label:
                label = str(field.label).rstrip(":")
                field.error_messages["required"] = gettext("%(field)s wajib diisi.") % {
                    "field": label
                }
        super().full_clean()


def error_texts(error: ValidationError) -> list[str]:
    """The messages of one ValidationError item, as people should read them."""
    if error.code == "unique_together" and error.params:
        # Django's Indonesian catalogue renders this one as "... ini tidak ada" (does not
        # exist), the opposite of what happened.
        p = error.params
        return [
            gettext("%(model)s dengan %(fields)s yang sama sudah ada.")
            % {"model": p["model_name"], "fields": p["field_labels"]}
        ]
    return list(error.messages)
