"""Option lists for the cascading region pickers (htmx): reference data, no personal data."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

from regions.search import LEVELS, MIN_LENGTH, regions_matching
from regions.selectors import district_list, regency_list, regions_in_scope, village_list


def _options(request, items):
    blank = request.GET.get("blank")
    if blank is None:
        blank = gettext("— pilih —")
    return render(request, "regions/_options.html", {"items": items, "blank": blank})


def _first(request, *names: str) -> str | None:
    for name in names:
        for key, value in request.GET.items():
            if key == name or key.endswith(f"-{name}"):
                return value or None
    return None


@login_required
def regency_options(request):
    """``?dalam_cakupan=1``: only those in the user's scope (list filters); without it every
    regency of the province (an address may lie outside the office's regency)."""
    items = regency_list(province_code=_first(request, "province", "address_province"))
    if request.GET.get("dalam_cakupan"):
        items = regions_in_scope(request.user, items)
    return _options(request, items)


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


@login_required
def region_search(request):
    """``/wilayah/cari/?q=…&tingkat=…``: regions matching a typed name or code, as a listbox
    fragment for the picker (htmx) or, with ``format=json``, as JSON.

    Scoped to the user's regions (an operator picks only inside their own area), except with
    ``semua=1``, which the transfer destination's picker sends: region names are reference
    data shown to every signed-in user (the option lists above are not scoped either).
    """
    field = request.GET.get("bidang", "")
    query = request.GET.get("q") or (request.GET.get(field, "") if field else "")
    levels = tuple(name for name in request.GET.get("tingkat", "").split(",") if name in LEVELS)
    user = None if request.GET.get("semua") == "1" else request.user
    hits = regions_matching(query, level=levels or None, user=user)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "q": query,
                "results": [
                    {
                        "code": h.code,
                        "name": h.name,
                        "level": h.level,
                        "context": h.context,
                        "label": h.label,
                    }
                    for h in hits
                ],
            }
        )
    return render(
        request,
        "regions/_search_results.html",
        {"hits": hits, "query": query.strip(), "too_short": len(query.strip()) < MIN_LENGTH},
    )
