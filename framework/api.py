"""REST endpoints of the framework (wired in api/urls.py under /api/v1/framework/).

The catalogue (versions, levels, units, packages, rules) is public like /kerangka/: it holds no
personal data. Previews and unmatched titles are for national administrators; an engagement's
harmonisation is read through the registry's access scope.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from accounts import access as accounts_access
from framework import selectors
from framework.access import can_manage_framework, version_get
from framework.harmonize import harmonisation_preview
from framework.models import CompetencyUnit, FrameworkVersion, Level, NomenclatureRule, Package
from registry import access as registry_access
from registry.models import ROMAN

VERSION_PARAM = OpenApiParameter(
    "version", int, description="Id versi kerangka (bawaan: versi yang berlaku)"
)


class VersionOut(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    agreed_by = serializers.StringRelatedField()
    activated_by = serializers.StringRelatedField()

    class Meta:
        model = FrameworkVersion
        fields = [
            "id",
            "name",
            "status",
            "status_label",
            "is_example",
            "notes",
            "created_at",
            "agreed_by",
            "agreed_at",
            "activated_by",
            "activated_at",
            "superseded_at",
        ]


class LevelOut(serializers.ModelSerializer):
    roman = serializers.CharField()

    class Meta:
        model = Level
        fields = [
            "number",
            "roman",
            "category",
            "unified_title",
            "work_ability",
            "knowledge",
            "responsibility",
        ]


class UnitOut(serializers.ModelSerializer):
    class Meta:
        model = CompetencyUnit
        fields = [
            "code",
            "title",
            "description",
            "elements",
            "range_of_variables",
            "assessment_guide",
            "key_competencies",
        ]


class PackageOut(serializers.ModelSerializer):
    level = serializers.IntegerField(source="level.number")
    core_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    elective_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Package
        fields = [
            "code",
            "name",
            "kind",
            "level",
            "programme",
            "description",
            "core_units",
            "elective_units",
            "min_electives",
        ]


class RuleOut(serializers.ModelSerializer):
    level = serializers.IntegerField(source="level.number")
    unified_title = serializers.CharField(source="title_for_level")
    required_units = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    legal_basis = serializers.CharField()
    conditions = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = NomenclatureRule
        fields = [
            "id",
            "legacy_title",
            "scope",
            "min_education",
            "min_years",
            "min_certified_units",
            "required_units",
            "conditions",
            "level",
            "unified_title",
            "regulation",
            "regulation_number",
            "article",
            "legal_basis",
            "effective_date",
            "priority",
            "notes",
        ]


class TransitionOut(serializers.Serializer):
    before = serializers.IntegerField(allow_null=True)
    after = serializers.IntegerField(allow_null=True)
    count = serializers.IntegerField()
    examples = serializers.SerializerMethodField()

    def get_examples(self, obj) -> list[dict]:
        return [
            {"id": str(e.uid), "legacy_title": e.legacy_title, "cluster": e.programme.slug}
            for e in obj.examples
        ]


class PreviewOut(serializers.Serializer):
    version = serializers.CharField(source="version.name")
    headline = serializers.CharField()
    engagements = serializers.IntegerField(source="summary.total")
    level_changes = serializers.IntegerField(source="summary.level_changes")
    title_changes = serializers.IntegerField(source="summary.title_changes")
    unmatched = serializers.IntegerField(source="summary.unmatched")
    reviews = serializers.IntegerField(source="summary.reviews")
    transitions = TransitionOut(source="summary.transitions", many=True)


class UnmatchedOut(serializers.Serializer):
    legacy_title = serializers.CharField()
    cluster = serializers.CharField(source="programme.slug")
    engagements = serializers.IntegerField()
    suggestions = serializers.ListField(child=serializers.DictField())


class HarmonisationOut(serializers.Serializer):
    id = serializers.UUIDField(source="uid")
    legacy_title = serializers.CharField()
    cluster = serializers.CharField(source="programme.slug")
    harmonised_level = serializers.IntegerField(allow_null=True)
    qualification_level = serializers.SerializerMethodField()
    unified_title = serializers.CharField()
    position_level = serializers.IntegerField(allow_null=True)
    position_sk_number = serializers.CharField()
    harmonisation = serializers.JSONField()

    def get_qualification_level(self, obj) -> str:
        return ROMAN.get(obj.harmonised_level or 0, "")


def _version(request) -> FrameworkVersion:
    version = selectors.catalogue_version(
        user=request.user, version_id=request.query_params.get("version")
    )
    if version is None:
        raise exceptions.NotFound(_("Belum ada versi kerangka."))
    return version


class PublicCatalogueView(GenericAPIView):
    permission_classes = [AllowAny]
    pagination_class = None


class VersionListView(PublicCatalogueView):
    serializer_class = VersionOut

    @extend_schema(summary="Versi kerangka kualifikasi", operation_id="framework_versions_list")
    def get(self, request):
        return Response(VersionOut(selectors.version_list(user=request.user), many=True).data)


class VersionDetailView(PublicCatalogueView):
    serializer_class = VersionOut

    @extend_schema(summary="Detail versi kerangka")
    def get(self, request, pk):
        return Response(VersionOut(version_get(request.user, pk)).data)


class LevelListView(PublicCatalogueView):
    serializer_class = LevelOut

    @extend_schema(parameters=[VERSION_PARAM], summary="Jenjang KKNI dan nomenklatur baku")
    def get(self, request):
        return Response(LevelOut(selectors.level_list(version=_version(request)), many=True).data)


class UnitListView(PublicCatalogueView):
    serializer_class = UnitOut

    @extend_schema(
        parameters=[VERSION_PARAM, OpenApiParameter("q", str, description="Kode atau judul")],
        summary="Unit kompetensi",
        operation_id="framework_units_list",
    )
    def get(self, request):
        q = (request.query_params.get("q") or "").strip()[:100]
        return Response(
            UnitOut(selectors.unit_list(version=_version(request), q=q), many=True).data
        )


class UnitDetailView(PublicCatalogueView):
    serializer_class = UnitOut

    @extend_schema(parameters=[VERSION_PARAM], summary="Detail unit kompetensi")
    def get(self, request, code):
        return Response(UnitOut(selectors.unit_get(version=_version(request), code=code)).data)


class PackageListView(PublicCatalogueView):
    serializer_class = PackageOut

    @extend_schema(parameters=[VERSION_PARAM], summary="Paket (pemaketan) unit kompetensi")
    def get(self, request):
        packages = selectors.package_list(version=_version(request))
        return Response(PackageOut(packages, many=True).data)


class RuleListView(PublicCatalogueView):
    serializer_class = RuleOut

    @extend_schema(
        parameters=[VERSION_PARAM, OpenApiParameter("cluster", str, description="Slug klaster")],
        summary="Aturan nomenklatur",
    )
    def get(self, request):
        scope = (request.query_params.get("cluster") or "").strip()
        rules = selectors.rule_list(version=_version(request), scope=scope)
        return Response(RuleOut(rules, many=True).data)


class VersionPreviewView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PreviewOut

    @extend_schema(summary="Pratinjau dampak versi pada semua penugasan (administrator nasional)")
    def get(self, request, pk):
        if not can_manage_framework(request.user):
            raise exceptions.PermissionDenied(_("Hanya administrator nasional."))
        run = harmonisation_preview(actor=request.user, version=version_get(request.user, pk))
        return Response(PreviewOut(run).data)


class UnmatchedListView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = UnmatchedOut
    pagination_class = None

    @extend_schema(
        parameters=[VERSION_PARAM],
        summary="Jabatan lama yang belum dikenali aturan (administrator nasional)",
    )
    def get(self, request):
        if not can_manage_framework(request.user):
            raise exceptions.PermissionDenied(_("Hanya administrator nasional."))
        titles = selectors.unmatched_titles(user=request.user, version=_version(request))
        return Response(UnmatchedOut(titles, many=True).data)


class EngagementHarmonisationView(GenericAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = HarmonisationOut

    @extend_schema(summary="Harmonisasi satu penugasan: jenjang, nomenklatur baku, penjelasan")
    def get(self, request, uid):
        accounts_access.require(accounts_access.can_read(request.user))
        engagement = registry_access.engagement_get(request.user, uid)
        return Response(HarmonisationOut(engagement).data)
