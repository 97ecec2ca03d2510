"""The facilitator's activity logbook: what they did, where, for how many, and the monthly report.

- ``ActivityType``: a programme's own list of activities (data, not code), each saying whether
  the clients it serves count towards the month's caseload.
- ``ProgrammeRules``: what a programme allows the logbook to keep (beneficiary names, photo
  location). Without a row the minimum applies: counts only, location stripped (UU PDP).
- ``Entry``: one activity on one day in one village, with counts, never names by default. Its
  ``uid`` is generated on the facilitator's device, so a retried upload never creates a second
  row.
- ``MonthlyReport``: one engagement's month, submitted by the facilitator and approved or
  returned by the coordinator (maker-checker); the approved month becomes the engagement's
  caseload record in distribution (``distribution.services.caseload_records_from_logbook``).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ActivityType(models.Model):
    programme = models.ForeignKey(
        "registry.Programme", on_delete=models.CASCADE, related_name="activity_types"
    )
    code = models.SlugField("kode", max_length=50)
    name = models.CharField("nama kegiatan", max_length=120)
    description = models.CharField("keterangan", max_length=300, blank=True)
    client_unit = models.CharField(
        "satuan yang dilayani", max_length=40, default="klien", help_text="Mis. keluarga, klien."
    )
    # Households or clients served in this activity are the month's caseload (a training
    # given to colleagues is work, but not cases).
    counts_towards_caseload = models.BooleanField("dihitung sebagai beban kasus", default=True)
    is_active = models.BooleanField("aktif", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["programme_id", "order", "name"]
        verbose_name = "jenis kegiatan"
        verbose_name_plural = "jenis kegiatan"
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="one_activity_code")
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeRules(models.Model):
    """What a programme's own rules allow the logbook to keep beyond the minimum."""

    programme = models.OneToOneField(
        "registry.Programme", on_delete=models.CASCADE, related_name="logbook_rules"
    )
    # UU PDP: counted, not named, unless the programme's rules say otherwise. Never for a
    # programme that handles children (services.programme_rules_set refuses it).
    names_beneficiaries = models.BooleanField("boleh mencatat nama penerima", default=False)
    keeps_photo_location = models.BooleanField("simpan lokasi (EXIF GPS) foto", default=False)
    legal_basis = models.CharField("dasar aturan", max_length=200, blank=True)

    class Meta:
        verbose_name = "aturan logbook program"
        verbose_name_plural = "aturan logbook program"

    def __str__(self) -> str:
        return f"Aturan logbook {self.programme_id}"


class Entry(models.Model):
    """One activity. Region codes and the programme are copied from the engagement and the
    village, so that scope filters and monthly roll-ups need no join (see docs/architecture.md,
    "Logbook at national scale")."""

    class Origin(models.TextChoices):
        WEB = "web", "Formulir"
        DEVICE = "perangkat", "Dari perangkat (luring)"
        DEMO = "contoh", "Data contoh"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "registry.Engagement", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person_id_ref = models.BigIntegerField()
    programme_id_ref = models.BigIntegerField()
    province_id_ref = models.CharField(max_length=2)
    regency_id_ref = models.CharField(max_length=5)
    month = models.DateField("bulan", help_text="Tanggal 1 bulan kegiatan.")
    date = models.DateField("tanggal")
    village = models.ForeignKey(
        "regions.Village", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    clients_served = models.PositiveIntegerField("jumlah keluarga/klien dilayani")
    duration_minutes = models.PositiveIntegerField("durasi (menit)")
    note = models.CharField("catatan singkat", max_length=500, blank=True)
    # Only where ProgrammeRules.names_beneficiaries allows it, never in a children's case.
    beneficiary_names = models.CharField("nama penerima", max_length=300, blank=True)
    referral = models.ForeignKey(
        "collaboration.Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    attachment = models.FileField("lampiran", upload_to="logbook/%Y/%m/", blank=True)
    attachment_kind = models.CharField(max_length=20, blank=True)
    attachment_bytes = models.PositiveIntegerField(default=0)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.WEB)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "catatan kegiatan"
        verbose_name_plural = "catatan kegiatan"
        indexes = [
            # The facilitator's month, and the monthly build's GROUP BY engagement.
            models.Index(fields=["engagement", "month"], name="logbook_entry_eng_month"),
            # A coordinator's area this month.
            models.Index(
                fields=["month", "regency_id_ref", "programme_id_ref"],
                name="logbook_entry_area_month",
            ),
        ]
        constraints = [
            models.CheckConstraint(name="logbook_entry_month_first", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.activity_type_id} ({self.clients_served})"


class MonthlyReport(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "diajukan", "Diajukan"
        RETURNED = "dikembalikan", "Dikembalikan"
        APPROVED = "disetujui", "Disetujui"

    # While submitted or approved, the month's entries are locked.
    LOCKED = (Status.SUBMITTED, Status.APPROVED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        "registry.Engagement", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    person_id_ref = models.BigIntegerField()
    programme_id_ref = models.BigIntegerField()
    province_id_ref = models.CharField(max_length=2)
    regency_id_ref = models.CharField(max_length=5)
    month = models.DateField("bulan")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.SUBMITTED)
    # Totals as they stood when submitted (the entries are locked from then on).
    entries = models.PositiveIntegerField("jumlah kegiatan", default=0)
    minutes = models.PositiveIntegerField("jumlah menit", default=0)
    clients_served = models.PositiveIntegerField("jumlah dilayani", default=0)
    cases = models.PositiveIntegerField("beban kasus", default=0)
    by_type = models.JSONField("rincian per jenis", default=dict, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField("catatan pengembalian", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "engagement_id"]
        verbose_name = "laporan bulanan"
        verbose_name_plural = "laporan bulanan"
        constraints = [
            models.UniqueConstraint(fields=["engagement", "month"], name="one_report_per_month"),
            models.CheckConstraint(name="logbook_report_month_first", condition=Q(month__day=1)),
        ]
        indexes = [
            models.Index(
                fields=["month", "regency_id_ref", "programme_id_ref"],
                name="logbook_report_area_month",
            ),
            models.Index(fields=["status", "month"], name="logbook_report_status"),
        ]

    def __str__(self) -> str:
        return f"Laporan {self.month:%Y-%m} ({self.get_status_display()})"

    @property
    def is_locked(self) -> bool:
        return self.status in self.LOCKED


class ReportEvent(models.Model):
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "riwayat laporan"
        verbose_name_plural = "riwayat laporan"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
