"""Training, certification and recognition (the facilitation and recognition pillars).

Competency units are referred to by their SKKNI code (``X.000000.000.00``), not by a foreign
key to the framework's unit rows: units belong to a framework version, while a course, a
scheme or a certificate outlives versions. The code carries the unit's own version (its last
two digits), so it is the stable name. The qualification engine (competency.qualification)
maps codes onto the version in force.

Three notions of level (DOMAIN.md) meet here only as the *attained* level, which is computed
from the units below and never stored: the position level is the registry's, and a lapse
never changes it (registry.level_reviews).
"""

import re
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Same pattern as the framework's; kept here so that this app need not import its models.
UNIT_CODE = re.compile(r"^[A-Z]\.\d{6}\.\d{3}\.\d{2}$")


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE.match(value or ""):
        raise ValidationError(f"Kode unit '{value}' tidak sesuai format SKKNI X.000000.000.00.")


def public_token() -> str:
    """An unguessable identifier for public links (144 random bits, URL-safe)."""
    return secrets.token_urlsafe(18)


# A certificate's verification code is read off paper and typed: Crockford's base 32 (no I, L,
# O or U), 20 characters (100 random bits), printed in groups of four; typed in any case, with
# or without the dashes, and with O/I/L for 0/1/1.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 20
_CODE_READING = str.maketrans({"O": "0", "I": "1", "L": "1"})


def verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def verification_code_read(text: str) -> str:
    """The code as stored, from what someone typed or pasted (a whole link is fine)."""
    text = (text or "").strip().rstrip("/").rsplit("/", 1)[-1]
    return re.sub(r"[\s.\-]", "", text).upper().translate(_CODE_READING)


def verification_code_display(code: str) -> str:
    if len(code) != CODE_LENGTH:
        return code  # issued before codes were grouped
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


# ---------------------------------------------------------------------------------------------
# Training (diklat berbasis kompetensi)


