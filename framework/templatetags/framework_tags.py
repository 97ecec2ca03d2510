from django import template

from registry.models import ROMAN

register = template.Library()


@register.filter
def roman(value) -> str:
    """3 → "III"; empty for no level."""
    return ROMAN.get(value or 0, "")
