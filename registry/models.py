"""The registry: one person per NIK, each with their engagements across clusters and programmes."""

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from registry.plausibility import birth_date_problem, monthly_incentive_problem, record_date_problem

if TYPE_CHECKING:
    from registry.selectors import ListedEngagement

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX"}


class Programme(models.Model):
    """A Rehsos cluster or another programme/agency that employs facilitators. Data, not code."""

    class Kind(models.TextChoices):
        CLUSTER = "klaster", _("Klaster rehabilitasi sosial")
        PROGRAMME = "program", _("Program/instansi lain")

    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    agency = models.CharField(max_length=150, help_text="Kementerian/lembaga penyelenggara.")
    facilitator_title = models.CharField(max_length=150, blank=True)
    legal_basis = models.CharField(max_length=200, blank=True)
    # Children's cases and similar specific data (UU PDP) get the fewest eyes.
    handles_children = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "klaster/program"
        verbose_name_plural = "klaster/program"

    def __str__(self) -> str:
        return self.name


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Education(models.TextChoices):
    SD = "SD", "SD"
    SMP = "SMP", "SMP"
    SMA = "SMA", _("SMA/SMK")
    D1 = "D1", "D1"
    D2 = "D2", "D2"
    D3 = "D3", "D3"
    D4 = "D4", "D4"
    S1 = "S1", "S1"
    PROFESI = "PROFESI", _("Pendidikan profesi")
    S2 = "S2", "S2"
    S3 = "S3", "S3"


class Verification(models.TextChoices):
    PENDING = "menunggu", _("Menunggu verifikasi")
    VERIFIED = "terverifikasi", _("Terverifikasi")
    APPROVED = "disetujui", _("Disetujui")
    RETURNED = "dikembalikan", _("Dikembalikan")


