"""Kemendagri administrative areas, keyed by their dotted codes (PP.RR.SS.VVVV).

The code is the primary key: it is stable, readable in exports and foreign keys, and it is
what offices write. Names repeat across levels and provinces, so nothing looks a region up by
name alone (see imports for the disambiguation rules).
"""

from django.db import models


class DataVersion(models.Model):
    """Which release of the region data is loaded, and from which regulation."""

    source = models.CharField(max_length=100)
    version = models.CharField(max_length=30)
    regulation = models.CharField(max_length=200)
    license = models.CharField(max_length=100)
    counts = models.JSONField(default=dict)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "versi data wilayah"

    def __str__(self) -> str:
        return f"{self.source} {self.version}"


class Province(models.Model):
    code = models.CharField(max_length=2, primary_key=True)
    name = models.CharField(max_length=100)
    # The name folded for searching (regions.search.fold: lower case, no accents or
    # punctuation), indexed so that exact and prefix matches need no table scan.
    search_name = models.CharField(max_length=100, db_index=True, default="", editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "provinsi"

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A kabupaten (codes 01-69) or kota (71-99)."""

    code = models.CharField(max_length=5, primary_key=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="regencies")
    name = models.CharField(max_length=100)
    # The name folded for searching (regions.search.fold: lower case, no accents or
    # punctuation), indexed so that exact and prefix matches need no table scan.
    search_name = models.CharField(max_length=100, db_index=True, default="", editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"

    def __str__(self) -> str:
        return self.name

    @property
    def is_city(self) -> bool:
        return int(self.code[3:5]) >= 71


class District(models.Model):
    code = models.CharField(max_length=8, primary_key=True)
    regency = models.ForeignKey(Regency, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=100)
    # The name folded for searching (regions.search.fold: lower case, no accents or
    # punctuation), indexed so that exact and prefix matches need no table scan.
    search_name = models.CharField(max_length=100, db_index=True, default="", editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "kecamatan"

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    code = models.CharField(max_length=13, primary_key=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(max_length=100)
    # The name folded for searching (regions.search.fold: lower case, no accents or
    # punctuation), indexed so that exact and prefix matches need no table scan.
    search_name = models.CharField(max_length=100, db_index=True, default="", editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = "desa/kelurahan"
        verbose_name_plural = "desa/kelurahan"

    def __str__(self) -> str:
        return self.name
