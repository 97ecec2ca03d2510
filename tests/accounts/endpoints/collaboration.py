"""Collaboration's rows: the inbox, HR requests, referrals, area teams and self-service.

Requests follow the registry's scope (one open registration request per person, so "in" and
"out" are the same people as the registry's rows). Referrals have their own reach: the parties
of a case, the receiving cluster's coordinators, and national administrators and auditors
(children's cases never in their lists). A step a role may not take comes back as a message on
the page (a redirect), by design of the collaboration views; the checks make sure nothing moved.
"""

import json

from django.urls import reverse

from accounts.models import AuditEntry
from collaboration.models import ReceivingUnit, Referral, Request
from registry.models import Flag, LevelReview, Programme
from registry.nik import mask_phone
from tests.accounts.endpoints.base import (
    Endpoint,
    assert_no_leak,
    check_leak_only,
    everyone,
    no_object,
    object_cases,
    person_url,
    plain,
    posting,
    when,
)
from tests.accounts.endpoints.base import (
    Request as HttpRequest,
)
from tests.accounts.world import (
    PEOPLE,
    READ,
    ROLES,
    USERS,
    VERIFY,
    VISIBLE,
    WRITE,
    World,
    in_person,
    out_person,
    phone_of,
)
from tests.accounts.world_capabilities import (
    AREA,
    AREA_PEOPLE,
    CORRECTION,
    DECIDE_REVIEW,
    REFER,
    REFERRAL_IN,
    REFERRAL_LIST,
    REFERRAL_OPEN,
    REFERRAL_PARTIES,
    REFERRAL_RESPOND,
    REFERRAL_STATS,
    REFERRALS,
    SEES_CONTACT,
    SUBMIT,
    VERIFY_REQUEST,
    referral_nik,
    sees_area,
)

EVERYONE = set(ROLES)


def _key(role: str, case: str) -> str:
    return out_person(role) if case == "out" else in_person(role)


def request_url(name: str, data: dict[str, str] | None = None):
    def build(world: World, role: str, case: str) -> HttpRequest:
        return reverse(name, kwargs={"uid": world.requests[_key(role, case)].uid}), data

    return build


def referral_cases(role: str) -> list[str]:
    cases = ["in"] if role in REFERRAL_IN else []
    return cases + ([] if "jatim" in REFERRAL_OPEN.get(role, set()) else ["out"])


def _referral(role: str, case: str) -> str:
    return "jatim" if case == "out" else REFERRAL_IN[role]


def referral_url(name: str, data: dict[str, str] | None = None):
    def build(world: World, role: str, case: str) -> HttpRequest:
        return reverse(name, kwargs={"uid": world.referrals[_referral(role, case)].uid}), data

    return build


def area_cases(role: str) -> list[str]:
    return ["in", "out"]


def area_url(world: World, role: str, case: str) -> HttpRequest:
    return f"{reverse('collaboration:area-team')}?wilayah={AREA[case]}", None


def api_area_url(world: World, role: str, case: str) -> HttpRequest:
    return reverse("api:collab-area-team", args=[AREA[case]]), None


def status_change(world: World, role: str, case: str) -> dict[str, str]:
    return {
        "kind": Request.Kind.STATUS_CHANGE,
        "engagement": str(world.engagements[_key(role, case)].uid),
        "effective_date": "2026-02-01",
        "employment_status": "honorer",
        "reason": "SK baru",
    }


def web_request_create(world: World, role: str, case: str) -> HttpRequest:
    url, _ = person_url("collaboration:request-create")(world, role, case)
    return url, status_change(world, role, case)


def api_request_create(world: World, role: str, case: str) -> HttpRequest:
    data = status_change(world, role, case)
    payload = {"employment_status": data.pop("employment_status")}
    return reverse("api:collab-request-list"), {
        **data,
        "person": str(world.people[_key(role, case)].uid),
        "payload": payload,
    }


