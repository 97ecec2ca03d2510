from django.urls import path

from registry import views

app_name = "registry"
urlpatterns = [
    path("", views.home, name="home"),
    path("registri/", views.person_list, name="person-list"),
    path("registri/baru/", views.person_create, name="person-create"),
    path("registri/ekspor/", views.registry_export, name="export"),
    path("registri/tinjau/", views.flag_list, name="flag-list"),
    path("registri/ganda/", views.duplicate_list, name="duplicate-list"),
    path("registri/gabung/", views.person_merge, name="person-merge"),
    path("registri/<uuid:uid>/", views.person_detail, name="person-detail"),
    path("registri/<uuid:uid>/ubah/", views.person_edit, name="person-edit"),
    path("registri/<uuid:uid>/verifikasi/", views.person_verify, name="person-verify"),
    path("registri/<uuid:uid>/penugasan/baru/", views.engagement_create, name="engagement-create"),
    path("registri/<uuid:uid>/tanda/<int:flag_id>/tutup/", views.flag_resolve, name="flag-resolve"),
    path("penugasan/<uuid:uid>/ubah/", views.engagement_edit, name="engagement-edit"),
]
