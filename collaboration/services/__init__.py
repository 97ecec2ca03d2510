"""Writes for HR requests, referrals and notifications. Each step is checked, recorded as an
event, audited, and announced to whoever must act next (in-app and by e-mail).

Modules: ``notifications`` (in-app and e-mail notices), ``request_submission`` (the maker's steps
and the payload rules), ``request_decisions`` (the checker's steps and applying an approved
request), ``inbox`` (flags and level reviews), ``referrals`` (sending and answering referrals) and
``escalations`` (reminders, escalations, their job).
"""

from collaboration.services.escalations import (
    referral_escalations,
    referral_escalations_job,
    referral_escalations_outcome,
)
from collaboration.services.inbox import inbox_flag_resolve, inbox_level_review_resolve
from collaboration.services.notifications import notification_read, notification_send
from collaboration.services.referrals import (
    REFERRAL_MOVES,
    referral_create,
    referral_note,
    referral_read_audit,
    referral_respond,
    referral_supervisors,
)
from collaboration.services.request_decisions import (
    request_approve,
    request_reject,
    request_return,
    request_verify,
)
from collaboration.services.request_submission import (
    NEEDS_EFFECTIVE_DATE,
    NEEDS_ENGAGEMENT,
    PAYLOAD_FIELDS,
    engagement_claim_submit,
    request_resubmit,
    request_submit,
)
from collaboration.services.units import (
    receiving_unit_save,
    referral_unit_answer,
    unit_link_problem,
    unit_link_referral,
    unit_link_token,
)

__all__ = [
    "NEEDS_EFFECTIVE_DATE",
    "NEEDS_ENGAGEMENT",
    "PAYLOAD_FIELDS",
    "REFERRAL_MOVES",
    "engagement_claim_submit",
    "inbox_flag_resolve",
    "inbox_level_review_resolve",
    "notification_read",
    "notification_send",
    "receiving_unit_save",
    "referral_create",
    "referral_unit_answer",
    "unit_link_problem",
    "unit_link_referral",
    "unit_link_token",
    "referral_escalations",
    "referral_escalations_job",
    "referral_escalations_outcome",
    "referral_note",
    "referral_read_audit",
    "referral_respond",
    "referral_supervisors",
    "request_approve",
    "request_reject",
    "request_resubmit",
    "request_return",
    "request_submit",
    "request_verify",
]
