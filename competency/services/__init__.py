"""Writes for training, certification and recognition. Each one checks access, validates,
writes in one transaction and leaves an audit entry.

Lapses (an expired or revoked certificate) recompute the attained level of the people
concerned, before and after; where it falls below the position level of an engagement fixed by
SK, ``registry.level_reviews`` opens a review case. No position level is ever changed here.

Modules: ``common`` (validity ends, unit-code checks), ``training`` (providers, courses,
classes, enrolment, attendance, completion), ``certification`` (LSPs, schemes, TUK and
assessors, created and updated), ``assessments`` (scheduling, unit decisions, the
recommendation), ``certificates`` (issue, renew), ``lapses`` (revoke, expire, the level
reviews a lapse opens), ``notifications`` (certificate notifications), ``reminders`` (expiry
reminders and the daily job), ``rpl`` (recognition of prior learning) and ``exports`` (signed
credentials, status list, exports).
"""

from competency.services.assessments import (
    UnitDecision,
    assessment_recommend,
    assessment_schedule,
    certificate_renewal_start,
    unit_result_record,
    unit_results_record,
)
from competency.services.certificates import (
    STATUS_INDEX_TRIES,
    certificate_issue,
)
from competency.services.certification import (
    ASSESSOR_FIELDS,
    LSP_FIELDS,
    SCHEME_FIELDS,
    TEST_SITE_FIELDS,
    assessor_create,
    assessor_update,
    lsp_create,
    lsp_licence_dates_check,
    lsp_update,
    scheme_create,
    scheme_update,
    test_site_create,
    test_site_update,
)
from competency.services.common import validity_end
from competency.services.exports import (
    certificates_for_export,
    credential_for,
    credentials_export_audit,
    status_list_token,
)
from competency.services.lapses import LapseReport, certificate_revoke, certificates_expire
from competency.services.notifications import notification_read
from competency.services.reminders import (
    REMINDER_DAYS,
    certificate_reminders_job,
    certificate_reminders_outcome,
    certificate_reminders_send,
)
from competency.services.rpl import rpl_apply, rpl_assign, rpl_decide, rpl_evidence_add
from competency.services.training import (
    attendance_record,
    course_create,
    enrolment_complete,
    enrolment_create,
    training_class_create,
    training_provider_create,
)

__all__ = [
    "ASSESSOR_FIELDS",
    "LSP_FIELDS",
    "REMINDER_DAYS",
    "SCHEME_FIELDS",
    "STATUS_INDEX_TRIES",
    "TEST_SITE_FIELDS",
    "LapseReport",
    "UnitDecision",
    "assessment_recommend",
    "assessment_schedule",
    "assessor_create",
    "assessor_update",
    "attendance_record",
    "certificate_issue",
    "certificate_reminders_job",
    "certificate_reminders_outcome",
    "certificate_reminders_send",
    "certificate_renewal_start",
    "certificate_revoke",
    "certificates_expire",
    "certificates_for_export",
    "course_create",
    "credential_for",
    "credentials_export_audit",
    "enrolment_complete",
    "enrolment_create",
    "lsp_create",
    "lsp_licence_dates_check",
    "lsp_update",
    "notification_read",
    "rpl_apply",
    "rpl_assign",
    "rpl_decide",
    "rpl_evidence_add",
    "scheme_create",
    "scheme_update",
    "status_list_token",
    "test_site_create",
    "test_site_update",
    "training_class_create",
    "training_provider_create",
    "unit_result_record",
    "unit_results_record",
    "validity_end",
]
