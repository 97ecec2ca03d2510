"""Incentive pages. Views translate only: parse, ask the access modules, call a service/selector."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts import access as accounts_access
from incentives import access, charts, exports, selectors, services
from incentives.forms import (
    AdoptionForm,
    AllowanceForm,
    DecisionForm,
    RosterForm,
    ScaleForm,
    ScenarioCreateForm,
    ScenarioEditForm,
    TableUploadForm,
)
from incentives.models import LEVELS, Allowance, Purpose, Scenario
from incentives.tables import read_table
from jobs.services import job_start
from regions.selectors import province_list
from registry.models import Programme


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _require_view(user) -> None:
    accounts_access.require(
        access.can_view(user), "Peran Anda tidak dapat membuka halaman insentif."
    )


@login_required
def index(request):
    _require_view(request.user)
    filters = selectors.IncentiveFilters.from_params(request.GET)
    group = request.GET.get("group") if request.GET.get("group") in selectors.GROUPS else "province"
    summary = selectors.incentive_summary(user=request.user, filters=filters, group=group)
    labels = [label for _, label, _ in summary.groups]
    chart = charts.bar_chart(
        labels,
        [
            ("Saat ini", [t.current_yearly for _, _, t in summary.groups]),
            ("Standar", [t.standard_yearly for _, _, t in summary.groups]),
        ],
        title="Biaya tahunan: saat ini dan standar",
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
    _require_view(request.user)
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
    messages.success(request, "Perhitungan ulang berjalan di latar belakang.")
    return redirect("jobs:detail", uid=job.uid)


# --- Scales ------------------------------------------------------------------------------------


@login_required
def scale_list(request):
    _require_view(request.user)
    form = ScaleForm(request.POST or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_standard(request.user))
        if form.is_valid():
            try:
                scale = services.scale_create(actor=request.user, **form.service_data())
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "Draf skala tersimpan.")
                return redirect("incentives:scale-detail", uid=scale.uid)
    return render(
        request,
        "incentives/scale_list.html",
        {
            "scales": selectors.scale_list(),
            "form": form,
            "can_manage": access.can_manage_standard(request.user),
        },
    )


@login_required
def scale_detail(request, uid):
    _require_view(request.user)
    scale = selectors.scale_detail(uid=uid)
    if scale.purpose == Purpose.SCENARIO:
        return redirect("incentives:scenario-detail", uid=scale.scenario.uid)
    can_manage = access.can_manage_standard(request.user)
    form = ScaleForm(request.POST or None, initial=ScaleForm.initial_for(scale), prefix="s")
    allowance_form = AllowanceForm(prefix="a")
    if request.method == "POST":
        accounts_access.require(can_manage)
        if form.is_valid():
            try:
                services.scale_update(actor=request.user, scale=scale, data=form.service_data())
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "Skala tersimpan.")
                return redirect("incentives:scale-detail", uid=scale.uid)
    return render(
        request,
        "incentives/scale_detail.html",
        {
            "scale": scale,
            "form": form,
            "allowance_form": allowance_form,
            "decision_form": DecisionForm(),
            "can_manage": can_manage,
            "editable": can_manage and scale.is_editable,
        },
    )


@login_required
@require_POST
def scale_copy(request, uid):
    accounts_access.require(access.can_manage_standard(request.user))
    scale = selectors.scale_detail(uid=uid)
    copy = services.scale_copy(actor=request.user, scale=scale, name=f"Salinan {scale.name}"[:150])
    messages.success(request, "Salinan draf dibuat; ubah lalu ajukan untuk disepakati.")
    return redirect("incentives:scale-detail", uid=copy.uid)


@login_required
@require_POST
def scale_state(request, uid, action):
    accounts_access.require(access.can_manage_standard(request.user))
    scale = selectors.scale_detail(uid=uid)
    try:
        if action == "sepakati":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Sebutkan nomor keputusan atau berita acara.")
            services.scale_agree(
                actor=request.user, scale=scale, decision_ref=form.cleaned_data["decision_ref"]
            )
        elif action == "berlakukan":
            services.scale_enact(actor=request.user, scale=scale)
        else:
            raise Http404
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "Status skala diperbarui.")
    return redirect("incentives:scale-detail", uid=scale.uid)


@login_required
@require_POST
def allowance_create(request, uid):
    scale = selectors.scale_detail(uid=uid)
    _require_edit(request.user, scale)
    form = AllowanceForm(request.POST, prefix="a")
    if form.is_valid():
        try:
            services.allowance_create(actor=request.user, scale=scale, data=form.service_data())
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, "Tunjangan ditambahkan.")
    else:
        for field, errs in form.errors.items():
            for err in errs:
                messages.error(request, f"{field}: {err}" if field != "__all__" else err)
    return _back_to(scale)


@login_required
@require_POST
def allowance_delete(request, uid, pk):
    scale = selectors.scale_detail(uid=uid)
    _require_edit(request.user, scale)
    allowance = get_object_or_404(Allowance, pk=pk, scale=scale)
    try:
        services.allowance_delete(actor=request.user, allowance=allowance)
    except ValidationError as error:
        _errors(request, error)
    return _back_to(scale)


def _require_edit(user, scale) -> None:
    allowed = (
        access.can_manage_standard(user)
        if scale.purpose == Purpose.STANDARD
        else access.can_manage_scenarios(user)
    )
    accounts_access.require(allowed)


def _back_to(scale):
    if scale.purpose == Purpose.SCENARIO:
        return redirect("incentives:scenario-detail", uid=scale.scenario.uid)
    return redirect("incentives:scale-detail", uid=scale.uid)


# --- Indexes and special areas -----------------------------------------------------------------


def _table_upload(request, *, load, success: str, detail_url: str, template: str, context: dict):
    """A page listing uploaded tables, whose form loads a new one (indexes, special areas)."""
    _require_view(request.user)
    form = TableUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_standard(request.user))
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = load(data, read_table(data["file"], data["file"].name))
            except (ValidationError, ValueError) as error:
                _errors(
                    request,
                    error if isinstance(error, ValidationError) else ValidationError(str(error)),
                )
            else:
                messages.success(request, success)
                return redirect(detail_url, uid=created.uid)
    return render(
        request,
        template,
        {**context, "form": form, "can_manage": access.can_manage_standard(request.user)},
    )


@login_required
def index_list(request):
    return _table_upload(
        request,
        load=lambda data, rows: services.regional_index_load(
            actor=request.user,
            name=data["name"],
            year=data["year"],
            source=data["source"],
            method=data["method"],
            rows=rows,
            is_example=data["is_example"],
        ),
        success="Indeks dimuat sebagai draf.",
        detail_url="incentives:index-detail",
        template="incentives/index_list.html",
        context={"indexes": selectors.index_list()},
    )


@login_required
def index_detail(request, uid):
    _require_view(request.user)
    index = selectors.index_detail(uid=uid)
    return render(
        request,
        "incentives/index_detail.html",
        {
            "index": index,
            "values": selectors.index_values(index=index),
            "decision_form": DecisionForm(),
            "can_manage": access.can_manage_standard(request.user)
            and index.purpose == Purpose.STANDARD,
        },
    )


@login_required
@require_POST
def index_state(request, uid, action):
    accounts_access.require(access.can_manage_standard(request.user))
    index = selectors.index_detail(uid=uid)
    try:
        if action == "sepakati":
            form = DecisionForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Sebutkan nomor keputusan atau berita acara.")
            services.regional_index_agree(
                actor=request.user, index=index, decision_ref=form.cleaned_data["decision_ref"]
            )
        elif action == "berlakukan":
            services.regional_index_enact(actor=request.user, index=index)
        else:
            raise Http404
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, "Status indeks diperbarui.")
    return redirect("incentives:index-detail", uid=index.uid)


@login_required
def area_list(request):
    return _table_upload(
        request,
        load=lambda data, rows: services.area_list_load(
            actor=request.user,
            name=data["name"],
            year=data["year"],
            source=data["source"],
            rows=rows,
            is_example=data["is_example"],
        ),
        success="Daftar wilayah khusus dimuat.",
        detail_url="incentives:area-detail",
        template="incentives/area_list.html",
        context={"lists": selectors.area_lists()},
    )


@login_required
def area_detail(request, uid):
    _require_view(request.user)
    area_list = selectors.area_list_detail(uid=uid)
    return render(
        request,
        "incentives/area_detail.html",
        {"area_list": area_list, "areas": selectors.area_designations(area_list=area_list)},
    )


@login_required
def adoption_list(request):
    _require_view(request.user)
    form = AdoptionForm(request.POST or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_standard(request.user))
        if form.is_valid():
            try:
                services.adoption_record(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "Penerapan standar dicatat.")
                return redirect("incentives:adoption-list")
    return render(
        request,
        "incentives/adoption_list.html",
        {
            "adoptions": selectors.adoption_list(),
            "form": form,
            "can_manage": access.can_manage_standard(request.user),
        },
    )


# --- Breakdown ---------------------------------------------------------------------------------


@login_required
def breakdown(request, uid):
    """One engagement's standard incentive, component by component (404 outside scope)."""
    on = _date_param(request.GET.get("on")) or selectors.today()
    engagement, result = selectors.engagement_breakdown(user=request.user, uid=uid, on=on)
    return render(
        request,
        "incentives/breakdown.html",
        {"engagement": engagement, "breakdown": result, "on": on},
    )


