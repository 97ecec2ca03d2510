"""Helpers the write modules share: the access checks, the audit entry, agreeing a draft."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from accounts import access as accounts_access
from accounts.models import AuditEntry, User
from accounts.services import audit_record
from incentives import access
from incentives.models import Purpose, Scale, State


def require_standard(actor: User) -> None:
    accounts_access.require(
        access.can_manage_standard(actor),
        gettext("Hanya administrator nasional yang menetapkan standar."),
    )


def require_scenarios(actor: User) -> None:
    accounts_access.require(
        access.can_manage_scenarios(actor), gettext("Peran Anda tidak boleh menyusun skenario.")
    )


def audit(actor: User, action: str, obj, changes: dict | None = None, note: str = "") -> None:
    audit_record(actor=actor, action=action, obj=obj, changes=changes or {}, note=note)


def agree(actor: User, obj, decision_ref: str) -> None:
    if obj.state != State.DRAFT:
        raise ValidationError(gettext("Hanya draf yang dapat disepakati."))
    if obj.purpose != Purpose.STANDARD:
        raise ValidationError(
            gettext("Skenario tidak dapat ditetapkan; salin menjadi skala standar.")
        )
    if not decision_ref.strip():
        raise ValidationError(
            {"decision_ref": gettext("Sebutkan nomor keputusan atau berita acara.")}
        )
    obj.state, obj.agreed_by, obj.agreed_at = State.AGREED, actor, timezone.now()
    obj.decision_ref = decision_ref.strip()
    obj.save(update_fields=["state", "agreed_by", "agreed_at", "decision_ref"])
    audit(
        actor, AuditEntry.Action.UPDATE, obj, {"state": [State.DRAFT, State.AGREED]}, decision_ref
    )


def require_editable(actor: User, scale: Scale) -> None:
    if scale.purpose == Purpose.STANDARD:
        require_standard(actor)
    else:
        require_scenarios(actor)
    if not scale.is_editable:
        raise ValidationError(
            gettext("Skala yang sudah disepakati tidak dapat diubah; buat salinan.")
        )
