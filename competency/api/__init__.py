"""REST endpoints of training, certification and recognition (api/urls.py includes
competency.api_urls under /api/v1/competency/). Endpoints only translate: parse, ask
competency.access, call one service or selector, serialise.

One module per topic; the views are re-exported here for competency.api_urls.
"""

from competency.api.assessments import (
    AssessmentRecommendView,
    AssessmentScheduleView,
    UnitResultView,
    WorklistView,
)
from competency.api.certificates import (
    CertificateCredentialView,
    CertificateDetailView,
    CertificateIssueView,
    CertificateListView,
    CertificateRenewView,
    CertificateRevokeView,
)
from competency.api.certification import (
    AssessorDetailView,
    AssessorListView,
    LspDetailView,
    LspListView,
    SchemeDetailView,
    SchemeListView,
    TestSiteDetailView,
    TestSiteListView,
)
from competency.api.notifications import NotificationListView
from competency.api.planning import NeedsView, PersonPathView, PromotionListView
from competency.api.rpl import RplApplyView, RplAssignView, RplDecisionView, RplEvidenceView
from competency.api.training import (
    AttendanceView,
    ClassCreateView,
    ClassListView,
    CompletionView,
    CourseDetailView,
    CourseListView,
    EnrolView,
    ProviderListView,
)

__all__ = [
    "AssessmentRecommendView",
    "AssessmentScheduleView",
    "AssessorDetailView",
    "AssessorListView",
    "AttendanceView",
    "CertificateCredentialView",
    "CertificateDetailView",
    "CertificateIssueView",
    "CertificateListView",
    "CertificateRenewView",
    "CertificateRevokeView",
    "ClassCreateView",
    "ClassListView",
    "CompletionView",
    "CourseDetailView",
    "CourseListView",
    "EnrolView",
    "LspDetailView",
    "LspListView",
    "NeedsView",
    "NotificationListView",
    "PersonPathView",
    "PromotionListView",
    "ProviderListView",
    "RplApplyView",
    "RplAssignView",
    "RplDecisionView",
    "RplEvidenceView",
    "SchemeDetailView",
    "SchemeListView",
    "TestSiteDetailView",
    "TestSiteListView",
    "UnitResultView",
    "WorklistView",
]
