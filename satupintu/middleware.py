"""Bahasa Indonesia unless the user chose English: the browser's Accept-Language is ignored.

Officers often use browsers set to English; the product speaks Indonesian by default and switches
only when someone picks a language in the header (Django's set_language stores it in a cookie).
"""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from accounts import throttle
from accounts.views import too_many


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


# Only this origin's scripts, styles, images, fonts and connections; nothing framed, no plugins.
# Inline <script>, event-handler attributes, <style> elements and eval are all refused (the
# pages' behaviour lives in static files; htmx's indicator styles are in satupintu.css).
# Style *attributes* are allowed (`style-src-attr`): progress bars, dashboard tiles and
# histogram bars size themselves with them, and an attribute cannot load anything or read the
# page. `data:` images are for the browser's own form controls and Chart.js exports.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A Content-Security-Policy on every response, and ``Cache-Control: no-store`` on every
    response to a signed-in user or to an API client, so that personal data never stays in a
    browser's or a proxy's cache (a shared office computer, a caching proxy).

    The API authenticates by token inside DRF, after middleware, so API paths and requests that
    carry an Authorization header count as signed in here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or "HTTP_AUTHORIZATION" in request.META
            or request.path.startswith("/api/")
        ):
            add_never_cache_headers(response)
        return response


class SessionRefreshMiddleware:
    """Keeps a signed-in session alive while it is used, writing it at most once every
    ``SESSION_REFRESH_SECONDS`` (issue 14).

    Sessions end after ``SESSION_COOKIE_AGE`` without use. ``SESSION_SAVE_EVERY_REQUEST``
    kept that promise by writing the session row (an UPDATE and a commit) on every request,
    a write per page view at national scale. Here the session is marked changed only when its
    last refresh is older than the interval, so the idle limit holds to within that interval
    (8 h less at most 5 min by default). Sessions of visitors who are not signed in are left
    alone: nothing to keep alive, and no row is created for them.
    """

    KEY = "_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response
        self.interval = settings.SESSION_REFRESH_SECONDS

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and SESSION_KEY in session:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.interval:
                session[self.KEY] = now
        return response


class AnonymousThrottleMiddleware:
    """Requests per address per minute to any page open without sign-in (public
    verification, the sign-in page): past ``ANONYMOUS_REQUESTS_PER_MINUTE``, 429 with
    Retry-After. Signed-in users are not counted here; the API throttles in DRF
    (api/throttling.py), which knows who a token belongs to."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if not request.path.startswith("/api/") and not (user and user.is_authenticated):
            wait = throttle.hit(
                "anonymous",
                throttle.client_address(request),
                limit=settings.ANONYMOUS_REQUESTS_PER_MINUTE,
                window=60,
            )
            if wait:
                return too_many(request, wait)
        return self.get_response(request)
