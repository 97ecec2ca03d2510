"""Assessment pages: scheduling (certification managers), the assessor's worklist and the
assessor's decision per unit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from competency import access, selectors, services
from competency.forms import AssessmentScheduleForm, UnitResultForm
from competency.views._common import (
    form_errors,
    form_page,
    message_errors,
    posted,
    require_certification_manager,
)


@login_required
def assessor_worklist(request):
    access.require(access.is_assessor(request.user), _("Halaman ini untuk asesor."))
    return render(
        request, "competency/assessor_worklist.html", selectors.assessor_worklist(user=request.user)
    )


@login_required
def assessment_detail(request, uid):
    assessment = access.assessment_get(request.user, uid)
    can_judge = access.can_judge(request.user, assessment)
    if request.method == "POST":
        access.require(can_judge, _("Asesmen ini tidak ditugaskan kepada Anda."))
        form = UnitResultForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.unit_result_record(
                    actor=request.user, assessment=assessment, **form.cleaned_data
                )
            except ValidationError as error:
                message_errors(request, error)
            else:
                messages.success(request, _("Keputusan unit tersimpan."))
        else:
            messages.error(request, _("Periksa isian keputusan unit."))
        return redirect("competency:assessment-detail", uid=uid)
    rows = selectors.assessment_unit_status(assessment=assessment)
    return render(
        request,
        "competency/assessment_detail.html",
        {
            "a": assessment,
            "rows": rows,
            "can_judge": can_judge and assessment.status == "dijadwalkan",
            # Maker-checker: the assessor recommends, the LSP's decision maker issues.
            "can_recommend": can_judge
            and all(r["competent"] for r in rows)
            and assessment.status == "dijadwalkan",
            "can_issue": access.can_issue_certificate(request.user, lsp_id=assessment.scheme.lsp_id)
            and assessment.status == "direkomendasikan"
            and assessment.recommended_by_id != request.user.pk,
            "today": timezone.localdate(),
        },
    )


@login_required
def assessment_schedule(request):
    require_certification_manager(request.user)
    form = AssessmentScheduleForm(
        posted(request),
        schemes=selectors.scheme_list(active_only=True),
        assessors=selectors.assessor_list(active_only=True),
        test_sites=selectors.test_site_list(),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = selectors.person_for_write(user=request.user, nik=data["nik"])
        if person is None:
            form.add_error("nik", _("NIK tidak ditemukan dalam cakupan Anda."))
        else:
            try:
                assessment = services.assessment_schedule(
                    actor=request.user,
                    person=person,
                    scheme=data["scheme"],
                    assessor=data["assessor"],
                    test_site=data["test_site"],
                    scheduled_on=data["scheduled_on"],
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                messages.success(
                    request, _("Asesmen %(name)s dijadwalkan.") % {"name": person.full_name}
                )
                return redirect("competency:assessment-detail", uid=assessment.uid)
    return form_page(request, form, title=_("Jadwalkan asesmen"), back="competency:index")
