"""The access matrix: every role x every endpoint x an in-scope and an out-of-scope object.

The rows live in ``tests/accounts/endpoints/`` (one module per app) and the world in
``tests/accounts/world.py``, ``world_capabilities.py`` and ``world_competency.py``.
A last test walks the URL resolver so that a new endpoint cannot ship without a row here.
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from registry.models import Person
from tests.accounts.endpoints import (
    ELSEWHERE,
    ENDPOINTS,
    KNOWN_BUGS,
    PUBLIC,
    Endpoint,
    form_errors,
    send,
)
from tests.accounts.world import ROLES, USERS


def _params():
    for endpoint in ENDPOINTS:
        for role in ROLES:
            for case in endpoint.cases(role):
                marks = []
                reason = KNOWN_BUGS.get((endpoint.label, role, case))
                if reason:
                    marks.append(pytest.mark.xfail(reason=reason, strict=True))
                yield pytest.param(
                    endpoint, role, case, marks=marks, id=f"{endpoint.label}-{role}-{case}"
                )


@pytest.mark.parametrize(("endpoint", "role", "case"), list(_params()))
def test_access(client, shared_world, endpoint: Endpoint, role: str, case: str):
    # given
    url, data = endpoint.request(shared_world, role, case)
    token = None
    if endpoint.api:
        token = shared_world.tokens[role]
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = shared_world.sessions[role]

    # when
    response = send(client, endpoint, url, data, token)

    # then
    expected = endpoint.expect(role, case)
    assert response.status_code == expected, (
        f"{endpoint.label} as {role} ({case}): {response.status_code}, expected {expected}"
        f"{form_errors(response)}"
    )
    if endpoint.check:
        endpoint.check(response, shared_world, role, case)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=[e.label for e in ENDPOINTS])
def test_anonymous_is_sent_to_login(client, shared_world, endpoint: Endpoint):
    """Every page asks to sign in first, every API call is refused; a public page just opens."""
    # given
    case = endpoint.cases("admin_nasional")[0]
    url, data = endpoint.request(shared_world, "admin_nasional", case)
    people_before = Person.objects.count()

    # when
    response = send(client, endpoint, url, data)

    # then
    if endpoint.public:
        assert response.status_code == 200
    elif endpoint.api:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert Person.objects.count() == people_before


def test_every_role_has_a_row():
    # given / when
    covered = {spec["role"] for spec in USERS.values()}

    # then
    assert covered == set(Role.values)


def _url_patterns(resolver: URLResolver, namespace: str = ""):
    """(route, namespaced name, app) for every URL; the app is the package of its view."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
            yield from _url_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield str(pattern.pattern), name, pattern.callback.__module__.split(".")[0]


def test_every_url_is_in_the_matrix():
    # given
    covered = {endpoint.name for endpoint in ENDPOINTS} | PUBLIC

    # when
    patterns = [
        (route, name) for route, name, app in _url_patterns(get_resolver()) if app not in ELSEWHERE
    ]

    # then
    unnamed = [route for route, name in patterns if not name]
    missing = sorted(f"{name} ({route})" for route, name in patterns if name not in covered)
    assert not unnamed, f"URL patterns without a name cannot be checked: {unnamed}"
    assert not missing, f"Add these endpoints to the access matrix: {missing}"
