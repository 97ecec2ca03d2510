from django.urls import path

from competency import views

app_name = "competency"
urlpatterns = [
    path("", views.index, name="index"),
    path("katalog/", views.course_list, name="course-list"),
    path("katalog/baru/", views.course_create, name="course-create"),
    path("katalog/<slug:code>/", views.course_detail, name="course-detail"),
    path("katalog/<slug:code>/angkatan/baru/", views.class_create, name="class-create"),
    path("angkatan/<uuid:uid>/", views.class_detail, name="class-detail"),
    path("angkatan/<uuid:uid>/daftar/", views.class_enrol, name="class-enrol"),
    path("peserta/<uuid:uid>/hadir/", views.enrolment_attendance, name="enrolment-attendance"),
    path("peserta/<uuid:uid>/selesai/", views.enrolment_complete, name="enrolment-complete"),
    path("asesor/", views.assessor_worklist, name="assessor-worklist"),
    path("asesmen/<uuid:uid>/", views.assessment_detail, name="assessment-detail"),
    path("asesmen/<uuid:uid>/terbitkan/", views.certificate_issue, name="certificate-issue"),
    path("sertifikat/", views.certificate_list, name="certificate-list"),
    path("sertifikat/<uuid:uid>/", views.certificate_detail, name="certificate-detail"),
    path("sertifikat/<uuid:uid>/pdf/", views.certificate_pdf, name="certificate-pdf"),
    path(
        "sertifikat/<uuid:uid>/kredensial/",
        views.certificate_credential,
        name="certificate-credential",
    ),
    path("sertifikat/<uuid:uid>/cabut/", views.certificate_revoke, name="certificate-revoke"),
    path("orang/<uuid:uid>/", views.person_path, name="person-path"),
    path("orang/<uuid:uid>/rpl/", views.rpl_apply, name="rpl-apply"),
    path("rpl/<uuid:uid>/", views.rpl_detail, name="rpl-detail"),
    path("kebutuhan/", views.needs_dashboard, name="needs"),
    path("usulan-kenaikan/", views.promotion_list, name="promotions"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/<int:pk>/dibaca/", views.notification_read, name="notification-read"),
]
