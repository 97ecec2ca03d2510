"""The monthly roster page and its downloads."""

import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts import access as accounts_access
from incentives import access, exports, selectors
from incentives.forms import RosterForm


def _roster_params(form: RosterForm) -> tuple[str, dt.date] | None:
    if not form.is_valid():
        return None
    return form.cleaned_data["region"].strip(), form.cleaned_data["month"].replace(day=1)


@login_required
def roster(request):
    accounts_access.require(
        access.can_view_roster(request.user),
        gettext("Peran Anda tidak dapat membuka daftar nominatif."),
    )
    form = RosterForm(request.GET or None, user=request.user, initial={"month": selectors.today()})
    params = _roster_params(form)
    result = None
    if params:
        result = exports.roster_read(
            user=request.user, region=params[0], month=params[1], fmt="html"
        )
    return render(
        request,
        "incentives/roster.html",
        {
            "form": form,
            "roster": result,
            "month_label": date_format(result.month, "F Y") if result else "",
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
def roster_download(request, fmt):
    if fmt not in {"xlsx", "pdf"}:
        raise Http404
    params = _roster_params(RosterForm(request.GET or None, user=request.user))
    if params is None:
        raise Http404(gettext("Pilih wilayah dan bulan."))
    buffer = io.BytesIO()
    result = exports.roster_export(
        user=request.user, region=params[0], month=params[1], fmt=fmt, output=buffer
    )
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    name = f"nominatif-{result.region or 'semua'}-{result.month:%Y%m}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
