"""The project's URLs plus the distribution API, as api/urls.py includes it."""

from django.urls import include, path

from satupintu.urls import urlpatterns as project

urlpatterns = [path("api/v1/distribution/", include("distribution.api_urls")), *project]
