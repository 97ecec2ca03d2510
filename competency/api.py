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
from accounts.models import User
from competency import access, credentials, selectors, services
from competency.forms import error_messages
from competency.models import (
    Assessment,
    Assessor,
    Certificate,
    CertificationBody,
    Course,
    Enrolment,
    Notification,
    RplApplication,
    RplEvidence,
    Scheme,
    TestSite,
    TrainingClass,
    TrainingProvider,
    Verdict,
)
from regions.models import Regency


def _translate(error: Exception) -> exceptions.APIException:
    if isinstance(error, PermissionDenied):
        return exceptions.PermissionDenied(str(error))
    if not hasattr(error, "error_dict"):
        return exceptions.ValidationError(error.messages)
    return exceptions.ValidationError(error_messages(error))


def _call(service, **kwargs):
    """Call one service; its refusals and validation errors become 403 and 400."""
    try:
        return service(**kwargs)
    except (ValidationError, PermissionDenied) as error:
        raise _translate(error) from error


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


# -- Training writes --------------------------------------------------------------------------


class ProviderOut(serializers.ModelSerializer):
    class Meta:
        model = TrainingProvider
        fields = ["id", "name", "address", "is_active"]


class CourseIn(serializers.Serializer):
    provider = serializers.PrimaryKeyRelatedField(
        queryset=TrainingProvider.objects.none(), help_text="id penyelenggara (lihat /providers/)"
    )
    code = serializers.SlugField(max_length=60)
    title = serializers.CharField(max_length=200)
    hours = serializers.IntegerField(min_value=1, max_value=2000)
    mode = serializers.ChoiceField(choices=Course.Mode.choices)
    units = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    prerequisites = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Course.objects.filter(is_active=True),
        many=True,
        required=False,
        default=list,
    )

    def __init__(self, *args, providers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if providers is not None:
            self.fields["provider"].queryset = providers


class ClassIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    place = serializers.CharField(max_length=200)
    capacity = serializers.IntegerField(min_value=1, max_value=10000)
    regency = serializers.PrimaryKeyRelatedField(
        queryset=Regency.objects.all(),
        required=False,
        allow_null=True,
        help_text="Kode kabupaten/kota, mis. 32.04",
    )
    status = serializers.ChoiceField(
        choices=[TrainingClass.Status.PLANNED, TrainingClass.Status.OPEN],
        default=TrainingClass.Status.OPEN,
    )


class AttendanceIn(serializers.Serializer):
    day = serializers.DateField()
    present = serializers.BooleanField(default=True)


class AttendanceOut(serializers.Serializer):
    enrolment = serializers.UUIDField(source="enrolment.uid")
    day = serializers.DateField()
    present = serializers.BooleanField()


class CompletionIn(serializers.Serializer):
    passed = serializers.BooleanField(help_text="true: lulus, false: tidak lulus")
    completed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=250, default="")


class EnrolmentOut(serializers.ModelSerializer):
    training_class = serializers.UUIDField(source="training_class.uid")
    person_uid = serializers.UUIDField(source="person.uid")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Enrolment
        fields = [
            "uid",
            "training_class",
            "person_uid",
            "status",
            "status_label",
            "completed_on",
            "note",
        ]


# -- Certification bodies, schemes, test sites, assessors -------------------------------------


# New schemes, TUK and assessors go to active LSPs; assessments to active schemes and
# assessors (the same choices as the web forms).
ACTIVE_LSPS = CertificationBody.objects.filter(is_active=True)


def _licence_dates(data: dict) -> dict:
    start, end = data.get("licence_valid_from"), data.get("licence_valid_until")
    if start and end and end < start:
        raise serializers.ValidationError(
            {"licence_valid_until": "Lisensi tidak boleh berakhir sebelum mulai berlaku."}
        )
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
                {"person_uid": "Isi salah satu: person_uid atau nik peserta uji."}
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


# -- RPL and renewal --------------------------------------------------------------------------


class RplEvidenceIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RplEvidence.Kind.choices)
    file = serializers.FileField()
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


