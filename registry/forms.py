"""Forms only parse and validate input; the services decide and write."""

from django import forms

from regions.models import District, Province, Regency, Village
from registry.models import Education, EmploymentStatus, Engagement, Programme, Sex
from satupintu.forms import DateField


class RegionSelect(forms.Select):
    """A select that asks the server for the next level's options when it changes (htmx)."""

    def __init__(self, *, next_url: str, target: str, attrs=None):
        attrs = {**(attrs or {}), "hx-get": next_url, "hx-target": target, "hx-trigger": "change"}
        super().__init__(attrs=attrs)


class RegionFieldsMixin:
    """Province -> regency -> district -> village, each list limited by the level above."""

    region_prefix = ""

    def _setup_regions(self, data, initial):
        p = self.region_prefix

        def value(name):
            if data is not None:
                return data.get(self.add_prefix(f"{p}{name}"))
            return initial.get(f"{p}{name}")

        province, regency, district = value("province"), value("regency"), value("district")
        self.fields[f"{p}regency"].queryset = (
            Regency.objects.filter(province_id=province) if province else Regency.objects.none()
        )
        self.fields[f"{p}district"].queryset = (
            District.objects.filter(regency_id=regency) if regency else District.objects.none()
        )
        self.fields[f"{p}village"].queryset = (
            Village.objects.filter(district_id=district) if district else Village.objects.none()
        )


def region_fields(prefix: str, *, required: bool):
    ids = {level: f"id_{prefix}{level}" for level in ("regency", "district", "village")}
    return {
        f"{prefix}province": forms.ModelChoiceField(
            Province.objects.all(),
            label="Provinsi",
            required=required,
            widget=RegionSelect(
                next_url="/wilayah/pilihan/kabupaten/", target=f"#{ids['regency']}"
            ),
        ),
        f"{prefix}regency": forms.ModelChoiceField(
            Regency.objects.none(),
            label="Kabupaten/kota",
            required=required,
            widget=RegionSelect(
                next_url="/wilayah/pilihan/kecamatan/", target=f"#{ids['district']}"
            ),
        ),
        f"{prefix}district": forms.ModelChoiceField(
            District.objects.none(),
            label="Kecamatan",
            required=False,
            widget=RegionSelect(next_url="/wilayah/pilihan/desa/", target=f"#{ids['village']}"),
        ),
        f"{prefix}village": forms.ModelChoiceField(
            Village.objects.none(), label="Desa/kelurahan", required=False
        ),
    }


class PersonForm(RegionFieldsMixin, forms.Form):
    region_prefix = "address_"

    nik = forms.CharField(label="NIK", max_length=30, help_text="16 digit, sesuai KTP.")
    full_name = forms.CharField(label="Nama lengkap (tanpa gelar)", max_length=150)
    titles_front = forms.CharField(label="Gelar depan", required=False, max_length=50)
    titles_back = forms.CharField(label="Gelar belakang", required=False, max_length=80)
    sex = forms.ChoiceField(label="Jenis kelamin", choices=Sex.choices)
    birth_place = forms.CharField(label="Tempat lahir", required=False, max_length=100)
    birth_date = DateField(label="Tanggal lahir")
    phone = forms.CharField(label="Telepon", required=False, max_length=20)
    email = forms.EmailField(label="Surel", required=False)
    education_level = forms.ChoiceField(
        label="Pendidikan", choices=[("", "—")] + Education.choices, required=False
    )
    education_field = forms.CharField(label="Bidang studi", required=False, max_length=120)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(region_fields("address_", required=False))
        for name in self.fields:
            if name.startswith("address_"):
                self.fields[name].label = f"Alamat: {self.fields[name].label.lower()}"
        if editing:
            # The NIK identifies the person; correcting it is a verification matter, not an edit.
            del self.fields["nik"]
        self._setup_regions(self.data if self.is_bound else None, self.initial)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        for level in ("province", "regency", "district", "village"):
            obj = data.pop(f"address_{level}", None)
            data[f"address_{level}_id"] = obj.pk if obj else None
        return data


class EngagementForm(RegionFieldsMixin, forms.Form):
    programme = forms.ModelChoiceField(Programme.objects.all(), label="Klaster/program")
    legacy_title = forms.CharField(label="Jabatan (sesuai SK/sumber)", max_length=200)
    employment_status = forms.ChoiceField(
        label="Status kepegawaian", choices=EmploymentStatus.choices
    )
    sk_number = forms.CharField(label="Nomor SK", required=False, max_length=100)
    sk_date = DateField(label="Tanggal SK", required=False)
    start_date = DateField(label="Mulai", required=False)
    end_date = DateField(label="Selesai", required=False)
    monthly_incentive = forms.IntegerField(
        label="Insentif bulanan (Rp)", required=False, min_value=0
    )
    status = forms.ChoiceField(label="Status", choices=Engagement.Status.choices, initial="aktif")

    def __init__(self, *args, programmes=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(region_fields("", required=True))
        if programmes is not None:
            self.fields["programme"].queryset = programmes
        if editing:
            del self.fields["programme"]
        self._setup_regions(self.data if self.is_bound else None, self.initial)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "Tanggal selesai tidak boleh sebelum tanggal mulai.")
        return data

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("province", None)
        for level in ("regency", "district", "village"):
            obj = data.pop(level, None)
            data[f"{level}_id"] = obj.pk if obj else None
        return data
