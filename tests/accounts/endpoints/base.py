"""How a row of the matrix reads: an endpoint, the request it takes, what each role gets back.

An endpoint's ``cases`` are the objects it is tried on for a role: "in" (in the role's scope),
"out" (outside it), "out-region" (a person in scope, a target region outside), "own"/"other"
(a job, an import or a notification of the role's own or someone else's), or "-" for an
endpoint without an object (or for a role the endpoint refuses before it looks at any object).
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from accounts.models import AuditEntry
from registry.nik import mask_nik
from tests.accounts.world import ALL, PEOPLE, VISIBLE, World, in_person, nik_of, out_person

Request = tuple[str, dict[str, Any] | None]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    cases: Callable[[str], list[str]]
    request: Callable[[World, str, str], Request]
    expect: Callable[[str, str], int]
    check: Callable[[Any, World, str, str], None] | None = None
    api: bool = False
    # Open without signing in, on purpose (the public framework catalogue): an anonymous
    # visitor gets what a signed-in user gets, instead of the sign-in page.
    public: bool = False
    # Tells apart two rows of one URL and method (e.g. two export tables).
    variant: str = ""
    # Multipart instead of JSON/form-encoded (uploads).
    multipart: bool = False

    @property
    def label(self) -> str:
        label = f"{self.name}:{self.method}"
        return f"{label}:{self.variant}" if self.variant else label


def no_object(role: str) -> list[str]:
    return ["-"]


def object_cases(role: str) -> list[str]:
    """An in-scope object when the role sees any, an out-of-scope one when it does not see all."""
    cases = []
    if in_person(role) and VISIBLE[role]:
        cases.append("in")
    if out_person(role):
        cases.append("out")
    return cases


def when(allowed: set[str], yes: int, no: int = 403, gate: set[str] | None = None):
    """Status for a role on an in-scope object (or an object-free endpoint); out-of-scope = 404.

    ``gate``: roles the endpoint checks before looking the object up; the others get 403 for any
    identifier, which tells them nothing about whether it exists.
    """

    def expect(role: str, case: str) -> int:
        if gate is not None and role not in gate:
            return no
        return 404 if case == "out" else (yes if role in allowed else no)

    return expect


def everyone(status: int) -> Callable[[str, str], int]:
    return lambda role, case: status


def person_url(name: str) -> Callable[[World, str, str], Request]:
    def build(world: World, role: str, case: str) -> Request:
        key = out_person(role) if case == "out" else in_person(role)
        return reverse(name, kwargs={"uid": world.people[key].uid}), None

    return build


def engagement_url(name: str) -> Callable[[World, str, str], Request]:
    def build(world: World, role: str, case: str) -> Request:
        key = out_person(role) if case == "out" else in_person(role)
        return reverse(name, kwargs={"uid": world.engagements[key].uid}), None

    return build


def plain(name: str, *args: Any, **query: str) -> Callable[[World, str, str], Request]:
    def build(world: World, role: str, case: str) -> Request:
        url = reverse(name, args=args)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return url, None

    return build


def posting(
    build: Callable[[World, str, str], Request], data: dict[str, Any] | None = None
) -> Callable[[World, str, str], Request]:
    """The same URL as ``build``, with a fixed body."""

    def post(world: World, role: str, case: str) -> Request:
        url, _ = build(world, role, case)
        return url, dict(data or {})

    return post


# --- checks shared by the apps ---------------------------------------------------------------


def assert_no_leak(body: str, role: str) -> None:
    """Nobody outside the role's scope appears, by name, NIK or masked NIK."""
    hidden = ALL - VISIBLE[role]
    shown_names = {PEOPLE[k][0] for k in VISIBLE[role]}
    shown_masks = {mask_nik(nik_of(k)) for k in VISIBLE[role]}
    for key in hidden:
        name = PEOPLE[key][0]
        if name not in shown_names:  # duplicates share a name; their NIKs still differ
            assert name not in body, f"{role} sees out-of-scope {name}"
        assert nik_of(key) not in body, f"{role} sees the NIK of out-of-scope {key}"
        # The mask keeps only the province and regency of issue, so it tells people apart
        # only when no visible person shares those four digits.
        if mask_nik(nik_of(key)) not in shown_masks:
            assert mask_nik(nik_of(key)) not in body, f"{role} sees the masked NIK of {key}"


def check_leak_only(response, world: World, role: str, case: str) -> None:
    assert_no_leak(response.content.decode(), role)


def body_of(response) -> bytes:
    """The body, streamed or not. Reading a stream to its end closes the response the way the
    test client wants; an explicit close() would fire request_finished and drop the test's DB
    connection."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def check_export_audited(response, world: World, role: str, case: str) -> None:
    """A file (or a bulk read) handed out leaves an export entry in the audit; a refusal none."""
    body_of(response)
    exported = AuditEntry.objects.filter(
        actor=world.users[role], action=AuditEntry.Action.EXPORT
    ).exists()
    assert exported == (response.status_code == 200), (
        f"{role}: export audited={exported} for status {response.status_code}"
    )


def form_errors(response) -> str:
    """The errors of a re-rendered form, to make a failure readable."""
    context = getattr(response, "context", None) or {}
    forms = [context.get(k) for k in ("person_form", "engagement_form", "form") if k in context]
    return "".join(
        f"; {form.errors.as_text()}" for form in forms if form is not None and form.errors
    )


def send(client, endpoint: Endpoint, url: str, data: dict | None, token: str | None = None):
    headers = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
    if endpoint.method == "get":
        return client.get(url, **headers)
    if endpoint.api and not endpoint.multipart:
        return getattr(client, endpoint.method)(
            url, data=json.dumps(data or {}), content_type="application/json", **headers
        )
    return getattr(client, endpoint.method)(url, data=data or {}, **headers)
