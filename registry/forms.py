"""Forms only parse and validate input; the services decide and write."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Model, QuerySet
from django.forms.utils import ErrorDict
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regions.models import District, Province, Regency, Village
from registry.models import Education, EmploymentStatus, Engagement, Programme, Sex
from satupintu.forms import DateField, LabelledErrorsMixin, MoneyField

NEXT_LEVEL = {"province": "regency", "regency": "district", "district": "village"}
OPTIONS_URL = {
    "province": reverse_lazy("regions:options-regency"),
    "regency": reverse_lazy("regions:options-district"),
    "district": reverse_lazy("regions:options-village"),
}
REFRESH = "_wilayah"

if TYPE_CHECKING:
    # What RegionFieldsMixin finds on the forms it is mixed into (at run time it is a plain class).
    _FormBase = forms.Form
    # Generic in the stubs only: at run time ModelChoiceField cannot be subscripted.
    _ModelChoiceField = forms.ModelChoiceField[Model]
else:
    _FormBase = object
    _ModelChoiceField = forms.ModelChoiceField


class RegionSelect(forms.Select):
    """A select that asks the server for the next level's options when it changes (htmx).

    The select it fills is found from this select's own rendered id (``id_e-province`` fills
    ``id_e-regency``), so a form prefix or another auto_id cannot point it at nothing. When its
    own options are replaced (the level above changed) it fetches again, which empties the levels
    below. Without JavaScript a button under it sends the form back to load the next list
    (``RegionFieldsMixin`` then redisplays instead of saving).
    """

    template_name = "regions/region_select.html"

    def __init__(self, *, level: str, attrs: dict[str, Any] | None = None) -> None:
        self.level = level
        self.next_level = NEXT_LEVEL.get(level)
        attrs = dict(attrs or {})
        if self.next_level:
            attrs["hx-get"] = OPTIONS_URL[level]
        super().__init__(attrs=attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        own_id = widget_attrs.get("id", "")
        if self.next_level and own_id.endswith(self.level):
            widget_attrs["hx-target"] = f"#{own_id.removesuffix(self.level)}{self.next_level}"
            # The province changes by hand; a lower level also when its own list is replaced.
            trigger = "change" if self.level == "province" else "change, htmx:afterSwap"
            widget_attrs["hx-trigger"] = trigger
            context["widget"]["refresh"] = REFRESH
            context["widget"]["next_level"] = self.next_level
        return context


class RegionFieldsMixin(_FormBase):
    """Province -> regency -> district -> village, each list limited by the level above."""

    region_prefix = ""
    # Sent by the no-JavaScript "show the next list" button: redisplay the form, save nothing.
    region_refresh = False

    def _setup_regions(self, data: Any, initial: Mapping[str, Any]) -> None:
        p = self.region_prefix
        self.region_refresh = data is not None and REFRESH in data

        def value(name: str) -> Any:
            if data is not None:
                return data.get(self.add_prefix(f"{p}{name}"))
            return initial.get(f"{p}{name}")

        province, regency, district = value("province"), value("regency"), value("district")
        cast(RegionChoiceField, self.fields[f"{p}regency"]).queryset = (
            Regency.objects.filter(province_id=province) if province else Regency.objects.none()
        )
        cast(RegionChoiceField, self.fields[f"{p}district"]).queryset = (
            District.objects.filter(regency_id=regency) if regency else District.objects.none()
        )
        cast(RegionChoiceField, self.fields[f"{p}village"]).queryset = (
            Village.objects.filter(district_id=district) if district else Village.objects.none()
        )

    def full_clean(self) -> None:
        if self.region_refresh:
            # Not a save: show the form again with the next list filled, without errors.
            self._errors, self.cleaned_data = ErrorDict(), {}
            return
        super().full_clean()

    def is_valid(self) -> bool:
        return not self.region_refresh and super().is_valid()


class RegionChoiceField(_ModelChoiceField):
    """Labelled as the option lists the pickers load are ("Kabupaten Bandung (32.04)"), so a
    list reads the same whether the server rendered it or htmx refilled it."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})" if "." in obj.code else obj.name


