"""Competency pages. Views only translate: parse, ask competency.access, call a service or a
selector, render. Public pages (verification, status list, key) need no sign-in.

One module per topic; the views are re-exported here for competency.urls,
competency.public_urls and satupintu.urls.
"""

from competency.views.assessments import assessment_detail, assessment_schedule, assessor_worklist
from competency.views.certificates import (
    assessment_recommend,
    certificate_credential,
    certificate_detail,
    certificate_issue,
    certificate_list,
    certificate_pdf,
    certificate_renew,
    certificate_revoke,
)
from competency.views.certification import (
    assessor_create,
    assessor_list,
    assessor_update,
    lsp_create,
    lsp_list,
    lsp_update,
    scheme_create,
    scheme_list,
    scheme_update,
    test_site_create,
    test_site_list,
    test_site_update,
)
from competency.views.home import index
from competency.views.notifications import notification_list, notification_read
from competency.views.planning import needs_dashboard, person_path, promotion_list
from competency.views.public import jwks, status_list, verify_lookup, verify_page
from competency.views.rpl import rpl_apply, rpl_assign, rpl_detail, rpl_evidence_add
from competency.views.training import (
    class_create,
    class_detail,
    class_enrol,
    course_create,
    course_detail,
    course_list,
    enrolment_attendance,
    enrolment_complete,
    provider_create,
    provider_list,
)

__all__ = [
    "assessment_detail",
    "assessment_schedule",
    "assessor_create",
    "assessor_list",
    "assessor_update",
    "assessor_worklist",
    "certificate_credential",
    "certificate_detail",
    "assessment_recommend",
    "certificate_issue",
    "certificate_list",
    "certificate_pdf",
    "certificate_renew",
    "certificate_revoke",
    "class_create",
    "class_detail",
    "class_enrol",
    "course_create",
    "course_detail",
    "course_list",
    "enrolment_attendance",
    "enrolment_complete",
    "index",
    "jwks",
    "lsp_create",
    "lsp_list",
    "lsp_update",
    "needs_dashboard",
    "notification_list",
    "notification_read",
    "person_path",
    "promotion_list",
    "provider_create",
    "provider_list",
    "rpl_apply",
    "rpl_assign",
    "rpl_detail",
    "rpl_evidence_add",
    "scheme_create",
    "scheme_list",
    "scheme_update",
    "status_list",
    "test_site_create",
    "test_site_list",
    "test_site_update",
    "verify_lookup",
    "verify_page",
]
