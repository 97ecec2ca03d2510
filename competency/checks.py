"""Deployment checks (``manage.py check --deploy``) for what the printed certificate carries."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def public_base_url_check(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Without PUBLIC_BASE_URL, every QR code and printed link points at this machine."""
    if getattr(settings, "PUBLIC_BASE_URL", ""):
        return []
    return [
        checks.Warning(
            "PUBLIC_BASE_URL belum diatur: kode QR dan tautan verifikasi pada sertifikat "
            f"menunjuk ke {settings.COMPETENCY_PUBLIC_BASE_URL}, yang tidak dapat dibuka publik.",
            hint="Atur PUBLIC_BASE_URL ke alamat publik, mis. https://satupintu.kemensos.go.id",
            id="satupintu.W001",
        )
    ]
