"""Competency's rows: the catalogue and classes, certification reference data, assessments,
certificates (with their PDF and signed credential), RPL, planning, notifications, the public
verification pages and the competency API.

Objects are addressed the way each role reaches them (``world_competency``): people through the
registry scope plus the competency roles' own reach, certificates through their holders (and an
assessor's own LSP), assessments and RPL applications through the registry scope or the
assignment. The catalogue is open to every signed-in user, so a course or class one may not
manage is refused, not hidden. Competency pages name people but never show a NIK, not even
masked; every certificate download (PDF, credential) leaves an export entry in the audit.

Some web forms report a refused step as a message on the page they redirect to (issuing,
revoking, creating a class, enrolling), by design of the competency views: those rows expect the
redirect and their checks make sure nothing was written.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from competency.forms import unit_prefix
from competency.models import (
    Assessment,
    Assessor,
    Attendance,
    Certificate,
    CertificationBody,
    Course,
    Enrolment,
    RplApplication,
    RplEvidence,
    Scheme,
    TestSite,
    TrainingClass,
    TrainingProvider,
    UnitResult,
)
from registry.nik import mask_nik, mask_phone
from tests.accounts.endpoints.base import (
    Endpoint,
    Request,
    body_of,
    check_export_audited,
    everyone,
    no_object,
    object_cases,
    plain,
    posting,
    when,
)
from tests.accounts.world import (
    ALL,
    PEOPLE,
    ROLES,
    USERS,
    VISIBLE,
    World,
    in_person,
    nik_of,
    out_person,
    phone_of,
    sees_full_nik,
)
from tests.accounts.world_competency import (
    ASSESSMENTS_SEEN,
    CATALOGUE,
    CERTIFICATES_SEEN,
    CERTIFICATION_MANAGE,
    COURSE_UNIT,
    ENROL,
    ISSUE,
    NEEDS,
    OTHER_TRAINEE,
    PROVIDER_REGISTER,
    REACH,
    RPL_SEEN,
    RPL_UNIT,
    TRAINEE,
    UNITS,
    evidence_file,
    notification_title,
)

EVERYONE = set(ROLES)
MANAGE = CERTIFICATION_MANAGE
# The provider list: its registrars (every provider) and a provider's staff (their own).
PROVIDER_VIEW = PROVIDER_REGISTER | {"penyelenggara_pelatihan"}
# More RPL evidence: whoever may apply for the person, or the assessor the application is
# assigned to.
EVIDENCE = ENROL | {"asesor"}
PROVIDERS_SEEN = {
    "admin_nasional": {"utama", "lain"},
    "admin_klaster": {"utama", "lain"},
    "penyelenggara_pelatihan": {"utama"},
}
# Out-of-reach objects are tried in this order (Surabaya first, then Kota Bandung, ...).
OUT_ORDER = ["sari", "lukas", "budi1", "lina", "ani"]
NEW = "Matriks Baru"  # the name (or title) of everything the write rows create


def _today() -> str:
    return timezone.localdate().isoformat()


def _in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# --- which object a role is tried on -------------------------------------------------------------


def seen_cases(table: dict[str, set[str]], extra: Iterable[str] = ()) -> Callable[[str], list]:
    """The cases of a role: "in" when it reaches one of the objects, "out" when it misses one."""

    def cases(role: str) -> list[str]:
        seen = table[role]
        universe = [*extra, *OUT_ORDER]
        return (["in"] if seen else []) + (["out"] if any(k not in seen for k in universe) else [])

    return cases


def pick(table: dict[str, set[str]], prefer: Iterable[str] = (), out_first: Iterable[str] = ()):
    """The key of the object a role is tried on: the first it reaches (``prefer`` first), or the
    first it does not (``out_first`` first)."""

    def key(role: str, case: str) -> str:
        seen = table[role]
        if case == "out":
            return next(k for k in [*out_first, *OUT_ORDER] if k not in seen)
        return next(k for k in [*prefer, *PEOPLE] if k in seen)

    return key


reach_key = pick(REACH)
certificate_key = pick(CERTIFICATES_SEEN)
rpl_key = pick(RPL_SEEN)
reach_cases = seen_cases(REACH)
certificate_cases = seen_cases(CERTIFICATES_SEEN)
rpl_cases = seen_cases(RPL_SEEN)
assessment_cases = seen_cases(ASSESSMENTS_SEEN, extra=["lain"])


def assessment_key(prefer: str):
    return pick(ASSESSMENTS_SEEN, prefer=[prefer], out_first=["lain"])


def registry_key(role: str, case: str) -> str:
    return out_person(role) if case == "out" else in_person(role)


def provider_cases(role: str) -> list[str]:
    """The matrix provider's course or class ("in"), and for its staff another provider's
    ("out"); administrators manage both, everyone else neither."""
    return ["in", "out"] if role == "penyelenggara_pelatihan" else ["in"]


def both_providers(role: str) -> list[str]:
    return ["in", "out"]


def provider_of(case: str) -> str:
    return "lain" if case == "out" else "utama"


def enrolment_cases(role: str) -> list[str]:
    """Dewi's enrolment in the matrix provider's class ("in") when the role reaches her, and
    Budi's in the other provider's ("out") when it does not reach him."""
    return (["in"] if TRAINEE in REACH[role] else []) + (
        ["out"] if OTHER_TRAINEE not in REACH[role] else []
    )


def notification_cases(role: str) -> list[str]:
    return ["own", "other"] if role == "pendamping" else ["other"]


def at(
    name: str, key_of: Callable[[str, str], str], prefix: str, *, lookup: str = "uid", body=None
):
    """The URL of the competency object ``prefix-<key>``, with an optional body (a dict, or a
    function of the world, role and case, called per request so that uploads are fresh)."""

    def build(world: World, role: str, case: str) -> Request:
        obj = world.competency[f"{prefix}-{key_of(role, case)}"]
        data = body(world, role, case) if callable(body) else body
        return reverse(name, kwargs={lookup: getattr(obj, lookup)}), data

    return build


def person_at(name: str, key_of: Callable[[str, str], str] = reach_key, body=None):
    def build(world: World, role: str, case: str) -> Request:
        data = body(world, role, case) if callable(body) else body
        return reverse(name, kwargs={"uid": world.people[key_of(role, case)].uid}), data

    return build


# --- expectations --------------------------------------------------------------------------------


def may_renew(role: str, case: str) -> bool:
    """The issuing LSP starts a renewal (a national administrator acting for it); its assessor
    judges and recommends, never renews."""
    return role in ISSUE


def renew(yes: int):
    return lambda role, case: 404 if case == "out" else (yes if may_renew(role, case) else 403)


def may_download_credential(role: str, case: str) -> bool:
    """The credential carries a salted hash of the NIK with its salt (the NIK, to anyone who
    tries the candidates a masked NIK leaves): only to those who see the NIK in full."""
    return sees_full_nik(role, certificate_key(role, case))


def credential(yes: int):
    return lambda role, case: (
        404 if case == "out" else (yes if may_download_credential(role, case) else 403)
    )


def judges(role: str, case: str) -> bool:
    """Only the assessor an assessment or RPL application is assigned to judges it."""
    return role == "asesor" and case == "in"


# --- request bodies ------------------------------------------------------------------------------


def course_form(world: World, role: str, case: str) -> Request:
    provider = world.competency[f"provider-{provider_of(case)}"]
    return reverse("competency:course-create"), {
        "provider": str(provider.pk),
        "code": "matriks-baru",
        "title": NEW,
        "hours": "8",
        "mode": "daring",
        "units": COURSE_UNIT,
    }


def api_course(world: World, role: str, case: str) -> Request:
    _, data = course_form(world, role, case)
    return reverse("api:competency-course-list"), {
        **data,
        "provider": int(data["provider"]),
        "hours": 8,
        "units": [COURSE_UNIT],
    }


def class_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {
        "name": NEW,
        "start_date": _in_days(10),
        "end_date": _in_days(12),
        "place": "Soreang",
        "capacity": 20,
    }


def course_at(name: str, body=None):
    def build(world: World, role: str, case: str) -> Request:
        course = world.competency[f"course-{provider_of(case)}"]
        data = body(world, role, case) if body else None
        return reverse(name, kwargs={"code": course.code}), data

    return build


def class_at(name: str):
    def build(world: World, role: str, case: str) -> Request:
        return reverse(
            name, kwargs={"uid": world.competency[f"class-{provider_of(case)}"].uid}
        ), None

    return build


def enrol(api: bool):
    """Enrol the role's in-scope person (a facilitator themself, without a NIK) or an
    out-of-scope one, by NIK, in the matrix provider's class."""

    def build(world: World, role: str, case: str) -> Request:
        key = registry_key(role, case)
        own = USERS[role].get("person") == key
        name = "api:competency-enrol" if api else "competency:class-enrol"
        url = reverse(name, kwargs={"uid": world.competency["class-utama"].uid})
        return url, {"nik": "" if own else nik_of(key)}

    return build


