"""Recognition of prior learning (RPL): apply with evidence, and the assessor's decision."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from competency import access, services
from competency.forms import RplApplyForm
from competency.views._common import _errors, _message_errors


@login_required
def rpl_apply(request, uid):
    person = access.person_get(request.user, uid)
    access.require(
        access.can_apply_rpl(request.user, person),
        "Anda tidak boleh mengajukan RPL untuk orang ini.",
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
            _errors(form, error)
        else:
            messages.success(request, "Permohonan RPL diajukan.")
            return redirect("competency:rpl-detail", uid=application.uid)
    return render(request, "competency/rpl_form.html", {"form": form, "person": person})


@login_required
def rpl_detail(request, uid):
    application = access.rpl_get(request.user, uid)
    can_judge = access.can_judge_rpl(request.user, application)
    if request.method == "POST":
        access.require(can_judge, "Permohonan ini tidak ditugaskan kepada Anda.")
        decisions = {
            code: request.POST.get(f"unit-{code}") == "1" for code in application.requested_units
        }
        try:
            services.rpl_decide(actor=request.user, application=application, decisions=decisions)
        except ValidationError as error:
            _message_errors(request, error)
        else:
            messages.success(request, "Keputusan RPL tersimpan.")
        return redirect("competency:rpl-detail", uid=uid)
    return render(
        request,
        "competency/rpl_detail.html",
        {
            "a": application,
            "can_judge": can_judge and application.status == "diajukan",
            "decisions": {d.unit_code: d for d in application.decisions.all()},
        },
    )
