"""Region reads, including the code sets the NIK rules and importers check against."""

from collections.abc import Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.db.models import QuerySet

from accounts.access import region_scope_prefix
from regions.models import District, Province, Regency, Village

R = TypeVar("R", Province, Regency, District, Village)


@lru_cache(maxsize=1)
def region_code_sets() -> tuple[frozenset[str], frozenset[str]]:
    """Province and regency codes, cached per process (the table changes only on reload)."""
    return (
        frozenset(Province.objects.values_list("code", flat=True)),
        frozenset(Regency.objects.values_list("code", flat=True)),
    )


def province_list() -> QuerySet[Province]:
    return Province.objects.order_by("code")


def regency_list(*, province_code: str | None) -> QuerySet[Regency]:
    qs = Regency.objects.order_by("code")
    return qs.filter(province_id=province_code) if province_code else qs.none()


def district_list(*, regency_code: str | None) -> QuerySet[District]:
    qs = District.objects.order_by("code")
    return qs.filter(regency_id=regency_code) if regency_code else qs.none()


def village_list(*, district_code: str | None) -> QuerySet[Village]:
    qs = Village.objects.order_by("code")
    return qs.filter(district_id=district_code) if district_code else qs.none()


def regions_in_scope(user: Any, regions: Iterable[R]) -> list[R]:
    """The regions inside the user's region scope, and those that contain it (a regency
    operator's province): a list filter offers no region whose data the user may not see."""
    prefix = region_scope_prefix(user)
    if prefix is None:
        return []
    return [r for r in regions if r.code.startswith(prefix) or prefix.startswith(r.code + ".")]
