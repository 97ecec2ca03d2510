"""DRF throttles for the API's anonymous calls and the Indonesian 429 (issue 22)."""

from django.conf import settings
from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from accounts import throttle


class AnonymousAddressThrottle(SimpleRateThrottle):
    """Calls without a token (the token endpoint, the schema, the public catalogue) per
    address per minute; holders of a token are not counted."""

    scope = "anonymous"

    def get_rate(self) -> str:
        return f"{settings.ANONYMOUS_REQUESTS_PER_MINUTE}/min"

    def get_ident(self, request) -> str:
        # Not X-Forwarded-For, which any caller can write (DRF reads it when NUM_PROXIES is unset).
        return throttle.client_address(request)

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def exception_handler(exc, context):
    """DRF's handler (it sets Retry-After), with the throttle's message in Indonesian."""
    if isinstance(exc, exceptions.Throttled):
        exc.detail = ErrorDetail(throttle.message(int(exc.wait or 60)), code="throttled")
    return drf_exception_handler(exc, context)
