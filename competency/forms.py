"""Forms only parse and validate input; the services decide and write."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from competency.models import (
    Assessor,
    CertificationBody,
    Course,
    RplEvidence,
    Scheme,
    TestSite,
    TrainingProvider,
    Verdict,
)
from regions.models import Regency
from registry.models import ROMAN
from satupintu.forms import DateField, error_texts


def _messages(errors: list[ValidationError]) -> list[str]:
    return [text for error in errors for text in error_texts(error)]


def error_messages(error: ValidationError) -> dict[str, list[str]]:
    """A service's ValidationError as {field: [messages]} (``__all__`` for the rest), for a
    form or an API response."""
    if hasattr(error, "error_dict"):
        return {field: _messages(errors) for field, errors in error.error_dict.items()}
    return {NON_FIELD_ERRORS: _messages(error.error_list)}


def _codes(text: str) -> list[str]:
    return [
        c
        for c in (
            part.strip().upper() for part in text.replace(";", ",").replace("\n", ",").split(",")
        )
        if c
    ]


class UnitCodesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3, "placeholder": "Q.880000.001.01, Q.880000.002.01"})

    def to_python(self, value):
        return _codes(super().to_python(value) or "")


class CourseForm(forms.Form):
    provider = forms.ModelChoiceField(TrainingProvider.objects.none(), label=_("Penyelenggara"))
    code = forms.SlugField(label=_("Kode"), max_length=60)
    title = forms.CharField(label=_("Judul"), max_length=200)
    hours = forms.IntegerField(label=_("Jam pelajaran"), min_value=1, max_value=2000)
    mode = forms.ChoiceField(label=_("Moda"), choices=Course.Mode.choices)
    units = UnitCodesField(label=_("Unit kompetensi yang dicakup (kode, dipisah koma)"))
    prerequisites = forms.ModelMultipleChoiceField(
        Course.objects.filter(is_active=True), label=_("Prasyarat"), required=False
    )
    description = forms.CharField(
        label=_("Deskripsi"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (
            providers if providers is not None else TrainingProvider.objects.none()
        )


class ClassForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("nama angkatan", "Angkatan"), max_length=100)
    start_date = DateField(label=pgettext_lazy("tanggal angkatan", "Mulai"))
    end_date = DateField(label=pgettext_lazy("tanggal angkatan", "Selesai"))
    place = forms.CharField(label=_("Tempat"), max_length=200)
    capacity = forms.IntegerField(label=_("Kapasitas"), min_value=1, max_value=10000)


class EnrolForm(forms.Form):
    nik = forms.CharField(label=_("NIK peserta"), max_length=16, min_length=16, required=False)


def unit_prefix(unit_code: str) -> str:
    """The prefix of a unit's fields in the assessment's one form: from its code, so that a
    submission always decides the unit it names (whatever the scheme's units are by then), and
    without dots, so that the fields' ids are plain CSS selectors."""
    return "u_" + unit_code.replace(".", "_")


# A unit's problem, as the services word theirs: "Unit Q.880000.001.01: tanggal uji wajib diisi."
UNIT_PROBLEM = _("Unit %(unit)s: %(problem)s.")


class UnitDecisionForm(forms.Form):
    """One unit's decision in the assessment's form. Without a verdict (the default) the unit
    is left as it is; its date is then not read."""

    verdict = forms.ChoiceField(
        label=_("Keputusan"),
        choices=[*Verdict.choices, ("", _("Belum diputuskan"))],
        required=False,
        initial="",
        widget=forms.RadioSelect,
    )
    assessed_on = DateField(
        label=_("Tanggal uji"),
        required=False,
        error_messages={"invalid": _("tanggal uji tidak valid")},
    )
    evidence = forms.FileField(
        label=_("Bukti (berkas)"),
        required=False,
        error_messages={
            "invalid": _("berkas bukti tidak terbaca"),
            "missing": _("berkas bukti tidak terkirim"),
            "empty": _("berkas bukti kosong"),
            "max_length": _("nama berkas bukti terlalu panjang"),
        },
    )
    note = forms.CharField(
        label=_("Catatan"),
        required=False,
        max_length=1000,
        error_messages={"max_length": _("catatan terlalu panjang (paling banyak 1.000 karakter)")},
    )

    def __init__(self, *args, unit_code: str, **kwargs):
        super().__init__(*args, prefix=unit_prefix(unit_code), **kwargs)
        self.unit_code = unit_code

    def clean(self):
        data = super().clean()
        if data.get("verdict"):
            if data.get("assessed_on") is None and "assessed_on" not in self.errors:
                self.add_error("assessed_on", _("tanggal uji wajib diisi"))
            return data
        self.errors.pop("assessed_on", None)
        if data.get("note") or data.get("evidence"):
            self.add_error(
                "verdict",
                _("pilih Kompeten atau Belum Kompeten untuk catatan atau bukti yang diisi"),
            )
        return data


class AssessmentDecisionForm:
    """The assessor's one form for an assessment: every scheme unit in order, with a
    UnitDecisionForm for each unit not yet Kompeten (a unit Belum Kompeten is retaken); the
    units already Kompeten are shown, not decided again.

    ``rows`` are selectors.assessment_unit_status's; ``assessed_on`` is the date offered."""

    def __init__(self, data=None, files=None, *, rows: list[dict], assessed_on):
        self.rows = [
            (
                row,
                None
                if row["competent"]
                else UnitDecisionForm(
                    data, files, unit_code=row["unit_code"], initial={"assessed_on": assessed_on}
                ),
            )
            for row in rows
        ]
        self.general: list[str] = []
        self.is_bound = data is not None

    @property
    def forms(self) -> list[UnitDecisionForm]:
        return [form for _row, form in self.rows if form is not None]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.forms]) and not self.general

    def decisions(self) -> list[dict]:
        """The decided units' cleaned data (keyword arguments of services.UnitDecision)."""
        return [
            {
                "unit_code": form.unit_code,
                "verdict": form.cleaned_data["verdict"],
                "assessed_on": form.cleaned_data.get("assessed_on"),
                "evidence": form.cleaned_data.get("evidence"),
                "note": form.cleaned_data.get("note", ""),
            }
            for form in self.forms
            if form.cleaned_data.get("verdict")
        ]

    def problems(self) -> list[dict[str, str]]:
        """Every problem, each naming its unit, with the anchor of that unit's card (the
        summary above the form links to it)."""
        out = [{"text": text, "anchor": ""} for text in self.general]
        for form in self.forms:
            for errors in form.errors.values():
                for message in errors:
                    text = UNIT_PROBLEM % {"unit": form.unit_code, "problem": message}
                    out.append({"text": text, "anchor": form.prefix or ""})
        return out

    def add_service_error(self, error: ValidationError) -> None:
        """A service's refusal: a unit's problem on that unit's field, the rest above."""
        by_code = {form.unit_code: form for form in self.forms}
        if not hasattr(error, "error_dict"):
            self.general += _messages(error.error_list)
            return
        for field, errors in error.error_dict.items():
            for item in errors:
                params = item.params or {}
                form = by_code.get(params.get("unit", ""))
                if form is None:
                    self.general += error_texts(item)
                else:
                    name = field if field in form.fields else None
                    form.add_error(name, str(params.get("problem", "")) or item.messages[0])


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), widget=forms.Textarea(attrs={"rows": 2}))


