"""The overview, engagements not computable, the recompute button, one engagement's breakdown."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts import access as accounts_access
from incentives import access, charts, selectors
from incentives.models import LEVELS
from incentives.views.common import date_param, require_view
from jobs.services import job_start
from regions.selectors import province_list
from registry.models import Programme


@login_required
def index(request):
    require_view(request.user)
    filters = selectors.IncentiveFilters.from_params(request.GET)
    group = request.GET.get("group") if request.GET.get("group") in selectors.GROUPS else "province"
    summary = selectors.incentive_summary(user=request.user, filters=filters, group=group)
    labels = [label for _, label, _ in summary.groups]
    chart = charts.bar_chart(
        labels,
        [
            (gettext("Saat ini"), [t.current_yearly for _, _, t in summary.groups]),
            (gettext("Standar"), [t.standard_yearly for _, _, t in summary.groups]),
        ],
        title=gettext("Biaya tahunan: saat ini dan standar"),
    )
    return render(
        request,
        "incentives/index.html",
        {
            "summary": summary,
            "filters": filters,
            "group": group,
            "groups": selectors.GROUPS,
            "chart": chart,
            "scales": selectors.applicable_scales(on=selectors.today()),
            "index": selectors.index_in_force(on=selectors.today()),
            "programmes": Programme.objects.all(),
            "provinces": province_list(),
            "levels": [(lv, selectors.ROMAN[lv]) for lv in LEVELS],
            "reasons": [(selectors.calc_reason(k), v) for k, v in summary.not_computable.items()],
            "can_manage": access.can_manage_standard(request.user),
        },
    )


@login_required
def not_computable(request):
    require_view(request.user)
    filters = selectors.IncentiveFilters.from_params(request.GET)
    items = selectors.not_computable_list(user=request.user, filters=filters)
    return render(
        request,
        "incentives/not_computable.html",
        {"items": [(e, selectors.calc_reason(r)) for e, r in items], "filters": filters},
    )


@login_required
@require_POST
def recompute(request):
    accounts_access.require(access.can_manage_standard(request.user))
    with transaction.atomic():
        job = job_start(
            kind="incentives_recompute", title="Hitung ulang insentif standar", owner=request.user
        )
    messages.success(request, gettext("Perhitungan ulang berjalan di latar belakang."))
    return redirect("jobs:detail", uid=job.uid)


@login_required
def breakdown(request, uid):
    """One engagement's standard incentive, component by component (404 outside scope)."""
    on = date_param(request.GET.get("on")) or selectors.today()
    engagement, result = selectors.engagement_breakdown(user=request.user, uid=uid, on=on)
    return render(
        request,
        "incentives/breakdown.html",
        {"engagement": engagement, "breakdown": result, "on": on},
    )
