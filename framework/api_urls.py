"""Framework API routes; api/urls.py includes them under /api/v1/framework/."""

from django.urls import path

from framework import api

urlpatterns = [
    path("versions/", api.VersionListView.as_view(), name="framework-version-list"),
    path("versions/<int:pk>/", api.VersionDetailView.as_view(), name="framework-version-detail"),
    path(
        "versions/<int:pk>/preview/",
        api.VersionPreviewView.as_view(),
        name="framework-version-preview",
    ),
    path("levels/", api.LevelListView.as_view(), name="framework-level-list"),
    path("units/", api.UnitListView.as_view(), name="framework-unit-list"),
    path("units/<str:code>/", api.UnitDetailView.as_view(), name="framework-unit-detail"),
    path("packages/", api.PackageListView.as_view(), name="framework-package-list"),
    path("rules/", api.RuleListView.as_view(), name="framework-rule-list"),
    path("unmatched/", api.UnmatchedListView.as_view(), name="framework-unmatched"),
    path(
        "engagements/<uuid:uid>/",
        api.EngagementHarmonisationView.as_view(),
        name="framework-engagement-harmonisation",
    ),
]
