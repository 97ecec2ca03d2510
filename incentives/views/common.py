"""Helpers the incentive pages share: messages, access checks, redirects, a date parameter."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext

from accounts import access as accounts_access
from incentives import access
from incentives.models import Purpose


def form_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def require_view(user) -> None:
    accounts_access.require(
        access.can_view(user), gettext("Peran Anda tidak dapat membuka halaman insentif.")
    )


def require_edit(user, scale) -> None:
    allowed = (
        access.can_manage_standard(user)
        if scale.purpose == Purpose.STANDARD
        else access.can_manage_scenarios(user)
    )
    accounts_access.require(allowed)


def back_to(scale):
    if scale.purpose == Purpose.SCENARIO:
        return redirect("incentives:scenario-detail", uid=scale.scenario.uid)
    return redirect("incentives:scale-detail", uid=scale.uid)


def date_param(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
