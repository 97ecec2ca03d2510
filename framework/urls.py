from django.urls import path, re_path

from framework import views

app_name = "framework"
urlpatterns = [
    path("", views.index, name="index"),
    path("paket/", views.package_list, name="package-list"),
    path("unit/", views.unit_list, name="unit-list"),
    path("unit/<str:code>/", views.unit_detail, name="unit-detail"),
    path("aturan/", views.rule_list, name="rule-list"),
    path("aturan/baru/", views.rule_create, name="rule-create"),
    path("aturan/<int:pk>/ubah/", views.rule_edit, name="rule-edit"),
    path("aturan/<int:pk>/hapus/", views.rule_delete, name="rule-delete"),
    path("versi/", views.version_list, name="version-list"),
    path("versi/impor/", views.version_import, name="version-import"),
    path("versi/<int:pk>/", views.version_detail, name="version-detail"),
    re_path(
        r"^versi/(?P<pk>\d+)/ekspor\.(?P<fmt>yaml|xlsx)$",
        views.version_export,
        name="version-export",
    ),
    path("versi/<int:pk>/salin/", views.version_copy, name="version-copy"),
    path("versi/<int:pk>/sepakati/", views.version_agree, name="version-agree"),
    path("versi/<int:pk>/hapus/", views.version_delete, name="version-delete"),
    path("versi/<int:pk>/pratinjau/", views.version_preview, name="version-preview"),
    path("versi/<int:pk>/berlakukan/", views.version_activate, name="version-activate"),
    path("harmonisasi/", views.harmonize, name="harmonize"),
    path("belum-cocok/", views.unmatched, name="unmatched"),
]