class TrainingProvider(models.Model):
    """A training centre (balai/lembaga diklat). Its staff manage its courses and classes."""

    name = models.CharField("nama", max_length=200, unique=True)
    address = models.CharField("alamat", max_length=250, blank=True)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="training_providers",
        verbose_name="petugas",
    )
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "penyelenggara pelatihan"
        verbose_name_plural = "penyelenggara pelatihan"

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    class Mode(models.TextChoices):
        IN_PERSON = "tatap_muka", _("Tatap muka")
        ONLINE = "daring", _("Daring")
        BLENDED = "campuran", _("Campuran (blended)")

    code = models.SlugField("kode", max_length=60, unique=True)
    title = models.CharField("judul", max_length=200)
    description = models.TextField("deskripsi", blank=True)
    provider = models.ForeignKey(TrainingProvider, on_delete=models.PROTECT, related_name="courses")
    hours = models.PositiveSmallIntegerField("jam pelajaran")
    mode = models.CharField("moda", max_length=12, choices=Mode.choices)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_for", verbose_name="prasyarat"
    )
    is_active = models.BooleanField("aktif", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "pelatihan"
        verbose_name_plural = "katalog pelatihan"
        constraints = [
            models.CheckConstraint(name="course_hours_positive", condition=Q(hours__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.code})"


class CourseUnit(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="units")
    unit_code = models.CharField(max_length=20, validators=[validate_unit_code], db_index=True)

    class Meta:
        ordering = ["course_id", "unit_code"]
        verbose_name = "unit yang dicakup pelatihan"
        constraints = [
            models.UniqueConstraint(fields=["course", "unit_code"], name="one_course_unit")
        ]

    def __str__(self) -> str:
        return self.unit_code


class TrainingClass(models.Model):
    """An angkatan: one run of a course, with dates, a place and a capacity."""

    class Status(models.TextChoices):
        PLANNED = "direncanakan", _("Direncanakan")
        OPEN = "pendaftaran", _("Pendaftaran dibuka")
        RUNNING = "berjalan", pgettext_lazy("status angkatan", "Berjalan")
        FINISHED = "selesai", pgettext_lazy("status angkatan", "Selesai")
        CANCELLED = "batal", _("Dibatalkan")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="classes")
    name = models.CharField("angkatan", max_length=100)
    start_date = models.DateField("mulai")
    end_date = models.DateField("selesai")
    place = models.CharField("tempat", max_length=200)
    regency = models.ForeignKey(
        "regions.Regency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    capacity = models.PositiveSmallIntegerField("kapasitas")
    status = models.CharField(max_length=15, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = "angkatan pelatihan"
        verbose_name_plural = "angkatan pelatihan"
        constraints = [
            models.CheckConstraint(
                name="class_dates_ordered", condition=Q(end_date__gte=models.F("start_date"))
            ),
            models.CheckConstraint(name="class_capacity_positive", condition=Q(capacity__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} — {self.name}"


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "terdaftar", pgettext_lazy("status peserta pelatihan", "Terdaftar")
        WAITLISTED = "menunggu", _("Daftar tunggu")
        PASSED = "lulus", _("Lulus")
        FAILED = "tidak_lulus", _("Tidak lulus")
        WITHDRAWN = "batal", pgettext_lazy("status peserta pelatihan", "Batal")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    training_class = models.ForeignKey(
        TrainingClass, on_delete=models.PROTECT, related_name="enrolments"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ENROLLED)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField("tanggal selesai", null=True, blank=True)
    note = models.CharField("catatan", max_length=250, blank=True)

    class Meta:
        ordering = ["training_class_id", "id"]
        verbose_name = "peserta pelatihan"
        verbose_name_plural = "peserta pelatihan"
        constraints = [
            models.UniqueConstraint(
                fields=["training_class", "person"], name="one_enrolment_per_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.training_class_id}"


class Attendance(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    day = models.DateField("tanggal")
    present = models.BooleanField("hadir", default=True)

    class Meta:
        ordering = ["enrolment_id", "day"]
        verbose_name = "kehadiran"
        verbose_name_plural = "kehadiran"
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "day"], name="one_attendance_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.day} {'hadir' if self.present else 'absen'}"


# ---------------------------------------------------------------------------------------------
# Certification (LSP, skema, TUK, asesor, asesmen, sertifikat)


class CertificationBody(models.Model):
    """An LSP licensed by BNSP: P1 for its own trainees, P2 for its organisation's staff, P3
    by an industry or profession."""

    class Kind(models.TextChoices):
        P1 = "P1", "LSP P1"
        P2 = "P2", "LSP P2"
        P3 = "P3", "LSP P3"

    name = models.CharField("nama LSP", max_length=200, unique=True)
    kind = models.CharField("jenis", max_length=2, choices=Kind.choices)
    licence_number = models.CharField("nomor lisensi BNSP", max_length=100)
    licence_valid_from = models.DateField("lisensi berlaku sejak", null=True, blank=True)
    licence_valid_until = models.DateField("lisensi berlaku sampai")
    is_active = models.BooleanField("aktif", default=True)
    # The LSP's certification manager(s) / decision makers: they decide on an assessor's
    # recommendation and issue (maker-checker; BNSP: the assessor does not issue).
    decision_makers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="lsp_decisions",
        verbose_name="manajer sertifikasi / pengambil keputusan",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "LSP"
        verbose_name_plural = "LSP"

    def __str__(self) -> str:
        return self.name


class Scheme(models.Model):
    """A certification scheme (skema) of an LSP: the units it assesses and its validity."""

    lsp = models.ForeignKey(CertificationBody, on_delete=models.PROTECT, related_name="schemes")
    code = models.SlugField("kode skema", max_length=60)
    name = models.CharField("nama skema", max_length=200)
    # The KKNI level the scheme's package certifies (None for a cluster of units).
    level = models.PositiveSmallIntegerField("jenjang KKNI", null=True, blank=True)
    validity_years = models.PositiveSmallIntegerField("masa berlaku (tahun)", default=3)

    class RenewalRule(models.TextChoices):
        SURVEILLANCE = "surveilans", _("Bukti praktik berkelanjutan dan asesmen surveilans")
        REASSESSMENT = "asesmen_ulang", _("Asesmen ulang penuh")

    # How a certificate of this scheme is renewed: always an assessment (decided by an
    # assessor, issued by the LSP); with surveillance, evidence of continued practice first.
    renewal_rule = models.CharField(
        "aturan perpanjangan",
        max_length=15,
        choices=RenewalRule.choices,
        default=RenewalRule.REASSESSMENT,
    )
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["lsp_id", "code"]
        verbose_name = "skema sertifikasi"
        verbose_name_plural = "skema sertifikasi"
        constraints = [
            models.UniqueConstraint(fields=["lsp", "code"], name="one_scheme_code_per_lsp"),
            models.CheckConstraint(
                name="scheme_level_within_kkni",
                condition=Q(level__isnull=True) | Q(level__range=(1, 9)),
            ),
            models.CheckConstraint(
                name="scheme_validity_positive", condition=Q(validity_years__gt=0)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeUnit(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="units")
    unit_code = models.CharField(max_length=20, validators=[validate_unit_code])

    class Meta:
        ordering = ["scheme_id", "unit_code"]
        verbose_name = "unit skema"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "unit_code"], name="one_scheme_unit")
        ]

    def __str__(self) -> str:
        return self.unit_code


class TestSite(models.Model):
    """A TUK (tempat uji kompetensi)."""

    class Kind(models.TextChoices):
        TEMPORARY = "sewaktu", _("TUK sewaktu")
        WORKPLACE = "tempat_kerja", _("TUK tempat kerja")
        INDEPENDENT = "mandiri", _("TUK mandiri")

    lsp = models.ForeignKey(CertificationBody, on_delete=models.PROTECT, related_name="test_sites")
    name = models.CharField("nama TUK", max_length=200)
    kind = models.CharField("jenis", max_length=15, choices=Kind.choices)
    regency = models.ForeignKey(
        "regions.Regency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("alamat", max_length=250, blank=True)

    class Meta:
        ordering = ["lsp_id", "name"]
        verbose_name = "TUK"
        verbose_name_plural = "TUK"

    def __str__(self) -> str:
        return self.name


class Assessor(models.Model):
    """A competency assessor (asesor kompetensi) working for one LSP."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessor"
    )
    lsp = models.ForeignKey(CertificationBody, on_delete=models.PROTECT, related_name="assessors")
    registration_number = models.CharField("nomor registrasi asesor", max_length=60)
    is_active = models.BooleanField("aktif", default=True)

    class Meta:
        ordering = ["lsp_id", "id"]
        verbose_name = "asesor"
        verbose_name_plural = "asesor"

    def __str__(self) -> str:
        return f"{self.user} ({self.registration_number})"


def practice_evidence_path(instance, filename: str) -> str:
    return evidence_path(instance, filename)  # personal data: an unguessable folder too


class Assessment(models.Model):
    """One candidate's assessment under a scheme. The assessor judges its units (UnitResult);
    while it is open its status follows the latest verdict of every scheme unit
    (services.assessments): none judged yet, some judged, one Belum Kompeten (a retake is
    due), or all Kompeten (ready for the assessor's recommendation). The recommendation and the
    LSP's decision close it."""

    class Status(models.TextChoices):
        SCHEDULED = "dijadwalkan", _("Dijadwalkan")
        IN_PROGRESS = "dinilai", _("Sedang dinilai")
        NOT_YET = "belum_kompeten", _("Ada unit Belum Kompeten")
        READY = "siap_rekomendasi", _("Semua unit Kompeten, siap direkomendasikan")
        RECOMMENDED = "direkomendasikan", _("Direkomendasikan asesor, menunggu keputusan LSP")
        DONE = "selesai", pgettext_lazy("status asesmen", "Selesai")
        CANCELLED = "batal", _("Dibatalkan")

    # The assessor still judges units (and recommends) while the assessment is in one of these.
    OPEN = (Status.SCHEDULED, Status.IN_PROGRESS, Status.NOT_YET, Status.READY)

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="assessments"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="assessments")
    test_site = models.ForeignKey(
        TestSite, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments"
    )
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="assessments")
    scheduled_on = models.DateField("tanggal uji")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # A renewal is an assessment of the certificate it renews, under its scheme's rule.
    renews = models.ForeignKey(
        "Certificate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal_assessments",
        verbose_name="memperpanjang sertifikat",
    )
    practice_evidence = models.FileField(
        "bukti praktik berkelanjutan", upload_to=practice_evidence_path, blank=True
    )
    # The assessor's recommendation (the maker); the LSP's decision is the certificate.
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField("direkomendasikan pada", null=True, blank=True)
    recommendation_note = models.TextField("catatan rekomendasi", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        verbose_name = "asesmen"
        verbose_name_plural = "asesmen"
        indexes = [models.Index(fields=["assessor", "status"])]

    def __str__(self) -> str:
        return f"Asesmen {self.scheme} ({self.scheduled_on})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Verdict(models.TextChoices):
    COMPETENT = "K", _("Kompeten")
    NOT_YET = "BK", _("Belum Kompeten")


def evidence_path(instance, filename: str) -> str:
    # A random folder: evidence is personal data and its URL must not be guessable.
    return f"kompetensi/bukti/{timezone.now():%Y}/{uuid.uuid4().hex}/{filename}"


class UnitResult(models.Model):
    """The assessor's judgement on one unit. Belum Kompeten may be retaken: a retake is a new
    row with the next attempt number, so the history of attempts stays."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="results")
    unit_code = models.CharField(max_length=20, validators=[validate_unit_code])
    attempt = models.PositiveSmallIntegerField("percobaan ke", default=1)
    verdict = models.CharField("keputusan", max_length=2, choices=Verdict.choices)
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField("tanggal asesmen")
    evidence = models.FileField("bukti", upload_to=evidence_path, blank=True)
    note = models.TextField("catatan", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assessment_id", "unit_code", "attempt"]
        verbose_name = "hasil asesmen unit"
        verbose_name_plural = "hasil asesmen unit"
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "unit_code", "attempt"], name="one_result_per_attempt"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_code}: {self.get_verdict_display()} (ke-{self.attempt})"


class Certificate(models.Model):
    """A competency certificate. Whether it counts is derived from its dates and revocation at
    query time (``counts_on``); ``status`` is what was last recorded (the expiry command marks
    lapsed ones) and is for lists and reminders, never for the qualification engine."""

    class Status(models.TextChoices):
        VALID = "berlaku", pgettext_lazy("status sertifikat", "Berlaku")
        EXPIRED = "kedaluwarsa", pgettext_lazy("status sertifikat", "Kedaluwarsa")
        REVOKED = "dicabut", pgettext_lazy("status sertifikat", "Dicabut")
        RENEWED = "diperbarui", pgettext_lazy("status sertifikat", "Diperbarui")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # What the QR code and the public verification page carry: random, never derived.
    public_id = models.CharField(
        max_length=32, unique=True, default=verification_code, editable=False
    )
    number = models.CharField("nomor sertifikat", max_length=100, unique=True)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="certificates"
    )
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="certificates")
    lsp = models.ForeignKey(
        CertificationBody, on_delete=models.PROTECT, related_name="certificates"
    )
    assessment = models.ForeignKey(
        Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="certificates"
    )
    level = models.PositiveSmallIntegerField("jenjang KKNI", null=True, blank=True)
    issued_on = models.DateField("tanggal terbit")
    valid_until = models.DateField("berlaku sampai")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALID)
    revoked_at = models.DateTimeField("dicabut pada", null=True, blank=True)
    revoked_reason = models.TextField("alasan pencabutan", blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    renewed_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renews"
    )
    # Position in the revocation status list (BitstringStatusList); random, so that the
    # list does not reveal the order of issue.
    status_index = models.PositiveIntegerField(unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "sertifikat kompetensi"
        verbose_name_plural = "sertifikat kompetensi"
        constraints = [
            models.CheckConstraint(
                name="certificate_dates_ordered",
                condition=Q(valid_until__gte=models.F("issued_on")),
            ),
            models.CheckConstraint(
                name="certificate_level_within_kkni",
                condition=Q(level__isnull=True) | Q(level__range=(1, 9)),
            ),
            models.CheckConstraint(
                name="certificate_revocation_has_reason",
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "valid_until"]),
            models.Index(fields=["valid_until", "revoked_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    def counts_on(self, day) -> bool:
        return self.revoked_at is None and self.issued_on <= day <= self.valid_until

    def status_on(self, day) -> str:
        """The status derived from the facts on ``day`` (revoked > renewed > expired > valid)."""
        if self.revoked_at is not None:
            return self.Status.REVOKED
        if self.renewed_by_id:
            return self.Status.RENEWED
        if day > self.valid_until:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())

    @property
    def current_status_label(self) -> str:
        return self.Status(self.current_status).label


class CertificateUnit(models.Model):
    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="units")
    unit_code = models.CharField(max_length=20, validators=[validate_unit_code], db_index=True)
    # The title as printed on the certificate, kept even if a later framework renames it.
    unit_title = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["certificate_id", "unit_code"]
        verbose_name = "unit sertifikat"
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "unit_code"], name="one_certificate_unit"
            )
        ]

    def __str__(self) -> str:
        return self.unit_code


# ---------------------------------------------------------------------------------------------
# RPL (Rekognisi Pembelajaran Lampau)


class RplApplication(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "diajukan", pgettext_lazy("status permohonan", "Diajukan")
        DECIDED = "diputuskan", _("Diputuskan")
        WITHDRAWN = "ditarik", _("Ditarik")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="rpl_applications"
    )
    # The units the applicant asks to be recognised.
    requested_units = models.JSONField("unit yang diajukan", default=list)
    assessor = models.ForeignKey(
        Assessor, null=True, blank=True, on_delete=models.PROTECT, related_name="rpl_applications"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    note = models.TextField("keterangan", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = "permohonan RPL"
        verbose_name_plural = "permohonan RPL"

    def __str__(self) -> str:
        return f"RPL {self.person_id} ({self.get_status_display()})"


class RplEvidence(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "dokumen", _("Dokumen/portofolio")
        ASSIGNMENT = "surat_tugas", _("Surat tugas")
        PRIOR_CERTIFICATE = "sertifikat_lama", _("Sertifikat sebelumnya")
        OTHER = "lainnya", _("Lainnya")

    application = models.ForeignKey(
        RplApplication, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField("jenis bukti", max_length=20, choices=Kind.choices)
    file = models.FileField("berkas", upload_to=evidence_path)
    description = models.CharField("keterangan", max_length=250, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "id"]
        verbose_name = "bukti RPL"
        verbose_name_plural = "bukti RPL"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description}"


class RplUnitDecision(models.Model):
    """An assessor's decision on one unit. A recognised unit counts like a certified one until
    ``valid_until`` (the same default validity as a certificate)."""

    application = models.ForeignKey(
        RplApplication, on_delete=models.CASCADE, related_name="decisions"
    )
    unit_code = models.CharField(max_length=20, validators=[validate_unit_code], db_index=True)
    recognised = models.BooleanField("diakui")
    assessor = models.ForeignKey(Assessor, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField("tanggal keputusan")
    valid_until = models.DateField("berlaku sampai", null=True, blank=True)
    note = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["application_id", "unit_code"]
        verbose_name = "keputusan unit RPL"
        verbose_name_plural = "keputusan unit RPL"
        constraints = [
            models.UniqueConstraint(
                fields=["application", "unit_code"], name="one_rpl_decision_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_code}: {'diakui' if self.recognised else 'tidak diakui'}"


# ---------------------------------------------------------------------------------------------
# Notifications


class Notification(models.Model):
    """An in-app message (the e-mail, when sent, says the same)."""

    class Kind(models.TextChoices):
        EXPIRY_REMINDER = "pengingat_kedaluwarsa", _("Pengingat masa berlaku sertifikat")
        EXPIRED = "kedaluwarsa", _("Sertifikat kedaluwarsa")
        REVOKED = "dicabut", _("Sertifikat dicabut")
        ASSESSMENT = "asesmen", _("Asesmen")
        OTHER = "lainnya", _("Lainnya")

    # The person concerned (a holder often has no account) and, when they have one, the user
    # who sees it in the application.
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="competency_notifications",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="competency_notifications",
    )
    kind = models.CharField(max_length=25, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=250, blank=True)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    # Distinguishes reminders of one certificate (e.g. "90", "30", "7" days before expiry), so
    # that running the reminder command twice never notifies twice.
    key = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "kind", "key"],
                condition=Q(certificate__isnull=False),
                name="one_notification_per_certificate_event",
            )
        ]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            models.Index(fields=["person", "read_at"]),
        ]

    def __str__(self) -> str:
        return self.title
