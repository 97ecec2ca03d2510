"""Scale pages: list, detail, copy, agree/enact, and their allowances."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accounts import access as accounts_access
from incentives import access, selectors, services
from incentives.forms import AllowanceForm, DecisionForm, ScaleForm
from incentives.models import Allowance, Purpose
from incentives.views.common import back_to, form_errors, require_edit, require_view


@login_required
def scale_list(request):
    require_view(request.user)
    form = ScaleForm(request.POST or None)
    if request.method == "POST":
        accounts_access.require(access.can_manage_standard(request.user))
        if form.is_valid():
            try:
                scale = services.scale_create(actor=request.user, **form.service_data())
            except ValidationError as error:
                form_errors(request, error)
            else:
                messages.success(request, gettext("Draf skala tersimpan."))
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
    require_view(request.user)
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
                form_errors(request, error)
            else:
                messages.success(request, gettext("Skala tersimpan."))
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
    messages.success(request, gettext("Salinan draf dibuat; ubah lalu ajukan untuk disepakati."))
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
                raise ValidationError(gettext("Sebutkan nomor keputusan atau berita acara."))
            services.scale_agree(
                actor=request.user, scale=scale, decision_ref=form.cleaned_data["decision_ref"]
            )
        elif action == "berlakukan":
            services.scale_enact(actor=request.user, scale=scale)
        else:
            raise Http404
    except ValidationError as error:
        form_errors(request, error)
    else:
        messages.success(request, gettext("Status skala diperbarui."))
    return redirect("incentives:scale-detail", uid=scale.uid)


@login_required
@require_POST
def allowance_create(request, uid):
    scale = selectors.scale_detail(uid=uid)
    require_edit(request.user, scale)
    form = AllowanceForm(request.POST, prefix="a")
    if form.is_valid():
        try:
            services.allowance_create(actor=request.user, scale=scale, data=form.service_data())
        except ValidationError as error:
            form_errors(request, error)
        else:
            messages.success(request, gettext("Tunjangan ditambahkan."))
    else:
        for field, errs in form.errors.items():
            for err in errs:
                messages.error(
                    request, f"{form.fields[field].label}: {err}" if field in form.fields else err
                )
    return back_to(scale)


@login_required
@require_POST
def allowance_delete(request, uid, pk):
    scale = selectors.scale_detail(uid=uid)
    require_edit(request.user, scale)
    allowance = get_object_or_404(Allowance, pk=pk, scale=scale)
    try:
        services.allowance_delete(actor=request.user, allowance=allowance)
    except ValidationError as error:
        form_errors(request, error)
    return back_to(scale)
