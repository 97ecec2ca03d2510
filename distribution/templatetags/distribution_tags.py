"""Small display helpers: Indonesian number formats and lookups the templates cannot do."""

from django import template
from django.template.defaultfilters import floatformat

from distribution.selectors import ratio_class

register = template.Library()


@register.filter
def num(value, places: int = 1):
    """A fractional count rounded for display only (computations keep the fraction)."""
    if value is None or value == "":
        return "—"
    return floatformat(value, f"{places}g")


@register.filter
def ratio(value):
    return "—" if value is None else floatformat(value, 2)


@register.filter
def signed(value, places: int = 1):
    if value is None:
        return "—"
    text = floatformat(value, f"{places}g")
    return text if value < 0 or text.startswith("-") else f"+{text}"


@register.filter
def cell(row, programme):
    """A region row's figures for one cluster, or for all clusters when none is chosen."""
    return row.cell(programme.pk) if programme else row.total


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def ratio_css(value):
    return ratio_class(value)
