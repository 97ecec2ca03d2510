"""Assessments: scheduling (certification managers), the assessor's worklist and the
assessor's decision per unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from competency import access, selectors, services
from competency.api._common import (
    CreatedOut,
    UploadField,
    require_certification_manager,
    translate,
)
from competency.models import Assessment, Assessor, Scheme, TestSite, Verdict

# -- Inputs and outputs -----------------------------------------------------------------------


class AssessmentIn(serializers.Serializer):
    person_uid = serializers.UUIDField(required=False, help_text="uid orang, atau isi nik")
    nik = serializers.RegexField(r"^\d{16}$", required=False, help_text="NIK 16 digit")
    scheme = serializers.PrimaryKeyRelatedField(
        queryset=Scheme.objects.filter(is_active=True, lsp__is_active=True)
    )
    assessor = serializers.PrimaryKeyRelatedField(
        queryset=Assessor.objects.filter(is_active=True, user__is_active=True)
    )
    test_site = serializers.PrimaryKeyRelatedField(
        queryset=TestSite.objects.all(), required=False, allow_null=True, default=None
    )
    scheduled_on = serializers.DateField()

    def validate(self, data):
        if bool(data.get("person_uid")) == bool(data.get("nik")):
            raise serializers.ValidationError(
                {"person_uid": _("Isi salah satu: person_uid atau nik peserta uji.")}
            )
        return data


class AssessmentOut(serializers.ModelSerializer):
    person_uid = serializers.UUIDField(source="person.uid")
    person = serializers.CharField(source="person.full_name")
    scheme_name = serializers.CharField(source="scheme.name")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Assessment
        fields = [
            "uid",
            "person_uid",
            "person",
            "scheme",
            "scheme_name",
            "assessor",
            "test_site",
            "scheduled_on",
            "status",
            "status_label",
        ]


class WorkItemOut(serializers.Serializer):
    kind = serializers.CharField(help_text="asesmen atau rpl")
    uid = serializers.UUIDField()
    person = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()


class UnitResultIn(serializers.Serializer):
    unit_code = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    assessed_on = serializers.DateField(required=False)
    evidence = UploadField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


# -- Views ------------------------------------------------------------------------------------


class AssessmentScheduleView(GenericAPIView):
    serializer_class = AssessmentIn

    @extend_schema(
        request=AssessmentIn, responses={201: AssessmentOut}, summary="Jadwalkan asesmen"
    )
    def post(self, request):
        require_certification_manager(request)
        data = AssessmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = selectors.person_for_write(
            user=request.user, uid=v.get("person_uid"), nik=v.get("nik", "")
        )
        if person is None:
            field = "person_uid" if v.get("person_uid") else "nik"
            raise exceptions.ValidationError(
                {field: [_("Orang tidak ditemukan dalam cakupan Anda.")]}
            )
        assessment = services.assessment_schedule(
            actor=request.user,
            person=person,
            scheme=v["scheme"],
            assessor=v["assessor"],
            test_site=v["test_site"],
            scheduled_on=v["scheduled_on"],
        )
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)


class WorklistView(GenericAPIView):
    serializer_class = WorkItemOut

    @extend_schema(responses={200: WorkItemOut(many=True)}, summary="Daftar kerja asesor")
    def get(self, request):
        if not access.is_assessor(request.user):
            raise exceptions.PermissionDenied(_("Hanya untuk asesor."))
        work = selectors.assessor_worklist(user=request.user)
        rows = [
            {
                "kind": "asesmen",
                "uid": a.uid,
                "person": a.person.full_name,
                "title": a.scheme.name,
                "date": a.scheduled_on,
            }
            for a in work["assessments"]
        ] + [
            {
                "kind": "rpl",
                "uid": r.uid,
                "person": r.person.full_name,
                "title": ", ".join(r.requested_units),
                "date": r.submitted_at.date(),
            }
            for r in work["rpl"]
        ]
        return Response(WorkItemOut(rows, many=True).data)


class UnitResultView(GenericAPIView):
    serializer_class = UnitResultIn
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request=UnitResultIn, responses={201: CreatedOut}, summary="Keputusan asesor per unit"
    )
    def post(self, request, uid):
        assessment = access.assessment_get(request.user, uid)
        data = UnitResultIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.unit_result_record(
                actor=request.user, assessment=assessment, **data.validated_data
            )
        except (ValidationError, PermissionDenied) as error:
            raise translate(error) from error
        return Response(
            {"uid": assessment.uid, "detail": _("Tersimpan.")}, status=status.HTTP_201_CREATED
        )


class RecommendIn(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AssessmentRecommendView(GenericAPIView):
    serializer_class = RecommendIn

    @extend_schema(
        request=RecommendIn,
        responses={200: CreatedOut},
        summary="Rekomendasi asesor (kompeten); LSP memutuskan dan menerbitkan",
    )
    def post(self, request, uid):
        assessment = access.assessment_get(request.user, uid)
        data = RecommendIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.assessment_recommend(
                actor=request.user, assessment=assessment, note=data.validated_data["note"]
            )
        except (ValidationError, PermissionDenied) as error:
            raise translate(error) from error
        return Response({"uid": assessment.uid, "detail": _("Direkomendasikan.")})
