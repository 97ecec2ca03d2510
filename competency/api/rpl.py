"""Recognition of prior learning (RPL): apply with evidence, add evidence, assign an assessor,
decide unit by unit."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from competency import access, services
from competency.api._common import (
    CreatedOut,
    UploadField,
    require_certification_manager,
    translate,
)
from competency.models import Assessor, RplEvidence

# -- Inputs and outputs -----------------------------------------------------------------------


class RplIn(serializers.Serializer):
    units = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    kind = serializers.ChoiceField(choices=RplEvidence.Kind.choices)
    file = UploadField()
    description = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class RplDecisionIn(serializers.Serializer):
    decisions = serializers.DictField(child=serializers.BooleanField())


class RplEvidenceIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RplEvidence.Kind.choices)
    file = UploadField()
    description = serializers.CharField(required=False, allow_blank=True, default="")


class RplEvidenceOut(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = RplEvidence
        fields = ["id", "kind", "kind_label", "description", "uploaded_at"]


class RplAssignIn(serializers.Serializer):
    assessor = serializers.PrimaryKeyRelatedField(
        queryset=Assessor.objects.filter(is_active=True), help_text="id asesor"
    )


# -- Views ------------------------------------------------------------------------------------


class RplApplyView(GenericAPIView):
    serializer_class = RplIn
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=RplIn, responses={201: CreatedOut}, summary="Ajukan RPL dengan bukti")
    def post(self, request, uid):
        person = access.person_get(request.user, uid)
        data = RplIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            application = services.rpl_apply(
                actor=request.user,
                person=person,
                unit_codes=v["units"],
                evidence=[(v["kind"], v["file"], v.get("description", ""))],
                note=v.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            raise translate(error) from error
        return Response(
            {"uid": application.uid, "detail": _("Diajukan.")}, status=status.HTTP_201_CREATED
        )


class RplDecisionView(GenericAPIView):
    serializer_class = RplDecisionIn

    @extend_schema(
        request=RplDecisionIn, responses={200: CreatedOut}, summary="Keputusan RPL per unit"
    )
    def post(self, request, uid):
        application = access.rpl_get(request.user, uid)
        data = RplDecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.rpl_decide(
                actor=request.user,
                application=application,
                decisions=data.validated_data["decisions"],
            )
        except (ValidationError, PermissionDenied) as error:
            raise translate(error) from error
        return Response({"uid": application.uid, "detail": _("Diputuskan.")})


class RplEvidenceView(GenericAPIView):
    serializer_class = RplEvidenceIn
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request=RplEvidenceIn, responses={201: RplEvidenceOut}, summary="Tambah bukti RPL"
    )
    def post(self, request, uid):
        application = access.rpl_get(request.user, uid)
        data = RplEvidenceIn(data=request.data)
        data.is_valid(raise_exception=True)
        item = services.rpl_evidence_add(
            actor=request.user,
            application=application,
            **data.validated_data,
        )
        return Response(RplEvidenceOut(item).data, status=status.HTTP_201_CREATED)


class RplAssignView(GenericAPIView):
    serializer_class = RplAssignIn

    @extend_schema(request=RplAssignIn, responses={200: CreatedOut}, summary="Tugaskan asesor RPL")
    def post(self, request, uid):
        require_certification_manager(request)
        application = access.rpl_get(request.user, uid)
        data = RplAssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        services.rpl_assign(
            actor=request.user,
            application=application,
            assessor=data.validated_data["assessor"],
        )
        return Response({"uid": application.uid, "detail": _("Asesor ditugaskan.")})
