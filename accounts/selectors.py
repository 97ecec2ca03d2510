from django.db.models import QuerySet

from accounts import access
from accounts.models import ApiToken, AuditEntry, User


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


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The holder's own tokens, newest first (a holder only ever sees their own)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_get_own(*, user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()
