"""Forms only parse and validate input; the services decide and write."""

from django import forms

from competency.models import Course, RplEvidence, TrainingProvider, Verdict


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
    provider = forms.ModelChoiceField(TrainingProvider.objects.none(), label="Penyelenggara")
    code = forms.SlugField(label="Kode", max_length=60)
    title = forms.CharField(label="Judul", max_length=200)
    hours = forms.IntegerField(label="Jam pelajaran", min_value=1, max_value=2000)
    mode = forms.ChoiceField(label="Moda", choices=Course.Mode.choices)
    units = UnitCodesField(label="Unit kompetensi yang dicakup (kode, dipisah koma)")
    prerequisites = forms.ModelMultipleChoiceField(
        Course.objects.filter(is_active=True), label="Prasyarat", required=False
    )
    description = forms.CharField(
        label="Deskripsi", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = (
            providers if providers is not None else TrainingProvider.objects.none()
        )


class ClassForm(forms.Form):
    name = forms.CharField(label="Angkatan", max_length=100)
    start_date = forms.DateField(label="Mulai", widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label="Selesai", widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label="Tempat", max_length=200)
    capacity = forms.IntegerField(label="Kapasitas", min_value=1, max_value=10000)


class EnrolForm(forms.Form):
    nik = forms.CharField(label="NIK peserta", max_length=16, min_length=16, required=False)


class UnitResultForm(forms.Form):
    unit_code = forms.CharField(widget=forms.HiddenInput)
    verdict = forms.ChoiceField(label="Keputusan", choices=Verdict.choices)
    assessed_on = forms.DateField(label="Tanggal", widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.FileField(label="Bukti", required=False)
    note = forms.CharField(label="Catatan", required=False, max_length=1000)


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Alasan pencabutan", widget=forms.Textarea(attrs={"rows": 2}))


class RplApplyForm(forms.Form):
    units = UnitCodesField(label="Unit yang diajukan untuk diakui")
    kind = forms.ChoiceField(label="Jenis bukti", choices=RplEvidence.Kind.choices)
    file = forms.FileField(label="Berkas bukti")
    description = forms.CharField(label="Keterangan bukti", max_length=250, required=False)
    note = forms.CharField(
        label="Keterangan permohonan", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
