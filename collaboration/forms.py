import contextlib

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from collaboration.models import ReceivingUnit, Request, Urgency
from regions.forms import RegionField, RegionSearchInput
from regions.search import short_name
from registry.models import EmploymentStatus, Programme
from satupintu.forms import DateField, LabelledErrorsMixin

# An engagement claim is made only by an import (imports.services), never by hand.
SUBMITTABLE_KINDS = [c for c in Request.Kind.choices if c[0] != Request.Kind.ENGAGEMENT_CLAIM]


K = Request.Kind
SK = ["sk_number", "sk_date"]
# The fields each kind asks for (beside the kind itself and the reason, which every kind has).
# The page shows only these once a kind is chosen (static/js/satupintu.js; without JavaScript
# every field shows), and only these are sent with the request: a value typed into another
# kind's field before switching is not filed.
KIND_FIELDS: dict[str, list[str]] = {
    K.VERIFICATION: ["engagement"],
    K.PROMOTION: ["engagement", "effective_date", "level", *SK],
    K.TRANSFER: ["engagement", "effective_date", "regency_id", "district_id", *SK],
    K.STATUS_CHANGE: ["engagement", "effective_date", "employment_status", *SK],
    K.CONTRACT_RENEWAL: ["engagement", "effective_date", "end_date", *SK],
    K.END: ["engagement", "effective_date", *SK],
    K.DATA_CORRECTION: [],
}


class RequestForm(LabelledErrorsMixin, forms.Form):
    # A merge is undone from the kept person's page, which names the merge. No kind is
    # chosen beforehand: a form sent without one files nothing and says so.
    kind = forms.ChoiceField(
        label=_("Jenis permohonan"),
        choices=[("", _("— pilih jenis permohonan —"))]
        + [c for c in SUBMITTABLE_KINDS if c[0] != Request.Kind.MERGE_UNDO],
    )
    engagement = forms.ChoiceField(
        label=pgettext_lazy("one engagement", "Penugasan"), required=False
    )
    effective_date = DateField(label=_("Tanggal berlaku (TMT)"), required=False)
    level = forms.IntegerField(
        label=_("Jenjang baru (1-9)"), required=False, min_value=1, max_value=9
    )
    sk_number = forms.CharField(label=_("Nomor SK"), required=False, max_length=100)
    sk_date = DateField(label=_("Tanggal SK"), required=False)
    # A transfer's destination lies outside the sender's regency: every region is offered.
    regency_id = RegionField(
        label=_("Kabupaten/kota tujuan (mutasi)"),
        level="regency",
        all_regions=True,
        required=False,
        help_text=_("Ketik namanya, mis. “Kota Bandung”, lalu pilih dari daftar; atau kodenya."),
    )
    district_id = RegionField(
        label=_("Kecamatan tujuan"),
        level="district",
        all_regions=True,
        required=False,
        help_text=_("Ketik nama kecamatan, mis. “Sukajadi”, lalu pilih dari daftar; atau kodenya."),
    )
    employment_status = forms.ChoiceField(
        label=_("Status kepegawaian baru"),
        required=False,
        choices=[("", "—"), *EmploymentStatus.choices],
    )
    end_date = DateField(label=_("Kontrak berakhir (perpanjangan)"), required=False)
    reason = forms.CharField(
        label=_("Alasan/keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, engagements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engagement"].choices = [("", _("— (tingkat orang)"))] + [
            (str(e.uid), f"{e.programme.name} · {short_name(e.regency.name)}") for e in engagements
        ]
        self.fields["kind"].widget.attrs["data-kind-choice"] = ""
        for name, field in self.fields.items():
            kinds = [kind for kind, names in KIND_FIELDS.items() if name in names]
            if kinds:
                field.widget.attrs["data-kinds"] = " ".join(kinds)
        if self.is_bound:
            # The destination district is looked for inside the destination regency:
            # "Sukajadi" is a district of Kota Bandung and of Kota Pekanbaru.
            regency = self.fields["regency_id"]
            typed = regency.widget.value_from_datadict(
                self.data, self.files, self.add_prefix("regency_id")
            )
            with contextlib.suppress(forms.ValidationError):
                self.fields["district_id"].within = regency.clean(typed) or None

    def clean(self):
        cleaned = super().clean()
        # What another kind's fields hold is not this request's: it is neither checked further
        # nor sent.
        asked = KIND_FIELDS.get(cleaned.get("kind", ""), [])
        for name in ("engagement", "effective_date"):
            if name not in asked:
                cleaned[name] = "" if name == "engagement" else None
        return cleaned

    def payload(self) -> dict:
        asked = KIND_FIELDS.get(self.cleaned_data.get("kind", ""), [])
        keys = ["level", "sk_number", "sk_date", "regency_id", "district_id"]
        keys += ["employment_status", "end_date"]
        data = {k: self.cleaned_data.get(k) for k in keys if k in asked}
        return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items() if v}


