"""The logbook's REST endpoints (wired in api/urls.py): the device's outbox posts here.

``POST entries/`` stores one activity, JSON or multipart (with a photo). Its ``uid`` is made
on the device: the first arrival answers 201, any retry of the same uid 200 with the stored
entry (never a second row). A month already submitted or approved answers 409 with the reason;
any other refusal 400 with the fields and what to do. The body is always
``{"uid", "status", "errors", "entry"}``, so the outbox reads every outcome the same way.
"""

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from logbook import access, services
from logbook.models import Entry

STATUS_CODE = {"dibuat": 201, "sudah_ada": 200, "konflik": 409, "ditolak": 400}


def entry_out(entry: Entry) -> dict:
    return {
        "uid": str(entry.uid),
        "engagement": str(entry.engagement.uid),
        "date": entry.date.isoformat(),
        "month": entry.month.isoformat()[:7],
        "village": entry.village_id,
        "activity_type": entry.activity_type_id,
        "clients_served": entry.clients_served,
        "duration_minutes": entry.duration_minutes,
        "note": entry.note,
        "has_attachment": bool(entry.attachment),
        "origin": entry.origin,
        "created_at": entry.created_at.isoformat(),
    }


EntryOut = inline_serializer(
    "LogbookResult",
    {
        "uid": serializers.CharField(),
        "status": serializers.ChoiceField(choices=list(STATUS_CODE)),
        "errors": serializers.DictField(),
        "entry": serializers.DictField(allow_null=True),
    },
)


class EntryListView(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def _require_facilitator(self, request) -> None:
        if not access.is_facilitator(request.user):
            raise exceptions.PermissionDenied("Catatan kegiatan diisi oleh pendamping sendiri.")

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="Bulan TTTT-BB")],
        responses=inline_serializer("LogbookEntries", {"results": serializers.ListField()}),
        summary="Catatan kegiatan Anda sendiri pada satu bulan",
    )
    def get(self, request):
        self._require_facilitator(request)
        qs = access.entries_visible(request.user).select_related("engagement")
        month = request.query_params.get("month", "")
        if month:
            try:
                qs = qs.filter(month=dt.date.fromisoformat(f"{month}-01"))
            except ValueError as error:
                raise exceptions.ValidationError({"month": "Tulis bulan TTTT-BB."}) from error
        return Response({"results": [entry_out(e) for e in qs.order_by("-date", "-id")[:500]]})

    @extend_schema(
        request=inline_serializer(
            "LogbookEntryIn",
            {
                "uid": serializers.UUIDField(),
                "engagement": serializers.UUIDField(),
                "date": serializers.DateField(),
                "village": serializers.CharField(),
                "activity_type": serializers.IntegerField(),
                "clients_served": serializers.IntegerField(),
                "duration_minutes": serializers.IntegerField(),
                "note": serializers.CharField(required=False),
                "referral": serializers.UUIDField(required=False),
                "attachment": serializers.FileField(required=False),
            },
        ),
        responses={201: EntryOut, 200: EntryOut, 400: EntryOut, 409: EntryOut},
        summary="Simpan satu kegiatan dari perangkat (kirim ulang dengan uid yang sama aman)",
    )
    def post(self, request):
        self._require_facilitator(request)
        item = {k: request.data.get(k) for k in request.data}
        if "attachment" in request.FILES:
            item["attachment"] = request.FILES["attachment"]
        result = services.entries_receive(actor=request.user, items=[item])[0]
        return Response(
            {
                "uid": result.uid,
                "status": result.status,
                "errors": result.errors,
                "entry": entry_out(result.entry) if result.entry else None,
            },
            status=STATUS_CODE[result.status],
        )
