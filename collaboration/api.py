"""REST API for requests, referrals, the inbox and area teams (wired in api/urls.py).

Endpoints only translate: parse input, ask the access rules, call one service or selector.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from collaboration import access as collab_access
from collaboration import selectors, services
from collaboration.forms import SUBMITTABLE_KINDS
from collaboration.models import Referral, Request, Urgency
from regions.models import District, Village
from registry import access as registry_access
from registry.models import Programme
from registry.nik import mask_nik


class RequestOut(serializers.ModelSerializer):
    """A request as the user in the context may see it (see selectors.request_shown)."""

    person = serializers.UUIDField(source="person.uid")
    engagement = serializers.UUIDField(source="engagement.uid", allow_null=True, default=None)
    regency = serializers.CharField(source="regency_id")

    class Meta:
        model = Request
        fields = [
            "uid",
            "kind",
            "status",
            "source",
            "person",
            "engagement",
            "regency",
            "payload",
            "evidence",
            "effective_date",
            "reason",
            "return_reason",
            "applied_changes",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        shown = selectors.request_shown(user=self.context["request"].user, request=instance)
        return super().to_representation(shown)


class RequestIn(serializers.Serializer):
    """What a client may say. ``source`` and ``evidence`` are the system's to set (the
    qualification engine attaches them in-process), as are status and who decided: a client's
    values for them are ignored, never stored."""

    kind = serializers.ChoiceField(choices=SUBMITTABLE_KINDS)
    person = serializers.UUIDField()
    engagement = serializers.UUIDField(required=False, allow_null=True)
    payload = serializers.DictField(required=False)
    effective_date = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ActionIn(serializers.Serializer):
    action = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequestListApi(APIView):
    @extend_schema(responses=RequestOut(many=True), summary="Permohonan dalam cakupan")
    def get(self, request):
        rows = selectors.request_list(
            user=request.user,
            status=request.query_params.get("status", ""),
            kind=request.query_params.get("kind", ""),
        )[:500]
        return Response(RequestOut(rows, many=True, context={"request": request}).data)

    @extend_schema(request=RequestIn, responses=RequestOut, summary="Ajukan permohonan")
    def post(self, request):
        data = RequestIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        person = registry_access.person_get(request.user, d["person"])
        engagement = (
            registry_access.engagement_get(request.user, d["engagement"])
            if d.get("engagement")
            else None
        )
        created = services.request_submit(
            actor=request.user,
            kind=d["kind"],
            person=person,
            engagement=engagement,
            payload=d.get("payload") or {},
            effective_date=d.get("effective_date"),
            reason=d["reason"],
        )
        return Response(
            RequestOut(created, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


REQUEST_ACTIONS = {
    "verifikasi": (services.request_verify, "note"),
    "setujui": (services.request_approve, "note"),
    "kembalikan": (services.request_return, "reason"),
    "tolak": (services.request_reject, "reason"),
    "ajukan_ulang": (services.request_resubmit, "note"),
}


class RequestDetailApi(APIView):
    @extend_schema(responses=RequestOut, summary="Satu permohonan")
    def get(self, request, uid):
        req = collab_access.request_get(request.user, uid)
        return Response(RequestOut(req, context={"request": request}).data)

    @extend_schema(request=ActionIn, responses=RequestOut, summary="Tindakan atas permohonan")
    def post(self, request, uid):
        req = collab_access.request_get(request.user, uid)
        data = ActionIn(data=request.data)
        data.is_valid(raise_exception=True)
        action = data.validated_data["action"]
        if action not in REQUEST_ACTIONS:
            raise exceptions.ValidationError({"action": _("Tindakan tidak dikenal.")})
        fn, arg = REQUEST_ACTIONS[action]
        done = fn(actor=request.user, request=req, **{arg: data.validated_data["note"]})
        return Response(RequestOut(done, context={"request": request}).data)


class ReferralOut(serializers.ModelSerializer):
    village = serializers.CharField(source="village_id")
    receiver_programme = serializers.CharField(source="receiver_programme.slug")
    subject_nik = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "uid",
            "status",
            "village",
            "receiver_programme",
            "service_name",
            "subject_name",
            "subject_nik",
            "is_child",
            "need",
            "urgency",
            "deadline",
            "responded_at",
            "completed_at",
            "escalated_at",
            "created_at",
        ]

    def get_subject_nik(self, obj) -> str:
        # The full NIK only to the parties of the case.
        user = self.context["request"].user
        if not obj.subject_nik or user.pk in {obj.sender_id, obj.receiver_id}:
            return obj.subject_nik
        return mask_nik(obj.subject_nik)


class ReferralIn(serializers.Serializer):
    village = serializers.CharField()
    receiver_programme = serializers.SlugField()
    receiver = serializers.IntegerField(required=False, allow_null=True)
    service_name = serializers.CharField(required=False, allow_blank=True, default="")
    subject_name = serializers.CharField()
    subject_nik = serializers.CharField(required=False, allow_blank=True, default="")
    is_child = serializers.BooleanField(default=False)
    need = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    consent = serializers.BooleanField(default=False)
    consent_note = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralListApi(APIView):
    @extend_schema(responses=ReferralOut(many=True), summary="Rujukan yang boleh Anda lihat")
    def get(self, request):
        rows = selectors.referral_list(
            user=request.user, status=request.query_params.get("status", "")
        )[:500]
        return Response(ReferralOut(rows, many=True, context={"request": request}).data)

    @extend_schema(request=ReferralIn, responses=ReferralOut, summary="Kirim rujukan")
    def post(self, request):
        data = ReferralIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        village = (
            Village.objects.select_related("district__regency").filter(pk=d["village"]).first()
        )
        programme = Programme.objects.filter(slug=d["receiver_programme"]).first()
        if village is None or programme is None:
            raise exceptions.ValidationError(_("Desa atau klaster/program tidak dikenal."))
        receiver = User.objects.filter(pk=d["receiver"]).first() if d.get("receiver") else None
        created = services.referral_create(
            actor=request.user,
            receiver_programme=programme,
            village=village,
            receiver=receiver,
            **{k: d[k] for k in ("service_name", "subject_name", "subject_nik", "is_child")},
            **{k: d[k] for k in ("need", "urgency", "consent", "consent_note")},
        )
        return Response(
            ReferralOut(created, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class ReferralDetailApi(APIView):
    @extend_schema(responses=ReferralOut, summary="Satu rujukan")
    def get(self, request, uid):
        referral = collab_access.referral_get(request.user, uid)
        services.referral_read_audit(actor=request.user, referral=referral)
        return Response(ReferralOut(referral, context={"request": request}).data)

    @extend_schema(request=ActionIn, responses=ReferralOut, summary="Tanggapi rujukan")
    def post(self, request, uid):
        referral = collab_access.referral_get(request.user, uid)
        data = ActionIn(data=request.data)
        data.is_valid(raise_exception=True)
        done = services.referral_respond(
            actor=request.user,
            referral=referral,
            action=data.validated_data["action"],
            note=data.validated_data["note"],
        )
        return Response(ReferralOut(done, context={"request": request}).data)


class InboxCountsApi(APIView):
    @extend_schema(responses=dict, summary="Jumlah yang menunggu Anda")
    def get(self, request):
        return Response(selectors.inbox_counts(user=request.user))


class ReferralStatsApi(APIView):
    @extend_schema(responses=dict, summary="Jumlah dan waktu tanggapan rujukan per wilayah")
    def get(self, request):
        by = "province" if request.query_params.get("by") == "province" else "regency"
        return Response(selectors.referral_stats(user=request.user, by=by))


class AreaTeamApi(APIView):
    @extend_schema(responses=dict, summary="Tim pendamping di kecamatan/desa")
    def get(self, request, code: str):
        village = Village.objects.select_related("district").filter(pk=code).first()
        district = village.district if village else District.objects.filter(pk=code).first()
        if district is None:
            raise exceptions.NotFound(_("Wilayah tidak dikenal."))
        members = selectors.area_team(user=request.user, district=district, village=village)
        return Response([m.__dict__ for m in members])
