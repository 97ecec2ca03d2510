from django.urls import path

from logbook import views

app_name = "logbook"
urlpatterns = [
    path("", views.home, name="home"),
    path("catat/", views.entry_create, name="entry-create"),
    path("catatan/<uuid:uid>/hapus/", views.entry_delete, name="entry-delete"),
    path("catatan/<uuid:uid>/lampiran/", views.attachment, name="entry-attachment"),
    path("laporan/ajukan/", views.report_submit, name="report-submit"),
    path("laporan/<uuid:uid>/", views.report_detail, name="report-detail"),
    path("laporan/<uuid:uid>/tindakan/", views.report_action, name="report-action"),
    path("tinjau/", views.review, name="review"),
    path("beban-kerja/", views.workload, name="workload"),
    path("beban-kerja/redistribusi/<str:code>/", views.redeployment, name="redeployment"),
    path("beban-kerja/mutasi/", views.transfer_propose, name="transfer-propose"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service-worker"),
]
