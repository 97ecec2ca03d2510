"""Distribution routes of the v1 API; included from api/urls.py under ``distribution/``."""

from django.urls import path

from distribution import api

urlpatterns = [
    path("regions/", api.RegionFiguresView.as_view(), name="distribution-regions"),
    path("report/", api.ReportView.as_view(), name="distribution-report"),
    path("workload/", api.WorkloadView.as_view(), name="distribution-workload"),
    path(
        "redeployment/<str:code>/",
        api.RedeploymentView.as_view(),
        name="distribution-redeployment",
    ),
    path("standards/", api.StandardsView.as_view(), name="distribution-standards"),
    path("caseloads/", api.CaseloadView.as_view(), name="distribution-caseloads"),
]
