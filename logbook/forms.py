from django import forms
from django.utils.translation import gettext_lazy as _

from satupintu.forms import DateField


class EntryForm(forms.Form):
    """The activity form. The same fields are sent by the device's outbox (logbook.js)."""

    engagement = forms.UUIDField(widget=forms.HiddenInput)
    uid = forms.UUIDField(required=False, widget=forms.HiddenInput)
    date = DateField(label=_("Tanggal"))
    village = forms.CharField(label=_("Desa/kelurahan"), max_length=13)
    activity_type = forms.IntegerField(label=_("Jenis kegiatan"))
    clients_served = forms.IntegerField(
        label=_("Jumlah keluarga/klien dilayani"), min_value=0, max_value=1000
    )
    duration_minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=1, max_value=1440)
    note = forms.CharField(
        label=_("Catatan singkat (tanpa nama)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    beneficiary_names = forms.CharField(required=False, max_length=300)
    referral = forms.UUIDField(label=_("Rujukan terkait (opsional)"), required=False)
    attachment = forms.FileField(label=_("Foto atau dokumen (opsional)"), required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Catatan untuk pendamping"), widget=forms.Textarea)
