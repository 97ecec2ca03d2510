"""The qualification framework as data: versions, KKNI levels, competency units, packages and
nomenclature rules. Nothing here is hard-coded: a version is loaded from YAML/XLSX (see
framework.interchange) and only one version is in force at a time.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from registry.models import ROMAN, Education

# SKKNI code: KBLI letter, six digits of sub-classification, three-digit serial, two-digit version.
UNIT_CODE = re.compile(r"^[A-Z]\.\d{6}\.\d{3}\.\d{2}$")

# Education on one ordered scale (KKNI, Perpres 8/2012): D4 and S1 sit on the same level, so a
# rule that asks for "at least D4" accepts S1 too. Unknown education ranks below everything.
EDUCATION_RANK = {
    Education.SD: 0,
    Education.SMP: 1,
    Education.SMA: 2,
    Education.D1: 3,
    Education.D2: 4,
    Education.D3: 5,
    Education.D4: 6,
    Education.S1: 6,
    Education.PROFESI: 7,
    Education.S2: 8,
    Education.S3: 9,
}


def validate_unit_code(value: str) -> None:
    if not UNIT_CODE.match(value or ""):
        raise ValidationError(
            _("Kode unit '%(code)s' tidak sesuai format SKKNI X.000000.000.00.") % {"code": value},
            code="unit_code",
        )


class FrameworkVersion(models.Model):
    """One agreed (or proposed) framework. History is kept: versions are superseded, not edited."""

    class Status(models.TextChoices):
        DRAFT = "draf", pgettext_lazy("framework version status", "Draf")
        AGREED = "disepakati", pgettext_lazy("framework version status", "Disepakati")
        IN_FORCE = "berlaku", pgettext_lazy("framework version status", "Berlaku")
        SUPERSEDED = "diganti", pgettext_lazy("framework version status", "Diganti")

    name = models.CharField("nama versi", max_length=150, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    # A shipped example is labelled as such everywhere it is shown: it is not a regulation.
    is_example = models.BooleanField("contoh (bukan peraturan resmi)", default=False)
    notes = models.TextField("catatan", blank=True)
    source = models.CharField("sumber berkas", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_at = models.DateTimeField("mulai berlaku", null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "versi kerangka"
        verbose_name_plural = "versi kerangka"
        constraints = [
            # The database, not only the service, guarantees a single framework in force.
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="berlaku"), name="one_framework_in_force"
            )
        ]

    def __str__(self) -> str:
        # In the site's language whoever is looking: the audit stores this text.
        with translation.override(settings.LANGUAGE_CODE):
            return f"{self.name} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def label(self) -> str:
        return f"{self.name} [CONTOH]" if self.is_example else self.name


class Level(models.Model):
    """A KKNI level (1-9) with its descriptors; III-IX carry the unified facilitator title."""

    class Category(models.TextChoices):
        OPERATOR = "operator", pgettext_lazy("KKNI category", "Operator")
        TECHNICIAN = "teknisi", pgettext_lazy("KKNI category", "Teknisi/analis")
        EXPERT = "ahli", pgettext_lazy("KKNI category", "Ahli")

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField("jenjang")
    category = models.CharField(max_length=10, choices=Category.choices)
    unified_title = models.CharField("nomenklatur baku", max_length=150, blank=True)
    work_ability = models.TextField("kemampuan kerja")
    knowledge = models.TextField("penguasaan pengetahuan")
    responsibility = models.TextField("kemampuan manajerial dan tanggung jawab")

    class Meta:
        ordering = ["version_id", "number"]
        verbose_name = "jenjang KKNI"
        verbose_name_plural = "jenjang KKNI"
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="one_level_number"),
            models.CheckConstraint(name="level_within_kkni", condition=Q(number__range=(1, 9))),
        ]

    def __str__(self) -> str:
        return f"{self.roman} {self.unified_title}".strip()

    @property
    def roman(self) -> str:
        return ROMAN.get(self.number, "")


class CompetencyUnit(models.Model):
    """An SKKNI-style competency unit.

    ``elements`` is a list of ``{"title": str, "criteria": [str, ...]}`` (elemen kompetensi with
    their kriteria unjuk kerja) and ``key_competencies`` a list of ``{"aspect": str, "level":
    1-3}`` (lists, because their order is meaningful and JSONB keeps the order of lists only).
    Both are always read and written whole with their unit, so they live in the unit's row.
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="units")
    code = models.CharField("kode unit", max_length=20, validators=[validate_unit_code])
    title = models.CharField("judul unit", max_length=250)
    description = models.TextField("deskripsi unit", blank=True)
    elements = models.JSONField("elemen dan kriteria unjuk kerja", default=list)
    range_of_variables = models.TextField("batasan variabel", blank=True)
    assessment_guide = models.TextField("panduan penilaian", blank=True)
    key_competencies = models.JSONField("kompetensi kunci", default=list, blank=True)

    class Meta:
        ordering = ["version_id", "code"]
        verbose_name = "unit kompetensi"
        verbose_name_plural = "unit kompetensi"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_unit_code_per_version")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def clean(self) -> None:
        errors = []
        if not isinstance(self.elements, list) or not self.elements:
            errors.append("Unit harus punya sedikitnya satu elemen.")
        else:
            for i, element in enumerate(self.elements, 1):
                ok = (
                    isinstance(element, dict)
                    and str(element.get("title") or "").strip()
                    and isinstance(element.get("criteria"), list)
                    and element["criteria"]
                    and all(str(c).strip() for c in element["criteria"])
                )
                if not ok:
                    errors.append(
                        _("Elemen %(i)s harus punya judul dan kriteria unjuk kerja.") % {"i": i}
                    )
        if not isinstance(self.key_competencies, list) or any(
            not isinstance(k, dict) or not k.get("aspect") or k.get("level") not in (1, 2, 3)
            for k in self.key_competencies
        ):
            errors.append(_("Kompetensi kunci: setiap aspek perlu tingkat 1, 2 atau 3."))
        if errors:
            raise ValidationError({"elements": errors})