def enrolment_at(name: str, body: dict[str, Any]):
    def build(world: World, role: str, case: str) -> Request:
        enrolment = world.competency[f"enrolment-{provider_of(case)}"]
        return reverse(name, kwargs={"uid": enrolment.uid}), dict(body)

    return build


def schedule_body(world: World, role: str, case: str) -> dict[str, Any]:
    objects = world.competency
    return {
        "nik": nik_of("ani"),
        "scheme": objects["scheme-utama"].pk,
        "assessor": objects["assessor-asesor"].pk,
        "test_site": objects["site-utama"].pk,
        "scheduled_on": _in_days(7),
    }


def rpl_apply_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {
        "units": "Q.880000.102.01",
        "kind": "dokumen",
        "file": evidence_file(),
        "description": "Portofolio",
        "note": NEW,
    }


def api_rpl_apply_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {**rpl_apply_body(world, role, case), "units": ["Q.880000.102.01"]}


def evidence_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {"kind": "surat_tugas", "file": evidence_file("surat.pdf"), "description": NEW}


def rpl_assign_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {"assessor": world.competency["assessor-lain"].pk}


def lsp_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {
        "name": f"LSP {NEW}",
        "kind": "P1",
        "licence_number": "BNSP-LSP/999/2026",
        "licence_valid_until": _in_days(365),
    }


def lsp_update_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {**lsp_body(world, role, case), "is_active": "on"}


def scheme_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {
        "lsp": world.competency["lsp-utama"].pk,
        "code": "matriks-baru",
        "name": f"Skema {NEW}",
        "level": 3,
        "units": ", ".join(UNITS),
        "validity_years": 3,
    }


def scheme_update_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {**scheme_body(world, role, case), "is_active": "on"}


def site_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {"lsp": world.competency["lsp-utama"].pk, "name": f"TUK {NEW}", "kind": "mandiri"}


