"""Who may see and change the framework. Views, API endpoints and commands ask here.

The catalogue (levels, units, packages, rules of agreed, in-force and superseded versions)
holds no personal data and is public. Drafts, editing, approval and the unmatched-titles list
are for national administrators (the rule itself lives in accounts.access).
"""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts import access
from accounts.models import User
from framework.models import FrameworkVersion

can_manage_framework = access.can_manage_framework


def versions_visible(user: User | None) -> QuerySet[FrameworkVersion]:
    """Drafts are work in progress: only the people who may edit them see them."""
    qs = FrameworkVersion.objects.all()
    if not can_manage_framework(user):
        qs = qs.exclude(status=FrameworkVersion.Status.DRAFT)
    return qs


def version_get(user: User | None, pk: int) -> FrameworkVersion:
    version = versions_visible(user).filter(pk=pk).first()
    if version is None:
        raise Http404(_("Versi kerangka tidak ditemukan."))
    return version