class CorrectionForm(forms.Form):
    full_name = forms.CharField(label=_("Nama lengkap"), required=False, max_length=150)
    birth_place = forms.CharField(label=_("Tempat lahir"), required=False, max_length=100)
    phone = forms.CharField(label=_("Telepon"), required=False, max_length=20)
    email = forms.EmailField(label=_("Surel"), required=False)
    education_field = forms.CharField(label=_("Bidang studi"), required=False, max_length=120)
    reason = forms.CharField(label=_("Penjelasan"), widget=forms.Textarea(attrs={"rows": 3}))


VILLAGE_HELP = _("Ketik nama desa/kelurahan, mis. “Cimekar”, lalu pilih dari daftar; atau kodenya.")


class VillageLookupForm(forms.Form):
    """The referral page's first step: the village whose facilitators may receive the case."""

    # Wide enough for a village with its district and regency ("Cimekar — Cileunyi, Kab.
    # Bandung, Jawa Barat"); on a phone the box still fits the screen (max-width).
    desa = RegionField(
        label=_("Desa/kelurahan"),
        level="village",
        widget=RegionSearchInput(level="village", attrs={"size": 44}),
        help_text=VILLAGE_HELP,
    )


class AreaTeamForm(forms.Form):
    """The area team page's district or village, typed by name or code, within the user's scope."""

    wilayah = RegionField(
        label=_("Kecamatan atau desa/kelurahan"),
        level=("district", "village"),
        required=False,
        help_text=_("Ketik nama, mis. “Cileunyi”, atau kodenya (32.04.05)."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah"].user = user


class ReferralForm(forms.Form):
    village = RegionField(label=_("Desa/kelurahan"), level="village", help_text=VILLAGE_HELP)
    receiver_programme = forms.ModelChoiceField(
        label=_("Klaster/program tujuan"), queryset=Programme.objects.order_by("name")
    )
    receiver = forms.ChoiceField(label=_("Pendamping tujuan"), required=False)
    receiving_unit = forms.ModelChoiceField(
        label=_("Unit penerima instansi lain (menjawab lewat tautan surel)"),
        queryset=ReceivingUnit.objects.none(),
        required=False,
    )
    service_name = forms.CharField(label=_("Layanan/instansi tujuan"), required=False)
    subject_name = forms.CharField(label=_("Nama yang dirujuk"), max_length=150)
    subject_nik = forms.CharField(label=_("NIK (opsional)"), required=False, max_length=16)
    is_child = forms.BooleanField(label=_("Kasus anak"), required=False)
    need = forms.CharField(label=pgettext_lazy("referral", "Kebutuhan"), widget=forms.Textarea)
    urgency = forms.ChoiceField(label=_("Urgensi"), choices=Urgency.choices, initial=Urgency.NORMAL)
    consent = forms.BooleanField(
        label=_("Orang yang dirujuk (atau walinya) menyetujui rujukan ini"), required=False
    )
    consent_note = forms.CharField(label=_("Cara persetujuan diberikan"), required=False)

    def __init__(self, *args, receivers=(), units=None, village_chosen=False, **kwargs):
        super().__init__(*args, **kwargs)
        if village_chosen:
            # The village was chosen in the first step and is named above the form: the form
            # carries its code, a second box to type it in would only confuse.
            self.fields["village"].widget = forms.HiddenInput()
        if units is not None:
            self.fields["receiving_unit"].queryset = units
        self.fields["receiver"].choices = [("", _("— layanan (koordinator menanggapi)"))] + [
            (str(r["user"].pk), f"{r['name']} · {r['programme'].name}") for r in receivers
        ]


class ReceivingUnitForm(LabelledErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Nama unit"), max_length=150)
    agency_type = forms.CharField(
        label=_("Jenis instansi"), max_length=100, help_text=_("Mis. Puskesmas, UPTD PPA, BLK.")
    )
    regency_id = forms.ChoiceField(label=_("Kabupaten/kota"))
    email = forms.EmailField(label=_("Surel (menerima tautan rujukan)"))
    is_active = forms.BooleanField(
        label=pgettext_lazy("receiving unit", "Aktif"), required=False, initial=True
    )

    def __init__(self, *args, regencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["regency_id"].choices = [(r.pk, f"{r.pk} {r.name}") for r in regencies]