def assessor_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {
        "user": world.competency["assessor-candidate"].pk,
        "lsp": world.competency["lsp-utama"].pk,
        "registration_number": "MET.MATRIKS.BARU",
    }


def api_assessor_body(world: World, role: str, case: str) -> dict[str, Any]:
    data = assessor_body(world, role, case)
    return {**data, "username": world.competency["assessor-candidate"].username}


def api_scheme_body(world: World, role: str, case: str) -> dict[str, Any]:
    return {**scheme_body(world, role, case), "units": UNITS}


def reference_at(name: str, key: str, body=None):
    """A certification reference object (``lsp-utama``, ``scheme-utama``, ...), by its pk."""

    def build(world: World, role: str, case: str) -> Request:
        data = body(world, role, case) if callable(body) else body
        return reverse(name, kwargs={"pk": world.competency[key].pk}), data

    return build


def with_body(name: str, body):
    def build(world: World, role: str, case: str) -> Request:
        return reverse(name), body(world, role, case)

    return build


# --- checks ----------------------------------------------------------------------------------


def _text(response) -> str:
    return body_of(response).decode()


def assert_people(body: str, shown: set[str], role: str) -> None:
    """Only the people in ``shown`` appear, by name; nobody's NIK appears at all, in full or
    masked, nor their phone (competency names people, it never identifies them by NIK)."""
    shown_names = {PEOPLE[k][0] for k in shown}
    for key in ALL - shown:
        name = PEOPLE[key][0]
        if name not in shown_names:  # duplicates share a name
            assert name not in body, f"{role} sees {name}, out of reach"
    for key in ALL:
        assert nik_of(key) not in body, f"{role} sees the NIK of {key}"
        assert mask_nik(nik_of(key)) not in body, f"{role} sees the masked NIK of {key}"
        assert phone_of(key) not in body, f"{role} sees the phone of {key}"
        assert mask_phone(phone_of(key)) not in body, f"{role} sees the masked phone of {key}"


def shows(table: dict[str, set[str]]):
    def check(response, world: World, role: str, case: str) -> None:
        assert_people(_text(response), table[role], role)

    return check


check_reach = shows(REACH)
check_certificate_page = shows(CERTIFICATES_SEEN)


def check_certificate_detail(response, world: World, role: str, case: str) -> None:
    """The page offers the credential download only to those who may take it."""
    check_certificate_page(response, world, role, case)
    if response.status_code == 200:
        certificate = world.competency[f"certificate-{certificate_key(role, case)}"]
        offered = reverse("competency:certificate-credential", args=[certificate.uid])
        assert (offered in _text(response)) == may_download_credential(role, case), role


check_registry_people = shows(VISIBLE)


def check_names_exactly(table: dict[str, set[str]]):
    """Everyone in the role's set by name (and nobody else): lists that must be complete."""

    def check(response, world: World, role: str, case: str) -> None:
        body = _text(response)
        if response.status_code == 200:
            for key in table[role]:
                assert PEOPLE[key][0] in body, f"{role} misses {key}"
        assert_people(body, table[role], role)

    return check


def check_person_page(response, world: World, role: str, case: str) -> None:
    check_reach(response, world, role, case)
    if response.status_code == 200:
        assert PEOPLE[reach_key(role, case)][0] in _text(response)


def _numbers(world: World, keys: Iterable[str]) -> set[str]:
    return {world.competency[f"certificate-{k}"].number for k in keys}


def check_certificate_list(response, world: World, role: str, case: str) -> None:
    body = _text(response)
    for key in PEOPLE:
        shown = world.competency[f"certificate-{key}"].number in body
        assert shown == (key in CERTIFICATES_SEEN[role]), f"{role} and {key}'s certificate"
    assert_people(body, CERTIFICATES_SEEN[role], role)


def check_api_certificates(response, world: World, role: str, case: str) -> None:
    rows = response.json()["results"]
    assert {r["number"] for r in rows} == _numbers(world, CERTIFICATES_SEEN[role]), role
    assert_people(_text(response), CERTIFICATES_SEEN[role], role)


def check_credential(response, world: World, role: str, case: str) -> None:
    """A handed-out credential is audited; it carries the holder's name, never their NIK."""
    check_export_audited(response, world, role, case)
    assert_people(_text(response), CERTIFICATES_SEEN[role], role)


def check_download_audited(response, world: World, role: str, case: str) -> None:
    """The PDF download leaves an export entry about that certificate's holder."""
    check_export_audited(response, world, role, case)
    if response.status_code == 200:
        certificate = world.competency[f"certificate-{certificate_key(role, case)}"]
        assert AuditEntry.objects.filter(
            actor=world.users[role],
            action=AuditEntry.Action.EXPORT,
            object_id=str(certificate.pk),
            person_id_ref=certificate.person_id,
        ).exists()
        assert response["Content-Type"] == "application/pdf"


def check_public_certificate(response, world: World, role: str, case: str) -> None:
    """The public page: the holder's name and the certificate's facts, no other personal data."""
    certificate = world.competency["certificate-ani"]
    body = _text(response)
    assert PEOPLE["ani"][0] in body and certificate.number in body
    assert_people(body, {"ani"}, role)
    assert PEOPLE["ani"][2].strftime("%d-%m-%Y") not in body
    assert str(world.people["ani"].uid) not in body