def region_fields(prefix: str, *, required: bool) -> dict[str, RegionChoiceField]:
    def field(level: str, queryset: QuerySet[Any], label: str, required: bool) -> RegionChoiceField:
        return RegionChoiceField(
            queryset,
            label=label,
            required=required,
            empty_label=_("— pilih —"),
            widget=RegionSelect(level=level),
        )

    return {
        f"{prefix}province": field("province", Province.objects.all(), "Provinsi", required),
        f"{prefix}regency": field("regency", Regency.objects.none(), "Kabupaten/kota", required),
        f"{prefix}district": field("district", District.objects.none(), "Kecamatan", False),
        f"{prefix}village": field("village", Village.objects.none(), "Desa/kelurahan", False),
    }


class PersonForm(LabelledErrorsMixin, RegionFieldsMixin, forms.Form):
    region_prefix = "address_"

    nik = forms.CharField(label=_("NIK"), max_length=30, help_text=_("16 digit, sesuai KTP."))
    full_name = forms.CharField(label=_("Nama lengkap (tanpa gelar)"), max_length=150)
    titles_front = forms.CharField(label=_("Gelar depan"), required=False, max_length=50)
    titles_back = forms.CharField(label=_("Gelar belakang"), required=False, max_length=80)
    # No default: a preselected answer is saved by whoever does not look at it.
    sex = forms.ChoiceField(label=_("Jenis kelamin"), choices=[("", _("— pilih —")), *Sex.choices])
    birth_place = forms.CharField(label=_("Tempat lahir"), required=False, max_length=100)
    birth_date = DateField(label=_("Tanggal lahir"))
    phone = forms.CharField(label=_("Telepon"), required=False, max_length=20)
    email = forms.EmailField(label=_("Surel"), required=False)
    education_level = forms.ChoiceField(
        label=_("Pendidikan"), choices=[("", "—"), *Education.choices], required=False
    )
    education_field = forms.CharField(label=_("Bidang studi"), required=False, max_length=120)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(region_fields("address_", required=False))
        for name in self.fields:
            if name.startswith("address_"):
                self.fields[name].label = f"Alamat: {str(self.fields[name].label).lower()}"
        if editing:
            # The NIK identifies the person; correcting it is a verification matter, not an edit.
            del self.fields["nik"]
        self._setup_regions(self.data if self.is_bound else None, self.initial)

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for level in ("province", "regency", "district", "village"):
            obj = data.pop(f"address_{level}", None)
            data[f"address_{level}_id"] = obj.pk if obj else None
        return data


class EngagementForm(LabelledErrorsMixin, RegionFieldsMixin, forms.Form):
    programme = forms.ModelChoiceField(
        Programme.objects.all(), label=_("Klaster/program"), empty_label=_("— pilih —")
    )
    legacy_title = forms.CharField(label=_("Jabatan (sesuai SK/sumber)"), max_length=200)
    employment_status = forms.ChoiceField(
        label=_("Status kepegawaian"), choices=[("", _("— pilih —")), *EmploymentStatus.choices]
    )
    sk_number = forms.CharField(label=_("Nomor SK"), required=False, max_length=100)
    sk_date = DateField(label=_("Tanggal SK"), required=False)
    start_date = DateField(label=_("Mulai"), required=False)
    end_date = DateField(label=pgettext_lazy("end date", "Selesai"), required=False)
    monthly_incentive = MoneyField(label=_("Insentif bulanan (Rp)"), required=False, min_value=0)
    status = forms.ChoiceField(
        label=_("Status"), choices=Engagement.Status.choices, initial="aktif"
    )

    def __init__(
        self,
        *args: Any,
        programmes: QuerySet[Programme] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(region_fields("", required=True))
        if programmes is not None:
            programme = cast("forms.ModelChoiceField[Programme]", self.fields["programme"])
            programme.queryset = programmes
        if editing:
            del self.fields["programme"]
        self._setup_regions(self.data if self.is_bound else None, self.initial)

    def clean(self) -> dict[str, Any]:
        # Form.clean returns cleaned_data; the stubs allow None (an override may return nothing).
        data = cast(dict[str, Any], super().clean())
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return data

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("province", None)
        for level in ("regency", "district", "village"):
            obj = data.pop(level, None)
            data[f"{level}_id"] = obj.pk if obj else None
        return data