def merge_undo_post(world: World, role: str, case: str) -> HttpRequest:
    # The world's people were never merged: whoever may see the person is sent back to the page
    # with the refusal; nobody files a request (tests/collaboration/test_merge_undo.py has the
    # merges).
    url, _ = person_url("collaboration:merge-undo")(world, role, case)
    return url, {"merge": "00000000-0000-0000-0000-000000000000", "reason": "Dua orang"}


def check_no_merge_undo(response, world: World, role: str, case: str) -> None:
    assert not Request.objects.filter(kind=Request.Kind.MERGE_UNDO).exists(), role


# Receiving units: kept by the national administrator (all), the province operator (32) and the
# regency operator (32.04); an operator without a scope keeps none.
UNIT_MANAGERS = {
    "admin_nasional",
    "operator_provinsi",
    "operator_kabkota",
    "operator_kabkota_kosong",
}
UNIT_SEES = {
    "in": {"admin_nasional", "operator_provinsi", "operator_kabkota"},
    "out": {"admin_nasional"},
}


def _units() -> dict[str, ReceivingUnit]:
    return {
        case: ReceivingUnit.objects.get_or_create(
            name=f"Unit matriks {regency}",
            regency_id=regency,
            defaults={"agency_type": "Puskesmas", "email": f"unit-{case}@contoh.id"},
        )[0]
        for case, regency in (("in", "32.04"), ("out", "35.78"))
    }


def unit_cases(role: str) -> list[str]:
    return ["in", "out"]


def unit_expect(ok: int):
    def expect(role: str, case: str) -> int:
        if role not in UNIT_MANAGERS:
            return 403
        return ok if role in UNIT_SEES[case] else 404

    return expect


def unit_list_url(world: World, role: str, case: str) -> HttpRequest:
    _units()
    return reverse("collaboration:unit-list"), None


def check_unit_list(response, world: World, role: str, case: str) -> None:
    if response.status_code != 200:
        return
    html = response.content.decode()
    for where, seen_by in UNIT_SEES.items():
        name = _units()[where].name
        assert (name in html) == (role in seen_by), f"{role}: {where} unit shown={name in html}"


def unit_create_post(world: World, role: str, case: str) -> HttpRequest:
    return reverse("collaboration:unit-create"), {
        "name": "Unit baru matriks",
        "agency_type": "UPTD PPA",
        "regency_id": "32.04",
        "email": "baru@contoh.id",
        "is_active": "on",
    }


def check_unit_created(response, world: World, role: str, case: str) -> None:
    made = ReceivingUnit.objects.filter(name="Unit baru matriks").exists()
    assert made == (response.status_code == 302), f"{role}: created={made}"


def unit_edit_url(world: World, role: str, case: str) -> HttpRequest:
    return reverse("collaboration:unit-edit", args=[_units()[case].uid]), None


def unit_edit_post(world: World, role: str, case: str) -> HttpRequest:
    unit = _units()[case]
    return reverse("collaboration:unit-edit", args=[unit.uid]), {
        "name": unit.name,
        "agency_type": unit.agency_type,
        "regency_id": unit.regency_id,
        "email": "diubah@contoh.id",
    }


def check_unit_edited(response, world: World, role: str, case: str) -> None:
    changed = ReceivingUnit.objects.filter(email="diubah@contoh.id").exists()
    assert changed == (response.status_code == 302), f"{role}: edited={changed}"


def flag_url(world: World, role: str, case: str) -> HttpRequest:
    flag = world.flags[_key(role, case)]
    return reverse("collaboration:flag-resolve", args=[flag.pk]), {"note": "Sudah dicek."}


def review_url(world: World, role: str, case: str) -> HttpRequest:
    review = world.level_reviews[_key(role, case)]
    return reverse("collaboration:level-review-resolve", args=[review.uid]), {"note": "Tetap."}


