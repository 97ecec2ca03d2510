"""How management commands pick the user they act as."""

from django.core.management.base import CommandError

from accounts.models import User
from accounts.services import system_user


def resolve_actor(username: str | None) -> User:
    """``--user NAME`` acts within that user's scope; without it, the recorded 'sistem' actor."""
    if not username:
        return system_user()
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"Pengguna '{username}' tidak ditemukan atau tidak aktif.")
    return user
