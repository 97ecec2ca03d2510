"""The access matrix: every role x every endpoint x an in-scope and an out-of-scope object.

The rows live in ``tests/accounts/endpoints/`` (one module per app) and the world in
``tests/accounts/world.py``, ``world_capabilities.py`` and ``world_competency.py``.
A last test walks the URL resolver so that a new endpoint cannot ship without a row here.
"""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Role
from collaboration.models import Request
from imports.services import ImportSource, legacy_import
from registry.models import Engagement, Person, Programme
from tests.accounts.endpoints import (
    ELSEWHERE,
    ENDPOINTS,
    KNOWN_BUGS,
    PUBLIC,
    Endpoint,
    form_errors,
    send,
)
from tests.accounts.endpoints.imports import import_by_nik_cases, import_by_nik_expect
from tests.accounts.world import (
    PEOPLE,
    ROLES,
    USERS,
    in_person,
    nik_of,
    out_person,
    phone_of,
)
from tests.accounts.world_capabilities import IMPORT_PROGRAMME_IN


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


@pytest.mark.parametrize(
    ("role", "case"),
    [(role, case) for role in ROLES for case in import_by_nik_cases(role)],
    ids=lambda v: v,
)
def test_import_by_nik(shared_world, tmp_path, role: str, case: str):
    """Every role imports a row with the NIK of someone in its scope and of someone outside it:
    the unseen person is never matched, changed or quoted (issue 12, import takeover)."""
    # given: another name and phone than the registry's, for a Bandung engagement
    key = (in_person(role) if case == "in" else out_person(role)) or "sari"
    person = shared_world.people[key]
    before = set(Engagement.objects.filter(person=person).values_list("pk", flat=True))
    programme = Programme.objects.get(slug=IMPORT_PROGRAMME_IN.get(role, "pkh"))
    path = tmp_path / "nik.csv"
    path.write_text(
        "No;NIK;Nama;Tanggal Lahir;L/P;Provinsi;Kab/Kota;Jabatan;Status;No HP\n"
        f"1;{nik_of(key)};Nama Karangan;01-01-1990;L;Jawa Barat;Kabupaten Bandung;"
        "Pendamping;Kontrak;0812-7777-6666\n",
        encoding="utf-8",
    )

    # when
    try:
        outcome = legacy_import(
            actor=shared_world.users[role],
            programme=programme,
            sources=[ImportSource(path=path)],
            report=False,
        )
    except PermissionDenied:
        outcome = None

    # then
    expected = import_by_nik_expect(role, case)
    person.refresh_from_db()
    after = set(Engagement.objects.filter(person=person).values_list("pk", flat=True))
    claims = Request.objects.filter(kind=Request.Kind.ENGAGEMENT_CLAIM, person=person)
    if expected == "refused":
        assert outcome is None
    else:
        text = " ".join(outcome.issues["message"].to_list())
        refused_row = "reject" in outcome.issues["severity"].to_list()
        got = "claimed" if claims.exists() else "rejected" if refused_row else "matched"
        assert got == expected, f"{role} ({case}): {got}, expected {expected}: {text}"
        if case == "out":
            assert PEOPLE[key][0] not in text and phone_of(key)[3:] not in text
    if expected != "matched":
        assert after == before
        assert (person.full_name, person.phone) == (PEOPLE[key][0], phone_of(key))


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