class RenewIn(serializers.Serializer):
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)


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

    @extend_schema(
        request=CourseIn,
        responses={201: CourseOut},
        summary="Tambah pelatihan ke katalog",
        operation_id="competency_courses_create",
    )
    def post(self, request):
        user = request.user
        access.require(access.can_manage_catalogue(user), "Anda tidak mengelola katalog.")
        data = CourseIn(data=request.data, providers=access.providers_managed(user))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        course = _call(
            services.course_create,
            actor=user,
            provider=v["provider"],
            code=v["code"],
            title=v["title"],
            hours=v["hours"],
            mode=v["mode"],
            unit_codes=v["units"],
            description=v["description"],
            prerequisites=v["prerequisites"],
        )
        return Response(
            CourseOut(selectors.course_get(code=course.code)).data, status=status.HTTP_201_CREATED
        )


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


# -- Training writes --------------------------------------------------------------------------


class ProviderListView(GenericAPIView):
    serializer_class = ProviderOut

    @extend_schema(
        responses=ProviderOut(many=True),
        summary="Penyelenggara pelatihan yang Anda kelola",
        operation_id="competency_providers_list",
    )
    def get(self, request):
        access.require(access.can_manage_catalogue(request.user), "Anda tidak mengelola katalog.")
        page = self.paginate_queryset(access.providers_managed(request.user).order_by("name"))
        return self.get_paginated_response(ProviderOut(page, many=True).data)


class ClassCreateView(GenericAPIView):
    serializer_class = ClassIn

    @extend_schema(request=ClassIn, responses={201: ClassOut}, summary="Buat angkatan pelatihan")
    def post(self, request, code):
        course = selectors.course_get(code=code)
        access.require(
            access.can_manage_course(request.user, course), "Anda tidak mengelola pelatihan ini."
        )
        data = ClassIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        regency = v.pop("regency", None)
        training_class = _call(
            services.training_class_create,
            actor=request.user,
            course=course,
            regency_id=regency.pk if regency else None,
            **v,
        )
        return Response(
            ClassOut(selectors.class_get(uid=training_class.uid)).data,
            status=status.HTTP_201_CREATED,
        )


class AttendanceView(GenericAPIView):
    serializer_class = AttendanceIn

    @extend_schema(
        request=AttendanceIn,
        responses={201: AttendanceOut},
        summary="Catat kehadiran peserta (satu hari; mencatat ulang hari yang sama menggantinya)",
    )
    def post(self, request, uid):
        enrolment = selectors.enrolment_for_manager(user=request.user, uid=uid)
        data = AttendanceIn(data=request.data)
        data.is_valid(raise_exception=True)
        attendance = _call(
            services.attendance_record,
            actor=request.user,
            enrolment=enrolment,
            **data.validated_data,
        )
        return Response(AttendanceOut(attendance).data, status=status.HTTP_201_CREATED)


class CompletionView(GenericAPIView):
    serializer_class = CompletionIn

    @extend_schema(
        request=CompletionIn,
        responses={200: EnrolmentOut},
        summary="Tetapkan kelulusan peserta (lulus atau tidak lulus)",
    )
    def post(self, request, uid):
        enrolment = selectors.enrolment_for_manager(user=request.user, uid=uid)
        data = CompletionIn(data=request.data)
        data.is_valid(raise_exception=True)
        enrolment = _call(
            services.enrolment_complete,
            actor=request.user,
            enrolment=enrolment,
            **data.validated_data,
        )
        return Response(EnrolmentOut(enrolment).data)


# -- Certification bodies, schemes, test sites, assessors, scheduling -------------------------
# National reference data, run by the certification managers only (competency.access); the
# lists are theirs too, as on the web pages.

CERTIFICATION_ONLY = "Hanya administrator nasional yang mengelola LSP, skema, TUK dan asesor."


def _require_certification_manager(request) -> None:
    access.require(access.can_manage_certification(request.user), CERTIFICATION_ONLY)


def _q(request) -> str:
    return (request.query_params.get("q") or "").strip()[:100]


Q_PARAM = [OpenApiParameter("q", str, description="Cari")]


class LspListView(GenericAPIView):
    serializer_class = LspOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=LspOut(many=True),
        summary="Daftar LSP",
        operation_id="competency_lsps_list",
    )
    def get(self, request):
        _require_certification_manager(request)
        page = self.paginate_queryset(selectors.lsp_list(q=_q(request)))
        return self.get_paginated_response(LspOut(page, many=True).data)

    @extend_schema(request=LspIn, responses={201: LspOut}, summary="Daftarkan LSP")
    def post(self, request):
        _require_certification_manager(request)
        data = LspIn(data=request.data)
        data.is_valid(raise_exception=True)
        lsp = _call(services.lsp_create, actor=request.user, **data.validated_data)
        return Response(LspOut(lsp).data, status=status.HTTP_201_CREATED)


