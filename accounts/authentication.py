"""API token authentication with expiry; only the token's hash is stored."""

from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from accounts.models import ApiToken


class ExpiringTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key: str):
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed("Token tidak dikenal.")
        if token.is_expired:
            raise exceptions.AuthenticationFailed("Token kedaluwarsa; minta token baru.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Pengguna tidak aktif.")
        return (token.user, token)
