"""Flags and level reviews, resolved from the same inbox."""

from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from collaboration import access as collab_access
from registry import workflows
from registry.models import Flag, LevelReview
from registry.services import flag_resolve


def inbox_flag_resolve(*, actor: User, flag: Flag, note: str) -> Flag:
    return flag_resolve(actor=actor, flag=flag, note=note)


def inbox_level_review_resolve(*, actor: User, review: LevelReview, note: str) -> LevelReview:
    access.require(
        collab_access.covers(
            actor,
            regency_id=review.engagement.regency_id,
            programme_id=review.engagement.programme_id,
        )
        and actor.role in collab_access.step_roles("default", "approve"),
        _("Kasus tinjauan jenjang diputuskan administrator klaster/program."),
    )
    return workflows.level_review_resolve(actor=actor, review=review, note=note)
