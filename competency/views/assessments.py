"""Assessment pages: scheduling (certification managers), the assessor's worklist and the
assessment, where its assessor decides its units in one form."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from competency import access, selectors, services
from competency.forms import AssessmentDecisionForm, AssessmentScheduleForm
from competency.models import Assessment
from competency.views._common import (
    form_errors,
    form_page,
    posted,
    require_certification_manager,
)


@login_required
def assessor_worklist(request):
    access.require(access.is_assessor(request.user), _("Halaman ini untuk asesor."))
    return render(
        request, "competency/assessor_worklist.html", selectors.assessor_worklist(user=request.user)
    )


def _decisions_saved(results, assessment) -> str:
    decided = ", ".join(f"{r.unit_code} {r.get_verdict_display()}" for r in results)
    return _("Keputusan tersimpan: %(units)s. Status asesmen: %(status)s.") % {
        "units": decided,
        "status": assessment.get_status_display(),
    }


@login_required
def assessment_detail(request, uid):
    """The assessment; for its assessor, while it is open, the one form that decides its units
    (only the units given a verdict are saved, all of them or none)."""
    assessment = access.assessment_get(request.user, uid)
    is_judge = access.can_judge(request.user, assessment)
    rows = selectors.assessment_unit_status(assessment=assessment)
    today = timezone.localdate()
    offered = min(assessment.scheduled_on, today)  # the test day, unless it is still to come
    form = None
    if request.method == "POST":
        access.require(is_judge, _("Asesmen ini tidak ditugaskan kepada Anda."))
        form = AssessmentDecisionForm(request.POST, request.FILES, rows=rows, assessed_on=offered)
        if form.is_valid():
            decisions = [services.UnitDecision(**d) for d in form.decisions()]
            if not decisions:
                messages.warning(
                    request, _("Belum ada unit yang diputuskan: tidak ada yang disimpan.")
                )
                return redirect("competency:assessment-detail", uid=uid)
            try:
                results = services.unit_results_record(
                    actor=request.user, assessment=assessment, decisions=decisions
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, _decisions_saved(results, assessment))
                return redirect("competency:assessment-detail", uid=uid)
    elif is_judge and assessment.is_open:
        form = AssessmentDecisionForm(rows=rows, assessed_on=offered)
    Status = Assessment.Status
    return render(
        request,
        "competency/assessment_detail.html",
        {
            "a": assessment,
            "rows": rows,
            "form": form if assessment.is_open else None,
            "problems": form.problems() if form is not None and form.is_bound else [],
            "files_sent": bool(request.FILES),
            "decided": sum(1 for r in rows if r["result"]),
            "competent": sum(1 for r in rows if r["competent"]),
            # Maker-checker: the assessor recommends, the LSP's decision maker issues.
            "can_recommend": is_judge
            and assessment.is_open
            and bool(rows)
            and all(r["competent"] for r in rows),
            "can_issue": access.can_issue_certificate(request.user, lsp_id=assessment.scheme.lsp_id)
            and assessment.status == Status.RECOMMENDED
            and assessment.recommended_by_id != request.user.pk,
            "awaiting_decision": assessment.status == Status.RECOMMENDED,
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
