"""DRF throttles for the API's anonymous calls (issue 22); the 429's Indonesian message is
written by the one error handler, satupintu.api_errors."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

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
