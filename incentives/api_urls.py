"""Incentive API routes; api/urls.py includes them under /api/v1/incentives/."""

from django.urls import path

from incentives import api

urlpatterns = [
    path("scales/", api.ScaleListApi.as_view(), name="incentive-scale-list"),
    path("scales/<uuid:uid>/", api.ScaleDetailApi.as_view(), name="incentive-scale-detail"),
    path("indexes/", api.IndexListApi.as_view(), name="incentive-index-list"),
    path("indexes/<uuid:uid>/", api.IndexDetailApi.as_view(), name="incentive-index-detail"),
    path("summary/", api.SummaryApi.as_view(), name="incentive-summary"),
    path("scenarios/", api.ScenarioListApi.as_view(), name="incentive-scenario-list"),
    path("scenarios/compare/", api.ScenarioCompareApi.as_view(), name="incentive-scenario-compare"),
    path("roster/", api.RosterApi.as_view(), name="incentive-roster"),
    path(
        "engagements/<uuid:uid>/",
        api.EngagementIncentiveApi.as_view(),
        name="incentive-engagement",
    ),
]
