"""Form widgets and fields every app uses, so that a form can always echo its own value.

A browser's ``<input type="date">`` only accepts ``YYYY-MM-DD`` (and ``type="month"`` only
``YYYY-MM``). Django's own ``DateInput`` renders the active locale's first input format instead —
``26-10-1981`` in Indonesian — which the browser discards: the field shows empty and a save
without changes erases the date. These widgets always render ISO, whatever the language.
``tests/satupintu/test_shared_widgets.py`` fails when a form uses anything else for a date.
"""

from django import forms

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
