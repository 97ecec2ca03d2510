"""Planning pages: a person's competency path, the training needs analysis and the
promotion proposals."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _

from competency import access, selectors
from regions.selectors import province_list, regency_list
from registry import access as registry_access
from registry.models import ROMAN, Programme


@login_required
def person_path(request, uid):
    person = access.person_get(request.user, uid)
    raw = request.GET.get("target", "")
    target = int(raw) if raw.isdigit() and 1 <= int(raw) <= 9 else None
    path = selectors.person_path(person=person, target=target)
    next_heading = target_heading = ""
    if path.plan:
        next_heading = _("Kesenjangan menuju jenjang berikutnya (%(level)s)") % {
            "level": ROMAN[path.plan.gap.level]
        }
    if path.target_plan:
        heading = (
            _("Kesenjangan menuju jenjang sasaran (%(level)s %(title)s)")
            if path.target_is_chosen
            else _("Kesenjangan menuju jenjang jabatan (%(level)s %(title)s)")
        )
        target_heading = heading % {
            "level": ROMAN[path.target_level],
            "title": path.target_title,
        }
    return render(
        request,
        "competency/person_path.html",
        {
            "path": path,
            "person": person,
            "history": selectors.training_history(person=person),
            "certificates": selectors.certificate_list(user=request.user, person=person),
            "rpl": access.rpl_visible(request.user, person.rpl_applications.all()),
            "can_apply_rpl": access.can_apply_rpl(request.user, person),
            # Back to the person's page, for those who may open it (not an assessor or an LSP).
            "in_registry": registry_access.people_visible(request.user)
            .filter(pk=person.pk)
            .exists(),
            "roman": ROMAN,
            "levels": [(n, ROMAN[n]) for n in range(3, 10)],
            "next_heading": next_heading,
            "target_heading": target_heading,
        },
    )


def _planning_filters(request) -> dict:
    level = request.GET.get("level", "")
    return {
        "province": request.GET.get("province", "").strip(),
        "regency": request.GET.get("regency", "").strip(),
        "programme": request.GET.get("programme", "").strip(),
        "level": int(level) if level.isdigit() else None,
    }


@login_required
def needs_dashboard(request):
    access.require(access.can_view_needs(request.user), _("Halaman ini untuk administrator."))
    filters = _planning_filters(request)
    report = selectors.needs_analysis(user=request.user, **filters)
    return render(
        request,
        "competency/needs.html",
        {
            "report": report,
            "filters": filters,
            "provinces": province_list(),
            "regencies": regency_list(province_code=filters["province"] or None),
            "programmes": Programme.objects.all(),
            "levels": [(n, ROMAN[n]) for n in range(3, 10)],
            "roman": ROMAN,
        },
    )


@login_required
def promotion_list(request):
    access.require(access.can_view_promotions(request.user), _("Halaman ini untuk administrator."))
    filters = _planning_filters(request)
    filters.pop("level")
    proposals = selectors.promotion_proposals(user=request.user, **filters)
    page = Paginator(proposals, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "competency/promotions.html",
        {"page": page, "count": len(proposals), "roman": ROMAN, "filters": filters},
    )
