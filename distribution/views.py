"""Distribution pages. Views only translate: parse, call one selector or service, render."""

import datetime as dt
import io
import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from distribution import exports, redeployment, selectors, services
from distribution.forms import WorkloadRegionForm
from regions.search import typed_code


def _chart_data(data: dict) -> dict:
    """What the charts draw, as plain numbers (the tables show the same figures)."""
    total = data["total"]
    return {
        "clusters": [
            {
                "label": p.name,
                "actual": total.cell(p.pk).actual,
                "required": total.cell(p.pk).required,
            }
            for p in data["shown"]
        ],
        "trend": [
            {
                "period": t["period"].isoformat()[:7],
                "actual": t["actual"],
                "required": t["required"],
            }
            for t in data["trend"]
        ],
        "levels": [{"label": label, "count": n} for label, n in data["breakdown"]["levels"]],
        "words": {
            "actual": gettext("Aktual"),
            "required": gettext("Kebutuhan"),
            "active": gettext("Penugasan aktif"),
        },
    }


@login_required
def dashboard(request):
    scope = selectors.scope_for(request.user)
    if scope.home_code:
        # A province or regency operator's dashboard starts at their own region.
        url = reverse("distribution:region", args=[scope.home_code])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return _region_page(request, "")


@login_required
def region(request, code: str):
    return _region_page(request, code)


def _region_page(request, code: str):
    cluster = request.GET.get("cluster", "").strip()
    data = selectors.dashboard(user=request.user, code=code, cluster=cluster)
    data["chart"] = _chart_data(data)
    data["cluster"] = cluster
    data["drill_level"] = data["child_level"] != "desa"
    return render(request, "distribution/dashboard.html", data)


def _period(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value + "-01")
    except ValueError:
        return None


@login_required
def workload(request):
    # The region is typed by name or code. A name that does not resolve is explained beside
    # the field while the page shows the user's own region; a code outside the user's scope is
    # not found (404), as on the region pages.
    form = WorkloadRegionForm(request.GET, user=request.user)
    typed = request.GET.get("region", "").strip()
    unresolved = typed if typed_code(typed) else ""
    code = form.cleaned_data["region"] if form.is_valid() else unresolved
    data = selectors.workload(
        user=request.user,
        code=code,
        cluster=request.GET.get("cluster", "").strip(),
        period=_period(request.GET.get("period")),
    )
    data["all_programmes"] = selectors.programmes_in(selectors.scope_for(request.user))
    data["cluster"] = request.GET.get("cluster", "")
    data["form"] = form
    return render(request, "distribution/workload.html", data)


def _int(value, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default


@login_required
def redeployment_view(request, code: str):
    scope = selectors.scope_for(request.user)
    programmes = [
        p for p in selectors.programmes_in(scope) if p.pk in selectors.current_standards()
    ]
    if not programmes:
        raise Http404(gettext("Belum ada standar kebutuhan yang berlaku."))
    cluster = request.GET.get("cluster") or programmes[0].slug
    same = _int(request.GET.get("same"), 1)
    cross = _int(request.GET.get("cross"), 3)
    try:
        data = redeployment.redeployment_plan(
            user=request.user,
            code=code,
            cluster=cluster,
            same_regency_cost=same,
            cross_regency_cost=cross,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        data = redeployment.redeployment_plan(user=request.user, code=code, cluster=cluster)
    data.update(
        {
            "programmes": programmes,
            "cluster": cluster,
            "recruitment": redeployment.recruitment_need(user=request.user, code=code),
        }
    )
    return render(request, "distribution/redeployment.html", data)


@login_required
def standards(request):
    return render(
        request,
        "distribution/standards.html",
        {"items": selectors.standards_list(user=request.user)},
    )


@login_required
def datasets(request):
    data = selectors.dataset_overview(user=request.user)
    data["can_upload"] = services.may_load_datasets(request.user)
    return render(request, "distribution/datasets.html", data)


@login_required
@require_POST
def dataset_upload(request, kind: str):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, gettext("Pilih berkas CSV atau XLSX."))
        return redirect("distribution:datasets")
    suffix = Path(upload.name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
        handle.flush()
        fields = {
            "actor": request.user,
            "path": Path(handle.name),
            "display_name": upload.name,
            "name": request.POST.get("name", "").strip(),
            "source": request.POST.get("source", "").strip(),
            "period": request.POST.get("period", "").strip(),
        }
        try:
            if kind == "kebutuhan":
                dataset = services.need_dataset_import(**fields)
            elif kind == "penduduk":
                dataset = services.population_dataset_import(**fields)
            else:
                raise Http404
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("distribution:datasets")
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("distribution:datasets")
    messages.success(
        request,
        ngettext(
            "%(dataset)s dimuat: %(rows)s baris.",
            "%(dataset)s dimuat: %(rows)s baris.",
            dataset.row_count,
        )
        % {"dataset": dataset, "rows": dataset.row_count},
    )
    return redirect("distribution:datasets")


@login_required
def export(request, table: str, fmt: str):
    if table not in exports.TABLES or fmt not in exports.FORMATS:
        raise Http404(gettext("Ekspor tidak dikenal."))
    params = {k: request.GET.get(k, "").strip() for k in ("region", "cluster", "level")}
    buffer = io.BytesIO()
    try:
        _count, stem = exports.table_export(
            user=request.user, table=table, params=params, fmt=fmt, handle=buffer
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    response = HttpResponse(buffer.getvalue(), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
