"""Option lists for the cascading region pickers (htmx): reference data, no personal data."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from regions.selectors import district_list, regency_list, village_list


def _options(request, items, param_blank: str = "— pilih —"):
    blank = request.GET.get("blank", param_blank)
    return render(request, "regions/_options.html", {"items": items, "blank": blank})


def _first(request, *names: str) -> str | None:
    for name in names:
        for key, value in request.GET.items():
            if key == name or key.endswith(f"-{name}"):
                return value or None
    return None


@login_required
def regency_options(request):
    return _options(
        request, regency_list(province_code=_first(request, "province", "address_province"))
    )


@login_required
def district_options(request):
    return _options(
        request, district_list(regency_code=_first(request, "regency", "address_regency"))
    )


@login_required
def village_options(request):
    return _options(
        request, village_list(district_code=_first(request, "district", "address_district"))
    )
