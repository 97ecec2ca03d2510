"""Users with one role and a scope (region x cluster/programme), API tokens, and the audit log."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import pgettext_lazy


class Role(models.TextChoices):
    NATIONAL_ADMIN = "admin_nasional", pgettext_lazy("role", "Administrator nasional")
    CLUSTER_ADMIN = "admin_klaster", pgettext_lazy("role", "Administrator klaster/program")
    PROVINCE_OPERATOR = "operator_provinsi", pgettext_lazy("role", "Operator provinsi")
    REGENCY_OPERATOR = "operator_kabkota", pgettext_lazy("role", "Operator kabupaten/kota")
    REGENCY_VERIFIER = "verifikator_kabkota", pgettext_lazy("role", "Verifikator kabupaten/kota")
    COORDINATOR = "koordinator", pgettext_lazy("role", "Koordinator pendamping")
    ASSESSOR = "asesor", pgettext_lazy("role", "Asesor")
    TRAINING_PROVIDER = "penyelenggara_pelatihan", pgettext_lazy("role", "Penyelenggara pelatihan")
    FACILITATOR = "pendamping", pgettext_lazy("role", "Pendamping")
    AUDITOR = "auditor", pgettext_lazy("role", "Auditor")


class User(AbstractUser):
    """A signed-in person. Scope: a province or regency (none = national) and clusters (none = all).

    The scope fields are data the access module reads; nothing else interprets them.
    """

    role = models.CharField(max_length=30, choices=Role.choices, default=Role.AUDITOR)
    scope_province = models.ForeignKey(
        "regions.Province", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_regency = models.ForeignKey(
        "regions.Regency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope_programmes = models.ManyToManyField(
        "registry.Programme",
        blank=True,
        related_name="+",
        help_text="Kosong berarti semua klaster dan program.",
    )
    # The facilitator's own registry record, for self-service.
    person = models.OneToOneField(
        "registry.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    is_system = models.BooleanField(default=False, help_text="Aktor 'sistem' untuk perintah CLI.")

    class Meta:
        verbose_name = "pengguna"
        constraints = [
            models.CheckConstraint(
                name="regency_scope_has_province",
                condition=models.Q(scope_regency__isnull=True)
                | models.Q(scope_province__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token; only its hash is stored, and it expires.

    A token also ends when it is revoked (by its holder, or because the password changed or the
    account was deactivated), and it is bound to the password it was issued under: ``auth_hash``
    is the user's session-auth hash at issue time, so a password changed by any path (the account
    page, ``changepassword``, the shell) ends every older token, as it ends sessions.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    auth_hash = models.CharField(max_length=128, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = "token API"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)

    @staticmethod
    def hash_key(key: str) -> str:
        return _hash_key(key)

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class AuditEntry(models.Model):
    """Who did what to which object, with the values before and after. Append-only."""

    class Action(models.TextChoices):
        CREATE = "create", pgettext_lazy("audit action", "Buat")
        UPDATE = "update", pgettext_lazy("audit action", "Ubah")
        DELETE = "delete", pgettext_lazy("audit action", "Hapus")
        MERGE = "merge", pgettext_lazy("audit action", "Gabung")
        EXPORT = "export", pgettext_lazy("audit action", "Ekspor")
        IMPORT = "import", pgettext_lazy("audit action", "Impor")
        VERIFY = "verify", pgettext_lazy("audit action", "Verifikasi")
        LOGIN = "login", pgettext_lazy("audit action", "Masuk")
        # Reads of personal data, for the national auditor (issue 22).
        READ = "baca", pgettext_lazy("audit action", "Baca data pribadi")
        DOWNLOAD = "unduh", pgettext_lazy("audit action", "Unduh data pribadi")
        OTHER = "other", pgettext_lazy("audit action", "Lainnya")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=60, db_index=True)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(max_length=200, blank=True)
    # For person-related entries: lets a person's page show their full history cheaply.
    person_id_ref = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    # sha256(previous entry's hash + this entry's canonical content): see accounts.audit_chain.
    hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "catatan audit"
        verbose_name_plural = "catatan audit"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}"
