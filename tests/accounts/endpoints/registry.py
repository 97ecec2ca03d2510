"""The registry's rows (people, engagements, flags, merges, exports), with accounts, regions, jobs
and the registry's REST API."""

import json
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.urls import reverse

from jobs.models import Job
from registry.models import Engagement, Flag, Person, Programme, Verification
from registry.nik import mask_nik
from tests.accounts.endpoints.base import (
    Endpoint,
    Request,
    assert_no_leak,
    check_leak_only,
    engagement_url,
    everyone,
    no_object,
    object_cases,
    person_url,
    plain,
    posting,
    when,
)
from tests.accounts.world import (
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


def create_cases(role: str) -> list[str]:
    if role not in WRITE:
        return ["-"]
    return [c for c, table in (("in", WRITE_IN), ("out", WRITE_OUT)) if role in table]


def engagement_create_cases(role: str) -> list[str]:
    cases = object_cases(role)
    if role in WRITE_OUT and "in" in cases:
        cases.append("out-region")
    return cases


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
    # the account area: one's own tokens and password, for every role. The matrix's sessions
    # and tokens are shared, so the writes here change nothing: an unknown token id (refused
    # with a message), a password form sent empty (shown again with its errors).
    Endpoint("account-tokens", "get", no_object, plain("account-tokens"), everyone(200)),
    Endpoint(
        "account-token-revoke",
        "post",
        no_object,
        posting(plain("account-token-revoke"), {"token": "999999999"}),
        everyone(302),
    ),
    Endpoint("account-password", "get", no_object, plain("account-password"), everyone(200)),
    Endpoint(
        "account-password",
        "post",
        no_object,
        posting(plain("account-password"), {}),
        everyone(200),
    ),
    Endpoint("api:token-list", "get", no_object, plain("api:token-list"), everyone(200), api=True),
    Endpoint(
        "api:token-revoke",
        "delete",
        no_object,
        plain("api:token-revoke", "999999999"),
        everyone(404),
        api=True,
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
        "regions:search",
        "get",
        no_object,
        plain("regions:search", q="bandung", tingkat="regency"),
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
