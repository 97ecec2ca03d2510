"""The matrix's rows: each endpoint, the request it takes, and what each role must get back.

An endpoint's ``cases`` are the objects it is tried on for a role: "in" (in the role's scope),
"out" (outside it), "out-region" (a person in scope, a target region outside), "own"/"other"
(a job), or "-" for an endpoint without an object.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from jobs.models import Job
from registry.models import Engagement, Flag, Person, Programme, Verification
from registry.nik import mask_nik
from tests.accounts.world import (
    ALL,
    AUDIT,
    EXPORT,
    MERGE,
    NEW_NIK,
    OTHERS_JOB_TITLE,
    PEOPLE,
    READ,
    VERIFY,
    VISIBLE,
    WRITE,
    WRITE_IN,
    WRITE_OUT,
    World,
    in_person,
    nik_of,
    out_person,
    phone_of,
    sees_full_nik,
)

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

    @property
    def label(self) -> str:
        return f"{self.name}:{self.method}"


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


def create_cases(role: str) -> list[str]:
    if role not in WRITE:
        return ["-"]
    return [c for c, table in (("in", WRITE_IN), ("out", WRITE_OUT)) if role in table]


def engagement_create_cases(role: str) -> list[str]:
    cases = object_cases(role)
    if role in WRITE_OUT and "in" in cases:
        cases.append("out-region")
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


def plain(name: str, **query: str) -> Callable[[World, str, str], Request]:
    def build(world: World, role: str, case: str) -> Request:
        url = reverse(name)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        return url, None

    return build


# --- request bodies --------------------------------------------------------------------------


def person_form(prefix: str = "p") -> dict[str, str]:
    return {
        f"{prefix}-full_name": "Rina Susanti",
        f"{prefix}-sex": "L",
        f"{prefix}-birth_date": "1995-06-01",
    }


def engagement_form(programme: str, regency: str) -> dict[str, str]:
    return {
        "e-programme": str(Programme.objects.get(slug=programme).pk),
        "e-legacy_title": "Pendamping Baru",
        "e-employment_status": "kontrak",
        "e-province": regency[:2],
        "e-regency": regency,
        "e-status": "aktif",
    }


def _target(role: str, case: str) -> tuple[str, str]:
    if case == "out-region" or (case == "out" and role in WRITE_OUT):
        return WRITE_OUT[role]
    return WRITE_IN.get(role, ("pkh", "32.04"))


def web_person_create(world: World, role: str, case: str) -> Request:
    programme, regency = _target(role, case)
    return reverse("registry:person-create"), {
        "p-nik": NEW_NIK,
        **person_form(),
        **engagement_form(programme, regency),
    }


def web_engagement_create(world: World, role: str, case: str) -> Request:
    url, _ = person_url("registry:engagement-create")(world, role, case)
    return url, engagement_form(*_target(role, case))


def web_person_edit(world: World, role: str, case: str) -> Request:
    url, _ = person_url("registry:person-edit")(world, role, case)
    return url, {**person_form(), "p-full_name": "Nama Diubah"}


def web_engagement_edit(world: World, role: str, case: str) -> Request:
    key = out_person(role) if case == "out" else in_person(role)
    engagement = world.engagements[key]
    url = reverse("registry:engagement-edit", kwargs={"uid": engagement.uid})
    return url, {
        "e-legacy_title": "Jabatan Diubah",
        "e-employment_status": "kontrak",
        "e-province": engagement.province_id,
        "e-regency": engagement.regency_id,
        "e-status": "aktif",
    }


def web_flag_resolve(world: World, role: str, case: str) -> Request:
    key = out_person(role) if case == "out" else in_person(role)
    url = reverse(
        "registry:flag-resolve",
        kwargs={"uid": world.people[key].uid, "flag_id": world.flags[key].pk},
    )
    return url, {"note": "Sudah dicek dengan dokumen."}


def merge_pair(role: str, case: str) -> tuple[str, str]:
    if case == "out":
        return ("budi1", "budi2") if "budi1" not in VISIBLE[role] else ("dewi1", "dewi2")
    if {"dewi1", "dewi2"} <= VISIBLE[role]:
        return "dewi1", "dewi2"
    # A role that sees no duplicate pair still must not get past the permission check.
    key = in_person(role)
    return key, key


def web_merge(world: World, role: str, case: str) -> Request:
    keep, merge = merge_pair(role, case)
    return reverse("registry:person-merge"), {
        "keep": str(world.people[keep].uid),
        "merge": str(world.people[merge].uid),
        "note": "KTP lama",
    }


def web_export(world: World, role: str, case: str) -> Request:
    return reverse("registry:export"), {"format": "csv"}


def post_empty(name: str) -> Callable[[World, str, str], Request]:
    def build(world: World, role: str, case: str) -> Request:
        url, _ = person_url(name)(world, role, case)
        return url, {}

    return build


def job_url(name: str) -> Callable[[World, str, str], Request]:
    def build(world: World, role: str, case: str) -> Request:
        if case == "other":
            job = world.others_job
        else:
            owner = world.users[role]
            job = Job.objects.create(kind="registry_export", title="Ekspor saya", owner=owner)
            job.result_file.save("milik-saya.csv", ContentFile(b"nik\n"), save=True)
        return reverse(name, kwargs={"uid": job.uid}), None

    return build


def api_person_create(world: World, role: str, case: str) -> Request:
    return reverse("api:person-list"), {
        "nik": NEW_NIK,
        "full_name": "Rina Susanti",
        "sex": "L",
        "birth_date": "1995-06-01",
    }


def api_person_patch(world: World, role: str, case: str) -> Request:
    url, _ = person_url("api:person-detail")(world, role, case)
    return url, {"birth_place": "Soreang"}


def api_engagement_create(world: World, role: str, case: str) -> Request:
    key = out_person(role) if case == "out" else in_person(role)
    programme, regency = _target(role, case)
    return reverse("api:engagement-list"), {
        "person": str(world.people[key].uid),
        "cluster": programme,
        "regency_code": regency,
        "legacy_title": "Pendamping Baru",
        "employment_status": "kontrak",
    }


def api_engagement_patch(world: World, role: str, case: str) -> Request:
    url, _ = engagement_url("api:engagement-detail")(world, role, case)
    return url, {"legacy_title": "Jabatan Diubah"}


# --- checks on the response ------------------------------------------------------------------


def assert_no_leak(body: str, role: str) -> None:
    """Nobody outside the role's scope appears, by name, NIK or masked NIK."""
    hidden = ALL - VISIBLE[role]
    shown_names = {PEOPLE[k][0] for k in VISIBLE[role]}
    for key in hidden:
        name = PEOPLE[key][0]
        if name not in shown_names:  # duplicates share a name; their NIKs still differ
            assert name not in body, f"{role} sees out-of-scope {name}"
        assert nik_of(key) not in body, f"{role} sees the NIK of out-of-scope {key}"
        assert mask_nik(nik_of(key)) not in body, f"{role} sees the masked NIK of {key}"


