"""Throttles on what anyone may call without signing in (issue 22): the sign-in page, the
API token endpoint and the public pages.

Counters live in Django's cache (the project's ``CACHES``; the default is per process, so a
deployment with several processes should point ``CACHES`` at Redis or the database for the
limits to hold across them). Each counter is a fixed window: the first hit starts it, and
it ends ``window`` seconds later.

Two kinds:
- wrong passwords, per account and per address (``sign_in_blocked`` / ``sign_in_failed``):
  once the limit is reached, no password is even checked until the window ends, so twelve
  wrong passwords followed by the right one do not sign in;
- requests per address to anonymous pages (``hit``), for the public pages.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "throttle"


def client_address(request: HttpRequest) -> str:
    """The caller's address as the server sees it (REMOTE_ADDR: a proxy in front must set it)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ident: str) -> str:
    # Usernames may hold anything; the cache key is a digest of them.
    return f"{PREFIX}:{scope}:{hashlib.sha256(ident.encode()).hexdigest()[:32]}"


def _count(key: str) -> tuple[int, float]:
    return cache.get(key, 0), cache.get(f"{key}:until", 0.0)


def _wait(until: float) -> int:
    return max(1, math.ceil(until - time.time()))


def _add(key: str, window: int) -> int:
    """One more in the window (starting it if need be); returns the count."""
    if cache.add(key, 1, window):
        cache.set(f"{key}:until", time.time() + window, window)
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        cache.set(f"{key}:until", time.time() + window, window)
        return 1


def hit(scope: str, ident: str, *, limit: int, window: int) -> int | None:
    """Count one request; returns the seconds to wait when over ``limit``, else None."""
    key = _key(scope, ident)
    count = _add(key, window)
    if count > limit:
        return _wait(cache.get(f"{key}:until", time.time() + window))
    return None


def _sign_in_keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    return [
        (_key("sign-in-account", username.strip().lower()), settings.SIGN_IN_FAILURES_PER_ACCOUNT),
        (_key("sign-in-address", client_address(request)), settings.SIGN_IN_FAILURES_PER_ADDRESS),
    ]


def sign_in_blocked(request: HttpRequest, username: str) -> int | None:
    """Seconds until this account or address may try a password again, or None."""
    waits = []
    for key, limit in _sign_in_keys(request, username):
        count, until = _count(key)
        if count >= limit:
            waits.append(_wait(until))
    return max(waits) if waits else None


def sign_in_failed(request: HttpRequest, username: str) -> None:
    for key, _ in _sign_in_keys(request, username):
        _add(key, settings.SIGN_IN_WINDOW_SECONDS)


def sign_in_succeeded(request: HttpRequest, username: str) -> None:
    """A right password clears the account's count (not the address's)."""
    key = _sign_in_keys(request, username)[0][0]
    cache.delete_many([key, f"{key}:until"])


def message(wait_seconds: int) -> str:
    minutes = max(1, math.ceil(wait_seconds / 60))
    return f"Terlalu banyak percobaan. Coba lagi dalam {minutes} menit."