def saved(model, ok: tuple[int, ...] = (201, 302), **lookup):
    """The change is there exactly when the request went through (``ok``: created, or redirected
    to what was saved; a form shown again with its errors is a 200 and saves nothing)."""

    def check(response, world: World, role: str, case: str) -> None:
        exists = model.objects.filter(**lookup).exists()
        assert exists == (response.status_code in ok), f"{role}: {response.status_code}, {exists}"

    return check


def check_enrolled(response, world: World, role: str, case: str) -> None:
    person = world.people[registry_key(role, case)]
    enrolled = Enrolment.objects.filter(
        training_class=world.competency["class-utama"], person=person
    ).exists()
    # A provider's staff enrol any registered person into their own classes (class-utama).
    expected = (case == "in" and role in ENROL) or role == "penyelenggara_pelatihan"
    assert enrolled == expected, f"{role} ({case}): enrolled={enrolled}"


def check_class_made(response, world: World, role: str, case: str) -> None:
    made_ = TrainingClass.objects.filter(name=NEW).exists()
    assert made_ == (role in CATALOGUE and case == "in"), f"{role} ({case}): class={made_}"


def check_attendance(response, world: World, role: str, case: str) -> None:
    enrolment = world.competency[f"enrolment-{provider_of(case)}"]
    recorded = Attendance.objects.filter(enrolment=enrolment).exists()
    assert recorded == (response.status_code in (201, 302)), f"{role} ({case}): {recorded}"


def check_completed(response, world: World, role: str, case: str) -> None:
    enrolment = Enrolment.objects.get(pk=world.competency[f"enrolment-{provider_of(case)}"].pk)
    done = enrolment.status != Enrolment.Status.ENROLLED
    assert done == (response.status_code in (200, 302)), f"{role} ({case}): {enrolment.status}"


def check_roster(response, world: World, role: str, case: str) -> None:
    """A class's roster: the people the role reaches, nobody else (its managers included)."""
    trainee = OTHER_TRAINEE if case == "out" else TRAINEE
    body = _text(response)
    assert (PEOPLE[trainee][0] in body) == (trainee in REACH[role]), f"{role} and {trainee}"
    assert_people(body, REACH[role], role)


def check_providers(response, world: World, role: str, case: str) -> None:
    body = _text(response)
    for key in ("utama", "lain"):
        name = world.competency[f"provider-{key}"].name
        assert (name in body) == (key in PROVIDERS_SEEN.get(role, set())), f"{role}, {key}"


def check_api_providers(response, world: World, role: str, case: str) -> None:
    if response.status_code == 200:
        ids = {row["id"] for row in response.json()["results"]}
        expected = {world.competency[f"provider-{k}"].pk for k in PROVIDERS_SEEN[role]}
        assert ids == expected, role


def check_judged(response, world: World, role: str, case: str) -> None:
    judged = UnitResult.objects.filter(assessment=world.competency["assessment-nilai"]).exists()
    assert judged == judges(role, case), f"{role} ({case}): judged={judged}"


def check_issued(response, world: World, role: str, case: str) -> None:
    issued = Certificate.objects.filter(assessment=world.competency["assessment-terbit"]).exists()
    expected = role in ISSUE and case == "in"
    assert issued == expected, f"{role} ({case}): issued={issued}"
    check_reach(response, world, role, case)


def check_renewed(response, world: World, role: str, case: str) -> None:
    """A renewal is an assessment under the scheme's rule, never a certificate at once."""
    certificate = world.competency[f"certificate-{certificate_key(role, case)}"]
    started = certificate.renewal_assessments.exists()
    assert started == (case == "in" and may_renew(role, case)), f"{role} ({case})"
    assert not Certificate.objects.filter(pk=certificate.pk, renewed_by__isnull=False).exists()


def check_recommended(response, world: World, role: str, case: str) -> None:
    assessment = world.competency["assessment-rekomendasi"]
    assessment.refresh_from_db()
    recommended = assessment.status == "direkomendasikan"
    assert recommended == judges(role, case), f"{role} ({case}): recommended={recommended}"


def renew_body(world: World, role: str, case: str) -> dict:
    certificate = world.competency[f"certificate-{certificate_key(role, case)}"]
    return {
        "assessor": certificate.lsp.assessors.filter(is_active=True).first().pk,
        "scheduled_on": _today(),
    }


def check_revoked(response, world: World, role: str, case: str) -> None:
    certificate = world.competency[f"certificate-{certificate_key(role, case)}"]
    revoked = Certificate.objects.filter(pk=certificate.pk, revoked_at__isnull=False).exists()
    assert revoked == (role in MANAGE and case == "in"), f"{role} ({case}): revoked={revoked}"


def check_rpl_applied(response, world: World, role: str, case: str) -> None:
    applied = RplApplication.objects.filter(note=NEW).exists()
    assert applied == (role in ENROL and case == "in"), f"{role} ({case}): applied={applied}"


def check_rpl_decided(response, world: World, role: str, case: str) -> None:
    application = world.competency[f"rpl-{rpl_key(role, case)}"]
    decided = RplApplication.objects.filter(
        pk=application.pk, status=RplApplication.Status.DECIDED
    ).exists()
    assert decided == judges(role, case), f"{role} ({case}): decided={decided}"


def check_rpl_assigned(response, world: World, role: str, case: str) -> None:
    application = world.competency[f"rpl-{rpl_key(role, case)}"]
    assigned = RplApplication.objects.filter(
        pk=application.pk, assessor=world.competency["assessor-lain"]
    ).exists()
    was = application.assessor_id == world.competency["assessor-lain"].pk
    assert assigned == (was or (role in MANAGE and case == "in")), f"{role} ({case})"


