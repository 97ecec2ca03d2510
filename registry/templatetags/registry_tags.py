from django import template

from accounts import access
from registry.nik import mask_nik as _mask_nik

register = template.Library()


@register.filter
def mask_nik(value: str) -> str:
    return _mask_nik(value or "")


@register.simple_tag(takes_context=True)
def nik_for(context, person) -> str:
    """The NIK as the signed-in user may see it (a facilitator sees their own in full)."""
    user = context["request"].user
    return person.nik if access.sees_nik(user, person) else _mask_nik(person.nik)
