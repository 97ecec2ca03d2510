"""The logbook's rows: the facilitator's own pages and endpoint, the coordinator's review,
and the workload per person.

A facilitator sees only their own entries and reports; a coordinator only their area and
cluster; the roles that see an area's distribution see its workload per person and report
totals within their registry scope, never the entries themselves. Roles an endpoint refuses
outright get 403 whatever the object; an object outside a role's reach is 404.
"""

from django.urls import reverse

from logbook.models import Entry, MonthlyReport
from tests.accounts.endpoints.base import (
    Endpoint,
    Request,
    assert_no_leak,
    check_leak_only,
    no_object,
    plain,
)
from tests.accounts.endpoints.distribution import region_cases, region_of
from tests.accounts.world import ROLES, World
from tests.accounts.world_capabilities import DISTRIBUTION, cluster_of
from tests.accounts.world_logbook import ENTRY_READERS, REPORT_IN, REPORT_OUT

FACILITATOR = {"pendamping"}
COORDINATOR = {"koordinator"}
SUBMIT = {"admin_nasional", "operator_provinsi", "operator_kabkota"}


def home_status(role: str, case: str) -> int:
    if role in FACILITATOR:
        return 200
    if role in COORDINATOR or role in DISTRIBUTION:
        return 302
    return 403


def own_cases(role: str) -> list[str]:
    return ["in", "out"] if role in FACILITATOR else ["-"]


def entry_cases(role: str) -> list[str]:
    if role in FACILITATOR:
        return ["in", "out"]
    if role in COORDINATOR:
        return ["in", "out"]
    return ["-"]


ENTRY_OF = {("pendamping", "in"): "ani", ("pendamping", "out"): "lina"}
ENTRY_OF |= {("koordinator", "in"): "lina", ("koordinator", "out"): "lukas"}


def entry_url(name: str):
    def build(world: World, role: str, case: str) -> Request:
        key = ENTRY_OF.get((role, case), "lina")
        return reverse(name, args=[world.logbook[f"entry-{key}"].uid]), None

    return build


def gate(allowed: set[str], yes: int):
    def expect(role: str, case: str) -> int:
        if role not in allowed:
            return 403
        return 404 if case == "out" else yes

    return expect


def report_cases(role: str) -> list[str]:
    return [c for c, table in (("in", REPORT_IN), ("out", REPORT_OUT)) if role in table]


def report_url(name: str, data: dict | None = None):
    def build(world: World, role: str, case: str) -> Request:
        key = (REPORT_IN if case == "in" else REPORT_OUT)[role]
        return reverse(name, args=[world.logbook[f"report-{key}"].uid]), dict(data or {})

    return build


def report_detail_status(role: str, case: str) -> int:
    return 200 if case == "in" else 404


def report_action_status(role: str, case: str) -> int:
    if case == "out":
        return 404
    return 302 if role in COORDINATOR else 403


def check_decided(response, world: World, role: str, case: str) -> None:
    status = MonthlyReport.objects.get(pk=world.logbook["report-lina"].pk).status
    approved = role in COORDINATOR and case == "in"
    assert (status == "disetujui") == approved, f"{role} ({case}): report {status}"


def check_entries_leak(response, world: World, role: str, case: str) -> None:
    body = response.content.decode()
    assert_no_leak(body, role)
    if response.status_code == 200 and role in FACILITATOR:
        assert str(world.logbook["entry-lina"].uid) not in body


def submit_month(world: World, role: str, case: str) -> Request:
    key = "lina" if case == "out" else "ani"
    month = world.logbook["entry-ani"].month
    return reverse("logbook:report-submit"), {
        "engagement": str(world.engagements[key].uid),
        "month": month.strftime("%Y-%m"),
    }


def entry_post(world: World, role: str, case: str) -> Request:
    key = "lina" if case == "out" else "ani"
    entry = world.logbook["entry-ani"]
    return reverse("logbook:entry-create"), {
        "engagement": str(world.engagements[key].uid),
        "date": entry.date.isoformat(),
        "village": entry.village_id,
        "activity_type": entry.activity_type_id,
        "clients_served": 1,
        "duration_minutes": 15,
        "note": "matriks",
    }