def check_evidence(response, world: World, role: str, case: str) -> None:
    added = RplEvidence.objects.filter(description=NEW).exists()
    assert added == (role in EVIDENCE and case == "in"), f"{role} ({case}): added={added}"


def check_worklist(response, world: World, role: str, case: str) -> None:
    check_names_exactly({**{r: set() for r in ROLES}, "asesor": REACH["asesor"]})(
        response, world, role, case
    )


def check_api_worklist(response, world: World, role: str, case: str) -> None:
    if response.status_code == 200:
        people = {row["person"] for row in response.json()}
        assert people == {PEOPLE[k][0] for k in REACH["asesor"]}


def check_promotions(response, world: World, role: str, case: str) -> None:
    """Everyone attains level III and no engagement has a level yet: every person in scope is
    proposed, nobody else."""
    check_names_exactly(VISIBLE)(response, world, role, case)


def check_api_promotions(response, world: World, role: str, case: str) -> None:
    if response.status_code == 200:
        uids = {row["person_uid"] for row in response.json()["results"]}
        assert uids == {str(world.people[k].uid) for k in VISIBLE[role]}, role


def check_needs(response, world: World, role: str, case: str) -> None:
    if response.status_code == 200:
        assert response.json()["people"] == len(VISIBLE[role]), role


def check_notifications(response, world: World, role: str, case: str) -> None:
    body = _text(response)
    for key in ("ani", "lina"):
        mine = role == "pendamping" and key == "ani"
        assert (notification_title(key) in body) == mine, f"{role} and {key}'s notification"


def _notification_key(role: str, case: str) -> str:
    """Ani's notification is the facilitator's own; Lina's is someone else's to them, and Ani's
    to everyone else."""
    if role == "pendamping":
        return "ani" if case == "own" else "lina"
    return "ani"


def check_notification_read(response, world: World, role: str, case: str) -> None:
    notification = world.competency[f"notification-{_notification_key(role, case)}"]
    read = type(notification).objects.filter(pk=notification.pk, read_at__isnull=False).exists()
    assert read == (case == "own"), f"{role} ({case}): read={read}"


# --- the rows --------------------------------------------------------------------------------

managers = when(MANAGE, 200)


def _reference_rows() -> list[Endpoint]:
    """LSP, schemes, TUK and assessors: national reference data without anyone's personal data,
    listed and changed by certification managers alone, on the web and in the API."""
    registration = {"registration_number": "MET.MATRIKS.BARU"}
    tables = [
        # (URL stem, object edited, model, what every write sets (the API's PATCH body too),
        #  web create, web update, API create)
        (
            "lsp",
            "lsp-utama",
            CertificationBody,
            {"name": f"LSP {NEW}"},
            lsp_body,
            lsp_update_body,
            lsp_body,
        ),
        (
            "scheme",
            "scheme-utama",
            Scheme,
            {"name": f"Skema {NEW}"},
            scheme_body,
            scheme_update_body,
            api_scheme_body,
        ),
        ("test-site", "site-utama", TestSite, {"name": f"TUK {NEW}"}, *[site_body] * 3),
        (
            "assessor",
            "assessor-rekan",
            Assessor,
            registration,
            assessor_body,
            lambda world, role, case: {**registration, "is_active": "on"},
            api_assessor_body,
        ),
    ]
    rows = []
    for stem, key, model, marker, create, update, api_create in tables:
        web, api = f"competency:{stem}", f"api:competency-{stem}"
        rows += [
            Endpoint(f"{web}-list", "get", no_object, plain(f"{web}-list"), managers),
            Endpoint(f"{web}-create", "get", no_object, plain(f"{web}-create"), managers),
            Endpoint(
                f"{web}-create",
                "post",
                no_object,
                with_body(f"{web}-create", create),
                when(MANAGE, 302),
                saved(model, **marker),
            ),
            Endpoint(
                f"{web}-update", "get", no_object, reference_at(f"{web}-update", key), managers
            ),
            Endpoint(
                f"{web}-update",
                "post",
                no_object,
                reference_at(f"{web}-update", key, update),
                when(MANAGE, 302),
                saved(model, **marker),
            ),
            Endpoint(f"{api}-list", "get", no_object, plain(f"{api}-list"), managers, api=True),
            Endpoint(
                f"{api}-list",
                "post",
                no_object,
                with_body(f"{api}-list", api_create),
                when(MANAGE, 201),
                saved(model, **marker),
                api=True,
            ),
            Endpoint(
                f"{api}-detail",
                "get",
                no_object,
                reference_at(f"{api}-detail", key),
                managers,
                api=True,
            ),
            Endpoint(
                f"{api}-detail",
                "patch",
                no_object,
                reference_at(f"{api}-detail", key, dict(marker)),
                managers,
                saved(model, ok=(200,), **marker),
                api=True,
            ),
        ]
    return rows


