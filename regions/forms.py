"""A region typed by name (or code) in any form: a search-as-you-type box that works without
JavaScript.

The widget renders a text input with the region's name and a hidden input with its code. With
JavaScript (static/js/satupintu.js) typing asks ``/wilayah/cari/`` for a listbox and picking an
option fills both inputs. Without it the typed text is sent and resolved on the server, with an
error naming the field when it matches no region or several.

The field's value is the region's code (a string), so a form that had a code field keeps its
``cleaned_data`` as it was.
"""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from regions.search import LEVEL_LABELS, region_get, region_hit, region_resolve

HIDDEN_SUFFIX = "__kode"


def region_label(code: str | None, level: str | None = None) -> str:
    """ "Cileunyi — Kab. Bandung, Jawa Barat" for a code; the code itself when unknown."""
    if not code:
        return ""
    region = region_get(code, level=level)
    return region_hit(region).label if region is not None else code


class RegionSearchInput(forms.Widget):
    template_name = "regions/region_search.html"

    def __init__(self, attrs=None, *, level: str | None = None, all_regions: bool = False):
        super().__init__(attrs)
        self.level = level
        self.all_regions = all_regions

    def value_from_datadict(self, data, files, name):
        """The hidden code when the visible text still shows that code's region (nothing was
        typed over it); otherwise what was typed, to be resolved."""
        text = (data.get(name) or "").strip()
        code = (data.get(name + HIDDEN_SUFFIX) or "").strip()
        if code and text in {code, region_label(code, self.level)}:
            return code
        return text

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + HIDDEN_SUFFIX not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        code = value if value and region_get(value, level=self.level) else ""
        widget = context["widget"]
        widget["code"] = code
        widget["hidden_name"] = name + HIDDEN_SUFFIX
        widget["text"] = region_label(code, self.level) if code else (value or "")
        widget["url"] = reverse_lazy("regions:search")
        level = self.level or ()
        widget["level"] = level if isinstance(level, str) else ",".join(level)
        widget["all_regions"] = self.all_regions
        return context


class RegionField(forms.CharField):
    """A region at ``level`` (province, regency, district, village; None = any), typed by
    name or code; cleans to the region's code.

    ``user`` (set by the form) limits the choice to the user's scope; ``all_regions`` lifts
    that (a transfer's destination lies outside the sender's regency). ``within`` (a code, set
    by the form) limits it to one area, e.g. a district inside the regency chosen beside it.
    """

    def __init__(self, *, level: str | None = None, all_regions: bool = False, user=None, **kwargs):
        self.level = level
        self.all_regions = all_regions
        self.user = user
        self.within: str | None = None
        kwargs.setdefault("widget", RegionSearchInput(level=level, all_regions=all_regions))
        kwargs.setdefault(
            "help_text", _("Ketik nama atau kode wilayah, mis. “Cileunyi” atau “32.04.05”.")
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return text
        return self.resolve(text)

    def resolve(self, text: str) -> str:
        label = str(self.label or gettext("Wilayah")).rstrip(":")
        user = None if self.all_regions else self.user
        name, _sep, context = text.partition(" — ")
        result = region_resolve(name.strip(), level=self.level, within=self.within, user=user)
        if result.hit is None and context:
            # "Cileunyi — Kab. Bandung, Jawa Barat" typed or pasted whole: pick that one.
            same = [h for h in result.candidates if h.label == text]
            if len(same) == 1:
                return same[0].code
        if result.hit is not None:
            return result.hit.code
        levels = [self.level] if isinstance(self.level, str) else list(self.level or ())
        where = (
            "/".join(str(LEVEL_LABELS[level]) for level in levels) if levels else gettext("wilayah")
        )
        if not result.candidates:
            message = (
                gettext(
                    "%(label)s: “%(text)s” tidak ditemukan sebagai %(where)s. Periksa ejaannya "
                    "atau tulis kodenya (mis. 32.04.05)."
                )
                if user is None
                else gettext(
                    "%(label)s: “%(text)s” tidak ditemukan sebagai %(where)s dalam wilayah kerja "
                    "Anda. Periksa ejaannya atau tulis kodenya (mis. 32.04.05)."
                )
            )
            raise forms.ValidationError(
                message % {"label": label, "text": text, "where": where}, code="unknown"
            )
        names = ", ".join(h.label for h in result.candidates[:5])
        count = len(result.candidates)
        values = {"label": label, "name": name.strip(), "count": count, "names": names}
        if count < 20:
            message = ngettext(
                "%(label)s: “%(name)s” cocok dengan %(count)s wilayah: %(names)s — pilih salah "
                "satu dari daftar atau tulis kodenya.",
                "%(label)s: “%(name)s” cocok dengan %(count)s wilayah: %(names)s — pilih salah "
                "satu dari daftar atau tulis kodenya.",
                count,
            )
        else:
            message = gettext(
                "%(label)s: “%(name)s” cocok dengan banyak wilayah: %(names)s — pilih salah satu "
                "dari daftar atau tulis kodenya."
            )
        raise forms.ValidationError(message % values, code="ambiguous")

    def bound_data(self, data, initial):
        """A submitted form shows the resolved region by name (its code in the hidden input);
        a value that did not resolve is shown as typed, beside its error."""
        if self.disabled:
            return initial
        try:
            return self.to_python(data) or data
        except forms.ValidationError:
            return data
