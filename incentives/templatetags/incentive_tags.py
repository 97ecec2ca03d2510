"""Rupiah and level formatting for incentive pages (Indonesian: dot thousands, comma decimals;
English: comma thousands, point decimals)."""

from decimal import Decimal

from django import template
from django.utils.formats import get_format

from incentives.engine import ROMAN

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """2627680 -> 'Rp2.627.680'; an exact component keeps its fraction: 'Rp263.874,375'.
    The separators are the page language's (English: 'Rp2,627,680'), like every other number on
    the page; the payment list's documents are rendered in Indonesian."""
    if value is None or value == "":
        return "–"
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    whole = int(value)
    text = f"{whole:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
    fraction = value - whole
    if fraction:
        text += get_format("DECIMAL_SEPARATOR") + str(fraction.normalize()).split(".")[1]
    return f"{sign}Rp{text}"


@register.filter
def signed_rupiah(value) -> str:
    if value is None or value == "":
        return "–"
    return ("+" if Decimal(value) > 0 else "") + rupiah(value)


@register.filter
def roman(level) -> str:
    return ROMAN.get(level or 0, "–")


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
