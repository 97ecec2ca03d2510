"""Planning: a person's competency path, the training needs analysis and the promotion
proposals."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from competency import access, selectors

# -- Outputs ----------------------------------------------------------------------------------


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


class GapOut(serializers.Serializer):
    level = serializers.IntegerField()
    missing_core_units = serializers.ListField(child=serializers.CharField())
    electives_needed = serializers.IntegerField()
    elective_options = serializers.ListField(child=serializers.CharField())
    awaiting_assessment_units = serializers.ListField(child=serializers.CharField())
    recommended_courses = CourseRefOut(many=True)
    next_step = serializers.CharField(help_text="pelatihan atau asesmen")


def _gap_data(plan) -> dict:
    return {
        "level": plan.gap.level,
        "missing_core_units": list(plan.gap.missing_core),
        "electives_needed": plan.gap.electives_needed,
        "elective_options": list(plan.gap.elective_options),
        "awaiting_assessment_units": list(plan.awaiting_assessment),
        "recommended_courses": [
            {"code": c.code, "title": c.title, "hours": c.hours} for c in plan.cover.courses
        ],
        "next_step": "asesmen" if plan.assessment_only else "pelatihan",
    }


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
    awaiting_assessment_units = serializers.ListField(
        child=serializers.CharField(),
        help_text="Unit yang sudah dilatih (pelatihan lulus) dan tinggal diuji oleh LSP",
    )
    next_step = serializers.CharField(
        allow_null=True, help_text="pelatihan, atau asesmen bila yang kurang hanya sertifikasi"
    )
    target = GapOut(
        allow_null=True,
        help_text="Kesenjangan menuju jenjang jabatan (atau sasaran yang dipilih) bila lebih "
        "tinggi dari jenjang berikutnya",
    )
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


# -- Views ------------------------------------------------------------------------------------

AREA_PARAMS = [
    OpenApiParameter("province", str, description="Kode provinsi"),
    OpenApiParameter("regency", str, description="Kode kabupaten/kota"),
    OpenApiParameter("programme", str, description="Slug klaster/program"),
]


class PersonPathView(GenericAPIView):
    serializer_class = PathOut

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "target", int, description="Jenjang sasaran (bawaan: jenjang jabatan orang itu)"
            )
        ],
        summary="Jalur kompetensi: jenjang capaian, kesenjangan, pelatihan yang disarankan",
    )
    def get(self, request, uid):
        person = access.person_get(request.user, uid)
        raw = request.query_params.get("target", "")
        target = int(raw) if raw.isdigit() and 1 <= int(raw) <= 9 else None
        path = selectors.person_path(person=person, target=target)
        r = path.result
        gap = r.gap if r else None
        cover = path.plan.cover if path.plan else None
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
            "awaiting_assessment_units": list(path.plan.awaiting_assessment) if path.plan else [],
            "next_step": ("asesmen" if path.plan.assessment_only else "pelatihan")
            if path.plan
            else None,
            "target": _gap_data(path.target_plan) if path.target_plan else None,
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
            raise exceptions.PermissionDenied(_("Hanya untuk administrator."))
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
            raise exceptions.NotFound(_("Belum ada kerangka kualifikasi yang berlaku."))
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
            raise exceptions.PermissionDenied(_("Hanya untuk administrator."))
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
