from django.urls import path

from collaboration import views

app_name = "collaboration"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("lencana/", views.inbox_badge, name="inbox-badge"),
    path("permohonan/", views.request_list, name="request-list"),
    path("permohonan/<uuid:uid>/", views.request_detail, name="request-detail"),
    path("permohonan/<uuid:uid>/tindakan/", views.request_action, name="request-action"),
    path("orang/<uuid:uid>/ajukan/", views.request_create, name="request-create"),
    path("orang/<uuid:uid>/batal-gabung/", views.merge_undo_request, name="merge-undo"),
    path("tanda/<int:flag_id>/tutup/", views.flag_resolve, name="flag-resolve"),
    path("tinjauan/<uuid:uid>/tutup/", views.level_review_resolve, name="level-review-resolve"),
    path("notifikasi/dibaca/", views.notifications_read, name="notifications-read"),
    path("rujukan/", views.referral_list, name="referral-list"),
    path("rujukan/baru/", views.referral_create, name="referral-create"),
    path("rujukan/statistik/", views.referral_dashboard, name="referral-stats"),
    path("rujukan/<uuid:uid>/", views.referral_detail, name="referral-detail"),
    path("rujukan/<uuid:uid>/tindakan/", views.referral_action, name="referral-action"),
    path("tim-wilayah/", views.area_team, name="area-team"),
    path("unit-penerima/", views.unit_list, name="unit-list"),
    path("unit-penerima/baru/", views.unit_edit, name="unit-create"),
    path("unit-penerima/<uuid:uid>/", views.unit_edit, name="unit-edit"),
    path("rujukan/jawab/<str:token>/", views.referral_unit_answer, name="referral-unit-answer"),
    path("saya/", views.me, name="me"),
]
