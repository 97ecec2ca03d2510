"""Legacy imports: each file brought through the door, and the column mappings operators save."""

import uuid

from django.conf import settings
from django.db import models


class MappingProfile(models.Model):
    """A named column mapping ({field: header text}) an operator saved for files of one layout.

    Headers are matched by their text, not their position, so a profile still applies when an
    office inserts a column.
    """

    name = models.CharField("nama profil", max_length=100, unique=True)
    description = models.CharField("keterangan", max_length=200, blank=True)
    columns = models.JSONField("kolom", default=dict)
    header_row = models.PositiveIntegerField("baris judul kolom", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "profil pemetaan kolom"
        verbose_name_plural = "profil pemetaan kolom"

    def __str__(self) -> str:
        return self.name


class ImportRun(models.Model):
    """One file imported (or tried) for one programme, with its counts, issues and report."""

    class Status(models.TextChoices):
        UPLOADED = "diunggah", "Diunggah, belum diperiksa"
        RUNNING = "berjalan", "Sedang diproses"
        CHECKED = "diperiksa", "Uji coba selesai"
        COMMITTED = "disimpan", "Disimpan ke registri"
        FAILED = "gagal", "Gagal"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Files imported together in one call share a batch and one transaction.
    batch = models.UUIDField(default=uuid.uuid4, db_index=True)
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    programme = models.ForeignKey(
        "registry.Programme", on_delete=models.PROTECT, related_name="import_runs"
    )
    file = models.FileField("berkas", upload_to="imports/%Y/%m/", blank=True)
    file_name = models.CharField("nama berkas", max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.BigIntegerField(default=0)
    mapping = models.JSONField("pemetaan kolom per lembar", default=dict, blank=True)
    mapping_profile = models.ForeignKey(
        MappingProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="runs"
    )
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.UPLOADED)
    dry_run = models.BooleanField("uji coba", default=True)
    counts = models.JSONField(default=dict, blank=True)
    # For the screen: the first issues and the ending preview; the XLSX report has them all.
    issues = models.JSONField(default=list, blank=True)
    ending = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)
    sheets = models.JSONField(default=list, blank=True)
    # What the upload page shows (first rows, mapping, parsed sample), kept while uploaded.
    preview = models.JSONField(default=list, blank=True)
    report = models.FileField("laporan", upload_to="imports/laporan/%Y/%m/", blank=True)
    message = models.TextField(blank=True)
    job = models.ForeignKey(
        "jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "impor berkas"
        verbose_name_plural = "impor berkas"
        indexes = [models.Index(fields=["operator", "created_at"])]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def is_busy(self) -> bool:
        return self.status == self.Status.RUNNING
