"""REST endpoints of training, certification and recognition (api/urls.py includes
competency.api_urls under /api/v1/competency/). Endpoints only translate: parse, ask
competency.access, call one service or selector, serialise."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from accounts import access as accounts_access
from competency import access, credentials, selectors, services
from competency.models import Certificate, Course, Notification, RplEvidence, TrainingClass, Verdict


def _translate(error: Exception) -> exceptions.APIException:
    if isinstance(error, PermissionDenied):
        return exceptions.PermissionDenied(str(error))
    detail = error.message_dict if hasattr(error, "error_dict") else error.messages
    return exceptions.ValidationError(detail)


# -- Output schemas ---------------------------------------------------------------------------


class CourseOut(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name")
    mode_label = serializers.CharField(source="get_mode_display")
    units = serializers.SerializerMethodField()
    prerequisites = serializers.SerializerMethodField()

    class Meta:
        model = Course
        fields = [
            "code",
            "title",
            "description",
            "provider",
            "hours",
            "mode",
            "mode_label",
            "units",
            "prerequisites",
        ]

    def get_units(self, obj) -> list[str]:
        return [u.unit_code for u in obj.units.all()]

    def get_prerequisites(self, obj) -> list[str]:
        return [p.code for p in obj.prerequisites.all()]


class ClassOut(serializers.ModelSerializer):
    course = serializers.CharField(source="course.code")
    status = serializers.CharField()
    enrolled = serializers.IntegerField()
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = TrainingClass
        fields = [
            "uid",
            "course",
            "name",
            "start_date",
            "end_date",
            "place",
            "regency_id",
            "capacity",
            "enrolled",
            "status",
            "status_label",
        ]


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


class CourseRefOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    hours = serializers.IntegerField()


class HeldUnitOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    source = serializers.CharField(help_text="sertifikat atau rpl")
    source_label = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    counts = serializers.BooleanField()


class PathOut(serializers.Serializer):
    framework = serializers.CharField(allow_null=True)
    on = serializers.DateField()
    attained_level = serializers.IntegerField(allow_null=True)
    attained_title = serializers.CharField()
    next_level = serializers.IntegerField(allow_null=True)
    missing_core_units = serializers.ListField(child=serializers.CharField())
    electives_needed = serializers.IntegerField()
    elective_options = serializers.ListField(child=serializers.CharField())
    recommended_courses = CourseRefOut(many=True)
    method = serializers.CharField(allow_null=True, help_text="eksak atau serakah")
    method_label = serializers.CharField(allow_null=True)
    uncoverable_units = serializers.ListField(child=serializers.CharField())
    units = HeldUnitOut(many=True)


class NeedsUnitOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    people = serializers.IntegerField()


class NeedsCourseOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    hours = serializers.IntegerField()
    people_moved_up = serializers.IntegerField()


class NeedsOut(serializers.Serializer):
    people = serializers.IntegerField()
    by_level = serializers.DictField(child=serializers.IntegerField())
    missing_core_units = NeedsUnitOut(many=True)
    elective_gaps = NeedsUnitOut(many=True)
    courses = NeedsCourseOut(many=True)


class PromotionOut(serializers.Serializer):
    engagement_uid = serializers.UUIDField()
    person_uid = serializers.UUIDField()
    name = serializers.CharField()
    programme = serializers.CharField()
    regency = serializers.CharField()
    current_level = serializers.IntegerField(allow_null=True)
    attained_level = serializers.IntegerField()


class NotificationOut(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]


class WorkItemOut(serializers.Serializer):
    kind = serializers.CharField(help_text="asesmen atau rpl")
    uid = serializers.UUIDField()
    person = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()


# -- Inputs -----------------------------------------------------------------------------------


class EnrolIn(serializers.Serializer):
    nik = serializers.CharField(required=False, allow_blank=True, max_length=16)


class UnitResultIn(serializers.Serializer):
    unit_code = serializers.CharField()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    assessed_on = serializers.DateField(required=False)
    evidence = serializers.FileField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class RevokeIn(serializers.Serializer):
    reason = serializers.CharField()


class RplIn(serializers.Serializer):
    units = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    kind = serializers.ChoiceField(choices=RplEvidence.Kind.choices)
    file = serializers.FileField()
    description = serializers.CharField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class RplDecisionIn(serializers.Serializer):
    decisions = serializers.DictField(child=serializers.BooleanField())


class CredentialOut(serializers.Serializer):
    envelope = serializers.DictField(help_text="EnvelopedVerifiableCredential (VC 2.0)")


class CreatedOut(serializers.Serializer):
    uid = serializers.UUIDField()
    detail = serializers.CharField()


# -- Views ------------------------------------------------------------------------------------

AREA_PARAMS = [
    OpenApiParameter("province", str, description="Kode provinsi"),
    OpenApiParameter("regency", str, description="Kode kabupaten/kota"),
    OpenApiParameter("programme", str, description="Slug klaster/program"),
]


class CourseListView(GenericAPIView):
    serializer_class = CourseOut

    @extend_schema(
        parameters=[OpenApiParameter("q", str)],
        summary="Katalog pelatihan",
        operation_id="competency_courses_list",
    )
    def get(self, request):
        qs = selectors.course_list(q=(request.query_params.get("q") or "")[:100])
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(CourseOut(page, many=True).data)


class CourseDetailView(GenericAPIView):
    serializer_class = CourseOut

    def get(self, request, code):
        return Response(CourseOut(selectors.course_get(code=code)).data)


class ClassListView(GenericAPIView):
    serializer_class = ClassOut

    @extend_schema(
        parameters=[OpenApiParameter("course", str, description="Kode pelatihan")],
        summary="Angkatan yang akan datang",
    )
    def get(self, request):
        code = request.query_params.get("course")
        course = selectors.course_get(code=code) if code else None
        page = self.paginate_queryset(selectors.class_list(course=course, upcoming=True))
        return self.get_paginated_response(ClassOut(page, many=True).data)


class EnrolView(GenericAPIView):
    serializer_class = EnrolIn

    @extend_schema(request=EnrolIn, responses={201: CreatedOut}, summary="Daftar ke angkatan")
    def post(self, request, uid):
        training_class = selectors.class_get(uid=uid)
        data = EnrolIn(data=request.data)
        data.is_valid(raise_exception=True)
        nik = data.validated_data.get("nik")
        user = request.user
        if nik:
            person = accounts_access.people_visible(user).filter(nik=nik).first()
        else:
            person = user.person if user.person_id else None
        if person is None:
            raise exceptions.NotFound("Orang tidak ditemukan dalam cakupan Anda.")
        try:
            enrolment = services.enrolment_create(
                actor=user, training_class=training_class, person=person
            )
        except (ValidationError, PermissionDenied) as error:
            raise _translate(error) from error
        return Response(
            {"uid": enrolment.uid, "detail": "Terdaftar."}, status=status.HTTP_201_CREATED
        )


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
        if not certificate.counts_on(timezone.localdate()):
            raise exceptions.NotFound(
                "Hanya sertifikat yang berlaku yang diterbitkan sebagai kredensial."
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
            raise _translate(error) from error
        return Response(CertificateOut(access.certificate_get(request.user, uid)).data)


class PersonPathView(GenericAPIView):
    serializer_class = PathOut

    @extend_schema(
        summary="Jalur kompetensi: jenjang capaian, kesenjangan, pelatihan yang disarankan"
    )
    def get(self, request, uid):
        person = access.person_get(request.user, uid)
        path = selectors.person_path(person=person)
        r = path.result
        gap = r.gap if r else None
        cover = r.cover if r else None
        data = {
            "framework": path.engine.catalogue.label if path.engine else None,
            "on": path.on,
            "attained_level": r.attained if r else None,
            "attained_title": path.attained_title,
            "next_level": gap.level if gap else None,
            "missing_core_units": list(gap.missing_core) if gap else [],
            "electives_needed": gap.electives_needed if gap else 0,
            "elective_options": list(gap.elective_options) if gap else [],
            "recommended_courses": [
                {"code": c.code, "title": c.title, "hours": c.hours} for c in cover.courses
            ]
            if cover
            else [],
            "method": cover.method if cover else None,
            "method_label": cover.method_label if cover else None,
            "uncoverable_units": list(cover.uncoverable) if cover else [],
            "units": [u.__dict__ for u in path.units],
        }
        return Response(PathOut(data).data)


class NeedsView(GenericAPIView):
    serializer_class = NeedsOut

    @extend_schema(
        parameters=[
            *AREA_PARAMS,
            OpenApiParameter("level", int, description="Jenjang capaian (0: belum ada)"),
        ],
        summary="Analisis kebutuhan pelatihan",
    )
    def get(self, request):
        if not access.can_view_needs(request.user):
            raise exceptions.PermissionDenied("Hanya untuk administrator.")
        p = request.query_params
        level = p.get("level", "")
        report = selectors.needs_analysis(
            user=request.user,
            province=p.get("province", ""),
            regency=p.get("regency", ""),
            programme=p.get("programme", ""),
            level=int(level) if level.isdigit() else None,
        )
        if report is None:
            raise exceptions.NotFound("Belum ada kerangka kualifikasi yang berlaku.")
        data = {
            "people": report.people,
            "by_level": {str(k or 0): v for k, v in report.by_level.items()},
            "missing_core_units": [
                {"code": c, "title": t, "people": n} for c, t, n in report.missing_core
            ],
            "elective_gaps": [
                {"code": c, "title": t, "people": n} for c, t, n in report.elective_gaps
            ],
            "courses": [
                {"code": c.code, "title": c.title, "hours": c.hours, "people_moved_up": n}
                for c, n in report.course_moves
            ],
        }
        return Response(NeedsOut(data).data)


class PromotionListView(GenericAPIView):
    serializer_class = PromotionOut

    @extend_schema(parameters=AREA_PARAMS, summary="Usulan kenaikan jenjang (untuk proses SK)")
    def get(self, request):
        if not access.can_view_promotions(request.user):
            raise exceptions.PermissionDenied("Hanya untuk administrator.")
        p = request.query_params
        proposals = selectors.promotion_proposals(
            user=request.user,
            province=p.get("province", ""),
            regency=p.get("regency", ""),
            programme=p.get("programme", ""),
        )
        page = self.paginate_queryset(proposals)
        rows = [
            {
                "engagement_uid": x.engagement.uid,
                "person_uid": x.engagement.person.uid,
                "name": x.engagement.person.full_name,
                "programme": x.engagement.programme.slug,
                "regency": x.engagement.regency_id,
                "current_level": x.current,
                "attained_level": x.attained,
            }
            for x in page
        ]
        return self.get_paginated_response(PromotionOut(rows, many=True).data)


class WorklistView(GenericAPIView):
    serializer_class = WorkItemOut

    @extend_schema(responses={200: WorkItemOut(many=True)}, summary="Daftar kerja asesor")
    def get(self, request):
        if not access.is_assessor(request.user):
            raise exceptions.PermissionDenied("Hanya untuk asesor.")
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
            raise _translate(error) from error
        return Response(
            {"uid": assessment.uid, "detail": "Tersimpan."}, status=status.HTTP_201_CREATED
        )


class CertificateIssueView(GenericAPIView):
    serializer_class = CertificateOut

    @extend_schema(
        request=None, responses={201: CertificateOut}, summary="Terbitkan sertifikat asesmen"
    )
    def post(self, request, uid):
        assessment = access.assessment_get(request.user, uid)
        try:
            certificate = services.certificate_issue(actor=request.user, assessment=assessment)
        except (ValidationError, PermissionDenied) as error:
            raise _translate(error) from error
        return Response(CertificateOut(certificate).data, status=status.HTTP_201_CREATED)


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
            raise _translate(error) from error
        return Response(
            {"uid": application.uid, "detail": "Diajukan."}, status=status.HTTP_201_CREATED
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
            raise _translate(error) from error
        return Response({"uid": application.uid, "detail": "Diputuskan."})


class NotificationListView(GenericAPIView):
    serializer_class = NotificationOut

    @extend_schema(summary="Notifikasi saya")
    def get(self, request):
        page = self.paginate_queryset(selectors.notifications_for(user=request.user))
        return self.get_paginated_response(NotificationOut(page, many=True).data)
