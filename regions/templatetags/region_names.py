"""``{{ code|region_name }}``: a region's name where a page would show a bare code, the code
kept in the title attribute (operators know "Kab. Bandung", not 32.04)."""

from functools import lru_cache

from django import template
from django.utils.html import format_html

from regions.models import Province, Regency
from regions.search import short_name

register = template.Library()


@lru_cache(maxsize=1)
def names_by_code() -> dict[str, str]:
    """Province and regency names (about 550), read once per process."""
    names = dict(Province.objects.values_list("code", "name"))
    names.update((c, short_name(n)) for c, n in Regency.objects.values_list("code", "name"))
    return names


@register.filter
def region_name(code):
    if not code:
        return ""
    name = names_by_code().get(str(code))
    if name is None:
        return code
    return format_html('<span title="{}">{}</span>', code, name)
