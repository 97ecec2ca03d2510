"""Collaboration routes of the v1 API; included from api/urls.py under ``kolaborasi/``."""

from django.urls import path

from collaboration import api

urlpatterns = [
    path("requests/", api.RequestListApi.as_view(), name="collab-request-list"),
    path("requests/<uuid:uid>/", api.RequestDetailApi.as_view(), name="collab-request-detail"),
    path("referrals/", api.ReferralListApi.as_view(), name="collab-referral-list"),
    path("referrals/stats/", api.ReferralStatsApi.as_view(), name="collab-referral-stats"),
    path("referrals/<uuid:uid>/", api.ReferralDetailApi.as_view(), name="collab-referral-detail"),
    path("inbox/counts/", api.InboxCountsApi.as_view(), name="collab-inbox-counts"),
    path("area-team/<str:code>/", api.AreaTeamApi.as_view(), name="collab-area-team"),
]
