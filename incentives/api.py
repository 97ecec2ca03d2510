"""REST endpoints for incentives (wired into api/urls.py). Thin: parse, check access, call."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from incentives import access, exports, selectors, services
from incentives.models import Allowance, Purpose, RegionalIndex, Scale, ScaleAmount, Scenario

# --- Output schemas ----------------------------------------------------------------------------


class AmountOut(serializers.ModelSerializer):
    level_roman = serializers.SerializerMethodField()

    class Meta:
        model = ScaleAmount
        fields = ["level", "level_roman", "base_amount"]

    def get_level_roman(self, obj) -> str:
        return selectors.ROMAN.get(obj.level, "")


class AllowanceOut(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.slug", allow_null=True, default=None)

    class Meta:
        model = Allowance
        fields = [
            "kind",
            "name",
            "amount",
            "percent",
            "threshold",
            "per_unit",
            "max_units",
            "area_category",
            "programme",
            "min_level",
            "max_level",
            "effective_from",
            "effective_to",
            "legal_basis",
        ]


class ScaleOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid")
    programme = serializers.CharField(source="programme.slug", allow_null=True, default=None)
    regional_index = serializers.UUIDField(
        source="regional_index.uid", allow_null=True, default=None
    )
    amounts = AmountOut(many=True)
    allowances = AllowanceOut(many=True)
    agreed_by = serializers.CharField(source="agreed_by.username", default=None)
    enacted_by = serializers.CharField(source="enacted_by.username", default=None)

    class Meta:
        model = Scale
        fields = [
            "id",
            "name",
            "purpose",
            "state",
            "is_example",
            "programme",
            "effective_from",
            "effective_to",
            "regional_index",
            "covers_asn",
            "legal_basis",
            "decision_ref",
            "agreed_by",
            "agreed_at",
            "enacted_by",
            "enacted_at",
            "amounts",
            "allowances",
        ]


class IndexValueOut(serializers.Serializer):
    province = serializers.CharField(source="province_id")
    regency = serializers.CharField(source="regency_id", allow_null=True)
    value = serializers.DecimalField(max_digits=6, decimal_places=4)
    basis = serializers.CharField()


class IndexOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid")

    class Meta:
        model = RegionalIndex
        fields = [
            "id",
            "name",
            "year",
            "source",
            "method",
            "purpose",
            "state",
            "is_example",
            "decision_ref",
            "agreed_at",
            "enacted_at",
        ]


class TotalsOut(serializers.Serializer):
    headcount = serializers.IntegerField()
    not_computable = serializers.IntegerField()
    current_monthly = serializers.IntegerField()
    current_yearly = serializers.IntegerField()
    standard_monthly = serializers.IntegerField()
    standard_yearly = serializers.IntegerField()
    difference_monthly = serializers.IntegerField()
    difference_yearly = serializers.IntegerField()
    winners = serializers.IntegerField()
    losers = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class GroupTotalsOut(TotalsOut):
    key = serializers.CharField()
    label = serializers.CharField()


class SummaryOut(serializers.Serializer):
    group = serializers.CharField()
    total = TotalsOut()
    groups = GroupTotalsOut(many=True)
    not_computable = serializers.DictField(child=serializers.IntegerField())


class TransitionYearOut(serializers.Serializer):
    year = serializers.IntegerField()
    monthly_cost = serializers.IntegerField()


class CompareColumnOut(SummaryOut):
    key = serializers.CharField()
    name = serializers.CharField()
    transition_cap_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True
    )
    transition = TransitionYearOut(many=True)


class CompareOut(serializers.Serializer):
    on = serializers.DateField()
    scenarios = CompareColumnOut(many=True)


class ComponentOut(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()
    legal_basis = serializers.CharField()
    amount = serializers.CharField(help_text="Tepat, sebelum pembulatan akhir")
    detail = serializers.CharField()


class BreakdownOut(serializers.Serializer):
    engagement = serializers.UUIDField()
    level = serializers.IntegerField(allow_null=True)
    level_roman = serializers.CharField()
    level_source = serializers.CharField()
    current = serializers.IntegerField(allow_null=True)
    standard = serializers.IntegerField(allow_null=True)
    difference = serializers.IntegerField(allow_null=True)
    computable = serializers.BooleanField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    scale = serializers.DictField()
    index = serializers.DictField()
    base = serializers.IntegerField(allow_null=True)
    components = ComponentOut(many=True)


class IndexDetailOut(IndexOut):
    values = IndexValueOut(source="value_rows", many=True)

    class Meta(IndexOut.Meta):
        fields = [*IndexOut.Meta.fields, "values"]


class RosterLineOut(serializers.Serializer):
    engagement_uid = serializers.UUIDField()
    person_name = serializers.CharField()
    nik = serializers.CharField()
    programme = serializers.CharField()
    regency_code = serializers.CharField()
    regency_name = serializers.CharField()
    level = serializers.CharField()
    employment_status = serializers.CharField()
    basis = serializers.CharField()
    amount = serializers.IntegerField()
    current = serializers.IntegerField(allow_null=True)
    standard = serializers.IntegerField(allow_null=True)
    bank_name = serializers.CharField()
    bank_account = serializers.CharField()
    npwp = serializers.CharField()
    note = serializers.CharField()


class HeldOutOut(serializers.Serializer):
    engagement_uid = serializers.UUIDField()
    person_name = serializers.CharField()
    nik = serializers.CharField()
    programme = serializers.CharField()
    regency_code = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())


class RosterOut(serializers.Serializer):
    region = serializers.CharField()
    month = serializers.DateField()
    payment_details_masked = serializers.BooleanField()
    total = serializers.IntegerField()
    lines = RosterLineOut(many=True)
    held_out = HeldOutOut(many=True)


class ScenarioOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid")
    scale = serializers.UUIDField(source="scale.uid")

    class Meta:
        model = Scenario
        fields = [
            "id",
            "name",
            "description",
            "scale",
            "transition_cap_percent",
            "start_year",
            "created_at",
        ]


class ScenarioIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    source = serializers.UUIDField(
        required=False, help_text="Skala sumber; kosong: skala umum berlaku"
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    transition_cap_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, default=None
    )
    start_year = serializers.IntegerField(required=False, allow_null=True, default=None)


# --- Helpers -----------------------------------------------------------------------------------

FILTERS = [
    OpenApiParameter("region", str, description="Kode provinsi (32) atau kabupaten/kota (32.04)"),
    OpenApiParameter("programme", str, description="Slug klaster/program"),
    OpenApiParameter("level", str, description="Jenjang III–IX"),
    OpenApiParameter("group", str, description="province, regency, programme, level"),
]


def _require_view(user) -> None:
    if not access.can_view(user):
        raise exceptions.PermissionDenied(gettext("Peran Anda tidak dapat membuka data insentif."))


def _date(value: str | None, *, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value if len(value) > 7 else f"{value}-01")
    except ValueError as error:
        raise exceptions.ValidationError(
            {name: "Tanggal ISO, mis. 2026-03-01 atau 2026-03."}
        ) from error


def _group(request) -> str:
    group = request.query_params.get("group") or "province"
    if group not in selectors.GROUPS:
        raise exceptions.ValidationError(
            {"group": gettext("province, regency, programme atau level.")}
        )
    return group


def _summary_out(summary: selectors.Summary) -> dict:
    return {
        "group": summary.group,
        "total": summary.total.as_dict(),
        "groups": [
            {"key": str(key), "label": label, **totals.as_dict()}
            for key, label, totals in summary.groups
        ],
        "not_computable": summary.not_computable,
    }


# --- Endpoints ---------------------------------------------------------------------------------


class ScaleListApi(APIView):
    @extend_schema(responses=ScaleOut(many=True), summary="Skala insentif standar")
    def get(self, request):
        _require_view(request.user)
        scales = selectors.scale_list().prefetch_related("amounts", "allowances__programme")
        return Response(ScaleOut(scales, many=True).data)


class ScaleDetailApi(APIView):
    @extend_schema(responses=ScaleOut, summary="Detail skala")
    def get(self, request, uid):
        _require_view(request.user)
        return Response(ScaleOut(selectors.scale_detail(uid=uid)).data)


class IndexListApi(APIView):
    @extend_schema(responses=IndexOut(many=True), summary="Indeks wilayah (versi per tahun)")
    def get(self, request):
        _require_view(request.user)
        return Response(IndexOut(selectors.index_list(), many=True).data)


class IndexDetailApi(APIView):
    @extend_schema(responses=IndexDetailOut, summary="Nilai indeks wilayah")
    def get(self, request, uid):
        _require_view(request.user)
        index = selectors.index_detail(uid=uid)
        index.value_rows = selectors.index_values(index=index)
        return Response(IndexDetailOut(index).data)


class EngagementIncentiveApi(APIView):
    @extend_schema(
        responses=BreakdownOut,
        summary="Insentif standar satu penugasan dengan rinciannya",
        parameters=[OpenApiParameter("on", str, description="Tanggal perhitungan (ISO)")],
    )
    def get(self, request, uid):
        on = _date(request.query_params.get("on"), name="on")
        engagement, breakdown = selectors.engagement_breakdown(user=request.user, uid=uid, on=on)
        return Response({"engagement": str(engagement.uid), **breakdown.as_dict()})


class SummaryApi(APIView):
    @extend_schema(
        parameters=FILTERS, responses=SummaryOut, summary="Biaya saat ini dan standar per kelompok"
    )
    def get(self, request):
        _require_view(request.user)
        filters = selectors.IncentiveFilters.from_params(request.query_params)
        summary = selectors.incentive_summary(
            user=request.user, filters=filters, group=_group(request)
        )
        return Response(_summary_out(summary))


class ScenarioListApi(APIView):
    @extend_schema(responses=ScenarioOut(many=True), summary="Skenario")
    def get(self, request):
        _require_view(request.user)
        return Response(ScenarioOut(selectors.scenario_list(), many=True).data)

    @extend_schema(request=ScenarioIn, responses={201: ScenarioOut}, summary="Buat skenario")
    def post(self, request):
        data = ScenarioIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        source_uid = values.pop("source", None)
        source = (
            get_object_or_404(Scale, uid=source_uid, purpose=Purpose.STANDARD)
            if source_uid
            else None
        )
        scenario = services.scenario_create(actor=request.user, source=source, **values)
        return Response(ScenarioOut(scenario).data, status=status.HTTP_201_CREATED)


class ScenarioCompareApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("s", str, many=True, description="uid/nama skenario; 'berlaku'"),
            OpenApiParameter("on", str, description="Tanggal perhitungan (ISO)"),
            *FILTERS,
        ],
        responses=CompareOut,
        summary="Bandingkan 1–4 skenario berdampingan",
    )
    def get(self, request):
        _require_view(request.user)
        keys = request.query_params.getlist("s") or [selectors.IN_FORCE_KEY]
        if len(keys) > 4:
            raise exceptions.ValidationError({"s": gettext("Paling banyak empat skenario.")})
        comparison = selectors.scenario_compare(
            user=request.user,
            scenarios=selectors.scenarios_by_keys(keys),
            filters=selectors.IncentiveFilters.from_params(request.query_params),
            group=_group(request),
            on=_date(request.query_params.get("on"), name="on"),
        )
        return Response(
            {
                "on": comparison.on,
                "scenarios": [
                    {
                        "key": c.key,
                        "name": c.name,
                        "transition_cap_percent": c.cap_percent,
                        "transition": [
                            {"year": y, "monthly_cost": v}
                            for y, v in zip(c.years, c.yearly_monthly_cost, strict=True)
                        ],
                        **_summary_out(c.summary),
                    }
                    for c in comparison.columns
                ],
            }
        )


class RosterApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="Kode provinsi atau kabupaten/kota"),
            OpenApiParameter("month", str, description="Bulan, mis. 2026-03", required=True),
        ],
        responses=RosterOut,
        summary="Daftar nominatif bulanan (rekening/NPWP disamarkan kecuali peran pembayaran)",
    )
    def get(self, request):
        month = _date(request.query_params.get("month"), name="month")
        if month is None:
            raise exceptions.ValidationError({"month": gettext("Sebutkan bulan, mis. 2026-03.")})
        roster = exports.roster_read(
            user=request.user,
            region=(request.query_params.get("region") or "").strip()[:5],
            month=month,
            fmt="json",
        )
        return Response(
            {
                "region": roster.region,
                "month": roster.month,
                "payment_details_masked": roster.masked,
                "total": roster.total,
                "lines": [vars(line) for line in roster.lines],
                "held_out": [vars(item) for item in roster.held_out],
            }
        )
