"""Scenario pages: list, detail, delete, comparison and its export."""

import dataclasses
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts import access as accounts_access
from incentives import access, charts, exports, selectors, services
from incentives.forms import (
    AllowanceForm,
    ComparisonRegionForm,
    ScenarioCreateForm,
    ScenarioEditForm,
)
from incentives.models import Scenario
from incentives.views.common import date_param, form_errors, require_view


@login_required
def scenario_list(request):
    require_view(request.user)
    form = ScenarioCreateForm(request.POST or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_scenarios(request.user))
        if form.is_valid():
            try:
                scenario = services.scenario_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_errors(request, error)
            else:
                messages.success(request, gettext("Skenario dibuat dari salinan skala."))
                return redirect("incentives:scenario-detail", uid=scenario.uid)
    return render(
        request,
        "incentives/scenario_list.html",
        {
            "scenarios": selectors.scenario_list(),
            "form": form,
            "can_manage": access.can_manage_scenarios(request.user),
        },
    )


@login_required
def scenario_detail(request, uid):
    require_view(request.user)
    scenario = get_object_or_404(Scenario.objects.select_related("scale__regional_index"), uid=uid)
    scale = selectors.scale_detail(uid=scenario.scale.uid)
    initial = {
        "description": scenario.description,
        "transition_cap_percent": scenario.transition_cap_percent,
        "start_year": scenario.start_year,
        **{f"amount_{a.level}": a.base_amount for a in scale.amounts.all()},
    }
    form = ScenarioEditForm(request.POST or None, initial=initial)
    can_manage = access.can_manage_scenarios(request.user)
    if request.method == "POST":
        accounts_access.require(can_manage)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.scenario_update(
                    actor=request.user,
                    scenario=scenario,
                    amounts=form.amounts(),
                    index_values=data["index_values"],
                    transition_cap_percent=data["transition_cap_percent"],
                    description=data["description"],
                    start_year=data["start_year"],
                )
            except ValidationError as error:
                form_errors(request, error)
            else:
                messages.success(request, gettext("Skenario tersimpan."))
                return redirect("incentives:scenario-detail", uid=scenario.uid)
    values = selectors.index_values(index=scale.regional_index) if scale.regional_index else []
    return render(
        request,
        "incentives/scenario_detail.html",
        {
            "scenario": scenario,
            "scale": scale,
            "form": form,
            "allowance_form": AllowanceForm(prefix="a"),
            "values": values,
            "can_manage": can_manage,
            "editable": can_manage and scale.is_editable,
        },
    )


@login_required
@require_POST
def scenario_delete(request, uid):
    accounts_access.require(access.can_manage_scenarios(request.user))
    scenario = get_object_or_404(Scenario, uid=uid)
    services.scenario_delete(actor=request.user, scenario=scenario)
    messages.success(request, gettext("Skenario dihapus."))
    return redirect("incentives:scenario-list")


def _comparison(request):
    """The comparison the query asks for, with its region form; no comparison while the
    typed region is unknown or ambiguous (the form says why)."""
    require_view(request.user)
    keys = request.GET.getlist("s") or [selectors.IN_FORCE_KEY]
    if len(keys) > 4:
        raise PermissionDenied(gettext("Bandingkan paling banyak empat skenario."))
    form = ComparisonRegionForm(request.GET, user=request.user)
    group = request.GET.get("group") if request.GET.get("group") in selectors.GROUPS else "province"
    on = date_param(request.GET.get("on")) or selectors.today()
    if not form.is_valid():
        return form, None, group, on
    filters = dataclasses.replace(
        selectors.IncentiveFilters.from_params(request.GET), region=form.cleaned_data["region"]
    )
    comparison = selectors.scenario_compare(
        user=request.user,
        scenarios=selectors.scenarios_by_keys(keys),
        filters=filters,
        group=group,
        on=on,
        keep_paths=request.path.endswith("xlsx/"),
    )
    return form, comparison, group, on


@login_required
def scenario_compare(request):
    form, comparison, group, on = _comparison(request)
    context = {
        "form": form,
        "comparison": comparison,
        "on": on,
        "group": group,
        "groups": selectors.GROUPS,
        "selected": request.GET.getlist("s") or [selectors.IN_FORCE_KEY],
        "querystring": request.GET.urlencode(),
    }
    if comparison is None:
        return render(request, "incentives/scenario_compare.html", context)
    table = comparison.group_table()
    yearly = charts.bar_chart(
        [c.name for c in comparison.columns],
        [
            (gettext("Saat ini"), [c.summary.total.current_yearly for c in comparison.columns]),
            (gettext("Standar"), [c.summary.total.standard_yearly for c in comparison.columns]),
        ],
        title=gettext("Biaya tahunan per skenario"),
    )
    by_group = charts.bar_chart(
        [label for label, _ in table],
        [
            (c.name, [totals[i].standard_yearly for _, totals in table])
            for i, c in enumerate(comparison.columns)
        ],
        title=gettext("Biaya standar tahunan per kelompok"),
    )
    transition = [c for c in comparison.columns if c.years]
    transition_chart = charts.line_chart(
        max((c.years for c in transition), key=len, default=[]),
        [(c.name, [v * 12 for v in c.yearly_monthly_cost]) for c in transition],
        title=gettext("Biaya tahunan selama transisi"),
    )
    context.update(
        {
            "table": table,
            "yearly_chart": yearly,
            "group_chart": by_group,
            "transition": transition,
            "transition_chart": transition_chart,
        }
    )
    return render(request, "incentives/scenario_compare.html", context)


@login_required
def scenario_export(request):
    form, comparison, _, _ = _comparison(request)
    if comparison is None:
        # The page's export link is hidden then; a hand-made link is answered in words.
        message = " ".join(str(e) for e in form.errors.get("region", []))
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    exports.scenario_summary_write(
        user=request.user, comparison=comparison, output=buffer, fmt="xlsx"
    )
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="skenario-insentif-{comparison.on:%Y%m%d}.xlsx"'
    )
    return response
