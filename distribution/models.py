"""Need, staffing standards, caseloads and snapshots: the data behind "how many do we need?".

Need and population arrive as aggregates (never personal data) in versioned datasets. Every
figure carries its province, regency, district and village codes, so that roll-ups are plain
GROUP BY queries without joins to the region tables. ``RegionAggregate`` holds those roll-ups
precomputed per region, refreshed whenever a dataset changes (see services.aggregates_refresh).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "provinsi", _("Provinsi")
    REGENCY = "kabupaten", _("Kabupaten/kota")
    DISTRICT = "kecamatan", _("Kecamatan")
    VILLAGE = "desa", _("Desa/kelurahan")


# Length of a Kemendagri code at each level: "32", "32.04", "32.04.01", "32.04.01.2001".
CODE_LENGTH = {
    RegionLevel.PROVINCE: 2,
    RegionLevel.REGENCY: 5,
    RegionLevel.DISTRICT: 8,
    RegionLevel.VILLAGE: 13,
}


def level_of_code(code: str) -> str | None:
    for level, length in CODE_LENGTH.items():
        if len(code) == length:
            return level
    return None


class NeedDataset(models.Model):
    """One imported (or generated) table of need per region and cluster, with its source.

    A new version of the same series supersedes the older one for the clusters it covers;
    superseded datasets stay, so that figures shown earlier can be traced back.
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nama seri data", max_length=150)
    version = models.PositiveIntegerField("versi", default=1)
    source = models.CharField("sumber", max_length=300)
    period = models.CharField("periode", max_length=30, help_text="Mis. 2025 atau 2025-S1.")
    level = models.CharField("tingkat wilayah", max_length=10, choices=RegionLevel.choices)
    file_name = models.CharField("berkas", max_length=255, blank=True)
    is_demo = models.BooleanField("data contoh", default=False)
    is_current = models.BooleanField("berlaku", default=True, db_index=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    # Cluster slugs in the file, and those for which this version is still the one in force.
    programmes = models.JSONField("klaster/program", default=list, blank=True)
    current_programmes = models.JSONField(default=list, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    note = models.TextField("catatan", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "data kebutuhan"
        verbose_name_plural = "data kebutuhan"
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="need_dataset_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.period})"


class NeedFigure(models.Model):
    """Need for one cluster in one region: e.g. 37 elderly needing care in a village."""

    dataset = models.ForeignKey(NeedDataset, on_delete=models.CASCADE, related_name="figures")
    programme = models.ForeignKey("registry.Programme", on_delete=models.PROTECT, related_name="+")
    # Codes, not foreign keys: the importer has already checked them against the region
    # table, and plain columns keep the 750,000-row generated load a single COPY.
    province_code = models.CharField(max_length=2)
    regency_code = models.CharField(max_length=5)
    district_code = models.CharField(max_length=8, blank=True)
    village_code = models.CharField(max_length=13, blank=True)
    value = models.PositiveIntegerField("jumlah")

    class Meta:
        verbose_name = "angka kebutuhan"
        verbose_name_plural = "angka kebutuhan"
        indexes = [
            models.Index(fields=["dataset", "programme"]),
            models.Index(fields=["district_code"]),
        ]

    def __str__(self) -> str:
        code = self.village_code or self.district_code or self.regency_code
        return f"{code} {self.programme_id}: {self.value}"


class PopulationDataset(models.Model):
    """Population per region (e.g. Dukcapil semester data), for densities per 10,000."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField("nama seri data", max_length=150)
    source = models.CharField("sumber", max_length=300)
    period = models.CharField("periode", max_length=30)
    level = models.CharField("tingkat wilayah", max_length=10, choices=RegionLevel.choices)
    file_name = models.CharField("berkas", max_length=255, blank=True)
    is_demo = models.BooleanField("data contoh", default=False)
    is_current = models.BooleanField("berlaku", default=True, db_index=True)
    row_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "data penduduk"
        verbose_name_plural = "data penduduk"

    def __str__(self) -> str:
        return f"{self.name} ({self.period})"


class PopulationFigure(models.Model):
    dataset = models.ForeignKey(PopulationDataset, on_delete=models.CASCADE, related_name="figures")
    province_code = models.CharField(max_length=2)
    regency_code = models.CharField(max_length=5)
    district_code = models.CharField(max_length=8, blank=True)
    village_code = models.CharField(max_length=13, blank=True)
    population = models.PositiveIntegerField("jumlah penduduk")

    class Meta:
        verbose_name = "angka penduduk"
        verbose_name_plural = "angka penduduk"
        indexes = [models.Index(fields=["district_code"])]

    def __str__(self) -> str:
        code = self.village_code or self.district_code or self.regency_code
        return f"{code}: {self.population}"


class StaffingStandard(models.Model):
    """How many facilitators a cluster needs for a given need, as data with its source.

    Two kinds (DOMAIN.md, "Workload and distribution"):

    - a caseload ratio, e.g. 1 PKH facilitator : 250 households;
    - a WISN model: available working time, activities with their service standards, category
      allowances (a factor on the whole) and individual allowances (staff time added per
      region at ``allowance_level``).

    ``staff_per_unit`` and ``individual_allowance_fte`` are derived by
    services.staffing_standard_compute and stored, so that required staff is a linear
    expression a GROUP BY result can be multiplied with.
    """

    class Kind(models.TextChoices):
        RATIO = "rasio", _("Rasio beban kasus")
        WISN = "wisn", _("Model WISN")

    programme = models.ForeignKey(
        "registry.Programme", on_delete=models.PROTECT, related_name="staffing_standards"
    )
    name = models.CharField("nama", max_length=200)
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    source = models.CharField("sumber/dasar", max_length=300)
    need_unit = models.CharField(
        "satuan kebutuhan", max_length=60, help_text="Mis. rumah tangga, lansia, kecamatan."
    )
    is_demo = models.BooleanField("contoh", default=False)
    is_current = models.BooleanField("berlaku", default=True)
    valid_from = models.DateField("berlaku sejak", null=True, blank=True)
    # Ratio: one facilitator per this many units of need.
    caseload_per_facilitator = models.DecimalField(
        "beban kasus per pendamping", max_digits=10, decimal_places=2, null=True, blank=True
    )
    # WISN available working time (WHO WISN manual, step 2): working days minus days off,
    # times working hours per day.
    working_days = models.DecimalField(
        "hari kerja setahun", max_digits=6, decimal_places=2, null=True, blank=True
    )
    public_holidays = models.DecimalField(
        "hari libur nasional", max_digits=6, decimal_places=2, default=0
    )
    annual_leave = models.DecimalField("cuti tahunan", max_digits=6, decimal_places=2, default=0)
    sick_leave = models.DecimalField("sakit", max_digits=6, decimal_places=2, default=0)
    other_leave = models.DecimalField(
        "izin/pelatihan lain", max_digits=6, decimal_places=2, default=0
    )
    hours_per_day = models.DecimalField(
        "jam kerja per hari", max_digits=5, decimal_places=2, null=True, blank=True
    )
    allowance_level = models.CharField(
        "tingkat tunjangan individu",
        max_length=10,
        choices=[
            (RegionLevel.DISTRICT, _("Kecamatan")),
            (RegionLevel.REGENCY, _("Kabupaten/kota")),
        ],
        default=RegionLevel.DISTRICT,
    )
    # Workload flags: a facilitator above ``overload_index`` times the standard caseload is
    # overloaded, below ``underload_index`` under-loaded.
    overload_index = models.DecimalField(max_digits=4, decimal_places=2, default=1.2)
    underload_index = models.DecimalField(max_digits=4, decimal_places=2, default=0.5)
    # Derived (services.staffing_standard_compute).
    staff_per_unit = models.FloatField("pendamping per satuan kebutuhan", default=0)
    individual_allowance_fte = models.FloatField("tunjangan individu (FTE)", default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme__name", "-is_current", "-id"]
        verbose_name = "standar kebutuhan pendamping"
        verbose_name_plural = "standar kebutuhan pendamping"
        constraints = [
            models.UniqueConstraint(
                fields=["programme"],
                condition=Q(is_current=True),
                name="one_current_standard_per_programme",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.RATIO and not self.caseload_per_facilitator:
            raise ValidationError(
                {
                    "caseload_per_facilitator": _(
                        "Standar rasio memerlukan beban kasus per pendamping."
                    )
                }
            )
        if self.kind == self.Kind.WISN and not (self.working_days and self.hours_per_day):
            raise ValidationError(
                _("Model WISN memerlukan hari kerja setahun dan jam kerja per hari.")
            )

    @property
    def available_hours(self) -> float:
        """WISN available working time in hours per year (AWT)."""
        if self.kind != self.Kind.WISN:
            return 0.0
        days = float(self.working_days or 0) - float(
            self.public_holidays + self.annual_leave + self.sick_leave + self.other_leave
        )
        return days * float(self.hours_per_day or 0)

    @property
    def standard_caseload(self) -> float | None:
        """Cases one full-time facilitator can carry: 1 / staff per unit of need."""
        return 1 / self.staff_per_unit if self.staff_per_unit else None


class WisnActivity(models.Model):
    """One line of a WISN model: a service activity, a category or an individual allowance."""

    class Kind(models.TextChoices):
        SERVICE = "layanan", _("Kegiatan layanan (standar layanan)")
        CATEGORY = "kategori", _("Tunjangan kategori (semua pendamping)")
        INDIVIDUAL = "individu", _("Tunjangan individu (sebagian pendamping)")

    standard = models.ForeignKey(
        StaffingStandard, on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    name = models.CharField("kegiatan", max_length=200)
    # Service activity: ``times_per_case`` per unit of need per year, ``minutes_each`` each
    # (the activity standard as unit time).
    times_per_case = models.DecimalField(
        "frekuensi per kasus per tahun", max_digits=8, decimal_places=3, null=True, blank=True
    )
    minutes_each = models.DecimalField(
        "menit per kegiatan", max_digits=8, decimal_places=2, null=True, blank=True
    )
    # Allowances: hours per year per facilitator doing them; for an individual allowance,
    # ``staff_count`` facilitators in each region at the standard's allowance level.
    hours_per_year = models.DecimalField(
        "jam per tahun", max_digits=8, decimal_places=2, null=True, blank=True
    )
    staff_count = models.DecimalField(
        "jumlah pendamping", max_digits=6, decimal_places=2, default=1
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["standard_id", "order", "id"]
        verbose_name = "kegiatan WISN"
        verbose_name_plural = "kegiatan WISN"

    def __str__(self) -> str:
        return self.name


class CaseloadRecord(models.Model):
    """Cases (or households) assigned to one engagement in one month."""

    class Source(models.TextChoices):
        # An approved month of the facilitator's logbook is the caseload of record; what an
        # operator types or imports stays possible where no logbook month is approved, as a
        # fallback, labelled as such.
        LOGBOOK = "logbook", _("Laporan logbook disetujui")
        IMPORTED = "impor", _("Impor operator (cadangan)")
        ENTERED = "isian", _("Diisi operator (cadangan)")
        DEMO = "contoh", _("Data contoh")

    engagement = models.ForeignKey(
        "registry.Engagement", on_delete=models.CASCADE, related_name="caseloads"
    )
    period = models.DateField("periode (bulan)", help_text="Tanggal 1 bulan yang dilaporkan.")
    cases = models.PositiveIntegerField("jumlah kasus")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.ENTERED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period", "engagement_id"]
        verbose_name = "beban kasus"
        verbose_name_plural = "beban kasus"
        constraints = [
            models.UniqueConstraint(fields=["engagement", "period"], name="one_caseload_per_month"),
            models.CheckConstraint(name="caseload_period_first_day", condition=Q(period__day=1)),
        ]
        indexes = [models.Index(fields=["period", "engagement"])]

    def __str__(self) -> str:
        return f"{self.engagement_id} {self.period:%Y-%m}: {self.cases}"


class RegionAggregate(models.Model):
    """Need and population of the current datasets rolled up per region (a refreshable cache).

    One row per (level, region, programme) for need and one per (level, region) with
    ``programme`` empty for population. ``need_districts``/``need_regencies`` count the
    districts and regencies with need inside the region: a WISN individual allowance is
    added once per such region.
    """

    level = models.CharField(max_length=10, choices=RegionLevel.choices)
    code = models.CharField(max_length=8)
    parent_code = models.CharField(max_length=5, blank=True)
    programme = models.ForeignKey(
        "registry.Programme", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    need = models.BigIntegerField(default=0)
    need_districts = models.PositiveIntegerField(default=0)
    need_regencies = models.PositiveIntegerField(default=0)
    population = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "agregat wilayah"
        verbose_name_plural = "agregat wilayah"
        indexes = [
            models.Index(fields=["level", "parent_code"]),
            models.Index(fields=["level", "code"]),
            # Prefix searches (code LIKE '35.%') under any collation on PostgreSQL.
            models.Index(
                fields=["code"],
                name="dist_regionagg_code_prefix",
                opclasses=["varchar_pattern_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} {self.code} {self.programme_id or 'penduduk'}"


class DistributionSnapshot(models.Model):
    """A dated copy of actual and required per region and cluster, for trends over time."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    taken_at = models.DateTimeField("waktu", db_index=True)
    period = models.DateField("periode", help_text="Tanggal 1 bulan yang diwakili.")
    note = models.CharField("catatan", max_length=200, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-period", "-taken_at"]
        verbose_name = "potret sebaran"
        verbose_name_plural = "potret sebaran"

    def __str__(self) -> str:
        return f"Potret {self.period:%Y-%m}"


class SnapshotRow(models.Model):
    """One region x cluster in a snapshot. ``region_code`` "" is the nation."""

    snapshot = models.ForeignKey(
        DistributionSnapshot, on_delete=models.CASCADE, related_name="rows"
    )
    level = models.CharField(max_length=10)
    region_code = models.CharField(max_length=8, blank=True)
    programme = models.ForeignKey("registry.Programme", on_delete=models.CASCADE, related_name="+")
    actual = models.PositiveIntegerField(default=0)
    required = models.FloatField(null=True, blank=True)
    need = models.BigIntegerField(default=0)
    population = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "baris potret"
        verbose_name_plural = "baris potret"
        indexes = [models.Index(fields=["region_code", "snapshot"])]

    def __str__(self) -> str:
        return f"{self.snapshot_id} {self.region_code or 'ID'} {self.programme_id}"


class ActualAggregate(models.Model):
    """Engagements counted per district (or regency, ``district_id`` empty), cluster and status.

    A cache of GROUP BY results over the registry, refreshed by the ``distribution_refresh``
    job, so that national and provincial dashboards read a few thousand rows instead of
    scanning every engagement. Its columns carry the same names as Engagement's, so the
    access module's engagement_scope() filters it unchanged. Read only while fresh (see
    selectors.sources.AGGREGATE_MAX_AGE); otherwise the selectors count live.
    """

    class Grain(models.TextChoices):
        DISTRICT = "kecamatan", _("Per kecamatan")
        REGENCY = "kabupaten", _("Per kabupaten/kota")

    # Two grains of the same counts: per district for district lists, per regency (district
    # empty) so that national and provincial views group a few thousand rows, not 100,000.
    grain = models.CharField(max_length=10, choices=Grain.choices)
    province_id = models.CharField(max_length=2)
    regency_id = models.CharField(max_length=5)
    district_id = models.CharField(max_length=8, null=True, blank=True)
    programme_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    engagements = models.PositiveIntegerField()

    class Meta:
        verbose_name = "agregat penugasan"
        verbose_name_plural = "agregat penugasan"
        indexes = [
            models.Index(fields=["grain", "province_id", "programme_id"]),
            models.Index(fields=["grain", "regency_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.district_id or self.regency_id} {self.programme_id} {self.status}"


class BreakdownAggregate(models.Model):
    """Engagements per province, cluster, status, harmonised level and employment status."""

    province_id = models.CharField(max_length=2)
    programme_id = models.BigIntegerField()
    status = models.CharField(max_length=10)
    harmonised_level = models.PositiveSmallIntegerField(null=True, blank=True)
    employment_status = models.CharField(max_length=10)
    engagements = models.PositiveIntegerField()

    class Meta:
        verbose_name = "agregat rincian penugasan"
        verbose_name_plural = "agregat rincian penugasan"
        indexes = [models.Index(fields=["province_id", "programme_id"])]

    def __str__(self) -> str:
        return f"{self.province_id} {self.programme_id} {self.status}"


class PersonAggregate(models.Model):
    """Distinct people with an active engagement: per province ("" = nation) and per cluster
    (empty = all clusters). People cannot be summed across clusters or provinces (one person
    may serve in two), hence a row for each combination that is shown."""

    province_id = models.CharField(max_length=2, blank=True)
    programme_id = models.BigIntegerField(null=True, blank=True)
    people = models.PositiveIntegerField()
    engagements = models.PositiveIntegerField()

    class Meta:
        verbose_name = "agregat orang"
        verbose_name_plural = "agregat orang"

    def __str__(self) -> str:
        return f"{self.province_id or 'ID'} {self.programme_id or 'semua'}: {self.people}"


class AggregateState(models.Model):
    """When a cache table was last rebuilt, so that readers can tell fresh from stale."""

    name = models.CharField(max_length=30, unique=True)
    refreshed_at = models.DateTimeField()
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        verbose_name = "status agregat"
        verbose_name_plural = "status agregat"

    def __str__(self) -> str:
        return f"{self.name} {self.refreshed_at:%Y-%m-%d %H:%M}"
