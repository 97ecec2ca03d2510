from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ mapping|get_item:key }}`` for dicts keyed by numbers or codes."""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""
