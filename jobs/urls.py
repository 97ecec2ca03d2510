from django.urls import path

from jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_index, name="list"),
    path("<uuid:uid>/", views.job_detail, name="detail"),
    path("<uuid:uid>/unduh/", views.job_download, name="download"),
]