class LspDetailView(GenericAPIView):
    serializer_class = LspOut

    @extend_schema(summary="Detail LSP")
    def get(self, request, pk):
        _require_certification_manager(request)
        return Response(LspOut(selectors.lsp_get(pk=pk)).data)

    @extend_schema(request=LspPatch, responses={200: LspOut}, summary="Ubah LSP")
    def patch(self, request, pk):
        _require_certification_manager(request)
        lsp = selectors.lsp_get(pk=pk)
        data = LspPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        lsp = _call(services.lsp_update, actor=request.user, lsp=lsp, data=data.validated_data)
        return Response(LspOut(lsp).data)


class SchemeListView(GenericAPIView):
    serializer_class = SchemeOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=SchemeOut(many=True),
        summary="Daftar skema sertifikasi",
        operation_id="competency_schemes_list",
    )
    def get(self, request):
        _require_certification_manager(request)
        page = self.paginate_queryset(selectors.scheme_list(q=_q(request)))
        return self.get_paginated_response(SchemeOut(page, many=True).data)

    @extend_schema(request=SchemeIn, responses={201: SchemeOut}, summary="Tambah skema")
    def post(self, request):
        _require_certification_manager(request)
        data = SchemeIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        scheme = _call(services.scheme_create, actor=request.user, unit_codes=v.pop("units"), **v)
        return Response(
            SchemeOut(selectors.scheme_get(pk=scheme.pk)).data, status=status.HTTP_201_CREATED
        )


class SchemeDetailView(GenericAPIView):
    serializer_class = SchemeOut

    @extend_schema(summary="Detail skema")
    def get(self, request, pk):
        _require_certification_manager(request)
        return Response(SchemeOut(selectors.scheme_get(pk=pk)).data)

    @extend_schema(
        request=SchemePatch,
        responses={200: SchemeOut},
        summary="Ubah skema (unit hanya selama belum ada asesmen)",
    )
    def patch(self, request, pk):
        _require_certification_manager(request)
        scheme = selectors.scheme_get(pk=pk)
        data = SchemePatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if "units" in v:
            v["unit_codes"] = v.pop("units")
        _call(services.scheme_update, actor=request.user, scheme=scheme, data=v)
        return Response(SchemeOut(selectors.scheme_get(pk=pk)).data)


class TestSiteListView(GenericAPIView):
    serializer_class = TestSiteOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=TestSiteOut(many=True),
        summary="Daftar TUK",
        operation_id="competency_test_sites_list",
    )
    def get(self, request):
        _require_certification_manager(request)
        page = self.paginate_queryset(selectors.test_site_list(q=_q(request)))
        return self.get_paginated_response(TestSiteOut(page, many=True).data)

    @extend_schema(request=TestSiteIn, responses={201: TestSiteOut}, summary="Tambah TUK")
    def post(self, request):
        _require_certification_manager(request)
        data = TestSiteIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        regency = v.pop("regency")
        site = _call(
            services.test_site_create,
            actor=request.user,
            regency_id=regency.pk if regency else None,
            **v,
        )
        return Response(TestSiteOut(site).data, status=status.HTTP_201_CREATED)


class TestSiteDetailView(GenericAPIView):
    serializer_class = TestSiteOut

    @extend_schema(summary="Detail TUK")
    def get(self, request, pk):
        _require_certification_manager(request)
        return Response(TestSiteOut(selectors.test_site_get(pk=pk)).data)

    @extend_schema(request=TestSitePatch, responses={200: TestSiteOut}, summary="Ubah TUK")
    def patch(self, request, pk):
        _require_certification_manager(request)
        site = selectors.test_site_get(pk=pk)
        data = TestSitePatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        if "regency" in v:
            regency = v.pop("regency")
            v["regency_id"] = regency.pk if regency else None
        _call(services.test_site_update, actor=request.user, site=site, data=v)
        return Response(TestSiteOut(selectors.test_site_get(pk=pk)).data)


