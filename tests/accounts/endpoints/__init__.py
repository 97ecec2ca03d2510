"""The access matrix's rows, one module per app; ``base`` says how a row reads.

Every URL of the project has rows here, is ``PUBLIC`` or belongs to an app in ``ELSEWHERE``;
test_every_url_is_in_the_matrix keeps it so.
"""

from tests.accounts.endpoints import (
    collaboration,
    competency,
    distribution,
    framework,
    imports,
    incentives,
    logbook,
    registry,
)
from tests.accounts.endpoints.base import Endpoint, form_errors, send

ENDPOINTS: list[Endpoint] = [
    *registry.ENDPOINTS,
    *distribution.ENDPOINTS,
    *incentives.ENDPOINTS,
    *framework.ENDPOINTS,
    *imports.ENDPOINTS,
    *collaboration.ENDPOINTS,
    *competency.ENDPOINTS,
    *logbook.ENDPOINTS,
]

# Reachable without signing in, on purpose (each has its own tests elsewhere).
# The logbook's web-app manifest and service worker carry no data: a browser fetches them
# without credentials.
PUBLIC = {
    "login",
    "set_language",
    "api:openapi",
    "api:docs",  # the reference page over the public schema (tests/api/test_openapi.py)
    "api:token",
    "logbook:manifest",
    "logbook:service-worker",
    # A receiving unit answers a referral through its signed e-mail link, without an account
    # (tests/collaboration/test_receiving_units.py: used, expired and altered links).
    "collaboration:referral-unit-answer",
}
# Apps built beside the foundation whose views (wherever their URLs are mounted) are not rows
# here yet. An app leaves this set when its rows are added; a view of any other app, including
# a new one, fails test_every_url_is_in_the_matrix until it has rows. Every app has rows now.
ELSEWHERE: set[str] = set()

# Known gaps, reported with a fix; strict, so that the fix turns them into failures to remove.
# (endpoint label, role, case) -> reason, for a known bug marked xfail(strict=True) until fixed.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}

__all__ = ["ELSEWHERE", "ENDPOINTS", "KNOWN_BUGS", "PUBLIC", "Endpoint", "form_errors", "send"]
