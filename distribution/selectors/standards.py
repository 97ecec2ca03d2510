"""Staffing standards in force and their WISN steps, for display."""

from accounts.models import User
from distribution.models import StaffingStandard, WisnActivity
from distribution.selectors.scope import current_standards, programmes_in, scope_for


def wisn_steps(standard: StaffingStandard) -> dict[str, object]:
    """The intermediate WISN figures, for display and for checking by hand."""
    awt = standard.available_hours
    activities = list(standard.activities.all())
    service = [
        {
            "name": a.name,
            "times_per_case": float(a.times_per_case or 0),
            "minutes_each": float(a.minutes_each or 0),
            "standard_workload": awt * 60 / float(a.minutes_each) if a.minutes_each else None,
            "hours_per_case": float(a.times_per_case or 0) * float(a.minutes_each or 0) / 60,
        }
        for a in activities
        if a.kind == WisnActivity.Kind.SERVICE
    ]
    category = [
        {"name": a.name, "hours_per_year": float(a.hours_per_year or 0)}
        for a in activities
        if a.kind == WisnActivity.Kind.CATEGORY
    ]
    individual = [
        {
            "name": a.name,
            "hours_per_year": float(a.hours_per_year or 0),
            "staff_count": float(a.staff_count or 0),
        }
        for a in activities
        if a.kind == WisnActivity.Kind.INDIVIDUAL
    ]
    share = sum(c["hours_per_year"] for c in category) / awt if awt else 0.0
    return {
        "available_hours": awt,
        "services": service,
        "hours_per_case": sum(s["hours_per_case"] for s in service),
        "category": category,
        "category_share": share,
        "caf": 1 / (1 - share) if awt and share < 1 else None,
        "individual": individual,
        "iaf": standard.individual_allowance_fte,
        "staff_per_unit": standard.staff_per_unit,
        "standard_caseload": standard.standard_caseload,
    }


def standards_list(*, user: User) -> list[dict]:
    scope = scope_for(user)
    programmes = programmes_in(scope)
    standards = current_standards()
    return [
        {
            "programme": p,
            "standard": standards.get(p.pk),
            "steps": wisn_steps(standards[p.pk])
            if p.pk in standards and standards[p.pk].kind == StaffingStandard.Kind.WISN
            else None,
        }
        for p in programmes
    ]
