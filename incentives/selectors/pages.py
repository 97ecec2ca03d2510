"""Lists and details for the standard's pages: scales, indexes, special areas, adoptions."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from incentives.models import Adoption, AreaDesignation, AreaList, Purpose, RegionalIndex, Scale


def scale_list(*, purpose: str = Purpose.STANDARD) -> QuerySet[Scale]:
    return (
        Scale.objects.filter(purpose=purpose)
        .select_related("programme", "regional_index", "area_list", "agreed_by", "enacted_by")
        .order_by("-effective_from", "name")
    )


def scale_detail(*, uid) -> Scale:
    return get_object_or_404(
        Scale.objects.select_related(
            "programme", "regional_index", "area_list", "created_by", "agreed_by", "enacted_by"
        ).prefetch_related("amounts", "allowances__programme"),
        uid=uid,
    )


def index_list(*, purpose: str = Purpose.STANDARD) -> QuerySet[RegionalIndex]:
    return RegionalIndex.objects.filter(purpose=purpose).select_related("agreed_by", "enacted_by")


def index_detail(*, uid) -> RegionalIndex:
    return get_object_or_404(
        RegionalIndex.objects.select_related("created_by", "agreed_by", "enacted_by"), uid=uid
    )


def index_values(*, index: RegionalIndex) -> QuerySet:
    return index.values.select_related("province", "regency").order_by("province_id", "regency_id")


def area_lists() -> QuerySet[AreaList]:
    return AreaList.objects.all()


def area_list_detail(*, uid) -> AreaList:
    return get_object_or_404(AreaList, uid=uid)


def area_designations(*, area_list: AreaList) -> QuerySet[AreaDesignation]:
    return area_list.areas.select_related("regency", "district__regency")


def adoption_list() -> QuerySet[Adoption]:
    return Adoption.objects.select_related("programme", "decided_by")
