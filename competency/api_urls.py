"""Competency API routes; api/urls.py includes them under /api/v1/competency/."""

from django.urls import path

from competency import api

urlpatterns = [
    path("courses/", api.CourseListView.as_view(), name="competency-course-list"),
    path("courses/<slug:code>/", api.CourseDetailView.as_view(), name="competency-course-detail"),
    path(
        "courses/<slug:code>/classes/",
        api.ClassCreateView.as_view(),
        name="competency-class-create",
    ),
    path("providers/", api.ProviderListView.as_view(), name="competency-provider-list"),
    path("classes/", api.ClassListView.as_view(), name="competency-class-list"),
    path("classes/<uuid:uid>/enrolments/", api.EnrolView.as_view(), name="competency-enrol"),
    path(
        "enrolments/<uuid:uid>/attendance/",
        api.AttendanceView.as_view(),
        name="competency-enrolment-attendance",
    ),
    path(
        "enrolments/<uuid:uid>/completion/",
        api.CompletionView.as_view(),
        name="competency-enrolment-completion",
    ),
    path("lsps/", api.LspListView.as_view(), name="competency-lsp-list"),
    path("lsps/<int:pk>/", api.LspDetailView.as_view(), name="competency-lsp-detail"),
    path("schemes/", api.SchemeListView.as_view(), name="competency-scheme-list"),
    path("schemes/<int:pk>/", api.SchemeDetailView.as_view(), name="competency-scheme-detail"),
    path("test-sites/", api.TestSiteListView.as_view(), name="competency-test-site-list"),
    path(
        "test-sites/<int:pk>/",
        api.TestSiteDetailView.as_view(),
        name="competency-test-site-detail",
    ),
    path("assessors/", api.AssessorListView.as_view(), name="competency-assessor-list"),
    path(
        "assessors/<int:pk>/",
        api.AssessorDetailView.as_view(),
        name="competency-assessor-detail",
    ),
    path(
        "assessments/",
        api.AssessmentScheduleView.as_view(),
        name="competency-assessment-schedule",
    ),
    path("certificates/", api.CertificateListView.as_view(), name="competency-certificate-list"),
    path(
        "certificates/<uuid:uid>/",
        api.CertificateDetailView.as_view(),
        name="competency-certificate-detail",
    ),
    path(
        "certificates/<uuid:uid>/credential/",
        api.CertificateCredentialView.as_view(),
        name="competency-certificate-credential",
    ),
    path(
        "certificates/<uuid:uid>/renew/",
        api.CertificateRenewView.as_view(),
        name="competency-certificate-renew",
    ),
    path(
        "certificates/<uuid:uid>/revoke/",
        api.CertificateRevokeView.as_view(),
        name="competency-certificate-revoke",
    ),
    path("people/<uuid:uid>/path/", api.PersonPathView.as_view(), name="competency-person-path"),
    path("people/<uuid:uid>/rpl/", api.RplApplyView.as_view(), name="competency-rpl-apply"),
    path("rpl/<uuid:uid>/decisions/", api.RplDecisionView.as_view(), name="competency-rpl-decide"),
    path("rpl/<uuid:uid>/evidence/", api.RplEvidenceView.as_view(), name="competency-rpl-evidence"),
    path("rpl/<uuid:uid>/assessor/", api.RplAssignView.as_view(), name="competency-rpl-assign"),
    path("needs/", api.NeedsView.as_view(), name="competency-needs"),
    path("promotions/", api.PromotionListView.as_view(), name="competency-promotions"),
    path("worklist/", api.WorklistView.as_view(), name="competency-worklist"),
    path(
        "assessments/<uuid:uid>/results/",
        api.UnitResultView.as_view(),
        name="competency-unit-result",
    ),
    path(
        "assessments/<uuid:uid>/recommendation/",
        api.AssessmentRecommendView.as_view(),
        name="competency-assessment-recommend",
    ),
    path(
        "assessments/<uuid:uid>/certificate/",
        api.CertificateIssueView.as_view(),
        name="competency-certificate-issue",
    ),
    path("notifications/", api.NotificationListView.as_view(), name="competency-notifications"),
]
