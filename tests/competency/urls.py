"""The project's URLs plus what the competency app asks others to wire: the API under
/api/v1/competency/ (api/urls.py) and the issuer key at /.well-known/jwks.json."""

from django.urls import include, path

from competency import views
from satupintu.urls import urlpatterns as project

urlpatterns = [
    path("api/v1/competency/", include("competency.api_urls")),
    path(".well-known/jwks.json", views.jwks, name="well-known-jwks"),
    *project,
]
