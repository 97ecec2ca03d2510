"""REST endpoints of distribution (wired in api/urls.py). Aggregates only, scoped per user.

Endpoints translate: parse the query, call one selector or service, shape the output.
"""

import datetime as dt

from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from distribution import redeployment, selectors, services
from registry import access as registry_access

REGION = OpenApiParameter("region", str, description="Kode wilayah; kosong = wilayah cakupan Anda")
CLUSTER = OpenApiParameter("cluster", str, description="Slug klaster/program; kosong = semua")


def _figures(cell: selectors.Figures) -> dict:
    return {
        "need": cell.need,
        "actual": cell.actual,
        "required": cell.required,
        "wisn_difference": cell.wisn_difference,
        "wisn_ratio": cell.wisn_ratio,
        "density_per_10k": cell.density_per_10k,
    }


def _row(row: selectors.RegionRow, programmes) -> dict:
    return {
        "region_code": row.export_code,
        "region_name": row.name,
        "region_level": row.level,
        "is_remainder": row.is_remainder,
        "population": row.population,
        "all_clusters": _figures(row.total),
        "clusters": {p.slug: _figures(row.cell(p.pk)) for p in programmes},
    }


class RegionFiguresView(APIView):
    @extend_schema(
        parameters=[REGION, CLUSTER],
        responses=inline_serializer("DistributionRegion", {"region": serializers.DictField()}),
        summary="Aktual, kebutuhan, rasio WISN dan kepadatan satu wilayah beserta sub-wilayahnya",
    )
    def get(self, request):
        data = selectors.dashboard(
            user=request.user,
            code=request.query_params.get("region", ""),
            cluster=request.query_params.get("cluster", ""),
        )
        region = data["region"]
        shown = data["shown"]
        return Response(
            {
                "region": {
                    "code": region.export_code,
                    "name": region.name,
                    "level": region.level,
                    **_row(data["total"], shown),
                },
                "people": data["persons"]["people"],
                "child_level": data["child_level"],
                "children": [_row(row, shown) for row in data["rows"]],
                "by_status": [
                    {"cluster": s["programme"].slug, "active": s["active"], "ended": s["ended"]}
                    for s in data["breakdown"]["status"]
                ],
                "by_level": dict(data["breakdown"]["levels"]),
                "by_employment_status": dict(data["breakdown"]["employment"]),
                "trend": [
                    {**t, "period": t["period"].isoformat()[:7], "taken_at": t["taken_at"]}
                    for t in data["trend"]
                ],
            }
        )


class ReportView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter(
                "level", str, description="nasional, provinsi, kabupaten atau kecamatan"
            ),
            CLUSTER,
        ],
        responses=inline_serializer("DistributionReport", {"rows": serializers.ListField()}),
        summary="Laporan sebaran: satu baris per wilayah dan klaster",
    )
    def get(self, request):
        level = request.query_params.get("level", selectors.NATION)
        rows = selectors.report_rows(
            user=request.user,
            level=level,
            cluster=request.query_params.get("cluster", ""),
        )
        return Response(
            {
                "level": level,
                "columns": selectors.REPORT_COLUMNS,
                "rows": [dict(zip(selectors.REPORT_COLUMNS, r, strict=True)) for r in rows],
            }
        )


class WorkloadView(APIView):
    @extend_schema(
        parameters=[REGION, CLUSTER, OpenApiParameter("period", str, description="TTTT-BB")],
        responses=inline_serializer("DistributionWorkload", {"rows": serializers.ListField()}),
        summary="Beban kerja agregat per sub-wilayah dan klaster",
    )
    def get(self, request):
        period = request.query_params.get("period")
        try:
            month = dt.date.fromisoformat(period + "-01") if period else None
        except ValueError as error:
            raise exceptions.ValidationError({"period": gettext("Gunakan TTTT-BB.")}) from error
        data = selectors.workload(
            user=request.user,
            code=request.query_params.get("region", ""),
            cluster=request.query_params.get("cluster", ""),
            period=month,
        )
        rows = selectors.workload_export_rows(data)
        return Response(
            {
                "region": data["region"].export_code,
                "period": data["period"].isoformat()[:7] if data["period"] else None,
                "columns": selectors.WORKLOAD_COLUMNS,
                "rows": [dict(zip(selectors.WORKLOAD_COLUMNS, r, strict=True)) for r in rows],
            }
        )


