"""Request types for views behind ``login_required``: there ``request.user`` is a ``User``."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from accounts.models import User


class SignedInRequest(HttpRequest):
    # Narrower than HttpRequest's ``User | AnonymousUser``: login_required let only users in.
    user: User
    # Set on every request by django_htmx's middleware (satupintu.settings.MIDDLEWARE).
    htmx: HtmxDetails
