"""The collaboration section of a person's page: the HR requests about the person the viewer
may see."""

from typing import Any

from django.template.loader import render_to_string

from collaboration.selectors import request_list
from registry.models import Person

SHOWN = 20


def person_section(request: Any, person: Person) -> str:
    requests = list(request_list(user=request.user).filter(person=person)[: SHOWN + 1])
    if not requests:
        return ""
    return render_to_string(
        "collaboration/_person_section.html",
        {"requests": requests[:SHOWN], "more": len(requests) > SHOWN},
        request=request,
    )
