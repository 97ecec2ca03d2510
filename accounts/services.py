"""Writes for users, tokens and the audit log."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accounts import audit_chain
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
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Append one audit entry. ``actor=None`` records the system actor by name.

    ``at`` defaults to now; an edit passes the record's new ``updated_at`` so that the entry
    and the version it produced carry the same instant (registry.concurrency reads it).

    A read of personal data (``Action.READ``) recorded on its own commits without waiting for
    the disk on PostgreSQL (``synchronous_commit off`` for that one transaction): a page read
    then costs no flush, and a database crash can lose at most the last fraction of a second
    of read records. Every change, and a read inside a transaction that writes, stays durable.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    entry = AuditEntry(
        actor=actor if actor and actor.pk else None,
        actor_label=actor.username if actor else SYSTEM_USERNAME,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=changes or {},
        note=note,
        person_id_ref=person_id,
        at=at or timezone.now(),
    )
    alone = not transaction.get_connection().in_atomic_block
    with transaction.atomic():
        if alone and action == AuditEntry.Action.READ:
            audit_chain.commit_without_flush()
        audit_chain.chain([entry], audit_chain.lock_and_last_hash())
        entry.save(force_insert=True)
    return entry


def audit_record_many(entries: list[AuditEntry], *, batch_size: int = 2000) -> None:
    """Bulk append for imports and other batch writes (entries built with ``AuditEntry(...)``),
    chained in the order given."""
    if not entries:
        return
    with transaction.atomic():
        audit_chain.chain(entries, audit_chain.lock_and_last_hash())
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


class TokenRevocation:
    """Why a token ended; stored on the token and shown on the account page."""

    BY_HOLDER = "dicabut pemegang"
    PASSWORD_CHANGED = "kata sandi diubah"
    DEACTIVATED = "akun dinonaktifkan"
    SUPERSEDED = "melebihi batas token aktif"


def api_tokens_active(*, user: User) -> models.QuerySet[ApiToken]:
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def api_token_create(*, user: User) -> tuple[ApiToken, str]:
    """Issue a token; the plain key is returned once and never stored.

    A holder keeps at most ``API_TOKEN_MAX_ACTIVE`` live tokens: asking for one more ends the
    oldest, so that repeated sign-ins do not leave a trail of valid keys behind.
    """
    key = ApiToken.new_key()
    token = ApiToken.objects.create(
        user=user,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + settings.API_TOKEN_LIFETIME,
        auth_hash=user.get_session_auth_hash(),
    )
    audit_record(
        actor=user, action=AuditEntry.Action.CREATE, obj=token, object_repr=f"token {key[:8]}…"
    )
    surplus = api_tokens_active(user=user).order_by("-created_at", "-id")[
        settings.API_TOKEN_MAX_ACTIVE :
    ]
    for old in surplus:
        api_token_revoke(token=old, actor=user, reason=TokenRevocation.SUPERSEDED)
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User | None, reason: str) -> bool:
    """End one token (idempotent); returns whether it was live until now."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason[:60]
    )
    if updated:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.OTHER,
            obj=token,
            object_repr=f"token {token.prefix}…",
            changes={"revoked": [False, True]},
            note=f"Token API dicabut: {reason}.",
        )
        token.refresh_from_db(fields=["revoked_at", "revoked_reason"])
    return bool(updated)


@transaction.atomic
def api_tokens_revoke_all(*, user: User, actor: User | None, reason: str) -> int:
    """End every live token of ``user``; one audit entry per token."""
    tokens = list(api_tokens_active(user=user))
    return sum(api_token_revoke(token=t, actor=actor, reason=reason) for t in tokens)


@transaction.atomic
def user_password_change(*, user: User, new_password: str, actor: User | None) -> None:
    """Set a new password and end every API token issued under the old one.

    Sessions end through Django's session-auth hash; the caller keeps its own session with
    ``update_session_auth_hash``.
    """
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=user,
        object_repr=user.username,
        changes={"password": ["***", "***"]},
        note="Kata sandi diubah.",
    )
    api_tokens_revoke_all(user=user, actor=actor, reason=TokenRevocation.PASSWORD_CHANGED)


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None) -> None:
    """Deactivate an account and end its API tokens (they would revive on reactivation)."""
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            obj=user,
            object_repr=user.username,
            changes={"is_active": [True, False]},
            note="Akun dinonaktifkan.",
        )
    api_tokens_revoke_all(user=user, actor=actor, reason=TokenRevocation.DEACTIVATED)
