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
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Request(models.Model):
    class Kind(models.TextChoices):
        VERIFICATION = "verifikasi", _("Verifikasi pendaftaran")
        PROMOTION = "kenaikan_jenjang", _("Kenaikan jenjang")
        TRANSFER = "mutasi", _("Mutasi wilayah")
        STATUS_CHANGE = "status_kepegawaian", _("Perubahan status kepegawaian")
        CONTRACT_RENEWAL = "perpanjangan_kontrak", _("Perpanjangan kontrak")
        END = "pengakhiran", _("Pengakhiran penugasan")
        DATA_CORRECTION = "koreksi_data", _("Koreksi data")
        # An import row whose NIK belongs to someone the uploader cannot see: the person's
        # scope holders confirm the new engagement before anything of it is applied.
        ENGAGEMENT_CLAIM = "konfirmasi_penugasan", _("Konfirmasi penugasan baru dari luar cakupan")
        # Undo a registry merge within settings.MERGE_UNDO_DAYS (registry.Merge).
        MERGE_UNDO = "batal_gabung", _("Batalkan penggabungan")

    class Status(models.TextChoices):
        SUBMITTED = "diajukan", pgettext_lazy("request status", "Diajukan")
        VERIFIED = "diverifikasi", pgettext_lazy("request status", "Diverifikasi")
        APPROVED = "disetujui", pgettext_lazy("request status", "Disetujui")
        RETURNED = "dikembalikan", pgettext_lazy("request status", "Dikembalikan")
        REJECTED = "ditolak", pgettext_lazy("request status", "Ditolak")

    class Source(models.TextChoices):
        # Where a proposal came from. The qualification engine (competency) plugs in as
        # ``mesin_kualifikasi`` and attaches its evidence; operators and facilitators as themselves.
        OPERATOR = "operator", _("Operator")
        ENGINE = "mesin_kualifikasi", _("Mesin kualifikasi")
        LEVEL_REVIEW = "tinjauan_jenjang", _("Kasus tinjauan jenjang")
        FACILITATOR = "pendamping", _("Pendamping (layanan mandiri)")

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
        # In the site's language whoever is looking: the audit stores this text.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.get_kind_display()} · {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


# What the history says for each step (the stored action is a code; in Indonesian the code
# itself is shown, as before).
REQUEST_ACTIONS = {
    "ajukan": pgettext_lazy("request event", "ajukan"),
    "ajukan_ulang": pgettext_lazy("request event", "ajukan_ulang"),
    "verifikasi": pgettext_lazy("request event", "verifikasi"),
    "setujui": pgettext_lazy("request event", "setujui"),
    "kembalikan": pgettext_lazy("request event", "kembalikan"),
    "tolak": pgettext_lazy("request event", "tolak"),
}


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

    @property
    def action_label(self) -> str:
        return str(REQUEST_ACTIONS.get(self.action, self.action))


class Urgency(models.TextChoices):
    EMERGENCY = "darurat", _("Darurat (24 jam)")
    HIGH = "tinggi", _("Tinggi (3 hari)")
    NORMAL = "biasa", _("Biasa (7 hari)")


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
    name = models.CharField(_("nama unit"), max_length=150)
    agency_type = models.CharField(
        _("jenis instansi"),
        max_length=100,
        help_text=_("Mis. Puskesmas, UPTD PPA, Dinas Kesehatan."),
    )
    regency = models.ForeignKey(
        "regions.Regency",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kabupaten/kota"),
    )
    email = models.EmailField(_("surel"))
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["regency_id", "name"]
        verbose_name = _("unit penerima rujukan")
        verbose_name_plural = _("unit penerima rujukan")
        constraints = [
            models.UniqueConstraint(fields=["regency", "name"], name="one_unit_name_per_regency")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_type})"


class Referral(models.Model):
    class Status(models.TextChoices):
        SENT = "terkirim", pgettext_lazy("referral status", "Terkirim")
        ACCEPTED = "diterima", pgettext_lazy("referral status", "Diterima")
        DECLINED = "ditolak", pgettext_lazy("referral status", "Ditolak")
        IN_PROGRESS = "diproses", pgettext_lazy("referral status", "Diproses")
        COMPLETED = "selesai", pgettext_lazy("referral status", "Selesai")

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
        # In the site's language whoever is looking: the audit stores this text.
        with translation.override(settings.LANGUAGE_CODE):
            return f"Rujukan {str(self.uid)[:8]} ({self.get_status_display()})"


REFERRAL_ACTIONS = {
    "kirim": pgettext_lazy("referral event", "kirim"),
    "terima": pgettext_lazy("referral event", "terima"),
    "tolak": pgettext_lazy("referral event", "tolak"),
    "proses": pgettext_lazy("referral event", "proses"),
    "selesai": pgettext_lazy("referral event", "selesai"),
    "catat": pgettext_lazy("referral event", "catat"),
    "pengingat": pgettext_lazy("referral event", "pengingat"),
    "eskalasi": pgettext_lazy("referral event", "eskalasi"),
}


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

    @property
    def action_label(self) -> str:
        return str(REFERRAL_ACTIONS.get(self.action, self.action))


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
