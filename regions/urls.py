from django.urls import path

from regions import views

app_name = "regions"
urlpatterns = [
    path("pilihan/kabupaten/", views.regency_options, name="options-regency"),
    path("pilihan/kecamatan/", views.district_options, name="options-district"),
    path("cari/", views.region_search, name="search"),
    path("pilihan/desa/", views.village_options, name="options-village"),
]
