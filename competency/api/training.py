"""Training: the course catalogue, classes, enrolment, attendance and completion, and the
providers (the ones a catalogue manager runs; administrators register new ones)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.models import User
from competency import access, selectors, services
from competency.api._common import CreatedOut, translate
from competency.models import Course, Enrolment, TrainingClass, TrainingProvider
from regions.models import Regency

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


class ProviderOut(serializers.ModelSerializer):
    class Meta:
        model = TrainingProvider
        fields = ["id", "name", "address", "is_active"]


class AttendanceOut(serializers.Serializer):
    enrolment = serializers.UUIDField(source="enrolment.uid")
    day = serializers.DateField()
    present = serializers.BooleanField()


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


# -- Inputs -----------------------------------------------------------------------------------


class EnrolIn(serializers.Serializer):
    nik = serializers.CharField(required=False, allow_blank=True, max_length=16)


class ProviderIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    address = serializers.CharField(max_length=250, required=False, allow_blank=True, default="")
    staff = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.none(),
        many=True,
        required=False,
        default=list,
        help_text="id akun berperan penyelenggara pelatihan yang menjadi petugasnya",
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["staff"].child_relation.queryset = staff


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


class CompletionIn(serializers.Serializer):
    passed = serializers.BooleanField(help_text="true: lulus, false: tidak lulus")
    completed_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, max_length=250, default="")


# -- Views ------------------------------------------------------------------------------------


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
        access.require(access.can_manage_catalogue(user), _("Anda tidak mengelola katalog."))
        data = CourseIn(data=request.data, providers=access.providers_managed(user))
        data.is_valid(raise_exception=True)
        v = data.validated_data
        course = services.course_create(
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
            person = access.person_for_enrolment(user, training_class, nik)
            if person is None:
                # Only that the NIK is not found: nothing about whether or where it exists.
                raise exceptions.NotFound(
                    f"NIK peserta {nik} tidak ditemukan di registri. Periksa ke-16 digitnya; "
                    "orang yang belum terdaftar didaftarkan dahulu oleh operator daerahnya."
                )
        else:
            person = user.person if user.person_id else None
        if person is None:
            raise exceptions.ValidationError({"nik": [_("Isi NIK peserta (16 digit).")]})
        try:
            enrolment = services.enrolment_create(
                actor=user, training_class=training_class, person=person
            )
        except (ValidationError, PermissionDenied) as error:
            raise translate(error) from error
        waiting = enrolment.status == enrolment.Status.WAITLISTED
        detail = _("Kapasitas penuh: masuk daftar tunggu.") if waiting else _("Terdaftar.")
        return Response({"uid": enrolment.uid, "detail": detail}, status=status.HTTP_201_CREATED)


class ProviderListView(GenericAPIView):
    serializer_class = ProviderOut

    @extend_schema(
        responses=ProviderOut(many=True),
        summary="Penyelenggara pelatihan yang Anda kelola",
        operation_id="competency_providers_list",
    )
    def get(self, request):
        access.require(access.can_view_providers(request.user), _("Anda tidak mengelola katalog."))
        page = self.paginate_queryset(access.providers_managed(request.user).order_by("name"))
        return self.get_paginated_response(ProviderOut(page, many=True).data)

    @extend_schema(
        request=ProviderIn,
        responses={201: ProviderOut},
        summary="Daftarkan penyelenggara pelatihan",
        operation_id="competency_providers_create",
    )
    def post(self, request):
        access.require(
            access.can_register_provider(request.user),
            _("Hanya administrator yang boleh mendaftarkan penyelenggara pelatihan."),
        )
        data = ProviderIn(data=request.data, staff=selectors.provider_staff_candidates())
        data.is_valid(raise_exception=True)
        provider = services.training_provider_create(actor=request.user, **data.validated_data)
        return Response(ProviderOut(provider).data, status=status.HTTP_201_CREATED)


class ClassCreateView(GenericAPIView):
    serializer_class = ClassIn

    @extend_schema(request=ClassIn, responses={201: ClassOut}, summary="Buat angkatan pelatihan")
    def post(self, request, code):
        course = selectors.course_get(code=code)
        access.require(
            access.can_manage_course(request.user, course), _("Anda tidak mengelola pelatihan ini.")
        )
        data = ClassIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        regency = v.pop("regency", None)
        training_class = services.training_class_create(
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
        attendance = services.attendance_record(
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
        enrolment = services.enrolment_complete(
            actor=request.user,
            enrolment=enrolment,
            **data.validated_data,
        )
        return Response(EnrolmentOut(enrolment).data)
