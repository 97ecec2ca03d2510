"""The incentive API endpoints (incentives/api.py), called as DRF views."""

import pytest
from rest_framework.test import APIRequestFactory, force_authenticate

from incentives import api
from tests.factories import EngagementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db
factory = APIRequestFactory()


def _get(view, user, path="/", **kwargs):
    request = factory.get(path, kwargs.pop("params", {}))
    force_authenticate(request, user=user)
    return view.as_view()(request, **kwargs)


def test_scales_and_breakdown(national_admin, standard):
    engagement = EngagementFactory(regency_id="32.04", district_id="32.04.05", position_level=3)
    scales = _get(api.ScaleListApi, national_admin)
    assert scales.status_code == 200
    assert {s["name"] for s in scales.data} == {"Skala 2025", "Skala 2026"}
    response = _get(
        api.EngagementIncentiveApi,
        national_admin,
        uid=engagement.uid,
        params={"on": "2026-03-01"},
    )
    assert response.data["standard"] == 2_627_680 + 262_768
    assert [c["name"] for c in response.data["components"]] == [
        "Jumlah dasar × indeks wilayah",
        "Terpencil",
    ]


def test_summary_and_compare(national_admin, standard):
    EngagementFactory(regency_id="11.01", position_level=3, monthly_incentive=2_000_000)
    summary = _get(api.SummaryApi, national_admin, params={"group": "level"})
    assert summary.data["total"]["headcount"] == 1
    assert summary.data["groups"][0]["label"] == "III"
    compare = _get(api.ScenarioCompareApi, national_admin, params={"s": "berlaku"})
    assert compare.data["scenarios"][0]["total"]["standard_monthly"] == 2_200_000


def test_roster_masks_for_non_payment_roles(standard):
    EngagementFactory(
        person=PersonFactory(bank_account="1234567890"), regency_id="32.04", position_level=3
    )
    auditor = UserFactory(role="auditor")
    response = _get(api.RosterApi, auditor, params={"region": "32.04", "month": "2026-03"})
    assert response.data["payment_details_masked"] is True
    assert response.data["lines"][0]["bank_account"] == "******7890"
    facilitator = UserFactory(role="pendamping")
    assert _get(api.RosterApi, facilitator, params={"month": "2026-03"}).status_code == 403


def test_engagement_out_of_scope_is_not_found(standard):
    engagement = EngagementFactory(regency_id="32.73", position_level=3)
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    assert _get(api.EngagementIncentiveApi, operator, uid=engagement.uid).status_code == 404


def test_openapi_schema_documents_every_route():
    # incentives/api_urls.py is included by api/urls.py; its routes must resolve and document.
    from drf_spectacular.generators import SchemaGenerator

    from incentives.api_urls import urlpatterns

    schema = SchemaGenerator(patterns=urlpatterns).get_schema(request=None, public=True)
    assert len(schema["paths"]) == len(urlpatterns)


def test_create_scenario_through_the_api(national_admin, standard):
    request = factory.post(
        "/", {"name": "API", "transition_cap_percent": "5.00", "start_year": 2026}, format="json"
    )
    force_authenticate(request, user=national_admin)
    response = api.ScenarioListApi.as_view()(request)
    assert response.status_code == 201, response.data
    assert response.data["name"] == "API"
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    request = factory.post("/", {"name": "X"}, format="json")
    force_authenticate(request, user=operator)
    assert api.ScenarioListApi.as_view()(request).status_code == 403