COST_MAX = 1000


def _cost(params, name: str, default: int) -> int:
    """A relative moving cost, 0..COST_MAX; a 400 naming the parameter otherwise."""
    raw = str(params.get(name, default)).strip()
    if not raw.isdigit() or len(raw) > 4 or int(raw) > COST_MAX:
        raise exceptions.ValidationError(
            {
                name: gettext(
                    "Biaya pindah harus bilangan bulat 0 sampai %(max)s, mis. %(default)s."
                )
                % {"max": COST_MAX, "default": default}
            }
        )
    return int(raw)


class RedeploymentView(APIView):
    @extend_schema(
        parameters=[
            CLUSTER,
            OpenApiParameter("same", int, description="Biaya pindah dalam kabupaten (1)"),
            OpenApiParameter("cross", int, description="Biaya pindah antarkabupaten (3)"),
        ],
        responses=inline_serializer("DistributionRedeployment", {"moves": serializers.ListField()}),
        summary="Usulan redistribusi biaya minimum dan sisa kebutuhan rekrutmen",
    )
    def get(self, request, code: str):
        params = request.query_params
        same, cross = _cost(params, "same", 1), _cost(params, "cross", 3)
        data = redeployment.redeployment_plan(
            user=request.user,
            code=code,
            cluster=params.get("cluster", ""),
            same_regency_cost=same,
            cross_regency_cost=cross,
        )
        plan = data["plan"]
        return Response(
            {
                "region": data["region"].export_code,
                "cluster": data["programme"].slug,
                "total_surplus": plan.total_surplus,
                "total_deficit": plan.total_deficit,
                "moved": plan.moved,
                "total_cost": plan.total_cost,
                "to_recruit": plan.to_recruit,
                "moves": [
                    dict(zip(redeployment.REDEPLOYMENT_COLUMNS, r, strict=True))
                    for r in redeployment.plan_export_rows(data)
                ],
                "recruitment": [
                    dict(zip(redeployment.RECRUITMENT_COLUMNS, r, strict=True))
                    for r in redeployment.recruitment_export_rows(data)
                ],
            }
        )


class StandardsView(APIView):
    @extend_schema(
        responses=inline_serializer(
            "DistributionStandards", {"standards": serializers.ListField()}
        ),
        summary="Standar kebutuhan pendamping yang berlaku (dengan langkah WISN)",
    )
    def get(self, request):
        items = selectors.standards_list(user=request.user)
        out = []
        for item in items:
            standard = item["standard"]
            out.append(
                {
                    "cluster": item["programme"].slug,
                    "standard": None
                    if standard is None
                    else {
                        "name": standard.name,
                        "kind": standard.kind,
                        "source": standard.source,
                        "need_unit": standard.need_unit,
                        "is_demo": standard.is_demo,
                        "staff_per_unit": standard.staff_per_unit,
                        "standard_caseload": standard.standard_caseload,
                        "individual_allowance_fte": standard.individual_allowance_fte,
                        "allowance_level": standard.allowance_level,
                        "wisn": item["steps"],
                    },
                }
            )
        return Response({"standards": out})


class CaseloadIn(serializers.Serializer):
    engagement = serializers.UUIDField()
    period = serializers.RegexField(r"^\d{4}-\d{2}$", help_text="TTTT-BB")
    cases = serializers.IntegerField(min_value=0)


class CaseloadView(APIView):
    @extend_schema(
        request=CaseloadIn,
        responses={201: CaseloadIn},
        summary="Isi atau koreksi beban kasus satu penugasan untuk satu bulan",
    )
    def post(self, request):
        data = CaseloadIn(data=request.data)
        data.is_valid(raise_exception=True)
        engagement = registry_access.engagement_get(
            request.user, data.validated_data["engagement"], for_write=True
        )
        try:
            period = dt.date.fromisoformat(data.validated_data["period"] + "-01")
        except ValueError as error:
            raise exceptions.ValidationError({"period": gettext("Bulan tidak valid.")}) from error
        record = services.caseload_record_set(
            actor=request.user,
            engagement=engagement,
            period=period,
            cases=data.validated_data["cases"],
        )
        return Response(
            {
                "engagement": str(engagement.uid),
                "period": record.period.isoformat()[:7],
                "cases": record.cases,
            },
            status=status.HTTP_201_CREATED,
        )
