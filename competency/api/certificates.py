"""Certificates: list, detail, the signed credential, issue (from an assessment), revoke and
renew."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from competency import access, credentials, selectors, services
from competency.api._common import UploadField, translate
from competency.models import Certificate

# -- Inputs and outputs -----------------------------------------------------------------------


class CertificateOut(serializers.ModelSerializer):
    holder = serializers.CharField(source="person.display_name")
    person_uid = serializers.UUIDField(source="person.uid")
    scheme = serializers.CharField(source="scheme.name")
    lsp = serializers.CharField(source="lsp.name")
    status = serializers.CharField(source="current_status")
    status_label = serializers.CharField(source="current_status_label")
    units = serializers.SerializerMethodField()
    verification_url = serializers.SerializerMethodField()

    class Meta:
        model = Certificate
        fields = [
            "uid",
            "number",
            "holder",
            "person_uid",
            "scheme",
            "lsp",
            "level",
            "issued_on",
            "valid_until",
            "status",
            "status_label",
            "revoked_reason",
            "units",
            "verification_url",
        ]

    def get_units(self, obj) -> list[str]:
        return [u.unit_code for u in obj.units.all()]

    def get_verification_url(self, obj) -> str:
        return credentials.verification_url(obj.public_id)


class CredentialOut(serializers.Serializer):
    envelope = serializers.DictField(help_text="EnvelopedVerifiableCredential (VC 2.0)")


class RevokeIn(serializers.Serializer):
    reason = serializers.CharField()


class RenewIn(serializers.Serializer):
    assessor = serializers.IntegerField(help_text="id asesor LSP penerbit")
    scheduled_on = serializers.DateField(help_text="Tanggal asesmen perpanjangan")
    practice_evidence = UploadField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Bukti praktik berkelanjutan (wajib untuk skema surveilans)",
    )


class RenewalOut(serializers.Serializer):
    uid = serializers.UUIDField(help_text="uid asesmen perpanjangan")
    renewal_rule = serializers.CharField(source="scheme.renewal_rule")
    scheduled_on = serializers.DateField()
    status = serializers.CharField()


# -- Views ------------------------------------------------------------------------------------


class CertificateListView(GenericAPIView):
    serializer_class = CertificateOut

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=Certificate.Status.values),
            OpenApiParameter("q", str),
        ],
        summary="Sertifikat dalam cakupan",
        operation_id="competency_certificates_list",
    )
    def get(self, request):
        qs = selectors.certificate_list(
            user=request.user,
            status=request.query_params.get("status", ""),
            q=(request.query_params.get("q") or "")[:100],
        ).prefetch_related("units")
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CertificateOut(page, many=True).data)


class CertificateDetailView(GenericAPIView):
    serializer_class = CertificateOut

    def get(self, request, uid):
        return Response(CertificateOut(access.certificate_get(request.user, uid)).data)


class CertificateCredentialView(GenericAPIView):
    serializer_class = CredentialOut

    @extend_schema(summary="Kredensial bertanda tangan (VC-JWT EdDSA, Open Badges 3.0)")
    def get(self, request, uid):
        certificate = access.certificate_get(request.user, uid)
        access.require(
            access.can_download_credential(request.user, certificate), access.CREDENTIAL_ONLY
        )
        if not certificate.counts_on(timezone.localdate()):
            raise exceptions.NotFound(
                _("Hanya sertifikat yang berlaku yang diterbitkan sebagai kredensial.")
            )
        services.credentials_export_audit(
            actor=request.user, count=1, target="api", person=certificate.person
        )
        return Response({"envelope": credentials.envelope(services.credential_for(certificate))})


class CertificateRevokeView(GenericAPIView):
    serializer_class = RevokeIn

    @extend_schema(request=RevokeIn, responses={200: CertificateOut}, summary="Cabut sertifikat")
    def post(self, request, uid):
        certificate = access.certificate_get(request.user, uid)
        data = RevokeIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.certificate_revoke(
                actor=request.user, certificate=certificate, reason=data.validated_data["reason"]
            )
        except (ValidationError, PermissionDenied) as error:
            raise translate(error) from error
        return Response(CertificateOut(access.certificate_get(request.user, uid)).data)


class CertificateIssueView(GenericAPIView):
    serializer_class = CertificateOut

    @extend_schema(
        request=None,
        responses={201: CertificateOut},
        summary="Keputusan LSP: terbitkan sertifikat asesmen yang direkomendasikan asesor",
    )
    def post(self, request, uid):
        assessment = access.assessment_get(request.user, uid)
        try:
            certificate = services.certificate_issue(actor=request.user, assessment=assessment)
        except (ValidationError, PermissionDenied) as error:
            raise translate(error) from error
        return Response(CertificateOut(certificate).data, status=status.HTTP_201_CREATED)


class CertificateRenewView(GenericAPIView):
    serializer_class = RenewIn
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": RenewIn},
        responses={201: RenewalOut},
        summary="Mulai perpanjangan sertifikat: asesmen menurut aturan skema (asesor "
        "merekomendasikan, LSP menerbitkan)",
    )
    def post(self, request, uid):
        certificate = access.certificate_get(request.user, uid)
        access.require(
            access.can_issue_certificate(request.user, lsp_id=certificate.lsp_id),
            _("Hanya LSP penerbit yang memperpanjang sertifikat."),
        )
        data = RenewIn(data=request.data)
        data.is_valid(raise_exception=True)
        assessor = certificate.lsp.assessors.filter(pk=data.validated_data["assessor"]).first()
        if assessor is None:
            raise exceptions.ValidationError(
                {"assessor": [_("Asesor tidak ditemukan di LSP penerbit: pilih asesor LSP itu.")]}
            )
        assessment = services.certificate_renewal_start(
            actor=request.user,
            certificate=certificate,
            assessor=assessor,
            scheduled_on=data.validated_data["scheduled_on"],
            practice_evidence=data.validated_data["practice_evidence"],
        )
        return Response(RenewalOut(assessment).data, status=status.HTTP_201_CREATED)
