"""Framework API: a public catalogue, admin-only previews, scoped per-engagement harmonisation."""

from rest_framework.test import APIClient

from tests.factories import UserFactory


def test_catalogue_endpoints_are_public(in_force):
    api = APIClient()
    levels = api.get("/api/v1/framework/levels/").json()
    assert [lv["roman"] for lv in levels][2:] == ["III", "IV", "V", "VI", "VII", "VIII", "IX"]
    assert levels[2]["unified_title"] == "Asisten Pendamping Pembangunan"
    units = api.get("/api/v1/framework/units/", {"q": "adiksi"}).json()
    assert [u["code"] for u in units] == ["Q.880000.101.01"]
    assert units[0]["elements"][0]["criteria"]
    packages = api.get("/api/v1/framework/packages/").json()
    assert any(p["programme"] == "napza" for p in packages)
    rules = api.get("/api/v1/framework/rules/", {"cluster": "napza"}).json()
    assert {r["scope"] for r in rules} == {"", "napza"}
    assert all(r["legal_basis"] for r in rules)
    versions = api.get("/api/v1/framework/versions/").json()
    assert versions[0]["status"] == "berlaku" and versions[0]["is_example"] is True


def test_engagement_harmonisation_is_scoped(in_force, make_engagement, national_admin):
    e = make_engagement("Sakti Peksos", "anak", education="S1")
    from framework.harmonize import engagements_harmonize

    engagements_harmonize(actor=national_admin)
    api = APIClient()
    assert api.get(f"/api/v1/framework/engagements/{e.uid}/").status_code in (401, 403)
    # a regency operator elsewhere does not see it
    outsider = UserFactory(
        role="operator_kabkota", scope_province_id="11", scope_regency_id="11.01"
    )
    api.force_authenticate(outsider)
    assert api.get(f"/api/v1/framework/engagements/{e.uid}/").status_code == 404
    api.force_authenticate(national_admin)
    body = api.get(f"/api/v1/framework/engagements/{e.uid}/").json()
    assert body["qualification_level"] == "VI"
    assert body["unified_title"] == "Pendamping Pembangunan Utama"
    assert body["harmonisation"]["legal_basis"]


def test_preview_and_unmatched_are_for_national_admin(in_force, national_admin, operator):
    api = APIClient()
    api.force_authenticate(operator)
    assert api.get(f"/api/v1/framework/versions/{in_force.pk}/preview/").status_code == 403
    assert api.get("/api/v1/framework/unmatched/").status_code == 403
    api.force_authenticate(national_admin)
    body = api.get(f"/api/v1/framework/versions/{in_force.pk}/preview/").json()
    assert body["level_changes"] == 0
    assert api.get("/api/v1/framework/unmatched/").status_code == 200


def test_openapi_schema_describes_the_endpoints():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in ("levels/", "units/", "packages/", "rules/", "versions/", "engagements/{uid}/"):
        assert f"/api/v1/framework/{path}" in paths