class Package(models.Model):
    """Pemaketan: units grouped into a KKNI qualification, an occupation or a cluster."""

    class Kind(models.TextChoices):
        QUALIFICATION = "kualifikasi", pgettext_lazy("package kind", "Kualifikasi KKNI")
        OCCUPATION = "okupasi", pgettext_lazy("package kind", "Okupasi")
        CLUSTER = "klaster", pgettext_lazy("package kind", "Klaster/spesialisasi")

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="packages")
    code = models.SlugField("kode paket", max_length=60)
    name = models.CharField("nama paket", max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="packages")
    # A programme/cluster slug (registry.Programme) for a specialisation; blank for all.
    programme = models.CharField("klaster/program", max_length=50, blank=True)
    description = models.TextField("deskripsi", blank=True)
    core_units = models.ManyToManyField(CompetencyUnit, related_name="core_of", blank=True)
    elective_units = models.ManyToManyField(CompetencyUnit, related_name="elective_of", blank=True)
    min_electives = models.PositiveSmallIntegerField("minimal unit pilihan", default=0)

    class Meta:
        ordering = ["version_id", "level__number", "code"]
        verbose_name = "paket"
        verbose_name_plural = "paket"
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="one_package_code_per_version")
        ]

    def __str__(self) -> str:
        return self.name


class NomenclatureRule(models.Model):
    """A legacy title (within a cluster/programme or any) maps to a level and unified title.

    A rule with a blank legacy title is a placement rule: it applies to every title that another
    rule in scope recognises (e.g. "S1/D4 places at level VI"). Among the rules whose conditions
    hold, the highest priority wins, then the higher level (framework.resolve).
    """

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="rules")
    legacy_title = models.CharField("jabatan lama", max_length=200, blank=True)
    # Normalised legacy title (framework.matching.title_key), the key fuzzy matching compares.
    title_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    scope = models.CharField(
        "klaster/program", max_length=50, blank=True, help_text="Kosong berarti semua."
    )
    min_education = models.CharField(
        "pendidikan minimal", max_length=10, choices=Education.choices, blank=True
    )
    min_years = models.PositiveSmallIntegerField(
        "masa kerja minimal (tahun)", null=True, blank=True
    )
    min_certified_units = models.PositiveSmallIntegerField(
        "minimal unit bersertifikat", null=True, blank=True
    )
    required_units = models.ManyToManyField(
        CompetencyUnit, related_name="required_by_rules", blank=True
    )
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="rules")
    unified_title = models.CharField(
        "nomenklatur baku", max_length=150, blank=True, help_text="Kosong: nomenklatur jenjang."
    )
    regulation = models.CharField("peraturan", max_length=200)
    regulation_number = models.CharField("nomor", max_length=60)
    article = models.CharField("pasal", max_length=100, blank=True)
    effective_date = models.DateField("tanggal berlaku")
    priority = models.IntegerField("prioritas", default=0)
    notes = models.TextField("catatan", blank=True)

    class Meta:
        ordering = ["version_id", "id"]
        verbose_name = "aturan nomenklatur"
        verbose_name_plural = "aturan nomenklatur"

    def __str__(self) -> str:
        return self.label

    @property
    def title_for_level(self) -> str:
        return self.unified_title or self.level.unified_title

    @property
    def conditions(self) -> list[str]:
        """The rule's conditions in words, for the stored explanations: in the site's language,
        whoever triggers a harmonisation (``conditions_shown`` is for the reader)."""
        with translation.override(settings.LANGUAGE_CODE):
            return self.conditions_shown

    @property
    def conditions_shown(self) -> list[str]:
        """The rule's conditions in words, in the reader's language (the catalogue)."""
        out = []
        if self.min_education:
            out.append(
                _("pendidikan ≥ %(education)s") % {"education": self.get_min_education_display()}
            )
        if self.min_years is not None:
            out.append(_("masa kerja ≥ %(years)s tahun") % {"years": self.min_years})
        if self.min_certified_units is not None:
            out.append(_("≥ %(n)s unit bersertifikat") % {"n": self.min_certified_units})
        codes = getattr(self, "_required_codes", None)
        if codes is None and self.pk:
            codes = [u.code for u in self.required_units.all()]
        if codes:
            out.append(_("unit bersertifikat %(codes)s") % {"codes": ", ".join(codes)})
        return out

    @property
    def label(self) -> str:
        title = f"«{self.legacy_title}»" if self.legacy_title else "semua jabatan dikenali"
        scope = self.scope or "semua klaster/program"
        cond = f" dengan {' dan '.join(self.conditions)}" if self.pk and self.conditions else ""
        return f"{title} ({scope}){cond} → {ROMAN.get(self.level.number, '')}"

    @property
    def legal_basis(self) -> str:
        text = f"{self.regulation} Nomor {self.regulation_number}"
        return f"{text} {self.article}" if self.article else text
