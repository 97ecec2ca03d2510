from django import template

from registry.nik import mask_nik as _mask_nik

register = template.Library()


@register.filter
def mask_nik(value: str) -> str:
    return _mask_nik(value or "")
