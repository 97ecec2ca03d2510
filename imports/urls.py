from django.urls import path

from imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<uuid:uid>/", views.run_detail, name="run"),
    path("<uuid:uid>/pemetaan/", views.run_mapping, name="mapping"),
    path("<uuid:uid>/profil/", views.run_profile, name="profile"),
    path("<uuid:uid>/jalankan/", views.run_start, name="start"),
    path("<uuid:uid>/progres/", views.run_progress, name="progress"),
    path("<uuid:uid>/laporan.xlsx", views.run_report, name="report"),
]
