"""Reads of training, certification and recognition, scoped through competency.access.

The unit reads here are the qualification engine's input. A unit counts on a day when it is
on a certificate that is issued, not yet past its validity and not revoked, or recognised by
RPL and not past the recognition's validity. That is derived from dates at query time, never
from the stored ``Certificate.status``, so a certificate stops counting the day after it
expires whether or not the expiry command has run.

Modules: ``units`` (valid units, the engine's input), ``training`` (catalogue, providers,
classes, rosters), ``certification`` (LSPs, schemes, TUK, assessors), ``assessments``
(worklists, unit status, the person assessed), ``certificates`` (lists, public verification,
notifications) and ``planning`` (paths, training needs, promotion proposals).
"""

from competency.selectors.assessments import (
    assessment_unit_status,
    assessor_worklist,
    person_for_write,
)
from competency.selectors.certificates import (
    certificate_history,
    certificate_list,
    certificate_public,
    notifications_for,
)
from competency.selectors.certification import (
    assessor_candidates,
    assessor_get,
    assessor_list,
    lsp_get,
    lsp_list,
    scheme_get,
    scheme_list,
    test_site_get,
    test_site_list,
)
from competency.selectors.planning import (
    PersonPath,
    PromotionProposal,
    engine_in_force,
    needs_analysis,
    person_path,
    promotion_proposals,
)
from competency.selectors.training import (
    class_enrolments,
    class_get,
    class_list,
    completed_course_ids,
    course_get,
    course_list,
    enrolment_for_manager,
    provider_list,
    provider_staff_candidates,
    training_history,
)
from competency.selectors.units import (
    HeldUnit,
    UnitSets,
    certified_person_ids,
    person_units,
    unit_sets,
    units_by_person,
)

__all__ = [
    "HeldUnit",
    "PersonPath",
    "PromotionProposal",
    "UnitSets",
    "assessment_unit_status",
    "assessor_candidates",
    "assessor_get",
    "assessor_list",
    "assessor_worklist",
    "certificate_history",
    "certificate_list",
    "certificate_public",
    "certified_person_ids",
    "class_enrolments",
    "class_get",
    "class_list",
    "completed_course_ids",
    "course_get",
    "course_list",
    "engine_in_force",
    "enrolment_for_manager",
    "lsp_get",
    "lsp_list",
    "needs_analysis",
    "notifications_for",
    "person_for_write",
    "person_path",
    "person_units",
    "promotion_proposals",
    "provider_list",
    "provider_staff_candidates",
    "scheme_get",
    "scheme_list",
    "test_site_get",
    "test_site_list",
    "training_history",
    "unit_sets",
    "units_by_person",
]
