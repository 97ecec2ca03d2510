import contextlib

from django import forms

from collaboration.models import ReceivingUnit, Request, Urgency
from regions.forms import RegionField
from regions.search import short_name
from registry.models import EmploymentStatus, Programme
from satupintu.forms import DateField, LabelledErrorsMixin

# An engagement claim is made only by an import (imports.services), never by hand.
SUBMITTABLE_KINDS = [c for c in Request.Kind.choices if c[0] != Request.Kind.ENGAGEMENT_CLAIM]


class RequestForm(LabelledErrorsMixin, forms.Form):
    # A merge is undone from the kept person's page, which names the merge.
    kind = forms.ChoiceField(
        label="Jenis permohonan",
        choices=[c for c in SUBMITTABLE_KINDS if c[0] != Request.Kind.MERGE_UNDO],
    )
    engagement = forms.ChoiceField(label="Penugasan", required=False)
    effective_date = DateField(label="Tanggal berlaku (TMT)", required=False)
    level = forms.IntegerField(label="Jenjang baru (1-9)", required=False, min_value=1, max_value=9)
    sk_number = forms.CharField(label="Nomor SK", required=False, max_length=100)
    sk_date = DateField(label="Tanggal SK", required=False)
    # A transfer's destination lies outside the sender's regency: every region is offered.
    regency_id = RegionField(
        label="Kabupaten/kota tujuan (mutasi)", level="regency", all_regions=True, required=False
    )
    district_id = RegionField(
        label="Kecamatan tujuan", level="district", all_regions=True, required=False
    )
    employment_status = forms.ChoiceField(
        label="Status kepegawaian baru",
        required=False,
        choices=[("", "—"), *EmploymentStatus.choices],
    )
    end_date = DateField(label="Kontrak berakhir (perpanjangan)", required=False)
    reason = forms.CharField(label="Alasan/keterangan", required=False, widget=forms.Textarea)

    def __init__(self, *args, engagements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engagement"].choices = [("", "— (tingkat orang)")] + [
            (str(e.uid), f"{e.programme.name} · {short_name(e.regency.name)}") for e in engagements
        ]
        if self.is_bound:
            # The destination district is looked for inside the destination regency:
            # "Sukajadi" is a district of Kota Bandung and of Kota Pekanbaru.
            regency = self.fields["regency_id"]
            typed = regency.widget.value_from_datadict(
                self.data, self.files, self.add_prefix("regency_id")
            )
            with contextlib.suppress(forms.ValidationError):
                self.fields["district_id"].within = regency.clean(typed) or None

    def payload(self) -> dict:
        keys = ["level", "sk_number", "sk_date", "regency_id", "district_id"]
        keys += ["employment_status", "end_date"]
        data = {k: self.cleaned_data.get(k) for k in keys}
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items() if v}


class CorrectionForm(forms.Form):
    full_name = forms.CharField(label="Nama lengkap", required=False, max_length=150)
    birth_place = forms.CharField(label="Tempat lahir", required=False, max_length=100)
    phone = forms.CharField(label="Telepon", required=False, max_length=20)
    email = forms.EmailField(label="Surel", required=False)
    education_field = forms.CharField(label="Bidang studi", required=False, max_length=120)
    reason = forms.CharField(label="Penjelasan", widget=forms.Textarea)


class VillageLookupForm(forms.Form):
    """The referral page's first step: the village whose facilitators may receive the case."""

    desa = RegionField(label="Desa/kelurahan", level="village")


class ReferralForm(forms.Form):
    village = RegionField(label="Desa/kelurahan", level="village")
    receiver_programme = forms.ModelChoiceField(
        label="Klaster/program tujuan", queryset=Programme.objects.order_by("name")
    )
    receiver = forms.ChoiceField(label="Pendamping tujuan", required=False)
    receiving_unit = forms.ModelChoiceField(
        label="Unit penerima instansi lain (menjawab lewat tautan surel)",
        queryset=ReceivingUnit.objects.none(),
        required=False,
    )
    service_name = forms.CharField(label="Layanan/instansi tujuan", required=False)
    subject_name = forms.CharField(label="Nama yang dirujuk", max_length=150)
    subject_nik = forms.CharField(label="NIK (opsional)", required=False, max_length=16)
    is_child = forms.BooleanField(label="Kasus anak", required=False)
    need = forms.CharField(label="Kebutuhan", widget=forms.Textarea)
    urgency = forms.ChoiceField(label="Urgensi", choices=Urgency.choices, initial=Urgency.NORMAL)
    consent = forms.BooleanField(
        label="Orang yang dirujuk (atau walinya) menyetujui rujukan ini", required=False
    )
    consent_note = forms.CharField(label="Cara persetujuan diberikan", required=False)

    def __init__(self, *args, receivers=(), units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["receiving_unit"].queryset = units
        self.fields["receiver"].choices = [("", "— layanan (koordinator menanggapi)")] + [
            (str(r["user"].pk), f"{r['name']} · {r['programme'].name}") for r in receivers
        ]


class ReceivingUnitForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label="Nama unit", max_length=150)
    agency_type = forms.CharField(
        label="Jenis instansi", max_length=100, help_text="Mis. Puskesmas, UPTD PPA, BLK."
    )
    regency_id = forms.ChoiceField(label="Kabupaten/kota")
    email = forms.EmailField(label="Surel (menerima tautan rujukan)")
    is_active = forms.BooleanField(label="Aktif", required=False, initial=True)

    def __init__(self, *args, regencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency_id"].choices = [(r.pk, f"{r.pk} {r.name}") for r in regencies]
