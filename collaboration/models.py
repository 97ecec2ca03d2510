"""Collaboration between facilitators and the single-door HR workflows.

- ``Request``: one generic maker-checker request (verification, promotion, transfer, status
  change, contract renewal, end of engagement, data correction) with its ``RequestEvent`` history.
  An approved request is applied to the registry through ``registry.workflows``.
- ``Referral``: a case one facilitator refers to another facilitator or service in the area,
  with minimal personal data, consent, a response deadline and its ``ReferralEvent`` history.
- ``Notification``: in-app messages (the e-mail, when sent, says the same).
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class Request(models.Model):
    class Kind(models.TextChoices):
        VERIFICATION = "verifikasi", "Verifikasi pendaftaran"
        PROMOTION = "kenaikan_jenjang", "Kenaikan jenjang"
        TRANSFER = "mutasi", "Mutasi wilayah"
        STATUS_CHANGE = "status_kepegawaian", "Perubahan status kepegawaian"
        CONTRACT_RENEWAL = "perpanjangan_kontrak", "Perpanjangan kontrak"
        END = "pengakhiran", "Pengakhiran penugasan"
        DATA_CORRECTION = "koreksi_data", "Koreksi data"
        # An import row whose NIK belongs to someone the uploader cannot see: the person's
        # scope holders confirm the new engagement before anything of it is applied.
        ENGAGEMENT_CLAIM = "konfirmasi_penugasan", "Konfirmasi penugasan baru dari luar cakupan"
        # Undo a registry merge within settings.MERGE_UNDO_DAYS (registry.Merge).
        MERGE_UNDO = "batal_gabung", "Batalkan penggabungan"

    class Status(models.TextChoices):
        SUBMITTED = "diajukan", "Diajukan"
        VERIFIED = "diverifikasi", "Diverifikasi"
        APPROVED = "disetujui", "Disetujui"
        RETURNED = "dikembalikan", "Dikembalikan"
        REJECTED = "ditolak", "Ditolak"

    class Source(models.TextChoices):
        # Where a proposal came from. The qualification engine (competency) plugs in as
        # ``mesin_kualifikasi`` and attaches its evidence; operators and facilitators as themselves.
        OPERATOR = "operator", "Operator"
        ENGINE = "mesin_kualifikasi", "Mesin kualifikasi"
        LEVEL_REVIEW = "tinjauan_jenjang", "Kasus tinjauan jenjang"
        FACILITATOR = "pendamping", "Pendamping (layanan mandiri)"

    OPEN = (Status.SUBMITTED, Status.VERIFIED)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    status = models.CharField(
        max_length=15, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OPERATOR)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="hr_requests"
    )
    engagement = models.ForeignKey(
        "registry.Engagement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hr_requests",
    )
    level_review = models.ForeignKey(
        "registry.LevelReview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hr_requests",
    )
    # Routing and scope without joins: where and in which programme the request is decided.
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    programme = models.ForeignKey(
        "registry.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The proposed change, per kind (see collaboration.services.PAYLOAD_FIELDS).
    payload = models.JSONField(default=dict, blank=True)
    # The engine's evidence (units, certificates, attained level) as it stood when proposed.
    evidence = models.JSONField(default=dict, blank=True)
    effective_date = models.DateField("tanggal berlaku (TMT)", null=True, blank=True)
    reason = models.TextField("alasan/keterangan", blank=True)
    return_reason = models.TextField(blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    applied_changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "permohonan"
        verbose_name_plural = "permohonan"
        indexes = [models.Index(fields=["status", "regency"])]
        constraints = [
            # One open request of a kind per engagement (or per person for person-level kinds):
            # two parallel promotions of the same engagement would race on the position level.
            models.UniqueConstraint(
                fields=["kind", "person", "engagement"],
                condition=Q(status__in=["diajukan", "diverifikasi", "dikembalikan"]),
                name="one_open_request_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class RequestEvent(models.Model):
    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    status_after = models.CharField(max_length=15, choices=Request.Status.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "riwayat permohonan"
        verbose_name_plural = "riwayat permohonan"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Urgency(models.TextChoices):
    EMERGENCY = "darurat", "Darurat (24 jam)"
    HIGH = "tinggi", "Tinggi (3 hari)"
    NORMAL = "biasa", "Biasa (7 hari)"


# How long the receiver has to answer, by urgency.
RESPONSE_WINDOW = {
    Urgency.EMERGENCY: dt.timedelta(hours=24),
    Urgency.HIGH: dt.timedelta(days=3),
    Urgency.NORMAL: dt.timedelta(days=7),
}


class ReceivingUnit(models.Model):
    """Another agency's unit that takes referrals (a puskesmas, a UPTD PPA, a BLK…). It has no
    account: it answers through a signed, expiring link sent by e-mail
    (``collaboration.services.units``). Kept by the operators of its region."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nama unit", max_length=150)
    agency_type = models.CharField(
        "jenis instansi", max_length=100, help_text="Mis. Puskesmas, UPTD PPA, Dinas Kesehatan."
    )
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="kabupaten/kota",
    )
    email = models.EmailField("surel")
    is_active = models.BooleanField("aktif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["regency_id", "name"]
        verbose_name = "unit penerima rujukan"
        verbose_name_plural = "unit penerima rujukan"
        constraints = [
            models.UniqueConstraint(fields=["regency", "name"], name="one_unit_name_per_regency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_type})"


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "terkirim", "Terkirim"
        ACCEPTED = "diterima", "Diterima"
        DECLINED = "ditolak", "Ditolak"
        IN_PROGRESS = "diproses", "Diproses"
        COMPLETED = "selesai", "Selesai"

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SENT, db_index=True
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sender_programme = models.ForeignKey(
        "registry.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A facilitator (their user account) or, when none is named, a service: the receiving
    # programme's coordinators in the regency answer for it.
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    receiver_programme = models.ForeignKey(
        "registry.Programme", on_delete=models.PROTECT, related_name="+"
    )
    service_name = models.CharField("layanan/instansi tujuan", max_length=150, blank=True)
    # A registered unit of another agency (answers by e-mail link); service_name then repeats
    # its name as it was when the case was sent.
    receiving_unit = models.ForeignKey(
        ReceivingUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name="unit penerima",
    )
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey("regions.Regency", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("regions.District", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Village", on_delete=models.PROTECT, related_name="+")
    # Minimal personal data of the person or household referred (UU PDP: data minimisation).
    subject_name = models.CharField("nama", max_length=150)
    subject_nik = models.CharField("NIK", max_length=16, blank=True)
    is_child = models.BooleanField("kasus anak", default=False)
    need = models.TextField("kebutuhan")
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    consent = models.BooleanField("persetujuan", default=False)
    consent_note = models.CharField("cara persetujuan diberikan", max_length=200, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField("batas tanggapan")
    responded_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "rujukan"
        verbose_name_plural = "rujukan"
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["regency", "receiver_programme"]),
        ]
        constraints = [
            # Never without consent (UU PDP): the database refuses it too.
            models.CheckConstraint(name="referral_has_consent", condition=Q(consent=True))
        ]

    def __str__(self) -> str:
        return f"Rujukan {str(self.uid)[:8]} ({self.get_status_display()})"


class ReferralEvent(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "riwayat rujukan"
        verbose_name_plural = "riwayat rujukan"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="collab_notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title
