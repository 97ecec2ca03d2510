"""The incentives section of a person's page: each visible engagement's standard incentive,
linked to its breakdown."""

from typing import Any

from django.template.loader import render_to_string

from incentives import access
from registry import access as registry_access
from registry.models import Person


def person_section(request: Any, person: Person) -> str:
    if not access.can_view(request.user):
        return ""
    shown = getattr(person, "visible_engagements", None)  # read by registry's person_detail
    if shown is None:
        shown = registry_access.engagements_visible(request.user).filter(person=person)
        shown = shown.select_related("programme", "regency")
    engagements = sorted(shown, key=lambda e: (e.programme.name, e.pk))
    if not engagements:
        return ""
    return render_to_string(
        "incentives/_person_section.html", {"engagements": engagements}, request=request
    )
