"""Public, unauthenticated pages: certificate verification, the status list and the issuer's
public key. They carry no personal data beyond the holder's name and certificate facts."""

from django.urls import path

from competency import views

app_name = "competency_public"
urlpatterns = [
    path("jwks.json", views.jwks, name="jwks"),
    path("status/pencabutan-1/", views.status_list, name="status-list"),
    path("", views.verify_lookup, name="lookup"),
    path("<str:public_id>/", views.verify_page, name="verify"),
]