def _catalogue_rows() -> list[Endpoint]:
    """The course catalogue, providers, classes, enrolment, attendance and completion."""
    class_made = check_class_made
    course_made = saved(Course, title=NEW)
    return [
        Endpoint(
            "competency:index",
            "get",
            no_object,
            plain("competency:index"),
            everyone(200),
            check_reach,
        ),
        # The catalogue holds no personal data: every signed-in user reads it.
        Endpoint(
            "competency:course-list",
            "get",
            no_object,
            plain("competency:course-list"),
            everyone(200),
            check_reach,
        ),
        Endpoint(
            "competency:course-detail",
            "get",
            both_providers,
            course_at("competency:course-detail"),
            everyone(200),
            check_reach,
        ),
        Endpoint(
            "competency:course-create",
            "get",
            no_object,
            plain("competency:course-create"),
            when(CATALOGUE, 200),
        ),
        # Another provider is not among a provider's choices: the form comes back with an error.
        Endpoint(
            "competency:course-create",
            "post",
            provider_cases,
            course_form,
            lambda role, case: 403 if role not in CATALOGUE else (200 if case == "out" else 302),
            course_made,
        ),
        Endpoint(
            "competency:class-create",
            "post",
            provider_cases,
            course_at("competency:class-create", class_body),
            everyone(302),
            class_made,
        ),
        Endpoint(
            "competency:provider-list",
            "get",
            no_object,
            plain("competency:provider-list"),
            when(PROVIDER_VIEW, 200),
            check_providers,
        ),
        Endpoint(
            "competency:provider-create",
            "get",
            no_object,
            plain("competency:provider-create"),
            when(PROVIDER_REGISTER, 200),
        ),
        Endpoint(
            "competency:provider-create",
            "post",
            no_object,
            posting(plain("competency:provider-create"), {"name": NEW}),
            when(PROVIDER_REGISTER, 302),
            saved(TrainingProvider, name=NEW),
        ),
        # A class is part of the catalogue; its roster shows only the people one reaches.
        Endpoint(
            "competency:class-detail",
            "get",
            both_providers,
            class_at("competency:class-detail"),
            everyone(200),
            check_roster,
        ),
        Endpoint(
            "competency:class-enrol",
            "post",
            object_cases,
            enrol(api=False),
            everyone(302),
            check_enrolled,
        ),
        Endpoint(
            "competency:enrolment-attendance",
            "post",
            enrolment_cases,
            enrolment_at("competency:enrolment-attendance", {"day": _today(), "present": "1"}),
            when(CATALOGUE, 302, no=404),
            check_attendance,
        ),
        Endpoint(
            "competency:enrolment-complete",
            "post",
            enrolment_cases,
            enrolment_at("competency:enrolment-complete", {"passed": "1"}),
            when(CATALOGUE, 302, no=404),
            check_completed,
        ),
        # API
        Endpoint(
            "api:competency-course-list",
            "get",
            no_object,
            plain("api:competency-course-list"),
            everyone(200),
            api=True,
        ),
        Endpoint(
            "api:competency-course-list",
            "post",
            provider_cases,
            api_course,
            lambda role, case: 403 if role not in CATALOGUE else (400 if case == "out" else 201),
            course_made,
            api=True,
        ),
        Endpoint(
            "api:competency-course-detail",
            "get",
            both_providers,
            course_at("api:competency-course-detail"),
            everyone(200),
            api=True,
        ),
        Endpoint(
            "api:competency-class-create",
            "post",
            provider_cases,
            course_at("api:competency-class-create", class_body),
            lambda role, case: 201 if role in CATALOGUE and case == "in" else 403,
            class_made,
            api=True,
        ),
        Endpoint(
            "api:competency-class-list",
            "get",
            no_object,
            plain("api:competency-class-list"),
            everyone(200),
            check_reach,
            api=True,
        ),
        Endpoint(
            "api:competency-provider-list",
            "get",
            no_object,
            plain("api:competency-provider-list"),
            when(PROVIDER_VIEW, 200),
            check_api_providers,
            api=True,
        ),
        Endpoint(
            "api:competency-provider-list",
            "post",
            no_object,
            posting(plain("api:competency-provider-list"), {"name": NEW}),
            when(PROVIDER_REGISTER, 201),
            saved(TrainingProvider, name=NEW),
            api=True,
        ),
        # Enrolling someone one does not see is "not found"; someone one sees but may not
        # enrol, forbidden.
        Endpoint(
            "api:competency-enrol",
            "post",
            object_cases,
            enrol(api=True),
            # A provider's staff enrol any registered person into their own class.
            lambda role, case: 201
            if role == "penyelenggara_pelatihan"
            else when(ENROL, 201)(role, case),
            check_enrolled,
            api=True,
        ),
        Endpoint(
            "api:competency-enrolment-attendance",
            "post",
            enrolment_cases,
            enrolment_at("api:competency-enrolment-attendance", {"day": _today()}),
            when(CATALOGUE, 201, no=404),
            check_attendance,
            api=True,
        ),
        Endpoint(
            "api:competency-enrolment-completion",
            "post",
            enrolment_cases,
            enrolment_at("api:competency-enrolment-completion", {"passed": True}),
            when(CATALOGUE, 200, no=404),
            check_completed,
            api=True,
        ),
    ]


