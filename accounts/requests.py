"""Request types for views behind ``login_required``: there ``request.user`` is a ``User``."""

from django.http import HttpRequest

from accounts.models import User


class SignedInRequest(HttpRequest):
    # Narrower than HttpRequest's ``User | AnonymousUser``: login_required let only users in.
    user: User
