from django.urls import include, path

from competency import views as competency_views

urlpatterns = [
    path("", include("registry.urls")),
    path("", include("accounts.urls")),
    path("wilayah/", include("regions.urls")),
    path("pekerjaan/", include("jobs.urls")),
    path("impor/", include("imports.urls")),
    path("kerangka/", include("framework.urls")),
    path("sebaran/", include("distribution.urls")),
    path("insentif/", include("incentives.urls")),
    path("kompetensi/", include("competency.urls")),
    path("kolaborasi/", include("collaboration.urls")),
    path("kegiatan/", include("logbook.urls")),
    path("verifikasi/", include("competency.public_urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(".well-known/jwks.json", competency_views.jwks, name="well-known-jwks"),
]
