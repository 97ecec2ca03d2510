"""Certification reference data: LSP, schemes, test sites (TUK) and assessors, run by the
certification managers only (competency.access); the lists are theirs too."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.models import User
from competency import selectors, services
from competency.api._common import require_certification_manager
from competency.forms import error_messages
from competency.models import Assessor, CertificationBody, Scheme, TestSite
from regions.models import Regency

# -- Inputs and outputs -----------------------------------------------------------------------


# New schemes, TUK and assessors go to active LSPs (the same choices as the web forms; see
# assessments.AssessmentIn for the schemes and assessors offered to an assessment).
ACTIVE_LSPS = CertificationBody.objects.filter(is_active=True)


def _licence_dates(data: dict) -> dict:
    # The service's rule, run here too so that it is reported with the other input errors.
    try:
        services.lsp_licence_dates_check(
            valid_from=data.get("licence_valid_from"), valid_until=data.get("licence_valid_until")
        )
    except ValidationError as error:
        raise serializers.ValidationError(error_messages(error)) from error
    return data


class LspIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CertificationBody.Kind.choices)
    licence_number = serializers.CharField(max_length=100)
    licence_valid_from = serializers.DateField(required=False, allow_null=True, default=None)
    licence_valid_until = serializers.DateField()

    def validate(self, data):
        return _licence_dates(data)


class LspPatch(LspIn):
    """Partial: what is sent changes. The licence dates are checked again by the service
    against the stored value of the one not sent."""

    is_active = serializers.BooleanField()


class LspOut(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = CertificationBody
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "licence_number",
            "licence_valid_from",
            "licence_valid_until",
            "is_active",
        ]


class SchemeIn(serializers.Serializer):
    lsp = serializers.PrimaryKeyRelatedField(queryset=ACTIVE_LSPS)
    code = serializers.SlugField(max_length=60)
    name = serializers.CharField(max_length=200)
    units = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    level = serializers.IntegerField(min_value=1, max_value=9, required=False, allow_null=True)
    validity_years = serializers.IntegerField(min_value=1, max_value=10, default=3)


class SchemePatch(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    units = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    level = serializers.IntegerField(min_value=1, max_value=9, allow_null=True)
    validity_years = serializers.IntegerField(min_value=1, max_value=10)
    is_active = serializers.BooleanField()


class SchemeOut(serializers.ModelSerializer):
    lsp_name = serializers.CharField(source="lsp.name")
    units = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = [
            "id",
            "lsp",
            "lsp_name",
            "code",
            "name",
            "level",
            "validity_years",
            "units",
            "is_active",
        ]

    def get_units(self, obj) -> list[str]:
        return [u.unit_code for u in obj.units.all()]


class TestSiteIn(serializers.Serializer):
    lsp = serializers.PrimaryKeyRelatedField(queryset=ACTIVE_LSPS)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=TestSite.Kind.choices)
    regency = serializers.PrimaryKeyRelatedField(
        queryset=Regency.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Kode kabupaten/kota, mis. 32.04",
    )
    address = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")


class TestSitePatch(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=TestSite.Kind.choices)
    regency = serializers.PrimaryKeyRelatedField(queryset=Regency.objects.all(), allow_null=True)
    address = serializers.CharField(max_length=250, allow_blank=True)


class TestSiteOut(serializers.ModelSerializer):
    lsp_name = serializers.CharField(source="lsp.name")
    kind_label = serializers.CharField(source="get_kind_display")
    regency = serializers.CharField(source="regency_id", allow_null=True)
    regency_name = serializers.CharField(source="regency.name", default=None, allow_null=True)

    class Meta:
        model = TestSite
        fields = [
            "id",
            "lsp",
            "lsp_name",
            "name",
            "kind",
            "kind_label",
            "regency",
            "regency_name",
            "address",
        ]


class AssessorIn(serializers.Serializer):
    username = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.none(),
        help_text="Akun berperan asesor yang belum terdaftar pada LSP mana pun",
    )
    lsp = serializers.PrimaryKeyRelatedField(queryset=ACTIVE_LSPS)
    registration_number = serializers.CharField(max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].queryset = selectors.assessor_candidates()


class AssessorPatch(serializers.Serializer):
    registration_number = serializers.CharField(max_length=60)
    is_active = serializers.BooleanField()


class AssessorOut(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username")
    name = serializers.CharField(source="user.get_full_name")
    lsp_name = serializers.CharField(source="lsp.name")

    class Meta:
        model = Assessor
        fields = ["id", "username", "name", "lsp", "lsp_name", "registration_number", "is_active"]


# -- Views ------------------------------------------------------------------------------------


def _q(request) -> str:
    return (request.query_params.get("q") or "").strip()[:100]


Q_PARAM = [OpenApiParameter("q", str, description="Cari")]


# The certification reference data (LSP, schemes, TUK, assessors): every method is the
# certification managers' alone, checked once before the handler runs. (A comment, not a
# docstring: drf-spectacular would publish a docstring as every endpoint's description.)
class _ReferenceView(GenericAPIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require_certification_manager(request)

    def _listed(self, rows, out):
        """One page of ``rows(q=…)``, searched by the ``q`` parameter."""
        page = self.paginate_queryset(rows(q=_q(self.request)))
        return self.get_paginated_response(out(page, many=True).data)


class LspListView(_ReferenceView):
    serializer_class = LspOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=LspOut(many=True),
        summary="Daftar LSP",
        operation_id="competency_lsps_list",
    )
    def get(self, request):
        return self._listed(selectors.lsp_list, LspOut)

    @extend_schema(request=LspIn, responses={201: LspOut}, summary="Daftarkan LSP")
    def post(self, request):
        data = LspIn(data=request.data)
        data.is_valid(raise_exception=True)
        lsp = services.lsp_create(actor=request.user, **data.validated_data)
        return Response(LspOut(lsp).data, status=status.HTTP_201_CREATED)


class LspDetailView(_ReferenceView):
    serializer_class = LspOut

    @extend_schema(summary="Detail LSP")
    def get(self, request, pk):
        return Response(LspOut(selectors.lsp_get(pk=pk)).data)

    @extend_schema(request=LspPatch, responses={200: LspOut}, summary="Ubah LSP")
    def patch(self, request, pk):
        lsp = selectors.lsp_get(pk=pk)
        data = LspPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        lsp = services.lsp_update(actor=request.user, lsp=lsp, data=data.validated_data)
        return Response(LspOut(lsp).data)


class SchemeListView(_ReferenceView):
    serializer_class = SchemeOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=SchemeOut(many=True),
        summary="Daftar skema sertifikasi",
        operation_id="competency_schemes_list",
    )
    def get(self, request):
        return self._listed(selectors.scheme_list, SchemeOut)

    @extend_schema(request=SchemeIn, responses={201: SchemeOut}, summary="Tambah skema")
    def post(self, request):
        data = SchemeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        scheme = services.scheme_create(actor=request.user, unit_codes=v.pop("units"), **v)
        return Response(
            SchemeOut(selectors.scheme_get(pk=scheme.pk)).data, status=status.HTTP_201_CREATED
        )


class SchemeDetailView(_ReferenceView):
    serializer_class = SchemeOut

    @extend_schema(summary="Detail skema")
    def get(self, request, pk):
        return Response(SchemeOut(selectors.scheme_get(pk=pk)).data)

    @extend_schema(
        request=SchemePatch,
        responses={200: SchemeOut},
        summary="Ubah skema (unit hanya selama belum ada asesmen)",
    )
    def patch(self, request, pk):
        scheme = selectors.scheme_get(pk=pk)
        data = SchemePatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if "units" in v:
            v["unit_codes"] = v.pop("units")
        services.scheme_update(actor=request.user, scheme=scheme, data=v)
        return Response(SchemeOut(selectors.scheme_get(pk=pk)).data)


class TestSiteListView(_ReferenceView):
    serializer_class = TestSiteOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=TestSiteOut(many=True),
        summary="Daftar TUK",
        operation_id="competency_test_sites_list",
    )
    def get(self, request):
        return self._listed(selectors.test_site_list, TestSiteOut)

    @extend_schema(request=TestSiteIn, responses={201: TestSiteOut}, summary="Tambah TUK")
    def post(self, request):
        data = TestSiteIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        regency = v.pop("regency")
        site = services.test_site_create(
            actor=request.user,
            regency_id=regency.pk if regency else None,
            **v,
        )
        return Response(TestSiteOut(site).data, status=status.HTTP_201_CREATED)


class TestSiteDetailView(_ReferenceView):
    serializer_class = TestSiteOut

    @extend_schema(summary="Detail TUK")
    def get(self, request, pk):
        return Response(TestSiteOut(selectors.test_site_get(pk=pk)).data)

    @extend_schema(request=TestSitePatch, responses={200: TestSiteOut}, summary="Ubah TUK")
    def patch(self, request, pk):
        site = selectors.test_site_get(pk=pk)
        data = TestSitePatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if "regency" in v:
            regency = v.pop("regency")
            v["regency_id"] = regency.pk if regency else None
        services.test_site_update(actor=request.user, site=site, data=v)
        return Response(TestSiteOut(selectors.test_site_get(pk=pk)).data)


class AssessorListView(_ReferenceView):
    serializer_class = AssessorOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=AssessorOut(many=True),
        summary="Daftar asesor",
        operation_id="competency_assessors_list",
    )
    def get(self, request):
        return self._listed(selectors.assessor_list, AssessorOut)

    @extend_schema(request=AssessorIn, responses={201: AssessorOut}, summary="Daftarkan asesor")
    def post(self, request):
        data = AssessorIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        assessor = services.assessor_create(actor=request.user, user=v.pop("username"), **v)
        return Response(AssessorOut(assessor).data, status=status.HTTP_201_CREATED)


class AssessorDetailView(_ReferenceView):
    serializer_class = AssessorOut

    @extend_schema(summary="Detail asesor")
    def get(self, request, pk):
        return Response(AssessorOut(selectors.assessor_get(pk=pk)).data)

    @extend_schema(request=AssessorPatch, responses={200: AssessorOut}, summary="Ubah asesor")
    def patch(self, request, pk):
        assessor = selectors.assessor_get(pk=pk)
        data = AssessorPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        assessor = services.assessor_update(
            actor=request.user,
            assessor=assessor,
            data=data.validated_data,
        )
        return Response(AssessorOut(assessor).data)
