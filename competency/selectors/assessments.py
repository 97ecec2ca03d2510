"""Assessment reads: an assessor's worklist, unit status, the person assessed."""

from __future__ import annotations

from accounts.models import User
from competency import access
from competency.models import Assessment, RplApplication, UnitResult, Verdict
from competency.selectors.units import unit_titles_in_force
from registry import access as registry_access
from registry.models import Person


def person_for_write(*, user: User, uid=None, nik: str = "") -> Person | None:
    """The person (by uid or NIK) in the user's registry scope, for a write about them."""
    qs = registry_access.people_visible(user)
    if uid:
        return qs.filter(uid=uid).first()
    if nik:
        return qs.filter(nik=nik.strip()).first()
    return None


def assessor_worklist(*, user: User) -> dict[str, list]:
    """An assessor's open work: assessments not finished and RPL applications not decided."""
    if not access.is_assessor(user):
        return {"assessments": [], "rpl": []}
    assessments = list(
        Assessment.objects.filter(assessor=user.assessor, status__in=Assessment.OPEN)
        .select_related("person", "scheme", "test_site")
        .prefetch_related("scheme__units", "results")
        .order_by("scheduled_on", "id")
    )
    for a in assessments:
        # Units decided (a retake is one unit, not two), out of the scheme's.
        a.units_decided = len({r.unit_code for r in a.results.all()})
    rpl = (
        RplApplication.objects.filter(
            assessor=user.assessor, status=RplApplication.Status.SUBMITTED
        )
        .select_related("person")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )
    return {"assessments": assessments, "rpl": list(rpl)}


def assessment_unit_status(*, assessment: Assessment) -> list[dict]:
    """Per scheme unit: its code and title (in the framework in force), the latest attempt's
    result (None when not yet assessed) and whether it is Kompeten or to be retaken."""
    latest: dict[str, UnitResult] = {}
    for result in assessment.results.select_related("assessor__user").order_by("attempt"):
        latest[result.unit_code] = result
    codes = [su.unit_code for su in assessment.scheme.units.all()]
    titles = unit_titles_in_force(set(codes)) if codes else {}
    rows = []
    for code in codes:
        result = latest.get(code)
        rows.append(
            {
                "unit_code": code,
                "title": titles.get(code, ""),
                "result": result,
                "competent": bool(result and result.verdict == Verdict.COMPETENT),
                "retake": bool(result and result.verdict == Verdict.NOT_YET),
            }
        )
    return rows