def check_entry_written(response, world: World, role: str, case: str) -> None:
    written = Entry.objects.filter(note="matriks").exists()
    assert written == (role in FACILITATOR and case == "in"), f"{role} ({case}) wrote an entry"


def api_entry(world: World, role: str, case: str) -> Request:
    url, data = entry_post(world, role, case)
    data["uid"] = "7f0c5a86-2b7e-4d0a-9a3e-4f1d2c3b4a59"
    return reverse("api:logbook-entries"), data


def api_status(role: str, case: str) -> int:
    if role not in FACILITATOR:
        return 403
    return 400 if case == "out" else 201


def workload_status(role: str, case: str) -> int:
    if role not in DISTRIBUTION:
        return 403
    return 404 if case == "out" else 200


def workload_url(world: World, role: str, case: str) -> Request:
    return f"{reverse('logbook:workload')}?region={region_of(role, case)}", None


def redeployment_url(world: World, role: str, case: str) -> Request:
    url = reverse("logbook:redeployment", args=[region_of(role, case)])
    return f"{url}?cluster={cluster_of(role)}", None


def transfer_post(world: World, role: str, case: str) -> Request:
    from tests.accounts.world import in_person, out_person

    key = out_person(role) if case == "out" else in_person(role)
    engagement = world.engagements[key] if key else world.engagements["sari"]
    return reverse("logbook:transfer-propose"), {
        "engagement": str(engagement.uid),
        "district": "32.04.06",
        "sk_number": "800/matriks",
        "effective_date": "2026-01-01",
    }


def transfer_cases(role: str) -> list[str]:
    from tests.accounts.endpoints.base import object_cases

    return object_cases(role) or ["out"]


def transfer_status(role: str, case: str) -> int:
    if case == "out":
        return 404
    return 302 if role in SUBMIT | {"admin_klaster"} else 403


def check_transfer(response, world: World, role: str, case: str) -> None:
    from collaboration.models import Request as HrRequest

    made = HrRequest.objects.filter(kind="mutasi", payload__sk_number="800/matriks").exists()
    assert made == (response.status_code == 302), f"{role} ({case}): transfer made={made}"


ENDPOINTS: list[Endpoint] = [
    Endpoint("logbook:home", "get", no_object, plain("logbook:home"), home_status, check_leak_only),
    Endpoint(
        "logbook:entry-create",
        "post",
        own_cases,
        entry_post,
        gate(FACILITATOR, 302),
        check_entry_written,
    ),
    Endpoint(
        "logbook:entry-delete",
        "post",
        entry_cases,
        entry_url("logbook:entry-delete"),
        gate(FACILITATOR, 302),
    ),
    Endpoint(
        "logbook:entry-attachment",
        "get",
        entry_cases,
        entry_url("logbook:entry-attachment"),
        gate(ENTRY_READERS, 200),
    ),
    Endpoint(
        "logbook:report-submit",
        "post",
        own_cases,
        submit_month,
        gate(FACILITATOR, 302),
    ),
    Endpoint(
        "logbook:report-detail",
        "get",
        report_cases,
        report_url("logbook:report-detail"),
        report_detail_status,
        check_entries_leak,
    ),
    Endpoint(
        "logbook:report-action",
        "post",
        report_cases,
        report_url("logbook:report-action", {"action": "setujui"}),
        report_action_status,
        check_decided,
    ),
    Endpoint("logbook:review", "get", no_object, plain("logbook:review"), gate(COORDINATOR, 200)),
    Endpoint(
        "logbook:workload",
        "get",
        region_cases,
        workload_url,
        workload_status,
        check_leak_only,
    ),
    Endpoint(
        "logbook:redeployment",
        "get",
        region_cases,
        redeployment_url,
        workload_status,
        check_leak_only,
    ),
    Endpoint(
        "logbook:transfer-propose",
        "post",
        transfer_cases,
        transfer_post,
        transfer_status,
        check_transfer,
    ),
    Endpoint(
        "api:logbook-entries",
        "get",
        no_object,
        plain("api:logbook-entries"),
        lambda role, case: 200 if role in FACILITATOR else 403,
        check_entries_leak,
        api=True,
    ),
    Endpoint(
        "api:logbook-entries",
        "post",
        own_cases,
        api_entry,
        api_status,
        check_entry_written,
        api=True,
    ),
]

assert set(ROLES) >= FACILITATOR | COORDINATOR
