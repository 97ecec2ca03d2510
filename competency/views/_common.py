"""What the competency pages share: a service's ValidationError (or a form's errors) shown on
a form or as messages, the certification managers' gate and the page of a management form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from competency import access
from competency.forms import error_messages


def form_errors(form, error: ValidationError) -> None:
    for field, msgs in error_messages(error).items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


def message_errors(request, error: Exception) -> None:
    for msg in getattr(error, "messages", [str(error)]):
        messages.error(request, msg)


def form_messages(request, form) -> None:
    """A form of a detail page (its action redirects back there): its errors as messages,
    each named by the field's label."""
    for field, msgs in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for msg in msgs:
            messages.error(request, f"{label}: {msg}" if label else msg)


# National reference data (LSP, schemes, TUK, assessors) and assessment scheduling are run by
# the certification managers (competency.access): every such page, lists included, is theirs
# alone; the services check again before writing.

CERTIFICATION_ONLY = _("Hanya administrator nasional yang mengelola LSP, skema, TUK dan asesor.")


def require_certification_manager(user) -> None:
    access.require(access.can_manage_certification(user), CERTIFICATION_ONLY)


def posted(request):
    """The POST data of a submission (even an empty one, so that it shows errors), else None."""
    return request.POST if request.method == "POST" else None


def form_page(request, form, *, title: str, back: str):
    return render(
        request,
        "competency/manage_form.html",
        {"form": form, "title": title, "back": back},
    )


def form_submit(request, form, write: Callable[[dict[str, Any]], str], *, title: str, back: str):
    """A management form's page: a valid submission calls ``write(cleaned_data)`` (a service
    call returning the success message) and goes back to the list; a refusal shows the
    service's reasons on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            message = write(form.cleaned_data)
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(back)
    return form_page(request, form, title=title, back=back)
