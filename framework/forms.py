from django import forms

from framework.models import FrameworkVersion
from registry.models import Education, Programme
from satupintu.forms import DateField


class ImportForm(forms.Form):
    file = forms.FileField(label="Berkas kerangka (.yaml atau .xlsx)")
    name = forms.CharField(
        label="Nama versi (opsional, menggantikan nama di berkas)", required=False, max_length=150
    )


class CopyForm(forms.Form):
    name = forms.CharField(label="Nama draf baru", max_length=150)


class RuleForm(forms.Form):
    legacy_title = forms.CharField(
        label="Jabatan lama (kosong: aturan penempatan untuk semua jabatan dikenali)",
        required=False,
        max_length=200,
    )
    scope = forms.ChoiceField(label="Klaster/program", required=False)
    level = forms.ModelChoiceField(label="Jenjang", queryset=None)
    unified_title = forms.CharField(
        label="Nomenklatur baku (kosong: nomenklatur jenjang)", required=False, max_length=150
    )
    min_education = forms.ChoiceField(
        label="Pendidikan minimal",
        required=False,
        choices=[("", "—")] + list(Education.choices),
    )
    min_years = forms.IntegerField(label="Masa kerja minimal (tahun)", required=False, min_value=0)
    min_certified_units = forms.IntegerField(
        label="Minimal unit bersertifikat", required=False, min_value=0
    )
    required_units = forms.ModelMultipleChoiceField(
        label="Unit wajib bersertifikat", queryset=None, required=False
    )
    regulation = forms.CharField(label="Peraturan", max_length=200)
    regulation_number = forms.CharField(label="Nomor", max_length=60)
    article = forms.CharField(label="Pasal", required=False, max_length=100)
    effective_date = DateField(label="Tanggal berlaku")
    priority = forms.IntegerField(label="Prioritas (tertinggi menang)", initial=0)
    notes = forms.CharField(
        label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "Semua klaster/program")] + [
            (p.slug, p.name) for p in Programme.objects.order_by("kind", "name")
        ]
        self.fields["level"].queryset = version.levels.order_by("number")
        self.fields["level"].label_from_instance = lambda lv: f"{lv.roman} {lv.unified_title}"
        self.fields["required_units"].queryset = version.units.order_by("code")
