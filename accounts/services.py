"""Writes for users, tokens and the audit log."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from accounts.models import ApiToken, AuditEntry, User

SYSTEM_USERNAME = "sistem"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def audit_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Only the fields that changed, as {field: [before, after]}."""
    return {
        key: [_jsonable(before.get(key)), _jsonable(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _jsonable(before.get(key)) != _jsonable(after.get(key))
    }


def audit_snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    names = fields or [
        f.attname for f in obj._meta.concrete_fields if f.name not in {"created_at", "updated_at"}
    ]
    return {name: _jsonable(getattr(obj, name)) for name in names}


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict[str, Any] | None = None,
    note: str = "",
    person_id: int | None = None,
) -> AuditEntry:
    """Append one audit entry. ``actor=None`` records the system actor by name."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    return AuditEntry.objects.create(
        actor=actor if actor and actor.pk else None,
        actor_label=actor.username if actor else SYSTEM_USERNAME,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        note=note,
        person_id_ref=person_id,
    )


def audit_record_many(entries: list[AuditEntry], *, batch_size: int = 2000) -> None:
    """Bulk append for imports and other batch writes (entries built with ``AuditEntry(...)``)."""
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)


def system_user() -> User:
    """The named 'sistem' actor that CLI commands act as when no --user is given."""
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"role": "admin_nasional", "is_system": True, "first_name": "Sistem"},
    )
    if not user.is_system:
        raise ValueError(
            "Nama pengguna 'sistem' dipakai akun biasa; aktor sistem tidak bisa dibuat."
        )
    return user


@transaction.atomic
def api_token_create(*, user: User) -> tuple[ApiToken, str]:
    """Issue a token; the plain key is returned once and never stored."""
    from django.conf import settings

    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + settings.API_TOKEN_LIFETIME,
    )
    audit_record(
        actor=user, action=AuditEntry.Action.CREATE, obj=token, object_repr=f"token {key[:8]}…"
    )
    return token, key