def _certification_rows() -> list[Endpoint]:
    """Assessments, certificates (their PDF and credential), renewal and revocation."""
    judge = {"unit_code": UNITS[0], "verdict": "K", "assessed_on": _today()}
    unit = unit_prefix(UNITS[0])  # the page's one form: the unit's fields by its code
    decide = {f"{unit}-verdict": "K", f"{unit}-assessed_on": _today()}
    return [
        Endpoint(
            "competency:assessor-worklist",
            "get",
            no_object,
            plain("competency:assessor-worklist"),
            when({"asesor"}, 200),
            check_worklist,
        ),
        Endpoint(
            "competency:assessment-schedule",
            "get",
            no_object,
            plain("competency:assessment-schedule"),
            managers,
        ),
        Endpoint(
            "competency:assessment-schedule",
            "post",
            no_object,
            with_body("competency:assessment-schedule", schedule_body),
            when(MANAGE, 302),
            saved(Assessment, scheduled_on=timezone.localdate() + dt.timedelta(days=7)),
        ),
        Endpoint(
            "competency:assessment-detail",
            "get",
            assessment_cases,
            at("competency:assessment-detail", assessment_key("nilai"), "assessment"),
            when(EVERYONE, 200),
            check_reach,
        ),
        Endpoint(
            "competency:assessment-detail",
            "post",
            assessment_cases,
            at("competency:assessment-detail", assessment_key("nilai"), "assessment", body=decide),
            when({"asesor"}, 302),
            check_judged,
            multipart=True,
        ),
        Endpoint(
            "competency:assessment-recommend",
            "post",
            assessment_cases,
            at(
                "competency:assessment-recommend",
                assessment_key("rekomendasi"),
                "assessment",
                body={},
            ),
            when({"asesor"}, 302),
            check_recommended,
        ),
        Endpoint(
            "competency:certificate-issue",
            "post",
            assessment_cases,
            at("competency:certificate-issue", assessment_key("terbit"), "assessment", body={}),
            when(EVERYONE, 302),
            check_issued,
        ),
        Endpoint(
            "competency:certificate-list",
            "get",
            no_object,
            plain("competency:certificate-list"),
            everyone(200),
            check_certificate_list,
        ),
        Endpoint(
            "competency:certificate-detail",
            "get",
            certificate_cases,
            at("competency:certificate-detail", certificate_key, "certificate"),
            when(EVERYONE, 200),
            check_certificate_detail,
        ),
        Endpoint(
            "competency:certificate-pdf",
            "get",
            certificate_cases,
            at("competency:certificate-pdf", certificate_key, "certificate"),
            when(EVERYONE, 200),
            check_download_audited,
        ),
        Endpoint(
            "competency:certificate-credential",
            "get",
            certificate_cases,
            at("competency:certificate-credential", certificate_key, "certificate"),
            credential(200),
            check_credential,
        ),
        Endpoint(
            "competency:certificate-renew",
            "post",
            certificate_cases,
            at("competency:certificate-renew", certificate_key, "certificate", body=renew_body),
            renew(302),
            check_renewed,
        ),
        Endpoint(
            "competency:certificate-revoke",
            "post",
            certificate_cases,
            at(
                "competency:certificate-revoke",
                certificate_key,
                "certificate",
                body={"reason": NEW},
            ),
            when(EVERYONE, 302),
            check_revoked,
        ),
        # API
        Endpoint(
            "api:competency-worklist",
            "get",
            no_object,
            plain("api:competency-worklist"),
            when({"asesor"}, 200),
            check_api_worklist,
            api=True,
        ),
        Endpoint(
            "api:competency-assessment-schedule",
            "post",
            no_object,
            with_body("api:competency-assessment-schedule", schedule_body),
            when(MANAGE, 201),
            saved(Assessment, scheduled_on=timezone.localdate() + dt.timedelta(days=7)),
            api=True,
        ),
        Endpoint(
            "api:competency-unit-result",
            "post",
            assessment_cases,
            at("api:competency-unit-result", assessment_key("nilai"), "assessment", body=judge),
            when({"asesor"}, 201),
            check_judged,
            api=True,
        ),
        Endpoint(
            "api:competency-assessment-recommend",
            "post",
            assessment_cases,
            at("api:competency-assessment-recommend", assessment_key("rekomendasi"), "assessment"),
            when({"asesor"}, 200),
            check_recommended,
            api=True,
        ),
        Endpoint(
            "api:competency-certificate-issue",
            "post",
            assessment_cases,
            at("api:competency-certificate-issue", assessment_key("terbit"), "assessment"),
            when(ISSUE, 201),
            check_issued,
            api=True,
        ),
        Endpoint(
            "api:competency-certificate-list",
            "get",
            no_object,
            plain("api:competency-certificate-list"),
            everyone(200),
            check_api_certificates,
            api=True,
        ),
        Endpoint(
            "api:competency-certificate-detail",
            "get",
            certificate_cases,
            at("api:competency-certificate-detail", certificate_key, "certificate"),
            when(EVERYONE, 200),
            check_certificate_page,
            api=True,
        ),
        Endpoint(
            "api:competency-certificate-credential",
            "get",
            certificate_cases,
            at("api:competency-certificate-credential", certificate_key, "certificate"),
            credential(200),
            check_credential,
            api=True,
        ),
        Endpoint(
            "api:competency-certificate-renew",
            "post",
            certificate_cases,
            at("api:competency-certificate-renew", certificate_key, "certificate", body=renew_body),
            renew(201),
            check_renewed,
            api=True,
        ),
        Endpoint(
            "api:competency-certificate-revoke",
            "post",
            certificate_cases,
            at(
                "api:competency-certificate-revoke",
                certificate_key,
                "certificate",
                body={"reason": NEW},
            ),
            when(MANAGE, 200),
            check_revoked,
            api=True,
        ),
    ]


