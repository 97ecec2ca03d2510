from django import forms
from django.utils.translation import gettext_lazy as _

from framework.models import FrameworkVersion
from registry.models import Education, Programme
from satupintu.forms import DateField


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas kerangka (.yaml atau .xlsx)"))
    name = forms.CharField(
        label=_("Nama versi (opsional, menggantikan nama di berkas)"),
        required=False,
        max_length=150,
    )


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Nama draf baru"), max_length=150)


class RuleForm(forms.Form):
    legacy_title = forms.CharField(
        label=_("Jabatan lama (kosong: aturan penempatan untuk semua jabatan dikenali)"),
        required=False,
        max_length=200,
    )
    scope = forms.ChoiceField(label=_("Klaster/program"), required=False)
    level = forms.ModelChoiceField(label=_("Jenjang"), queryset=None)
    unified_title = forms.CharField(
        label=_("Nomenklatur baku (kosong: nomenklatur jenjang)"), required=False, max_length=150
    )
    min_education = forms.ChoiceField(
        label=_("Pendidikan minimal"),
        required=False,
        choices=[("", "—")] + list(Education.choices),
    )
    min_years = forms.IntegerField(
        label=_("Masa kerja minimal (tahun)"), required=False, min_value=0
    )
    min_certified_units = forms.IntegerField(
        label=_("Minimal unit bersertifikat"), required=False, min_value=0
    )
    required_units = forms.ModelMultipleChoiceField(
        label=_("Unit wajib bersertifikat"), queryset=None, required=False
    )
    regulation = forms.CharField(label=_("Peraturan"), max_length=200)
    regulation_number = forms.CharField(label=_("Nomor"), max_length=60)
    article = forms.CharField(label=_("Pasal"), required=False, max_length=100)
    effective_date = DateField(label=_("Tanggal berlaku"))
    priority = forms.IntegerField(label=_("Prioritas (tertinggi menang)"), initial=0)
    notes = forms.CharField(
        label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", _("Semua klaster/program"))] + [
            (p.slug, p.name) for p in Programme.objects.order_by("kind", "name")
        ]
        self.fields["level"].queryset = version.levels.order_by("number")
        self.fields["level"].label_from_instance = lambda lv: f"{lv.roman} {lv.unified_title}"
        self.fields["required_units"].queryset = version.units.order_by("code")