class RplApplyForm(forms.Form):
    units = UnitCodesField(label=_("Unit yang diajukan untuk diakui"))
    kind = forms.ChoiceField(label=_("Jenis bukti"), choices=RplEvidence.Kind.choices)
    file = forms.FileField(label=_("Berkas bukti"))
    description = forms.CharField(label=_("Keterangan bukti"), max_length=250, required=False)
    note = forms.CharField(
        label=_("Keterangan permohonan"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


# -- Certification: LSP, skema, TUK, asesor, jadwal asesmen ------------------------------------

LEVELS = [("", _("— (klaster unit)"))] + [(n, ROMAN[n]) for n in range(1, 10)]


class _Choice(forms.ModelChoiceField):
    """A choice whose label is given by a function (e.g. the LSP next to the scheme)."""

    def __init__(self, queryset, *, label_of=str, **kwargs):
        super().__init__(queryset, **kwargs)
        self.label_of = label_of

    def label_from_instance(self, obj) -> str:
        return self.label_of(obj)


def _fix(field: forms.Field, value) -> None:
    """Show a field that an edit may not change, disabled (its posted value is ignored)."""
    field.disabled = True
    field.required = False
    field.initial = value


class LspForm(forms.Form):
    name = forms.CharField(label=_("Nama LSP"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=CertificationBody.Kind.choices)
    licence_number = forms.CharField(label=_("Nomor lisensi BNSP"), max_length=100)
    licence_valid_from = DateField(label=_("Lisensi berlaku sejak"), required=False)
    licence_valid_until = DateField(label=_("Lisensi berlaku sampai"))
    is_active = forms.BooleanField(label=_("Aktif"), required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["is_active"]

    def clean(self):
        data = super().clean()
        start, end = data.get("licence_valid_from"), data.get("licence_valid_until")
        if start and end and end < start:
            self.add_error(
                "licence_valid_until", _("Lisensi tidak boleh berakhir sebelum mulai berlaku.")
            )
        return data


class SchemeForm(forms.Form):
    lsp = _Choice(CertificationBody.objects.none(), label=_("LSP"))
    code = forms.SlugField(label=_("Kode skema"), max_length=60)
    name = forms.CharField(label=_("Nama skema"), max_length=200)
    level = forms.TypedChoiceField(
        label=_("Jenjang KKNI"),
        choices=LEVELS,
        coerce=int,
        empty_value=None,
        required=False,
    )
    units = UnitCodesField(label=_("Unit kompetensi skema (kode, dipisah koma)"))
    validity_years = forms.IntegerField(
        label=_("Masa berlaku sertifikat (tahun)"), min_value=1, max_value=10, initial=3
    )
    renewal_rule = forms.ChoiceField(
        label=_("Aturan perpanjangan"),
        choices=Scheme.RenewalRule.choices,
        initial=Scheme.RenewalRule.REASSESSMENT,
        required=False,
        help_text=_("Kosong: asesmen ulang penuh."),
    )

    def clean_renewal_rule(self) -> str:
        return self.cleaned_data.get("renewal_rule") or Scheme.RenewalRule.REASSESSMENT

    is_active = forms.BooleanField(label=_("Aktif"), required=False)

    def __init__(self, *args, lsps=None, scheme: Scheme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lsp"].queryset = lsps if lsps is not None else CertificationBody.objects.none()
        if scheme is None:
            del self.fields["is_active"]
        else:
            _fix(self.fields["lsp"], scheme.lsp_id)
            _fix(self.fields["code"], scheme.code)


class TestSiteForm(forms.Form):
    lsp = _Choice(CertificationBody.objects.none(), label=_("LSP"))
    name = forms.CharField(label=_("Nama TUK"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=TestSite.Kind.choices)
    regency = _Choice(
        Regency.objects.order_by("code"),
        label=_("Kabupaten/kota"),
        label_of=lambda r: f"{r.code} {r.name}",
        required=False,
    )
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)

    def __init__(self, *args, lsps=None, site: TestSite | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lsp"].queryset = lsps if lsps is not None else CertificationBody.objects.none()
        if site is not None:
            _fix(self.fields["lsp"], site.lsp_id)


def _user_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


class AssessorForm(forms.Form):
    user = _Choice(
        User.objects.none(), label=_("Akun pengguna (peran asesor)"), label_of=_user_label
    )
    lsp = _Choice(CertificationBody.objects.none(), label=_("LSP"))
    registration_number = forms.CharField(label=_("Nomor registrasi asesor"), max_length=60)
    is_active = forms.BooleanField(label=_("Aktif"), required=False)

    def __init__(self, *args, users=None, lsps=None, assessor: Assessor | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users if users is not None else User.objects.none()
        self.fields["lsp"].queryset = lsps if lsps is not None else CertificationBody.objects.none()
        if assessor is None:
            del self.fields["is_active"]
        else:
            # The account and the LSP are fixed; show them, unchangeable.
            self.fields["user"].queryset = User.objects.filter(pk=assessor.user_id)
            _fix(self.fields["user"], assessor.user_id)
            _fix(self.fields["lsp"], assessor.lsp_id)


class AssessmentScheduleForm(forms.Form):
    nik = forms.RegexField(
        label=_("NIK peserta uji"),
        regex=r"^\d{16}$",
        error_messages={"invalid": _("NIK harus 16 digit angka.")},
    )
    scheme = _Choice(
        Scheme.objects.none(), label=_("Skema"), label_of=lambda s: f"{s.lsp.name} — {s.name}"
    )
    assessor = _Choice(
        Assessor.objects.none(),
        label=_("Asesor"),
        label_of=lambda a: f"{_user_label(a.user)} · {a.registration_number} · {a.lsp.name}",
    )
    test_site = _Choice(
        TestSite.objects.none(),
        label=_("TUK"),
        label_of=lambda t: f"{t.lsp.name} — {t.name}",
        required=False,
    )
    scheduled_on = DateField(label=_("Tanggal uji"))

    def __init__(self, *args, schemes=None, assessors=None, test_sites=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, qs in (("scheme", schemes), ("assessor", assessors), ("test_site", test_sites)):
            if qs is not None:
                self.fields[name].queryset = qs


# -- Detail-page actions: renewal, RPL assessor and evidence; training providers ---------------


class RenewForm(forms.Form):
    """Start a renewal: the assessment that the scheme's renewal rule requires."""

    assessor = _Choice(
        Assessor.objects.none(),
        label=_("Asesor perpanjangan"),
        label_of=lambda a: f"{_user_label(a.user)} · {a.registration_number}",
    )
    scheduled_on = DateField(label=_("Tanggal asesmen perpanjangan"))
    practice_evidence = forms.FileField(
        label=_("Bukti praktik berkelanjutan"),
        required=False,
        help_text=_(
            "Wajib untuk skema dengan aturan surveilans (boleh diunggah sebelum asesor "
            "merekomendasikan)."
        ),
    )

    def __init__(self, *args, assessors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assessors is not None:
            self.fields["assessor"].queryset = assessors


class RecommendForm(forms.Form):
    note = forms.CharField(label=_("Catatan rekomendasi"), max_length=2000, required=False)


class RplAssignForm(forms.Form):
    assessor = _Choice(
        Assessor.objects.none(),
        label=_("Asesor"),
        label_of=lambda a: f"{_user_label(a.user)} · {a.registration_number} · {a.lsp.name}",
    )

    def __init__(self, *args, assessors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if assessors is not None:
            self.fields["assessor"].queryset = assessors


class RplEvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis bukti"), choices=RplEvidence.Kind.choices)
    file = forms.FileField(label=_("Berkas bukti"))
    description = forms.CharField(label=_("Keterangan bukti"), max_length=250, required=False)


class _Choices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class TrainingProviderForm(forms.Form):
    name = forms.CharField(label=_("Nama penyelenggara"), max_length=200)
    address = forms.CharField(label=_("Alamat"), max_length=250, required=False)
    staff = _Choices(
        User.objects.none(),
        label=_("Petugas (akun berperan penyelenggara pelatihan)"),
        required=False,
        help_text=_("Petugas mengelola pelatihan dan angkatan penyelenggara ini."),
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["staff"].queryset = staff
