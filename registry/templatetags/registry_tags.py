from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.context import Context
from django.utils.translation import gettext

from accounts import access
from registry.models import Person
from registry.nik import mask_nik as _mask_nik
from satupintu.keyset import CappedCount

register = template.Library()


@register.filter
def mask_nik(value: str) -> str:
    return _mask_nik(value or "")


@register.simple_tag(takes_context=True)
def nik_for(context: Context, person: Person) -> str:
    """The NIK as the signed-in user may see it (a facilitator sees their own in full)."""
    user = context["request"].user
    return person.nik if access.sees_nik(user, person) else _mask_nik(person.nik)


@register.filter
def count_label(count: CappedCount) -> str:
    """A capped count (satupintu.keyset.CappedCount): '1.234', or 'lebih dari 10.000'."""
    shown = intcomma(count.value)
    if count.exact:
        return shown
    return gettext("lebih dari %(n)s") % {"n": shown}
