from django.db.models import QuerySet

from accounts import access
from accounts.models import AuditEntry, User


def audit_list(
    *, user: User, action: str = "", actor: str = "", object_type: str = ""
) -> QuerySet[AuditEntry]:
    access.require(
        access.can_browse_audit(user),
        "Hanya auditor dan administrator nasional yang dapat membuka audit.",
    )
    qs = AuditEntry.objects.select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(actor_label__icontains=actor)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs
