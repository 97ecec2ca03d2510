"""Incentives' rows: the national standard (scales, indexes, area lists, adoption), scenarios,
each engagement's breakdown and the monthly roster.

The standard and scenarios are national data without anyone's personal data: every role that
opens the incentive pages sees all of them, and only their managers change them. Amounts are
always summed over the role's own scope; the roster is an export of personal data.
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from incentives.models import Allowance, Scale, Scenario
from regions.models import Province
from registry.models import Programme
from registry.nik import mask_nik
from tests.accounts.endpoints.base import (
    Endpoint,
    Request,
    check_export_audited,
    check_leak_only,
    engagement_url,
    no_object,
    object_cases,
    plain,
    posting,
    when,
)
from tests.accounts.world import PEOPLE, READ, VISIBLE, World, nik_of, sees_full_nik
from tests.accounts.world_capabilities import (
    INCENTIVES,
    PAYMENT,
    ROSTER,
    ROSTER_MONTH,
    SCENARIO_MANAGE,
    STANDARD_MANAGE,
    bank_account_of,
)


def viewers(yes: int = 200):
    return when(INCENTIVES, yes)


def standard(yes: int = 302):
    return when(STANDARD_MANAGE, yes)


def scenarios(yes: int = 302):
    return when(SCENARIO_MANAGE, yes)


def obj_url(name: str, key: str, **kwargs):
    def build(world: World, role: str, case: str) -> Request:
        return reverse(name, kwargs={"uid": world.incentives[key].uid, **kwargs}), None

    return build


def compare_url(name: str):
    def build(world: World, role: str, case: str) -> Request:
        scenario = world.incentives["scenario"].uid
        return f"{reverse(name)}?s=berlaku&s={scenario}", None

    return build


def roster_url(name: str, **kwargs):
    def build(world: World, role: str, case: str) -> Request:
        return f"{reverse(name, kwargs=kwargs)}?region=&month={ROSTER_MONTH}", None

    return build


def scale_form(world: World, role: str, case: str) -> Request:
    return reverse("incentives:scale-list"), {
        "name": "Skala baru matriks",
        "effective_from": "2028-01-01",
        "amount_3": "2500000",
    }


def scale_update(world: World, role: str, case: str) -> Request:
    url, _ = obj_url("incentives:scale-detail", "draft_scale")(world, role, case)
    return url, {"s-name": "Skala draf diubah", "s-effective_from": "2027-01-01", "s-amount_3": "9"}


def allowance_form(world: World, role: str, case: str) -> Request:
    url, _ = obj_url("incentives:allowance-create", "draft_scale")(world, role, case)
    return url, {
        "a-kind": "sertifikasi",
        "a-name": "Tunjangan matriks",
        "a-amount": "1000",
        "a-legal_basis": "Uji",
    }


def allowance_delete(world: World, role: str, case: str) -> Request:
    scale = world.incentives["draft_scale"]
    pk = world.incentives["allowance"].pk
    return reverse("incentives:allowance-delete", kwargs={"uid": scale.uid, "pk": pk}), {}


def state(name: str, key: str):
    def build(world: World, role: str, case: str) -> Request:
        uid = world.incentives[key].uid
        return reverse(name, kwargs={"uid": uid, "action": "sepakati"}), {"decision_ref": "BA-9"}

    return build


def table_upload(name: str, header: str, rows: list[str]):
    def build(world: World, role: str, case: str) -> Request:
        body = "\n".join([header, *rows]) + "\n"
        return reverse(name), {
            "name": "Tabel matriks",
            "year": "2028",
            "source": "Uji",
            "file": SimpleUploadedFile("tabel.csv", body.encode(), content_type="text/csv"),
        }

    return build


def index_upload(world: World, role: str, case: str) -> Request:
    codes = Province.objects.values_list("code", flat=True)
    return table_upload("incentives:index-list", "province,value", [f"{c},1.0" for c in codes])(
        world, role, case
    )


def adoption_form(world: World, role: str, case: str) -> Request:
    return reverse("incentives:adoption-list"), {
        "programme": str(Programme.objects.get(slug="pkh").pk),
        "effective_month": "2026-01",
        "decision_ref": "SK-9",
    }


def scenario_form(world: World, role: str, case: str) -> Request:
    return reverse("incentives:scenario-list"), {"name": "Skenario baru matriks"}


def scenario_update(world: World, role: str, case: str) -> Request:
    url, _ = obj_url("incentives:scenario-detail", "scenario")(world, role, case)
    return url, {"description": "Diubah", "start_year": "2026"}


def api_scenario_create(world: World, role: str, case: str) -> Request:
    return reverse("api:incentive-scenario-list"), {"name": "Skenario API matriks"}


# --- checks ----------------------------------------------------------------------------------


def created(model, **lookup):
    """The row exists after the request exactly when the request went through (201 or a
    redirect to what was made); a refusal leaves nothing."""

    def check(response, world: World, role: str, case: str) -> None:
        exists = model.objects.filter(**lookup).exists()
        assert exists == (response.status_code in (201, 302)), f"{role}: {exists}"

    return check


def check_draft_agreed(response, world: World, role: str, case: str) -> None:
    scale = Scale.objects.get(pk=world.incentives["draft_scale"].pk)
    assert (scale.state != "draf") == (role in STANDARD_MANAGE), scale.state


def check_allowance_deleted(response, world: World, role: str, case: str) -> None:
    gone = not Allowance.objects.filter(pk=world.incentives["allowance"].pk).exists()
    assert gone == (role in STANDARD_MANAGE)


def check_scenario_deleted(response, world: World, role: str, case: str) -> None:
    gone = not Scenario.objects.filter(pk=world.incentives["scenario"].pk).exists()
    assert gone == (role in SCENARIO_MANAGE)


def check_headcount(response, world: World, role: str, case: str) -> None:
    """Costs are summed over the role's own scope: one engagement per person it sees."""
    if response.status_code != 200:
        return
    data = response.json()
    columns = data.get("scenarios", [data])
    for column in columns:
        assert column["total"]["headcount"] == len(VISIBLE[role]), f"{role}: {column['total']}"