def _recognition_rows() -> list[Endpoint]:
    """Competency paths and RPL: apply, add evidence, assign the assessor, decide."""
    decide = {f"unit-{RPL_UNIT}": "1"}
    return [
        Endpoint(
            "competency:person-path",
            "get",
            reach_cases,
            person_at("competency:person-path"),
            when(EVERYONE, 200),
            check_person_page,
        ),
        Endpoint(
            "competency:rpl-apply",
            "get",
            reach_cases,
            person_at("competency:rpl-apply"),
            when(ENROL, 200),
            check_reach,
        ),
        Endpoint(
            "competency:rpl-apply",
            "post",
            reach_cases,
            person_at("competency:rpl-apply", body=rpl_apply_body),
            when(ENROL, 302),
            check_rpl_applied,
        ),
        Endpoint(
            "competency:rpl-detail",
            "get",
            rpl_cases,
            at("competency:rpl-detail", rpl_key, "rpl"),
            when(EVERYONE, 200),
            check_reach,
        ),
        Endpoint(
            "competency:rpl-detail",
            "post",
            rpl_cases,
            at("competency:rpl-detail", rpl_key, "rpl", body=decide),
            when({"asesor"}, 302),
            check_rpl_decided,
        ),
        # Assigning the assessor is the certification managers' alone, asked before the object.
        Endpoint(
            "competency:rpl-assign",
            "post",
            rpl_cases,
            at("competency:rpl-assign", rpl_key, "rpl", body=rpl_assign_body),
            when(MANAGE, 302, gate=MANAGE),
            check_rpl_assigned,
        ),
        Endpoint(
            "competency:rpl-evidence",
            "post",
            rpl_cases,
            at("competency:rpl-evidence", rpl_key, "rpl", body=evidence_body),
            when(EVIDENCE, 302),
            check_evidence,
        ),
        # API
        Endpoint(
            "api:competency-person-path",
            "get",
            reach_cases,
            person_at("api:competency-person-path"),
            when(EVERYONE, 200),
            check_reach,
            api=True,
        ),
        Endpoint(
            "api:competency-rpl-apply",
            "post",
            reach_cases,
            person_at("api:competency-rpl-apply", body=api_rpl_apply_body),
            when(ENROL, 201),
            check_rpl_applied,
            api=True,
            multipart=True,
        ),
        Endpoint(
            "api:competency-rpl-decide",
            "post",
            rpl_cases,
            at("api:competency-rpl-decide", rpl_key, "rpl", body={"decisions": {RPL_UNIT: True}}),
            when({"asesor"}, 200),
            check_rpl_decided,
            api=True,
        ),
        Endpoint(
            "api:competency-rpl-assign",
            "post",
            rpl_cases,
            at("api:competency-rpl-assign", rpl_key, "rpl", body=rpl_assign_body),
            when(MANAGE, 200, gate=MANAGE),
            check_rpl_assigned,
            api=True,
        ),
        Endpoint(
            "api:competency-rpl-evidence",
            "post",
            rpl_cases,
            at("api:competency-rpl-evidence", rpl_key, "rpl", body=evidence_body),
            when(EVIDENCE, 201),
            check_evidence,
            api=True,
            multipart=True,
        ),
    ]


def _planning_rows() -> list[Endpoint]:
    """Training needs and promotion proposals (aggregates of one's scope), notifications."""
    return [
        Endpoint(
            "competency:needs",
            "get",
            no_object,
            plain("competency:needs"),
            when(NEEDS, 200),
            check_registry_people,
        ),
        Endpoint(
            "competency:promotions",
            "get",
            no_object,
            plain("competency:promotions"),
            when(NEEDS, 200),
            check_promotions,
        ),
        Endpoint(
            "competency:notifications",
            "get",
            no_object,
            plain("competency:notifications"),
            everyone(200),
            check_notifications,
        ),
        Endpoint(
            "competency:notification-read",
            "post",
            notification_cases,
            at("competency:notification-read", _notification_key, "notification", lookup="pk"),
            lambda role, case: 302 if case == "own" else 404,
            check_notification_read,
        ),
        # API
        Endpoint(
            "api:competency-needs",
            "get",
            no_object,
            plain("api:competency-needs"),
            when(NEEDS, 200),
            check_needs,
            api=True,
        ),
        Endpoint(
            "api:competency-promotions",
            "get",
            no_object,
            plain("api:competency-promotions"),
            when(NEEDS, 200),
            check_api_promotions,
            api=True,
        ),
        Endpoint(
            "api:competency-notifications",
            "get",
            no_object,
            plain("api:competency-notifications"),
            everyone(200),
            check_notifications,
            api=True,
        ),
    ]


def _public_rows() -> list[Endpoint]:
    """Open without signing in: verification (the holder's name and certificate facts only),
    the revocation status list and the issuer's keys."""

    def verify(world: World, role: str, case: str) -> Request:
        public_id = world.competency["certificate-ani"].public_id
        return reverse("competency_public:verify", kwargs={"public_id": public_id}), None

    return [
        Endpoint(
            "competency_public:verify",
            "get",
            no_object,
            verify,
            everyone(200),
            check_public_certificate,
            public=True,
        ),
        *[
            Endpoint(name, "get", no_object, plain(name), everyone(200), public=True)
            for name in (
                "competency_public:lookup",
                "competency_public:status-list",
                "competency_public:jwks",
                "well-known-jwks",
            )
        ],
    ]


ENDPOINTS: list[Endpoint] = [
    *_catalogue_rows(),
    *_reference_rows(),
    *_certification_rows(),
    *_recognition_rows(),
    *_planning_rows(),
    *_public_rows(),
]
