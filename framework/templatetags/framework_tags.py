from django import template
from django.utils.translation import gettext as _

from framework.harmonize import version_in_force
from registry.models import ROMAN

register = template.Library()


@register.filter
def roman(value) -> str:
    """3 → "III"; empty for no level."""
    return ROMAN.get(value or 0, "")


@register.simple_tag(takes_context=True)
def placement_versions(context, harmonisation) -> str:
    """Which framework versions a stored placement rests on, in words.

    A re-harmonisation leaves a placement that a new version confirms untouched (and so keeps
    the stamp of the version that established it); the explanation still has to name the
    version in force, and the older one only as the version that first established it.
    """
    if not isinstance(harmonisation, dict) or not harmonisation.get("version"):
        return ""
    cache = context.render_context
    if "framework_in_force" not in cache:
        cache["framework_in_force"] = version_in_force()
    in_force = cache["framework_in_force"]
    stamped = harmonisation.get("version")
    if in_force is None or harmonisation.get("version_id") == in_force.pk:
        return _("Versi kerangka: %(version)s") % {"version": stamped}
    return _(
        "Versi kerangka berlaku: %(in_force)s (penempatan tetap sama); pertama ditetapkan oleh "
        "versi %(version)s"
    ) % {"in_force": in_force.name, "version": stamped}