def assert_roster_lines(lines: list[dict], world: World, role: str) -> None:
    """Everyone in scope, nobody else; NIK, bank account and NPWP masked by role."""
    by_engagement = {line["engagement_uid"]: line for line in lines}
    keys = {k: str(world.engagements[k].uid) for k in PEOPLE}
    assert set(by_engagement) == {keys[k] for k in VISIBLE[role]}, f"{role}: {len(lines)} lines"
    for key in VISIBLE[role]:
        line = by_engagement[keys[key]]
        full = sees_full_nik(role, key)
        assert line["nik"] == (nik_of(key) if full else mask_nik(nik_of(key))), f"{role}, {key}"
        paid = line["bank_account"] == bank_account_of(key)
        assert paid == (role in PAYMENT), f"{role} and {key}'s bank account"


def check_roster_page(response, world: World, role: str, case: str) -> None:
    check_export_audited(response, world, role, case)
    if response.status_code != 200:
        return
    body = response.content.decode()
    for key in VISIBLE[role]:
        assert PEOPLE[key][0] in body
        assert (nik_of(key) in body) == sees_full_nik(role, key)
        assert (bank_account_of(key) in body) == (role in PAYMENT)
    check_leak_only(response, world, role, case)


def check_api_roster(response, world: World, role: str, case: str) -> None:
    check_export_audited(response, world, role, case)
    if response.status_code == 200:
        data = response.json()
        assert data["payment_details_masked"] == (role not in PAYMENT)
        assert_roster_lines(data["lines"], world, role)