def _date_param(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# --- Scenarios ---------------------------------------------------------------------------------


@login_required
def scenario_list(request):
    _require_view(request.user)
    form = ScenarioCreateForm(request.POST or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_scenarios(request.user))
        if form.is_valid():
            try:
                scenario = services.scenario_create(actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors(request, error)
            else:
                messages.success(request, "Skenario dibuat dari salinan skala.")
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
    _require_view(request.user)
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
                _errors(request, error)
            else:
                messages.success(request, "Skenario tersimpan.")
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
    messages.success(request, "Skenario dihapus.")
    return redirect("incentives:scenario-list")


def _comparison(request):
    _require_view(request.user)
    keys = request.GET.getlist("s") or [selectors.IN_FORCE_KEY]
    if len(keys) > 4:
        raise PermissionDenied("Bandingkan paling banyak empat skenario.")
    scenarios = selectors.scenarios_by_keys(keys)
    filters = selectors.IncentiveFilters.from_params(request.GET)
    group = request.GET.get("group") if request.GET.get("group") in selectors.GROUPS else "province"
    on = _date_param(request.GET.get("on")) or selectors.today()
    return (
        selectors.scenario_compare(
            user=request.user,
            scenarios=scenarios,
            filters=filters,
            group=group,
            on=on,
            keep_paths=request.path.endswith("xlsx/"),
        ),
        filters,
        group,
    )


@login_required
def scenario_compare(request):
    comparison, filters, group = _comparison(request)
    table = comparison.group_table()
    yearly = charts.bar_chart(
        [c.name for c in comparison.columns],
        [
            ("Saat ini", [c.summary.total.current_yearly for c in comparison.columns]),
            ("Standar", [c.summary.total.standard_yearly for c in comparison.columns]),
        ],
        title="Biaya tahunan per skenario",
    )
    by_group = charts.bar_chart(
        [label for label, _ in table],
        [
            (c.name, [totals[i].standard_yearly for _, totals in table])
            for i, c in enumerate(comparison.columns)
        ],
        title="Biaya standar tahunan per kelompok",
    )
    transition = [c for c in comparison.columns if c.years]
    transition_chart = charts.line_chart(
        max((c.years for c in transition), key=len, default=[]),
        [(c.name, [v * 12 for v in c.yearly_monthly_cost]) for c in transition],
        title="Biaya tahunan selama transisi",
    )
    return render(
        request,
        "incentives/scenario_compare.html",
        {
            "comparison": comparison,
            "table": table,
            "yearly_chart": yearly,
            "group_chart": by_group,
            "transition": transition,
            "transition_chart": transition_chart,
            "filters": filters,
            "group": group,
            "groups": selectors.GROUPS,
            "scenarios": selectors.scenario_list(),
            "selected": request.GET.getlist("s") or [selectors.IN_FORCE_KEY],
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
def scenario_export(request):
    comparison, _, _ = _comparison(request)
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


# --- Roster ------------------------------------------------------------------------------------


def _roster_params(request) -> tuple[str, dt.date] | None:
    form = RosterForm(request.GET or None)
    if not form.is_valid():
        return None
    return form.cleaned_data["region"].strip(), form.cleaned_data["month"].replace(day=1)


@login_required
def roster(request):
    accounts_access.require(
        access.can_view_roster(request.user), "Peran Anda tidak dapat membuka daftar nominatif."
    )
    params = _roster_params(request)
    result = None
    if params:
        result = exports.roster_read(
            user=request.user, region=params[0], month=params[1], fmt="html"
        )
    return render(
        request,
        "incentives/roster.html",
        {
            "form": RosterForm(request.GET or None, initial={"month": selectors.today()}),
            "roster": result,
            "month_label": exports.month_label(result.month) if result else "",
            "querystring": request.GET.urlencode(),
        },
    )


@login_required
def roster_download(request, fmt):
    if fmt not in {"xlsx", "pdf"}:
        raise Http404
    params = _roster_params(request)
    if params is None:
        raise Http404("Pilih wilayah dan bulan.")
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
