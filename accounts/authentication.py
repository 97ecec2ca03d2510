"""API token authentication with expiry; only the token's hash is stored."""

from django.utils.crypto import constant_time_compare
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken, User


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Token tidak dikenal.")
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(
                f"Token sudah dicabut ({token.revoked_reason}); minta token baru."
            )
        if token.is_expired:
            raise exceptions.AuthenticationFailed("Token kedaluwarsa; minta token baru.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Pengguna tidak aktif.")
        # Bound to the password it was issued under: a password changed by any path ends it.
        if not token.auth_hash or not constant_time_compare(
            token.auth_hash, token.user.get_session_auth_hash()
        ):
            raise exceptions.AuthenticationFailed(
                "Kata sandi telah diubah sejak token ini dibuat; minta token baru."
            )
        return (token.user, token)