ENDPOINTS: list[Endpoint] = [
    Endpoint(
        "incentives:index", "get", no_object, plain("incentives:index"), viewers(), check_leak_only
    ),
    Endpoint(
        "incentives:not-computable",
        "get",
        no_object,
        plain("incentives:not-computable"),
        viewers(),
        check_leak_only,
    ),
    Endpoint(
        "incentives:recompute",
        "post",
        no_object,
        posting(plain("incentives:recompute")),
        standard(),
    ),
    # the standard: scales, allowances, indexes, special areas, adoption
    Endpoint("incentives:scale-list", "get", no_object, plain("incentives:scale-list"), viewers()),
    Endpoint(
        "incentives:scale-list",
        "post",
        no_object,
        scale_form,
        standard(),
        created(Scale, name="Skala baru matriks"),
    ),
    Endpoint(
        "incentives:scale-detail",
        "get",
        no_object,
        obj_url("incentives:scale-detail", "scale"),
        viewers(),
    ),
    Endpoint(
        "incentives:scale-detail",
        "post",
        no_object,
        scale_update,
        standard(),
        created(Scale, name="Skala draf diubah"),
    ),
    Endpoint(
        "incentives:scale-copy",
        "post",
        no_object,
        posting(obj_url("incentives:scale-copy", "scale")),
        standard(),
    ),
    Endpoint(
        "incentives:scale-state",
        "post",
        no_object,
        state("incentives:scale-state", "draft_scale"),
        standard(),
        check_draft_agreed,
    ),
    Endpoint(
        "incentives:allowance-create",
        "post",
        no_object,
        allowance_form,
        standard(),
        created(Allowance, name="Tunjangan matriks"),
    ),
    Endpoint(
        "incentives:allowance-delete",
        "post",
        no_object,
        allowance_delete,
        standard(),
        check_allowance_deleted,
    ),
    Endpoint("incentives:index-list", "get", no_object, plain("incentives:index-list"), viewers()),
    Endpoint(
        "incentives:index-list", "post", no_object, index_upload, standard(), variant="unggah"
    ),
    Endpoint(
        "incentives:index-detail",
        "get",
        no_object,
        obj_url("incentives:index-detail", "index"),
        viewers(),
    ),
    Endpoint(
        "incentives:index-state",
        "post",
        no_object,
        state("incentives:index-state", "draft_index"),
        standard(),
    ),
    Endpoint("incentives:area-list", "get", no_object, plain("incentives:area-list"), viewers()),
    Endpoint(
        "incentives:area-list",
        "post",
        no_object,
        table_upload("incentives:area-list", "kategori,kecamatan", ["terpencil,32.04.06"]),
        standard(),
        variant="unggah",
    ),
    Endpoint(
        "incentives:area-detail",
        "get",
        no_object,
        obj_url("incentives:area-detail", "area_list"),
        viewers(),
    ),
    Endpoint(
        "incentives:adoption-list", "get", no_object, plain("incentives:adoption-list"), viewers()
    ),
    Endpoint("incentives:adoption-list", "post", no_object, adoption_form, standard()),
    # One engagement's standard incentive: a registry read of one record, in the registry's
    # scope (a facilitator sees their own; the competency roles see no engagement at all).
    Endpoint(
        "incentives:breakdown",
        "get",
        object_cases,
        engagement_url("incentives:breakdown"),
        when(READ, 200),
        check_leak_only,
    ),
    # scenarios
    Endpoint(
        "incentives:scenario-list", "get", no_object, plain("incentives:scenario-list"), viewers()
    ),
    Endpoint(
        "incentives:scenario-list",
        "post",
        no_object,
        scenario_form,
        scenarios(),
        created(Scenario, name="Skenario baru matriks"),
    ),
    Endpoint(
        "incentives:scenario-detail",
        "get",
        no_object,
        obj_url("incentives:scenario-detail", "scenario"),
        viewers(),
    ),
    Endpoint(
        "incentives:scenario-detail",
        "post",
        no_object,
        scenario_update,
        scenarios(),
        created(Scenario, description="Diubah"),
    ),
    Endpoint(
        "incentives:scenario-delete",
        "post",
        no_object,
        posting(obj_url("incentives:scenario-delete", "scenario")),
        scenarios(),
        check_scenario_deleted,
    ),
    Endpoint(
        "incentives:scenario-compare",
        "get",
        no_object,
        compare_url("incentives:scenario-compare"),
        viewers(),
        check_leak_only,
    ),
    Endpoint(
        "incentives:scenario-export",
        "get",
        no_object,
        compare_url("incentives:scenario-export"),
        viewers(),
        check_export_audited,
    ),
    # the roster: personal data in bulk, audited even on screen
    Endpoint(
        "incentives:roster",
        "get",
        no_object,
        roster_url("incentives:roster"),
        when(ROSTER, 200),
        check_roster_page,
    ),
    Endpoint(
        "incentives:roster-download",
        "get",
        no_object,
        roster_url("incentives:roster-download", fmt="xlsx"),
        when(ROSTER, 200),
        check_export_audited,
    ),
    # API
    *[
        Endpoint(name, "get", no_object, build, viewers(), api=True)
        for name, build in [
            ("api:incentive-scale-list", plain("api:incentive-scale-list")),
            ("api:incentive-scale-detail", obj_url("api:incentive-scale-detail", "scale")),
            ("api:incentive-index-list", plain("api:incentive-index-list")),
            ("api:incentive-index-detail", obj_url("api:incentive-index-detail", "index")),
            ("api:incentive-scenario-list", plain("api:incentive-scenario-list")),
        ]
    ],
    Endpoint(
        "api:incentive-summary",
        "get",
        no_object,
        plain("api:incentive-summary"),
        viewers(),
        check_headcount,
        api=True,
    ),
    Endpoint(
        "api:incentive-scenario-compare",
        "get",
        no_object,
        compare_url("api:incentive-scenario-compare"),
        viewers(),
        check_headcount,
        api=True,
    ),
    Endpoint(
        "api:incentive-scenario-list",
        "post",
        no_object,
        api_scenario_create,
        scenarios(201),
        created(Scenario, name="Skenario API matriks"),
        api=True,
    ),
    Endpoint(
        "api:incentive-roster",
        "get",
        no_object,
        roster_url("api:incentive-roster"),
        when(ROSTER, 200),
        check_api_roster,
        api=True,
    ),
    Endpoint(
        "api:incentive-engagement",
        "get",
        object_cases,
        engagement_url("api:incentive-engagement"),
        when(READ, 200),
        api=True,
    ),
]