def check_person_list(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    assert_no_leak(body, role)
    for key in VISIBLE[role]:
        assert PEOPLE[key][0] in body
        if sees_full_nik(role, key):
            assert nik_of(key) in body
        else:
            assert mask_nik(nik_of(key)) in body
            assert nik_of(key) not in body


def check_leak_only(response, world: World, role: str, case: str) -> None:
    assert_no_leak(response.content.decode(), role)


def check_duplicates(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    assert_no_leak(body, role)
    assert ("Dewi Lestari" in body) == ({"dewi1", "dewi2"} <= VISIBLE[role])
    assert ("Budi Santoso" in body) == ({"budi1", "budi2"} <= VISIBLE[role])


def check_person_detail(response, world: World, role: str, case: str) -> None:
    if case != "in":
        return
    key = in_person(role)
    body = response.content.decode()
    assert PEOPLE[key][0] in body
    sees_full = sees_full_nik(role, key)
    if sees_full:
        assert nik_of(key) in body
    else:
        assert mask_nik(nik_of(key)) in body
        assert nik_of(key) not in body
    phone_cell = body.split("<dt>Telepon</dt>", 1)[1].split("</dd>", 1)[0]
    if sees_full:
        assert phone_of(key) in phone_cell
    elif role != "koordinator":  # coordinators reach their facilitators: contacts shown
        assert phone_of(key) not in phone_cell


def check_created(response, world: World, role: str, case: str) -> None:
    person = Person.objects.filter(nik=NEW_NIK).first()
    if case == "in":
        assert person is not None
        assert response["Location"] == reverse("registry:person-detail", kwargs={"uid": person.uid})
        assert person.verification == Verification.PENDING
    else:
        assert person is None, "a refused create must leave nothing behind"


def check_engagement_created(response, world: World, role: str, case: str) -> None:
    if case == "out":
        return
    key = in_person(role)
    programme, regency = _target(role, case)
    exists = Engagement.objects.filter(
        person=world.people[key], programme__slug=programme, regency_id=regency
    ).exists()
    assert exists == (case == "in" and role in WRITE)


def check_flag_resolved(response, world: World, role: str, case: str) -> None:
    if case == "in":
        key = in_person(role)
        flag = Flag.objects.get(pk=world.flags[key].pk)
        assert flag.is_open == (role not in WRITE | VERIFY)


def check_verified(response, world: World, role: str, case: str) -> None:
    if case == "in":
        person = Person.objects.get(pk=world.people[in_person(role)].pk)
        verified = person.verification == Verification.VERIFIED
        assert verified == (role in VERIFY)


def check_export_job(response, world: World, role: str, case: str) -> None:
    if role in EXPORT:
        job = Job.objects.get(owner=world.users[role])
        assert response["Location"] == reverse("jobs:detail", kwargs={"uid": job.uid})


def check_job_list(response, world: World, role: str, case: str) -> None:
    assert OTHERS_JOB_TITLE not in response.content.decode()


def check_download(response, world: World, role: str, case: str) -> None:
    if case == "own":
        # Reading the stream to its end closes the response the way the test client wants;
        # an explicit close() would fire request_finished and drop the test's DB connection.
        assert b"".join(response.streaming_content) == b"nik\n"


def check_api_people(response, world: World, role: str, case: str) -> None:
    if response.status_code != 200:
        return
    results = response.json()["results"]
    names = {r["full_name"] for r in results}
    assert names == {PEOPLE[k][0] for k in VISIBLE[role]}
    assert_no_leak(json.dumps(results), role)
    for row in results:
        key = next(k for k in VISIBLE[role] if str(world.people[k].uid) == row["id"])
        full = sees_full_nik(role, key)
        assert row["nik"] == (nik_of(key) if full else mask_nik(nik_of(key)))


def check_api_engagements(response, world: World, role: str, case: str) -> None:
    if response.status_code != 200:
        return
    persons = {row["person"] for row in response.json()["results"]}
    assert persons == {str(world.people[k].uid) for k in VISIBLE[role]}


def check_api_person_detail(response, world: World, role: str, case: str) -> None:
    if case != "in":
        return
    key = in_person(role)
    data = response.json()
    full = sees_full_nik(role, key)
    assert data["nik"] == (nik_of(key) if full else mask_nik(nik_of(key)))
    if role != "koordinator":  # coordinators reach their facilitators: contacts shown
        assert (data["phone"] == phone_of(key)) == full


def check_api_created(response, world: World, role: str, case: str) -> None:
    assert Person.objects.filter(nik=NEW_NIK).exists() == (response.status_code == 201)


ENDPOINTS: list[Endpoint] = [
    # registry (web)
    Endpoint("registry:home", "get", no_object, plain("registry:home"), everyone(302)),
    Endpoint(
        "registry:person-list",
        "get",
        no_object,
        plain("registry:person-list"),
        when(READ, 200),
        check_person_list,
    ),
    Endpoint(
        "registry:person-create",
        "get",
        no_object,
        plain("registry:person-create"),
        when(WRITE, 200),
    ),
    # A refused create (out of scope) re-renders the form with the error: 200, nothing saved.
    Endpoint(
        "registry:person-create",
        "post",
        create_cases,
        web_person_create,
        lambda role, case: 403 if role not in WRITE else (302 if case == "in" else 200),
        check_created,
    ),
    Endpoint("registry:export", "post", no_object, web_export, when(EXPORT, 302), check_export_job),
    Endpoint(
        "registry:flag-list",
        "get",
        no_object,
        plain("registry:flag-list"),
        when(READ, 200),
        check_leak_only,
    ),
    Endpoint(
        "registry:duplicate-list",
        "get",
        no_object,
        plain("registry:duplicate-list"),
        when(READ, 200),
        check_duplicates,
    ),
    Endpoint("registry:person-merge", "post", object_cases, web_merge, when(MERGE, 302)),
    Endpoint(
        "registry:person-detail",
        "get",
        object_cases,
        person_url("registry:person-detail"),
        when(READ, 200),
        check_person_detail,
    ),
    Endpoint(
        "registry:person-edit",
        "get",
        object_cases,
        person_url("registry:person-edit"),
        when(WRITE, 200),
    ),
    Endpoint("registry:person-edit", "post", object_cases, web_person_edit, when(WRITE, 302)),
    Endpoint(
        "registry:person-verify",
        "post",
        object_cases,
        post_empty("registry:person-verify"),
        when(VERIFY, 302),
        check_verified,
    ),
    Endpoint(
        "registry:engagement-create",
        "get",
        object_cases,
        person_url("registry:engagement-create"),
        when(WRITE, 200),
    ),
    Endpoint(
        "registry:engagement-create",
        "post",
        engagement_create_cases,
        web_engagement_create,
        lambda role, case: {"out": 404, "out-region": 200}.get(case, 302 if role in WRITE else 403),
        check_engagement_created,
    ),
    Endpoint(
        "registry:flag-resolve",
        "post",
        object_cases,
        web_flag_resolve,
        when(WRITE | VERIFY, 302),
        check_flag_resolved,
    ),
    Endpoint(
        "registry:engagement-edit",
        "get",
        object_cases,
        engagement_url("registry:engagement-edit"),
        when(WRITE, 200),
    ),
    Endpoint(
        "registry:engagement-edit", "post", object_cases, web_engagement_edit, when(WRITE, 302)
    ),
    # accounts
    Endpoint("logout", "post", no_object, plain("logout"), everyone(302)),
    Endpoint(
        "accounts-audit-list", "get", no_object, plain("accounts-audit-list"), when(AUDIT, 200)
    ),
    # regions: public reference data, but behind sign-in like every page
    Endpoint(
        "regions:options-regency",
        "get",
        no_object,
        plain("regions:options-regency", province="32"),
        everyone(200),
    ),
    Endpoint(
        "regions:options-district",
        "get",
        no_object,
        plain("regions:options-district", regency="32.04"),
        everyone(200),
    ),
    Endpoint(
        "regions:options-village",
        "get",
        no_object,
        plain("regions:options-village", district="32.04.05"),
        everyone(200),
    ),
    # jobs: a job is its starter's alone
    Endpoint("jobs:list", "get", no_object, plain("jobs:list"), everyone(200), check_job_list),
    Endpoint(
        "jobs:detail",
        "get",
        lambda role: ["own", "other"],
        job_url("jobs:detail"),
        lambda role, case: 200 if case == "own" else 404,
    ),
    Endpoint(
        "jobs:download",
        "get",
        lambda role: ["own", "other"],
        job_url("jobs:download"),
        lambda role, case: 200 if case == "own" else 404,
        check_download,
    ),
    # API
    Endpoint(
        "api:person-list",
        "get",
        no_object,
        plain("api:person-list"),
        when(READ, 200),
        check_api_people,
        api=True,
    ),
    # Fail closed: a writer whose scope is missing may not create anything.
    Endpoint(
        "api:person-list",
        "post",
        no_object,
        api_person_create,
        lambda role, case: 201 if role in WRITE and VISIBLE[role] else 403,
        check_api_created,
        api=True,
    ),
    Endpoint(
        "api:person-detail",
        "get",
        object_cases,
        person_url("api:person-detail"),
        when(READ, 200, gate=READ),
        check_api_person_detail,
        api=True,
    ),
    Endpoint(
        "api:person-detail", "patch", object_cases, api_person_patch, when(WRITE, 200), api=True
    ),
    Endpoint(
        "api:engagement-list",
        "get",
        no_object,
        plain("api:engagement-list"),
        when(READ, 200),
        check_api_engagements,
        api=True,
    ),
    Endpoint(
        "api:engagement-list",
        "post",
        engagement_create_cases,
        api_engagement_create,
        lambda role, case: {"out": 404, "out-region": 403}.get(case, 201 if role in WRITE else 403),
        check_engagement_created,
        api=True,
    ),
    Endpoint(
        "api:engagement-detail",
        "get",
        object_cases,
        engagement_url("api:engagement-detail"),
        when(READ, 200, gate=READ),
        api=True,
    ),
    Endpoint(
        "api:engagement-detail",
        "patch",
        object_cases,
        api_engagement_patch,
        when(WRITE, 200),
        api=True,
    ),
    Endpoint(
        "api:programme-list", "get", no_object, plain("api:programme-list"), everyone(200), api=True
    ),
    Endpoint(
        "api:region-list",
        "get",
        no_object,
        lambda world, role, case: (
            reverse("api:region-list", args=["regencies"]) + "?parent=32",
            None,
        ),
        everyone(200),
        api=True,
    ),
]

# Reachable without signing in, on purpose (each has its own tests elsewhere).
PUBLIC = {"login", "set_language", "api:openapi", "api:token"}
# Apps built beside the foundation, each with its own permission rules on top of accounts.access,
# whose views (wherever their URLs are mounted, e.g. incentives' API under /api/v1/) are not rows
# here yet. An app leaves this set when its rows are added; a view of any other app, including a
# new one, fails test_every_url_is_in_the_matrix until it has rows.
ELSEWHERE = {"collaboration", "competency", "distribution", "framework", "imports", "incentives"}

# Known gaps, reported with a fix; strict, so that the fix turns them into failures to remove.
# (endpoint, role, case) -> reason, for a known bug marked xfail(strict=True) until fixed.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


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
    if endpoint.api:
        return getattr(client, endpoint.method)(
            url, data=json.dumps(data or {}), content_type="application/json", **headers
        )
    return client.post(url, data=data or {}, **headers)