def referral_form(world: World, role: str, case: str) -> HttpRequest:
    return reverse("collaboration:referral-create"), {
        "village": "32.04.05.2003",
        "receiver_programme": str(Programme.objects.get(slug="lanjut-usia").pk),
        "subject_name": "Rujukan Matriks",
        "need": "Kursi roda.",
        "urgency": "biasa",
        "consent": "on",
    }


def api_referral_create(world: World, role: str, case: str) -> HttpRequest:
    return reverse("api:collab-referral-list"), {
        "village": "32.04.05.2003",
        "receiver_programme": "lanjut-usia",
        "subject_name": "Rujukan Matriks",
        "need": "Kursi roda.",
        "consent": True,
    }


def correction(world: World, role: str, case: str) -> HttpRequest:
    return reverse("collaboration:me"), {"phone": "081200001111", "reason": "Nomor baru."}


# --- checks ----------------------------------------------------------------------------------


def _request(world: World, role: str, case: str) -> Request:
    return Request.objects.get(pk=world.requests[_key(role, case)].pk)


def correction_cases(role: str) -> list[str]:
    return ["in" if "lina" in VISIBLE[role] else "out"]


def correction_url(name: str):
    def build(world: World, role: str, case: str) -> HttpRequest:
        return reverse(name, kwargs={"uid": world.requests["koreksi"].uid}), None

    return build


def _assert_correction(text: str, role: str) -> None:
    """Lina's new phone and e-mail only to those who see her and her contacts."""
    shown = role in SEES_CONTACT and "lina" in VISIBLE[role]
    for value in CORRECTION.values():
        assert (value in text) == shown, f"{role} and the proposed {value}"


def check_correction_page(response, world: World, role: str, case: str) -> None:
    if case == "in":
        _assert_correction(response.content.decode(), role)


def check_api_correction(response, world: World, role: str, case: str) -> None:
    if case == "in":
        _assert_correction(json.dumps(response.json()), role)


