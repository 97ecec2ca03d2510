"""Forms for the incentive pages: they parse and validate input, services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incentives.models import (
    LEVELS,
    AllowanceKind,
    AreaCategory,
    AreaList,
    Purpose,
    RegionalIndex,
    Scale,
)
from incentives.tables import parse_decimal
from regions.forms import RegionField
from registry.models import ROMAN, Programme
from satupintu.forms import DateField, MoneyField, MonthField


class ScaleForm(forms.Form):
    name = forms.CharField(label=_("Nama skala"), max_length=150)
    effective_from = DateField(label=_("Berlaku mulai"))
    effective_to = DateField(label=_("Berlaku sampai"), required=False)
    programme = forms.ModelChoiceField(
        label=_("Khusus program"),
        queryset=Programme.objects.all(),
        required=False,
        empty_label=_("Umum (semua program)"),
    )
    regional_index = forms.ModelChoiceField(
        label=_("Indeks wilayah"),
        required=False,
        queryset=RegionalIndex.objects.filter(purpose=Purpose.STANDARD),
        empty_label=_("Indeks yang berlaku pada tahun perhitungan"),
    )
    area_list = forms.ModelChoiceField(
        label=_("Daftar wilayah khusus"), queryset=AreaList.objects.all(), required=False
    )
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=300, required=False)
    covers_asn = forms.BooleanField(label=_("Mencakup ASN (PNS/PPPK)"), required=False)
    notes = forms.CharField(
        label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for level in LEVELS:
            self.fields[f"amount_{level}"] = MoneyField(
                label=_("Dasar jenjang %(level)s (Rp)") % {"level": ROMAN[level]},
                min_value=1,
                required=False,
            )

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not k.startswith("amount_")}
        data["amounts"] = {level: self.cleaned_data.get(f"amount_{level}") for level in LEVELS}
        return data

    @classmethod
    def initial_for(cls, scale: Scale) -> dict:
        initial = {
            "name": scale.name,
            "effective_from": scale.effective_from,
            "effective_to": scale.effective_to,
            "programme": scale.programme,
            "regional_index": scale.regional_index,
            "area_list": scale.area_list,
            "legal_basis": scale.legal_basis,
            "covers_asn": scale.covers_asn,
            "notes": scale.notes,
        }
        for amount in scale.amounts.all():
            initial[f"amount_{amount.level}"] = amount.base_amount
        return initial


class AllowanceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=AllowanceKind.choices)
    name = forms.CharField(label=_("Nama"), max_length=150)
    amount = MoneyField(label=_("Jumlah tetap (Rp)"), min_value=1, required=False)
    percent = forms.DecimalField(
        label=_("atau persentase dari dasar × indeks"),
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=100,
        required=False,
    )
    threshold = forms.IntegerField(
        label=_("Ambang (standar beban / tahun masa kerja)"), min_value=0, required=False
    )
    per_unit = forms.BooleanField(label=_("Per satuan di atas ambang"), required=False)
    max_units = forms.IntegerField(label=_("Satuan paling banyak"), min_value=1, required=False)
    area_category = forms.ChoiceField(
        label=_("Kategori wilayah"),
        choices=[("", _("Semua kategori")), *AreaCategory.choices],
        required=False,
    )
    programme = forms.ModelChoiceField(
        label=_("Hanya untuk program"), queryset=Programme.objects.all(), required=False
    )
    min_level = forms.TypedChoiceField(
        label=_("Jenjang terendah"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–"), *[(lv, ROMAN[lv]) for lv in LEVELS]],
    )
    max_level = forms.TypedChoiceField(
        label=_("Jenjang tertinggi"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–"), *[(lv, ROMAN[lv]) for lv in LEVELS]],
    )
    effective_from = DateField(label=_("Berlaku mulai"), required=False)
    effective_to = DateField(label=_("Berlaku sampai"), required=False)
    legal_basis = forms.CharField(label=_("Dasar hukum"), max_length=300)

    def clean(self):
        data = super().clean()
        if (data.get("amount") is None) == (data.get("percent") is None):
            raise forms.ValidationError(_("Isi jumlah tetap atau persentase, salah satu saja."))
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        programme = data.pop("programme")
        data["programme_id"] = programme.pk if programme else None
        return data


class DecisionForm(forms.Form):
    decision_ref = forms.CharField(label=_("Nomor keputusan/berita acara"), max_length=200)


class TableUploadForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=150)
    year = forms.IntegerField(
        label=_("Tahun"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    source = forms.CharField(label=_("Sumber (regulasi/data, tahun)"), max_length=300)
    method = forms.CharField(
        label=_("Cara penurunan"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Berkas CSV atau XLSX"))
    is_example = forms.BooleanField(label=_("Data contoh"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Unggah berkas .csv atau .xlsx."))
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas paling besar 5 MB."))
        return upload


class ScenarioCreateForm(forms.Form):
    name = forms.CharField(label=_("Nama skenario"), max_length=100)
    source = forms.ModelChoiceField(
        label=_("Salin dari skala"),
        required=False,
        queryset=Scale.objects.filter(purpose=Purpose.STANDARD),
        empty_label=_("Skala umum yang berlaku"),
    )
    description = forms.CharField(
        label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    transition_cap_percent = forms.DecimalField(
        label=_("Batas penurunan per tahun (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=100,
        required=False,
    )
    start_year = forms.IntegerField(
        label=_("Tahun mulai"), min_value=2000, max_value=2100, required=False
    )


class ScenarioEditForm(forms.Form):
    description = forms.CharField(
        label=_("Uraian"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    transition_cap_percent = forms.DecimalField(
        label=_("Batas penurunan per tahun (%) — kosong: tanpa transisi"),
        max_digits=5,
        decimal_places=2,
        min_value=0.01,
        max_value=100,
        required=False,
    )
    start_year = forms.IntegerField(label=_("Tahun mulai"), min_value=2000, max_value=2100)
    index_values = forms.CharField(
        label=_("Ubah indeks (satu per baris: kode=nilai, mis. 32=1,2500 atau 32.73=1,3000)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for level in LEVELS:
            self.fields[f"amount_{level}"] = MoneyField(
                label=_("Dasar %(level)s (Rp)") % {"level": ROMAN[level]},
                min_value=1,
                required=False,
            )

    def clean_index_values(self):
        values = {}
        for line in self.cleaned_data["index_values"].splitlines():
            if not line.strip():
                continue
            code, _sep, raw = line.partition("=")
            value = parse_decimal(raw)
            if not code.strip() or value is None:
                raise forms.ValidationError(_("Baris tidak terbaca: %(line)s") % {"line": line})
            values[code.strip()] = value
        return values

    def amounts(self) -> dict:
        return {level: self.cleaned_data.get(f"amount_{level}") for level in LEVELS}


class AdoptionForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Klaster/program"), queryset=Programme.objects.all())
    effective_month = MonthField(label=_("Mulai bulan (YYYY-MM)"))
    decision_ref = forms.CharField(label=_("Nomor keputusan"), max_length=200)
    note = forms.CharField(label=_("Catatan"), required=False)


class RosterForm(forms.Form):
    region = RegionField(
        label=_("Wilayah (provinsi atau kabupaten/kota)"),
        level=("province", "regency"),
        required=False,
        help_text=_("Ketik nama, mis. “Kabupaten Bandung”, atau kodenya (32.04); kosong: semua."),
    )
    month = MonthField(label=_("Bulan"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user


class ComparisonRegionForm(forms.Form):
    """The scenario comparison's region, typed by name or code (kosong: the user's scope)."""

    region = RegionField(
        label=_("Wilayah (provinsi atau kabupaten/kota)"),
        level=("province", "regency"),
        required=False,
        help_text=_("Ketik nama, mis. “Kabupaten Bandung”, atau kodenya (32.04); kosong: semua."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
