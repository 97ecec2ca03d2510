"""Recognition of prior learning (RPL): apply with evidence, add evidence, assign the
assessor, and the assessor's decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from competency import access, selectors, services
from competency.forms import RplApplyForm, RplAssignForm, RplEvidenceForm
from competency.models import RplApplication
from competency.views._common import (
    form_errors,
    form_messages,
    message_errors,
    require_certification_manager,
)


@login_required
def rpl_apply(request, uid):
    person = access.person_get(request.user, uid)
    access.require(
        access.can_apply_rpl(request.user, person),
        _("Anda tidak boleh mengajukan RPL untuk orang ini."),
    )
    form = RplApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.rpl_apply(
                actor=request.user,
                person=person,
                unit_codes=data["units"],
                evidence=[(data["kind"], data["file"], data["description"])],
                note=data["note"],
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("Permohonan RPL diajukan."))
            return redirect("competency:rpl-detail", uid=application.uid)
    return render(request, "competency/rpl_form.html", {"form": form, "person": person})


def _assessors():
    """Active assessors (of any LSP: an application names units, not a scheme)."""
    return selectors.assessor_list(active_only=True)


@login_required
def rpl_detail(request, uid):
    application = access.rpl_get(request.user, uid)
    user = request.user
    awaiting = application.status == RplApplication.Status.SUBMITTED
    can_judge = access.can_judge_rpl(user, application)
    if request.method == "POST":
        access.require(can_judge, _("Permohonan ini tidak ditugaskan kepada Anda."))
        decisions = {
            code: request.POST.get(f"unit-{code}") == "1" for code in application.requested_units
        }
        try:
            services.rpl_decide(actor=user, application=application, decisions=decisions)
        except ValidationError as error:
            message_errors(request, error)
        else:
            messages.success(request, _("Keputusan RPL tersimpan."))
        return redirect("competency:rpl-detail", uid=uid)
    can_assign = awaiting and access.can_manage_certification(user)
    can_add_evidence = awaiting and access.can_add_rpl_evidence(user, application)
    return render(
        request,
        "competency/rpl_detail.html",
        {
            "a": application,
            "can_judge": can_judge and awaiting,
            "decisions": {d.unit_code: d for d in application.decisions.all()},
            "assign_form": (
                RplAssignForm(assessors=_assessors(), initial={"assessor": application.assessor_id})
                if can_assign
                else None
            ),
            "evidence_form": RplEvidenceForm() if can_add_evidence else None,
        },
    )


@login_required
@require_POST
def rpl_assign(request, uid):
    require_certification_manager(request.user)
    application = access.rpl_get(request.user, uid)
    form = RplAssignForm(request.POST, assessors=_assessors())
    if not form.is_valid():
        form_messages(request, form)
        return redirect("competency:rpl-detail", uid=uid)
    assessor = form.cleaned_data["assessor"]
    try:
        services.rpl_assign(actor=request.user, application=application, assessor=assessor)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("Asesor %(name)s ditugaskan.") % {"name": assessor.user})
    return redirect("competency:rpl-detail", uid=uid)


@login_required
@require_POST
def rpl_evidence_add(request, uid):
    application = access.rpl_get(request.user, uid)
    access.require(
        access.can_add_rpl_evidence(request.user, application),
        _("Anda tidak boleh menambah bukti pada permohonan ini."),
    )
    form = RplEvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        form_messages(request, form)
        return redirect("competency:rpl-detail", uid=uid)
    try:
        services.rpl_evidence_add(actor=request.user, application=application, **form.cleaned_data)
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(request, _("Bukti ditambahkan."))
    return redirect("competency:rpl-detail", uid=uid)