class Person(models.Model):
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    nik = models.CharField("NIK", max_length=16, unique=True)
    full_name = models.CharField("nama lengkap", max_length=150)
    # Upper-cased, titles and punctuation removed: the key for duplicate detection.
    name_key = models.CharField(max_length=150, editable=False)
    titles_front = models.CharField("gelar depan", max_length=50, blank=True)
    titles_back = models.CharField("gelar belakang", max_length=80, blank=True)
    sex = models.CharField("jenis kelamin", max_length=1, choices=Sex.choices)
    birth_place = models.CharField("tempat lahir", max_length=100, blank=True)
    birth_date = models.DateField("tanggal lahir")
    phone = models.CharField("telepon", max_length=20, blank=True)
    email = models.EmailField("surel", blank=True)
    education_level = models.CharField(
        "pendidikan", max_length=10, choices=Education.choices, blank=True
    )
    education_field = models.CharField("bidang studi", max_length=120, blank=True)
    address_province = models.ForeignKey(
        "regions.Province",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    address_regency = models.ForeignKey(
        "regions.Regency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    address_district = models.ForeignKey(
        "regions.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    address_village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Payment details for the monthly roster (personal data: payment roles only).
    bank_name = models.CharField("bank", max_length=100, blank=True)
    bank_account = models.CharField("nomor rekening", max_length=30, blank=True)
    npwp = models.CharField("NPWP", max_length=20, blank=True)
    verification = models.CharField(
        max_length=15, choices=Verification.choices, default=Verification.PENDING
    )
    # A merged record stays, pointing at the person it was merged into, so both histories remain.
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        db_index=False,  # a partial index below: only merged records are in it
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not fields: set only on the people that registry.selectors hands to pages (a list page's
    # rows, ``_page_rows``; one person's page, ``person_detail``); absent on any other instance.
    listed_engagements: "list[ListedEngagement]"
    open_flag_count: int
    visible_engagements: "list[Engagement]"
    open_flags: "list[Flag]"
    closed_flags: "list[Flag]"

    class Meta:
        ordering = ["name_key", "id"]
        verbose_name = "orang"
        verbose_name_plural = "orang"
        # Every index is paid for on each of an import's rows (see docs/architecture.md,
        # "Indexes on the registry"): only those a query uses. Plain ``Meta`` indexes on
        # choice columns, so PostgreSQL builds no extra ``LIKE`` (pattern ops) index.
        # The word index for name search and the reverse(nik) index for NIK suffixes are
        # per database (registry.search, migration 0006), outside Meta.
        indexes = [
            # The registry list's order: a page is an index range, not a sort of the scope.
            models.Index(fields=["name_key", "id"], name="registry_person_order"),
            models.Index(fields=["name_key", "birth_date"]),
            models.Index(fields=["verification"], name="registry_person_verif"),
            models.Index(
                fields=["merged_into"],
                name="registry_person_merged",
                condition=Q(merged_into__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        if problem := birth_date_problem(self.birth_date):
            raise ValidationError({"birth_date": problem})

    @property
    def display_name(self) -> str:
        name = f"{self.titles_front} {self.full_name}".strip()
        return f"{name}, {self.titles_back}" if self.titles_back else name


class EmploymentStatus(models.TextChoices):
    PNS = "PNS", "PNS"
    PPPK = "PPPK", "PPPK"
    CONTRACT = "kontrak", _("Kontrak")
    HONORARY = "honorer", _("Honorer")
    VOLUNTEER = "relawan", _("Relawan")

    @classmethod
    def asn(cls) -> set[str]:
        return {cls.PNS, cls.PPPK}


class Engagement(models.Model):
    """A person's service in one cluster or programme in one regency."""

    class Status(models.TextChoices):
        ACTIVE = "aktif", _("Aktif")
        ENDED = "berakhir", _("Berakhir")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Foreign keys without an index of their own are served by a composite index below.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="engagements", db_index=False
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="engagements", db_index=False
    )
    legacy_title = models.CharField("jabatan (sesuai sumber)", max_length=200)
    # Province is the regency's, stored so that scoping and roll-ups need no join.
    province = models.ForeignKey(
        "regions.Province", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    regency = models.ForeignKey(
        "regions.Regency", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        "regions.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    village = models.ForeignKey(
        "regions.Village",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    employment_status = models.CharField(
        "status kepegawaian", max_length=10, choices=EmploymentStatus.choices
    )
    sk_number = models.CharField("nomor SK", max_length=100, blank=True)
    sk_date = models.DateField("tanggal SK", null=True, blank=True)
    sk_document = models.FileField("dokumen SK", upload_to="sk/%Y/", blank=True)
    start_date = models.DateField("mulai", null=True, blank=True)
    end_date = models.DateField("selesai", null=True, blank=True)
    monthly_incentive = models.PositiveBigIntegerField(
        "insentif bulanan (Rp)", null=True, blank=True
    )
    # Three notions of level (DOMAIN.md): harmonised comes from the framework in force,
    # position only changes by an approved decision; attained belongs to the person.
    harmonised_level = models.PositiveSmallIntegerField(
        "jenjang harmonisasi", null=True, blank=True
    )
    position_level = models.PositiveSmallIntegerField("jenjang jabatan", null=True, blank=True)
    # Set when an approved decision (SK) fixed the position level; until then it follows the
    # harmonised level. A decided position level never changes silently (see LevelReview).
    position_sk_number = models.CharField("SK jenjang jabatan", max_length=100, blank=True)
    position_effective_date = models.DateField("TMT jenjang jabatan", null=True, blank=True)
    # Written by harmonisation under the framework in force: the unified title and why
    # (version, rule, facts used, legal basis), shown on the person page and in the API.
    unified_title = models.CharField("nomenklatur baku", max_length=150, blank=True)
    harmonisation = models.JSONField("penjelasan harmonisasi", default=dict, blank=True)
    # Written by the incentives engine under the scale in force (None: not yet computed).
    standard_incentive = models.PositiveBigIntegerField(
        "insentif standar (Rp)", null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    verification = models.CharField(
        max_length=15, choices=Verification.choices, default=Verification.PENDING
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person_id", "programme_id"]
        verbose_name = "penugasan"
        verbose_name_plural = "penugasan"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "programme", "regency"],
                name="one_engagement_per_programme_regency",
            ),
            models.CheckConstraint(
                name="engagement_dates_ordered",
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
            ),
            models.CheckConstraint(
                name="levels_within_kkni",
                condition=(Q(harmonised_level__isnull=True) | Q(harmonised_level__range=(1, 9)))
                & (Q(position_level__isnull=True) | Q(position_level__range=(1, 9))),
            ),
        ]
        # As few as the queries need (see Person.Meta): person is served by the unique
        # constraint, programme and province by the composites.
        indexes = [
            models.Index(fields=["programme", "regency", "status"]),
            models.Index(fields=["province", "programme"]),
            # Region then person: the list's scope probe (registry.selectors.scope_probe)
            # reads a scope's person ids from the index alone.
            models.Index(fields=["regency", "person"], name="registry_eng_regency_person"),
            models.Index(fields=["province", "person"], name="registry_eng_province_person"),
            models.Index(fields=["village"], name="registry_engagement_village"),
            models.Index(fields=["verification"], name="registry_engagement_verif"),
        ]

    def __str__(self) -> str:
        return f"{self.legacy_title} ({self.programme_id}, {self.regency_id})"

    def clean(self) -> None:
        errors = {}
        for name, label in [
            ("sk_date", "Tanggal SK"),
            ("start_date", "Tanggal mulai"),
            ("end_date", "Tanggal selesai"),
            ("position_effective_date", "TMT jenjang jabatan"),
        ]:
            if problem := record_date_problem(getattr(self, name), label=label):
                errors[name] = problem
        if problem := monthly_incentive_problem(self.monthly_incentive):
            errors["monthly_incentive"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def level_roman(self) -> str:
        return ROMAN.get(self.harmonised_level or 0, "")


class Flag(models.Model):
    """Something about a person or engagement that a verifier must look at."""

    class Code(models.TextChoices):
        NIK_BIRTH_DATE = "nik_tanggal_lahir", _("Tanggal lahir tidak sesuai NIK")
        NIK_SEX = "nik_jenis_kelamin", _("Jenis kelamin tidak sesuai NIK")
        NIK_REGION_UNKNOWN = "nik_wilayah_lama", _("Kode kabupaten/kota NIK tidak dikenal")
        CONFLICT = "data_bertentangan", _("Data bertentangan antar sumber")
        POSSIBLE_DUPLICATE = "kemungkinan_ganda", _("Kemungkinan orang yang sama dengan NIK lain")
        CONCURRENT_PAID = "rangkap_bayar", _("Rangkap penugasan berbayar pada bulan yang sama")
        ASN_ALSO_PAID = "asn_rangkap", _("ASN juga dibayar sebagai non-ASN")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="flags")
    engagement = models.ForeignKey(
        Engagement, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    code = models.CharField(max_length=30, choices=Code.choices)
    reason = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "tanda verifikasi"
        verbose_name_plural = "tanda verifikasi"
        indexes = [
            # The review list's order among open flags: a page is a range of this index.
            models.Index(
                fields=["code", "id"],
                condition=models.Q(resolved_at__isnull=True),
                name="registry_flag_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.reason}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class LevelReview(models.Model):
    """A case for a person to decide: a level changed under a decided position level.

    Raised instead of a silent change when the framework in force moves an engagement's
    harmonised level away from its decided position level, or when an expired or revoked
    certificate lowers a person's attained level below it (DOMAIN.md, three notions of level).
    """

    class Kind(models.TextChoices):
        FRAMEWORK_CHANGE = "perubahan_kerangka", _("Perubahan kerangka kualifikasi")
        CERTIFICATE_LAPSE = "sertifikat_berakhir", _("Sertifikat kedaluwarsa/dicabut")
        OTHER = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        OPEN = "terbuka", _("Terbuka")
        RESOLVED = "selesai", pgettext_lazy("review status", "Selesai")

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="level_reviews"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    position_level = models.PositiveSmallIntegerField(null=True, blank=True)
    proposed_level = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "kasus tinjauan jenjang"
        verbose_name_plural = "kasus tinjauan jenjang"
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.engagement}"


class Merge(models.Model):
    """One merge of a duplicate record into another, with what is needed to undo it.

    ``snapshot`` holds, serialised by ``django.core.serializers`` at merge time, the merged-away
    person, its engagements and the flags of both people as they stood before the merge; undoing
    writes those rows back exactly (``registry.services.person_merge_undo``). ``details`` names
    what the merge did: the engagements moved or ended (with their ``updated_at`` right after the
    merge, so that a later change to them is noticed) and the flags it raised.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    keep = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_away")
    merged_at = models.DateTimeField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    snapshot = models.JSONField(default=list)
    details = models.JSONField(default=dict)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undo_request_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = "penggabungan"
        verbose_name_plural = "penggabungan"

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.keep_id}"
