from django.urls import path

from distribution import views

app_name = "distribution"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("wilayah/<str:code>/", views.region, name="region"),
    path("beban-kerja/", views.workload, name="workload"),
    path("redistribusi/<str:code>/", views.redeployment_view, name="redeployment"),
    path("standar/", views.standards, name="standards"),
    path("data/", views.datasets, name="datasets"),
    path("data/unggah/<str:kind>/", views.dataset_upload, name="dataset-upload"),
    path("ekspor/<str:table>.<str:fmt>", views.export, name="export"),
]
