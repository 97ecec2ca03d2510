"""Standard incentives: a scale per level, a regional index, allowance rules, scenarios, adoptions.

Money is whole Rupiah (integers). An index is a decimal with four places and a percentage a
decimal with two; the engine (``incentives.engine``) multiplies them exactly in integers and rounds
half up once, at the end. Scales and indexes are data with a life cycle (draft → agreed → in force
→ superseded), never constants in code.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

LEVELS = range(3, 10)  # KKNI III–IX: the facilitator levels (DOMAIN.md).


class State(models.TextChoices):
    DRAFT = "draf", _("Draf")
    AGREED = "disepakati", _("Disepakati")
    IN_FORCE = "berlaku", pgettext_lazy("status versi", "Berlaku")
    SUPERSEDED = "digantikan", _("Digantikan")


class Purpose(models.TextChoices):
    # A scenario copy is a what-if for the budget office: it can be compared, never put in force.
    STANDARD = "standar", _("Standar")
    SCENARIO = "skenario", _("Skenario")


class Versioned(models.Model):
    """Life-cycle fields shared by scales and regional indexes: who agreed and enacted, when."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nama", max_length=150)
    purpose = models.CharField(
        "peruntukan", max_length=10, choices=Purpose.choices, default=Purpose.STANDARD
    )
    state = models.CharField(
        "status", max_length=12, choices=State.choices, default=State.DRAFT, db_index=True
    )
    is_example = models.BooleanField(
        "contoh", default=False, help_text="Data contoh untuk peragaan, bukan ketetapan resmi."
    )
    notes = models.TextField("catatan", blank=True)
    decision_ref = models.CharField("nomor keputusan/berita acara", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    enacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enacted_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.state == State.DRAFT


class RegionalIndex(Versioned):
    """A regional index table for one year, with its source (e.g. derived from the SBM)."""

    year = models.PositiveSmallIntegerField("tahun")
    source = models.CharField("sumber", max_length=300)
    method = models.TextField("cara penurunan", blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = "indeks wilayah"
        verbose_name_plural = "indeks wilayah"
        constraints = [
            # Versioned by year: at most one standard index in force for a year.
            models.UniqueConstraint(
                fields=["year"],
                condition=Q(state="berlaku", purpose="standar"),
                name="one_regional_index_in_force_per_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class RegionalIndexValue(models.Model):
    """One province's index, or a regency's where the table sets one (it overrides the province)."""

    index = models.ForeignKey(RegionalIndex, on_delete=models.CASCADE, related_name="values")
    province = models.ForeignKey("regions.Province", on_delete=models.PROTECT, related_name="+")
    regency = models.ForeignKey(
        "regions.Regency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField("indeks", max_digits=6, decimal_places=4)
    basis = models.CharField("dasar angka", max_length=200, blank=True)

    class Meta:
        ordering = ["province_id", "regency_id"]
        verbose_name = "nilai indeks wilayah"
        verbose_name_plural = "nilai indeks wilayah"
        constraints = [
            models.UniqueConstraint(
                fields=["index", "province"],
                condition=Q(regency__isnull=True),
                name="one_index_value_per_province",
            ),
            models.UniqueConstraint(
                fields=["index", "regency"],
                condition=Q(regency__isnull=False),
                name="one_index_value_per_regency",
            ),
            models.CheckConstraint(name="index_value_positive", condition=Q(value__gt=0)),
        ]

    def __str__(self) -> str:
        return f"{self.regency_id or self.province_id}: {self.value}"


class AreaList(models.Model):
    """A yearly list of special areas (remote, border, underdeveloped), loaded as data."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nama", max_length=150)
    year = models.PositiveSmallIntegerField("tahun")
    source = models.CharField("sumber", max_length=300)
    is_example = models.BooleanField("contoh", default=False)
    notes = models.TextField("catatan", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = "daftar wilayah khusus"
        verbose_name_plural = "daftar wilayah khusus"

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class AreaCategory(models.TextChoices):
    REMOTE = "terpencil", _("Terpencil")
    BORDER = "perbatasan", _("Perbatasan")
    UNDERDEVELOPED = "tertinggal", _("Tertinggal")


class AreaDesignation(models.Model):
    """A regency or a district flagged in an area list."""

    area_list = models.ForeignKey(AreaList, on_delete=models.CASCADE, related_name="areas")
    category = models.CharField("kategori", max_length=12, choices=AreaCategory.choices)
    regency = models.ForeignKey(
        "regions.Regency", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "regions.District", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    basis = models.CharField("dasar", max_length=200, blank=True)

    class Meta:
        ordering = ["category", "regency_id", "district_id"]
        verbose_name = "wilayah khusus"
        verbose_name_plural = "wilayah khusus"
        constraints = [
            models.CheckConstraint(
                name="area_is_regency_or_district",
                condition=(Q(regency__isnull=False) & Q(district__isnull=True))
                | (Q(regency__isnull=True) & Q(district__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.district_id or self.regency_id}"


class Scale(Versioned):
    """A base monthly amount per level, for everyone or for one programme, effective-dated.

    One standard scale is in force per scope (general, or one programme). When a new one is put
    in force, the previous one of its scope is superseded and closed the day before, so that a
    past month is still paid under the scale that applied then.
    """

    programme = models.ForeignKey(
        "registry.Programme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Kosong: skala umum. Diisi: skala khusus program yang punya regulasi sendiri.",
    )
    effective_from = models.DateField("berlaku mulai")
    effective_to = models.DateField("berlaku sampai", null=True, blank=True)
    regional_index = models.ForeignKey(
        RegionalIndex,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scales",
        help_text="Kosong: indeks wilayah yang berlaku untuk tahun perhitungan.",
    )
    area_list = models.ForeignKey(
        AreaList, null=True, blank=True, on_delete=models.PROTECT, related_name="scales"
    )
    # ASN (PNS/PPPK) are paid a civil-service salary; a scale covers them only if it says so.
    covers_asn = models.BooleanField("mencakup ASN", default=False)
    legal_basis = models.CharField("dasar hukum", max_length=300, blank=True)
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from", "name"]
        verbose_name = "skala insentif"
        verbose_name_plural = "skala insentif"
        constraints = [
            models.UniqueConstraint(
                fields=["state"],
                condition=Q(state="berlaku", purpose="standar", programme__isnull=True),
                name="one_general_scale_in_force",
            ),
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(state="berlaku", purpose="standar"),
                name="one_programme_scale_in_force",
            ),
            models.CheckConstraint(
                name="scale_dates_ordered",
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScaleAmount(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="amounts")
    level = models.PositiveSmallIntegerField("jenjang")
    base_amount = models.PositiveBigIntegerField("jumlah dasar per bulan (Rp)")

    class Meta:
        ordering = ["level"]
        verbose_name = "jumlah dasar"
        verbose_name_plural = "jumlah dasar"
        constraints = [
            models.UniqueConstraint(fields=["scale", "level"], name="one_amount_per_level"),
            models.CheckConstraint(name="amount_level_kkni", condition=Q(level__range=(3, 9))),
        ]

    def __str__(self) -> str:
        return f"{self.level}: {self.base_amount}"


class AllowanceKind(models.TextChoices):
    CASELOAD = "beban_kasus", _("Beban kasus di atas standar")
    AREA = "wilayah_khusus", _("Wilayah khusus (terpencil/perbatasan/tertinggal)")
    CERTIFICATION = "sertifikasi", _("Sertifikat kompetensi yang berlaku")
    SERVICE = "masa_kerja", _("Masa kerja")


class Allowance(models.Model):
    """An allowance rule of a scale: a fixed amount or a percentage of base × index.

    ``threshold`` is the caseload standard (the allowance starts above it) or the minimum full
    years of service. With ``per_unit`` the amount or percentage is paid per case above the
    standard, or per full year of service beyond the threshold, up to ``max_units``.
    """

    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="allowances")
    kind = models.CharField("jenis", max_length=20, choices=AllowanceKind.choices)
    name = models.CharField("nama", max_length=150)
    amount = models.PositiveBigIntegerField("jumlah tetap (Rp)", null=True, blank=True)
    percent = models.DecimalField(
        "persentase dari dasar × indeks", max_digits=5, decimal_places=2, null=True, blank=True
    )
    threshold = models.PositiveIntegerField("ambang", null=True, blank=True)
    per_unit = models.BooleanField("per satuan di atas ambang", default=False)
    max_units = models.PositiveIntegerField("satuan paling banyak", null=True, blank=True)
    area_category = models.CharField(
        "kategori wilayah", max_length=12, choices=AreaCategory.choices, blank=True
    )
    programme = models.ForeignKey(
        "registry.Programme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    min_level = models.PositiveSmallIntegerField("jenjang terendah", null=True, blank=True)
    max_level = models.PositiveSmallIntegerField("jenjang tertinggi", null=True, blank=True)
    effective_from = models.DateField("berlaku mulai", null=True, blank=True)
    effective_to = models.DateField("berlaku sampai", null=True, blank=True)
    legal_basis = models.CharField("dasar hukum", max_length=300)

    class Meta:
        ordering = ["kind", "pk"]
        verbose_name = "tunjangan"
        verbose_name_plural = "tunjangan"
        constraints = [
            models.CheckConstraint(
                name="allowance_amount_or_percent",
                condition=(Q(amount__isnull=False) & Q(percent__isnull=True))
                | (Q(amount__isnull=True) & Q(percent__isnull=False)),
            ),
            models.CheckConstraint(
                name="allowance_percent_range",
                condition=Q(percent__isnull=True) | Q(percent__gt=0, percent__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Scenario(models.Model):
    """A what-if: a copy of a scale (and its index) that an administrator changes and compares."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nama", max_length=100, unique=True)
    description = models.TextField("uraian", blank=True)
    scale = models.OneToOneField(Scale, on_delete=models.PROTECT, related_name="scenario")
    # Phased transition: nobody loses more than this share of their pay per year.
    transition_cap_percent = models.DecimalField(
        "batas penurunan per tahun (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    start_year = models.PositiveSmallIntegerField("tahun mulai")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "skenario"
        verbose_name_plural = "skenario"
        constraints = [
            models.CheckConstraint(
                name="scenario_cap_range",
                condition=Q(transition_cap_percent__isnull=True)
                | Q(transition_cap_percent__gt=0, transition_cap_percent__lte=100),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Adoption(models.Model):
    """The decision that a programme pays the standard from a month on (until then: current pay)."""

    programme = models.OneToOneField(
        "registry.Programme", on_delete=models.PROTECT, related_name="+"
    )
    effective_month = models.DateField("mulai bulan", help_text="Tanggal 1 bulan mulai berlaku.")
    decision_ref = models.CharField("nomor keputusan", max_length=200)
    note = models.TextField("catatan", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effective_month"]
        verbose_name = "penerapan standar"
        verbose_name_plural = "penerapan standar"
        constraints = [
            models.CheckConstraint(
                name="adoption_first_of_month", condition=Q(effective_month__day=1)
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} mulai {self.effective_month:%m/%Y}"