class AssessorListView(GenericAPIView):
    serializer_class = AssessorOut

    @extend_schema(
        parameters=Q_PARAM,
        responses=AssessorOut(many=True),
        summary="Daftar asesor",
        operation_id="competency_assessors_list",
    )
    def get(self, request):
        _require_certification_manager(request)
        page = self.paginate_queryset(selectors.assessor_list(q=_q(request)))
        return self.get_paginated_response(AssessorOut(page, many=True).data)

    @extend_schema(request=AssessorIn, responses={201: AssessorOut}, summary="Daftarkan asesor")
    def post(self, request):
        _require_certification_manager(request)
        data = AssessorIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        assessor = _call(services.assessor_create, actor=request.user, user=v.pop("username"), **v)
        return Response(AssessorOut(assessor).data, status=status.HTTP_201_CREATED)


class AssessorDetailView(GenericAPIView):
    serializer_class = AssessorOut

    @extend_schema(summary="Detail asesor")
    def get(self, request, pk):
        _require_certification_manager(request)
        return Response(AssessorOut(selectors.assessor_get(pk=pk)).data)

    @extend_schema(request=AssessorPatch, responses={200: AssessorOut}, summary="Ubah asesor")
    def patch(self, request, pk):
        _require_certification_manager(request)
        assessor = selectors.assessor_get(pk=pk)
        data = AssessorPatch(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        assessor = _call(
            services.assessor_update,
            actor=request.user,
            assessor=assessor,
            data=data.validated_data,
        )
        return Response(AssessorOut(assessor).data)


class AssessmentScheduleView(GenericAPIView):
    serializer_class = AssessmentIn

    @extend_schema(
        request=AssessmentIn, responses={201: AssessmentOut}, summary="Jadwalkan asesmen"
    )
    def post(self, request):
        _require_certification_manager(request)
        data = AssessmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        person = selectors.person_for_write(
            user=request.user, uid=v.get("person_uid"), nik=v.get("nik", "")
        )
        if person is None:
            field = "person_uid" if v.get("person_uid") else "nik"
            raise exceptions.ValidationError({field: ["Orang tidak ditemukan dalam cakupan Anda."]})
        assessment = _call(
            services.assessment_schedule,
            actor=request.user,
            person=person,
            scheme=v["scheme"],
            assessor=v["assessor"],
            test_site=v["test_site"],
            scheduled_on=v["scheduled_on"],
        )
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)


# -- RPL and renewal --------------------------------------------------------------------------


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
        item = _call(
            services.rpl_evidence_add,
            actor=request.user,
            application=application,
            **data.validated_data,
        )
        return Response(RplEvidenceOut(item).data, status=status.HTTP_201_CREATED)


class RplAssignView(GenericAPIView):
    serializer_class = RplAssignIn

    @extend_schema(request=RplAssignIn, responses={200: CreatedOut}, summary="Tugaskan asesor RPL")
    def post(self, request, uid):
        _require_certification_manager(request)
        application = access.rpl_get(request.user, uid)
        data = RplAssignIn(data=request.data)
        data.is_valid(raise_exception=True)
        # services.rpl_assign does not look at the status; a decided application keeps the
        # assessor who decided it.
        if application.status != RplApplication.Status.SUBMITTED:
            raise exceptions.ValidationError("Permohonan ini tidak lagi menunggu keputusan.")
        _call(
            services.rpl_assign,
            actor=request.user,
            application=application,
            assessor=data.validated_data["assessor"],
        )
        return Response({"uid": application.uid, "detail": "Asesor ditugaskan."})


class CertificateRenewView(GenericAPIView):
    serializer_class = RenewIn

    @extend_schema(
        request=RenewIn,
        responses={201: CertificateOut},
        summary="Perbarui sertifikat (terbitkan sertifikat pengganti)",
    )
    def post(self, request, uid):
        certificate = access.certificate_get(request.user, uid)
        data = RenewIn(data=request.data)
        data.is_valid(raise_exception=True)
        renewal = _call(
            services.certificate_renew,
            actor=request.user,
            certificate=certificate,
            issued_on=data.validated_data["issued_on"],
        )
        return Response(CertificateOut(renewal).data, status=status.HTTP_201_CREATED)
