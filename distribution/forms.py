"""Forms for the distribution pages: they parse and validate input, selectors decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from regions.forms import RegionField


class WorkloadRegionForm(forms.Form):
    """The workload page's region, typed by name or code within the user's scope; empty: the
    user's own region."""

    region = RegionField(
        label=_("Wilayah"),
        level=("province", "regency", "district"),
        required=False,
        help_text=_("Ketik nama, mis. “Kabupaten Bandung” atau “Cileunyi”; kosong: wilayah Anda."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].user = user
