from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView

from api import views

app_name = "api"
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", views.api_docs, name="docs"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("auth/tokens/", views.TokenListView.as_view(), name="token-list"),
    path("auth/tokens/<str:token_id>/", views.TokenRevokeView.as_view(), name="token-revoke"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/<uuid:uid>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("engagements/", views.EngagementListView.as_view(), name="engagement-list"),
    path("engagements/<uuid:uid>/", views.EngagementDetailView.as_view(), name="engagement-detail"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("regions/<str:level>/", views.RegionListView.as_view(), name="region-list"),
    path("framework/", include("framework.api_urls")),
    path("incentives/", include("incentives.api_urls")),
    path("distribution/", include("distribution.api_urls")),
    path("competency/", include("competency.api_urls")),
    path("kolaborasi/", include("collaboration.api_urls")),
    path("logbook/", include("logbook.api_urls")),
]