def check_request_list(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    assert_no_leak(body, role)
    for key in VISIBLE[role]:
        assert PEOPLE[key][0] in body, f"{role} misses the request for {key}"


def check_request_verified(response, world: World, role: str, case: str) -> None:
    if case == "in":
        verified = _request(world, role, case).status == Request.Status.VERIFIED
        assert verified == (role in VERIFY_REQUEST), f"{role}: verified={verified}"


def check_request_created(response, world: World, role: str, case: str) -> None:
    made = Request.objects.filter(kind=Request.Kind.STATUS_CHANGE).exists()
    assert made == (response.status_code in (201, 302)), f"{role}: created={made}"


def check_flag_closed(response, world: World, role: str, case: str) -> None:
    flag = Flag.objects.get(pk=world.flags[_key(role, case)].pk)
    assert (not flag.is_open) == (response.status_code == 302)


def check_review_closed(response, world: World, role: str, case: str) -> None:
    review = LevelReview.objects.get(pk=world.level_reviews[_key(role, case)].pk)
    assert (review.status == LevelReview.Status.RESOLVED) == (response.status_code == 302)


def check_referral_list(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    for key, (name, *_) in REFERRALS.items():
        listed = key in REFERRAL_LIST.get(role, set())
        assert (name in body) == listed, f"{role} and the {key} referral in a list"


def _masked(nik: str) -> str:
    return nik[:4] + "*" * 12


def _assert_subject_nik(shown: str, role: str, key: str) -> None:
    nik = referral_nik(key)
    party = role in REFERRAL_PARTIES.get(key, set())
    assert shown == (nik if party else _masked(nik)), f"{role} sees the {key} subject's NIK"


def check_referral_page(response, world: World, role: str, case: str) -> None:
    if case != "in":
        return
    key = _referral(role, case)
    body = response.content.decode()
    party = role in REFERRAL_PARTIES.get(key, set())
    assert (referral_nik(key) in body) == party
    assert party or _masked(referral_nik(key)) in body
    _assert_child_case_opening(world, role, key)


def _assert_child_case_opening(world: World, role: str, key: str) -> None:
    """A children's case opened by someone who is not its party leaves a trace."""
    traced = AuditEntry.objects.filter(
        actor=world.users[role], object_id=str(world.referrals[key].pk), note="membuka kasus anak"
    ).exists()
    party = role in REFERRAL_PARTIES.get(key, set())
    assert traced == (key == "anak" and not party), f"{role} opening {key}: traced={traced}"


def check_api_referral(response, world: World, role: str, case: str) -> None:
    if case != "in":
        return
    key = _referral(role, case)
    _assert_subject_nik(response.json()["subject_nik"], role, key)
    _assert_child_case_opening(world, role, key)


def check_api_referral_list(response, world: World, role: str, case: str) -> None:
    rows = {row["subject_name"]: row for row in response.json()}
    names = {REFERRALS[k][0]: k for k in REFERRALS}
    assert {names[n] for n in rows} == REFERRAL_LIST.get(role, set())
    for name, row in rows.items():
        _assert_subject_nik(row["subject_nik"], role, names[name])


def check_referral_answered(response, world: World, role: str, case: str) -> None:
    referral = Referral.objects.get(pk=world.referrals[_referral(role, case)].pk)
    answered = referral.status != Referral.Status.SENT
    expected = (role, _referral(role, case)) in REFERRAL_RESPOND and case == "in"
    assert answered == expected, f"{role}: {referral.status}"


def check_referral_sent(response, world: World, role: str, case: str) -> None:
    sent = Referral.objects.filter(subject_name="Rujukan Matriks").exists()
    assert sent == (role in REFER)


def check_api_stats(response, world: World, role: str, case: str) -> None:
    groups = {(row["region"], row["programme"]) for row in response.json()}
    assert groups == REFERRAL_STATS.get(role, set()), f"{role}: {sorted(groups)}"


def _assert_team(members: dict[str, str], role: str, case: str) -> None:
    """name -> phone as shown. The whole team (every cluster) to anyone who sees one of its
    members; phones in full to those who reach facilitators, and one's own."""
    expected = AREA_PEOPLE[case] if sees_area(role, case) else set()
    assert set(members) == {PEOPLE[k][0] for k in expected}, f"{role}: {sorted(members)}"
    for key in expected:
        if PEOPLE[key][0] == "Dewi Lestari" or PEOPLE[key][0] == "Budi Santoso":
            continue  # two people share each of these names
        full = role in SEES_CONTACT or USERS[role].get("person") == key
        phone = members[PEOPLE[key][0]]
        assert phone == (phone_of(key) if full else mask_phone(phone_of(key))), f"{role}, {key}"


def check_area_page(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    members = {}
    for key in AREA_PEOPLE[case]:
        name = PEOPLE[key][0]
        if name in body:
            members[name] = phone_of(key) if phone_of(key) in body else mask_phone(phone_of(key))
    _assert_team(members, role, case)


def check_api_area(response, world: World, role: str, case: str) -> None:
    _assert_team({m["name"]: m["phone"] for m in response.json()}, role, case)


def check_me(response, world: World, role: str, case: str) -> None:
    if response.status_code == 200:
        body = response.content.decode()
        key = USERS[role]["person"]
        assert PEOPLE[key][0] in body
        assert_no_leak(body, role)


def check_correction(response, world: World, role: str, case: str) -> None:
    made = Request.objects.filter(
        kind=Request.Kind.DATA_CORRECTION, submitted_by=world.users[role]
    ).exists()
    assert made == (response.status_code == 302)


def check_api_requests(response, world: World, role: str, case: str) -> None:
    persons = {row["person"] for row in response.json()}
    assert persons == {str(world.people[k].uid) for k in VISIBLE[role]}, f"{role}"
    _assert_correction(json.dumps(response.json()), role)


def check_counts_only(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    for name, *_ in REFERRALS.values():
        assert name not in body, f"{role} sees a referred person on the statistics page"


ENDPOINTS: list[Endpoint] = [
    # the inbox: what waits for the user, in their scope
    Endpoint(
        "collaboration:inbox",
        "get",
        no_object,
        plain("collaboration:inbox"),
        everyone(200),
        check_leak_only,
    ),
    Endpoint(
        "collaboration:inbox-badge",
        "get",
        no_object,
        plain("collaboration:inbox-badge"),
        everyone(200),
    ),
    Endpoint(
        "collaboration:notifications-read",
        "post",
        no_object,
        posting(plain("collaboration:notifications-read")),
        everyone(302),
    ),
    Endpoint(
        "collaboration:flag-resolve",
        "post",
        object_cases,
        flag_url,
        when(WRITE | VERIFY, 302, no=404),
        check_flag_closed,
    ),
    Endpoint(
        "collaboration:level-review-resolve",
        "post",
        object_cases,
        review_url,
        when(DECIDE_REVIEW, 302, no=404),
        check_review_closed,
    ),
    # HR requests
    Endpoint(
        "collaboration:request-list",
        "get",
        no_object,
        plain("collaboration:request-list"),
        everyone(200),
        check_request_list,
    ),
    Endpoint(
        "collaboration:request-detail",
        "get",
        object_cases,
        request_url("collaboration:request-detail"),
        when(EVERYONE, 200),
        check_leak_only,
    ),
    Endpoint(
        "collaboration:request-detail",
        "get",
        correction_cases,
        correction_url("collaboration:request-detail"),
        when(EVERYONE, 200),
        check_correction_page,
        variant="koreksi",
    ),
    Endpoint(
        "collaboration:request-action",
        "post",
        object_cases,
        request_url("collaboration:request-action", {"action": "verifikasi"}),
        when(EVERYONE, 302),
        check_request_verified,
    ),
    Endpoint(
        "collaboration:request-create",
        "get",
        object_cases,
        person_url("collaboration:request-create"),
        when(READ, 200),
    ),
    Endpoint(
        "collaboration:request-create",
        "post",
        object_cases,
        web_request_create,
        lambda role, case: 404 if case == "out" else (302 if role in SUBMIT else 200),
        check_request_created,
    ),
    Endpoint(
        "collaboration:merge-undo",
        "post",
        object_cases,
        merge_undo_post,
        when(EVERYONE, 302),
        check_no_merge_undo,
    ),
    # receiving units of other agencies
    Endpoint(
        "collaboration:unit-list",
        "get",
        no_object,
        unit_list_url,
        lambda role, case: 200 if role in UNIT_MANAGERS else 403,
        check_unit_list,
    ),
    Endpoint(
        "collaboration:unit-create",
        "get",
        no_object,
        plain("collaboration:unit-create"),
        lambda role, case: 200 if role in UNIT_MANAGERS else 403,
    ),
    Endpoint(
        "collaboration:unit-create",
        "post",
        no_object,
        unit_create_post,
        # an operator without a scope may open the form but never create a unit
        lambda role, case: 302 if role in UNIT_SEES["in"] else 403,
        check_unit_created,
    ),
    Endpoint(
        "collaboration:unit-edit",
        "get",
        unit_cases,
        unit_edit_url,
        unit_expect(200),
    ),
    Endpoint(
        "collaboration:unit-edit",
        "post",
        unit_cases,
        unit_edit_post,
        unit_expect(302),
        check_unit_edited,
    ),
    # referrals
    Endpoint(
        "collaboration:referral-list",
        "get",
        no_object,
        plain("collaboration:referral-list"),
        everyone(200),
        check_referral_list,
    ),
    Endpoint(
        "collaboration:referral-create",
        "get",
        no_object,
        plain("collaboration:referral-create"),
        when(REFER, 200),
    ),
    Endpoint(
        "collaboration:referral-create",
        "post",
        no_object,
        referral_form,
        when(REFER, 302),
        check_referral_sent,
    ),
    Endpoint(
        "collaboration:referral-detail",
        "get",
        referral_cases,
        referral_url("collaboration:referral-detail"),
        when(EVERYONE, 200),
        check_referral_page,
    ),
    Endpoint(
        "collaboration:referral-action",
        "post",
        referral_cases,
        referral_url("collaboration:referral-action", {"action": "terima"}),
        when(EVERYONE, 302),
        check_referral_answered,
    ),
    # Counts only (children's cases included), in the role's region and clusters.
    Endpoint(
        "collaboration:referral-stats",
        "get",
        no_object,
        plain("collaboration:referral-stats"),
        everyone(200),
        check_counts_only,
    ),
    # area teams and self-service
    Endpoint(
        "collaboration:area-team", "get", area_cases, area_url, everyone(200), check_area_page
    ),
    Endpoint(
        "collaboration:me",
        "get",
        no_object,
        plain("collaboration:me"),
        lambda role, case: 200 if "person" in USERS[role] else 404,
        check_me,
    ),
    Endpoint(
        "collaboration:me",
        "post",
        no_object,
        correction,
        lambda role, case: 302 if "person" in USERS[role] else 404,
        check_correction,
    ),
    # API
    Endpoint(
        "api:collab-request-list",
        "get",
        no_object,
        plain("api:collab-request-list"),
        everyone(200),
        check_api_requests,
        api=True,
    ),
    Endpoint(
        "api:collab-request-list",
        "post",
        object_cases,
        api_request_create,
        lambda role, case: 404 if case == "out" else (201 if role in SUBMIT else 403),
        check_request_created,
        api=True,
    ),
    Endpoint(
        "api:collab-request-detail",
        "get",
        object_cases,
        request_url("api:collab-request-detail"),
        when(EVERYONE, 200),
        api=True,
    ),
    Endpoint(
        "api:collab-request-detail",
        "get",
        correction_cases,
        correction_url("api:collab-request-detail"),
        when(EVERYONE, 200),
        check_api_correction,
        api=True,
        variant="koreksi",
    ),
    Endpoint(
        "api:collab-request-detail",
        "post",
        object_cases,
        request_url("api:collab-request-detail", {"action": "verifikasi"}),
        when(VERIFY_REQUEST, 200),
        check_request_verified,
        api=True,
    ),
    Endpoint(
        "api:collab-referral-list",
        "get",
        no_object,
        plain("api:collab-referral-list"),
        everyone(200),
        check_api_referral_list,
        api=True,
    ),
    Endpoint(
        "api:collab-referral-list",
        "post",
        no_object,
        api_referral_create,
        when(REFER, 201),
        check_referral_sent,
        api=True,
    ),
    Endpoint(
        "api:collab-referral-detail",
        "get",
        referral_cases,
        referral_url("api:collab-referral-detail"),
        when(EVERYONE, 200),
        check_api_referral,
        api=True,
    ),
    Endpoint(
        "api:collab-referral-detail",
        "post",
        referral_cases,
        referral_url("api:collab-referral-detail", {"action": "terima"}),
        lambda role, case: 404
        if case == "out"
        else (200 if (role, _referral(role, case)) in REFERRAL_RESPOND else 403),
        check_referral_answered,
        api=True,
    ),
    Endpoint(
        "api:collab-referral-stats",
        "get",
        no_object,
        plain("api:collab-referral-stats"),
        everyone(200),
        check_api_stats,
        api=True,
    ),
    Endpoint(
        "api:collab-inbox-counts",
        "get",
        no_object,
        plain("api:collab-inbox-counts"),
        everyone(200),
        api=True,
    ),
    Endpoint(
        "api:collab-area-team",
        "get",
        area_cases,
        api_area_url,
        everyone(200),
        check_api_area,
        api=True,
    ),
]
