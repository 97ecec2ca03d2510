"""The competency section of a person's page: the certificates the viewer may see."""

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from competency.models import Certificate
from competency.selectors import certificate_list
from registry.models import Person

SHOWN = 20


def person_section(request: Any, person: Person) -> str:
    certificates = list(certificate_list(user=request.user, person=person)[: SHOWN + 1])
    if not certificates:
        return ""
    today = timezone.localdate()
    rows = [
        {"certificate": c, "status": Certificate.Status(c.status_on(today)).label}
        for c in certificates[:SHOWN]
    ]
    return render_to_string(
        "competency/_person_section.html",
        {"rows": rows, "more": len(certificates) > SHOWN, "person": person},
        request=request,
    )
