from django.urls import path

from incentives import views

app_name = "incentives"
urlpatterns = [
    path("", views.index, name="index"),
    path("tidak-terhitung/", views.not_computable, name="not-computable"),
    path("hitung-ulang/", views.recompute, name="recompute"),
    path("skala/", views.scale_list, name="scale-list"),
    path("skala/<uuid:uid>/", views.scale_detail, name="scale-detail"),
    path("skala/<uuid:uid>/salin/", views.scale_copy, name="scale-copy"),
    path("skala/<uuid:uid>/<str:action>/", views.scale_state, name="scale-state"),
    path("skala/<uuid:uid>/tunjangan/baru/", views.allowance_create, name="allowance-create"),
    path(
        "skala/<uuid:uid>/tunjangan/<int:pk>/hapus/",
        views.allowance_delete,
        name="allowance-delete",
    ),
    path("indeks/", views.index_list, name="index-list"),
    path("indeks/<uuid:uid>/", views.index_detail, name="index-detail"),
    path("indeks/<uuid:uid>/<str:action>/", views.index_state, name="index-state"),
    path("wilayah-khusus/", views.area_list, name="area-list"),
    path("wilayah-khusus/<uuid:uid>/", views.area_detail, name="area-detail"),
    path("penerapan/", views.adoption_list, name="adoption-list"),
    path("penugasan/<uuid:uid>/", views.breakdown, name="breakdown"),
    path("skenario/", views.scenario_list, name="scenario-list"),
    path("skenario/banding/", views.scenario_compare, name="scenario-compare"),
    path("skenario/banding/xlsx/", views.scenario_export, name="scenario-export"),
    path("skenario/<uuid:uid>/", views.scenario_detail, name="scenario-detail"),
    path("skenario/<uuid:uid>/hapus/", views.scenario_delete, name="scenario-delete"),
    path("nominatif/", views.roster, name="roster"),
    path("nominatif/unduh.<str:fmt>", views.roster_download, name="roster-download"),
]
