"""REST API v1. Endpoints translate only: parse, ask accounts.access, call a service/selector."""

from django.contrib.auth import authenticate
from django.shortcuts import get_object_or_404, render
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import access, throttle
from accounts.selectors import api_token_get_own, api_token_list
from accounts.services import TokenRevocation, api_token_create, api_token_revoke
from api import rows
from api import serializers as s
from api.pagination import IdCursorPagination, bounded_int
from regions.selectors import district_list, province_list, regency_list, village_list
from registry import access as registry_access
from registry import selectors, services
from registry.concurrency import RecordChanged, version_of
from registry.models import Programme
from registry.nik import mask_nik
from registry.selectors import PAGE_SIZE, PAGE_SIZE_MAX
from registry.services import audit_list_read
from satupintu.api_errors import conflict_body

FILTER_PARAMS = [
    OpenApiParameter(name, str, description=desc)
    for name, desc in [
        ("cluster", "Slug klaster/program"),
        ("province", "Kode provinsi, mis. 32"),
        ("regency", "Kode kabupaten/kota, mis. 32.04"),
        ("level", "Jenjang: III-IX atau none"),
        ("status", "aktif/berakhir"),
        ("verification", "menunggu/terverifikasi/disetujui/dikembalikan"),
        ("q", "Nama (urutan kata bebas, awalan, salah ketik satu huruf) atau NIK"),
    ]
]


def api_docs(request):
    """The API reference (Swagger UI over /api/v1/openapi.json), public like the schema: it
    documents the endpoints, every one of which still checks its caller."""
    return render(request, "api/docs.html")


IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    location=OpenApiParameter.HEADER,
    description="ETag dari GET. Bila data telah diubah sejak itu: 412, tidak ada yang tersimpan.",
)
ETAG = OpenApiParameter(
    "ETag",
    str,
    location=OpenApiParameter.HEADER,
    response=[200],
    description="Versi data ini; kirim kembali sebagai If-Match (atau `version`) saat mengubah.",
)
CONFLICT_RESPONSES = {
    409: OpenApiResponse(s.ConflictOut, description="`version` di badan permintaan usang."),
    412: OpenApiResponse(s.ConflictOut, description="If-Match tidak cocok dengan versi terkini."),
}


def _etag(obj) -> str:
    return f'"{version_of(obj)}"'


def _versioned_update(request, fn, *, body_version: str | None, **kwargs):
    """Call an update service with the version the client saw: the ``If-Match`` header (412
    when stale, RFC 9110) or the body's ``version`` (409). Returns the record or a Response."""
    header = request.headers.get("If-Match", "").strip()
    version, stale_status = body_version, status.HTTP_409_CONFLICT
    if header and header != "*":
        version = header.split(",")[0].strip().removeprefix("W/").strip('"')
        stale_status = status.HTTP_412_PRECONDITION_FAILED
    try:
        return fn(version=version, **kwargs)
    except RecordChanged as changed:
        code = "conflict" if stale_status == status.HTTP_409_CONFLICT else "precondition_failed"
        response = Response(conflict_body(code, changed.as_dict()), status=stale_status)
        response["ETag"] = _etag(changed.record)
        return response


def _page_link(request, cursor) -> str | None:
    if cursor is None:
        return None
    params = request.query_params.copy()
    params["cursor"] = cursor.encode()
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


THROTTLED = (
    "Terlalu banyak kata sandi salah untuk akun atau alamat ini, atau terlalu banyak "
    "permintaan tanpa token: tunggu selama header Retry-After (detik)."
)


class TokenView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        request=s.TokenIn,
        responses={201: s.TokenOut, 429: OpenApiResponse(description=THROTTLED)},
        summary="Minta token API (berlaku terbatas)",
    )
    def post(self, request):
        data = s.TokenIn(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        # Wrong passwords count with the sign-in page's (accounts/throttle.py).
        wait = throttle.sign_in_blocked(request, username)
        if wait:
            raise exceptions.Throttled(wait=wait)
        user = authenticate(request, **data.validated_data)
        if user is None:
            throttle.sign_in_failed(request, username)
            raise exceptions.AuthenticationFailed("Nama pengguna atau kata sandi salah.")
        throttle.sign_in_succeeded(request, username)
        token, key = api_token_create(user=user)
        return Response(
            {"token": key, "expires_at": token.expires_at}, status=status.HTTP_201_CREATED
        )


def _token_info(token, request) -> dict:
    current = getattr(request, "auth", None)
    return {
        "id": token.pk,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "revoked_reason": token.revoked_reason,
        "current": current is not None and getattr(current, "pk", None) == token.pk,
    }


class TokenListView(APIView):
    @extend_schema(responses=s.TokenInfoOut(many=True), summary="Token API milik saya")
    def get(self, request):
        tokens = api_token_list(user=request.user)[:100]
        return Response([_token_info(t, request) for t in tokens])


class TokenRevokeView(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        summary="Cabut token API milik saya",
        description="`current` mencabut token yang dipakai permintaan ini.",
    )
    def delete(self, request, token_id: str):
        if token_id == "current":
            token = request.auth if hasattr(request.auth, "key_hash") else None
            if token is None:
                raise exceptions.ValidationError(
                    {"token": "Permintaan ini tidak memakai token; sebutkan id token yang dicabut."}
                )
        else:
            token = (
                api_token_get_own(user=request.user, token_id=int(token_id))
                if token_id.isdigit() and len(token_id) <= 18
                else None
            )
            if token is None:
                raise exceptions.NotFound("Token tidak ditemukan.")
        api_token_revoke(token=token, actor=request.user, reason=TokenRevocation.BY_HOLDER)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonListView(GenericAPIView):
    serializer_class = s.PersonOut

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="Posisi halaman dari tautan next/previous"),
            OpenApiParameter("limit", int, description=f"Jumlah per halaman, 1-{PAGE_SIZE_MAX}"),
            *FILTER_PARAMS,
        ],
        summary="Daftar orang dalam cakupan",
        description="Berhalaman dengan kursor (tautan `next`/`previous`), paling banyak "
        f"{PAGE_SIZE_MAX} orang per halaman (`limit`). Setiap pembacaan tercatat di audit; "
        "untuk data dalam jumlah besar gunakan ekspor registri.",
        responses=s.PersonPageOut,
        operation_id="people_list",
    )
    def get(self, request):
        access.require(access.can_read(request.user))
        params = request.query_params
        if "offset" in params:
            raise exceptions.ValidationError(
                {"offset": "Daftar orang berhalaman dengan kursor: ikuti tautan next/previous."}
            )
        filters = selectors.RegistryFilters.from_params(params)
        limit = bounded_int(params, "limit", PAGE_SIZE, 1, PAGE_SIZE_MAX)
        cursor = selectors.Cursor.decode(value=params.get("cursor"))
        page = selectors.person_page(
            user=request.user,
            filters=filters,
            cursor=cursor,
            limit=limit,
            prefetch=False,
        )
        engagements, flags = selectors.page_values(
            request.user, page.people, rows.ENGAGEMENT_VALUES
        )
        results = [
            rows.person_row(
                person,
                user=request.user,
                engagements=engagements.get(person.pk, []),
                flags=flags.get(person.pk, []),
            )
            for person in page.people
        ]
        masked = not access.sees_nik(request.user)
        audit_list_read(user=request.user, filters=filters, rows=len(results), masked=masked)
        by_pk = {p.pk: p for p in page.people}
        return Response(
            {
                "next": _page_link(request, page.next),
                "previous": _page_link(request, page.previous),
                "merged": [
                    {"nik": mask_nik(nik) if masked else nik, "merged_into": by_pk[pk].uid}
                    for nik, pk in page.merged.items()
                    if pk in by_pk
                ],
                "results": results,
            }
        )

    @extend_schema(request=s.PersonIn, responses={201: s.PersonOut}, summary="Daftarkan orang")
    def post(self, request):
        data = s.PersonIn(data=request.data)
        data.is_valid(raise_exception=True)
        person = services.person_create(actor=request.user, source="API", **data.validated_data)
        return Response(
            s.PersonOut(person, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class PersonDetailView(GenericAPIView):
    serializer_class = s.PersonOut

    @extend_schema(summary="Detail orang", parameters=[ETAG])
    def get(self, request, uid):
        access.require(access.can_read(request.user))
        person = registry_access.person_get(request.user, uid)
        engagements, flags = selectors.page_values(request.user, [person], rows.ENGAGEMENT_VALUES)
        services.audit_person_read(user=request.user, person=person, via="api")
        response = Response(
            rows.person_row(
                person,
                user=request.user,
                engagements=engagements.get(person.pk, []),
                flags=flags.get(person.pk, []),
            )
        )
        response["ETag"] = _etag(person)
        return response

    @extend_schema(
        request=s.PersonPatch,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.PersonOut, **CONFLICT_RESPONSES},
        summary="Ubah data orang",
    )
    def patch(self, request, uid):
        person = registry_access.person_get(request.user, uid, for_write=True)
        data = s.PersonPatch(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        result = _versioned_update(
            request,
            services.person_update,
            body_version=values.pop("version", None),
            actor=request.user,
            person=person,
            data=values,
            source="API",
        )
        if isinstance(result, Response):
            return result
        response = Response(s.PersonOut(result, context={"request": request}).data)
        response["ETag"] = _etag(result)
        return response


class EngagementListView(GenericAPIView):
    serializer_class = s.EngagementOut
    pagination_class = IdCursorPagination

    @extend_schema(
        parameters=FILTER_PARAMS,
        summary="Daftar penugasan dalam cakupan",
        responses=s.EngagementOut(many=True),
        operation_id="engagements_list",
    )
    def get(self, request):
        access.require(access.can_read(request.user))
        filters = selectors.RegistryFilters.from_params(request.query_params)
        qs = selectors.engagement_list(user=request.user, filters=filters).select_related(
            "person", "programme"
        )
        page = self.paginate_queryset(qs)
        audit_list_read(
            user=request.user,
            filters=filters,
            rows=len(page),
            masked=not access.sees_nik(request.user),
            what="engagements",
        )
        return self.get_paginated_response(s.EngagementOut(page, many=True).data)

    @extend_schema(
        request=s.EngagementIn, responses={201: s.EngagementOut}, summary="Tambah penugasan"
    )
    def post(self, request):
        data = s.EngagementIn(data=request.data)
        data.is_valid(raise_exception=True)
        person = registry_access.person_get(
            request.user, data.validated_data["person"], for_write=True
        )
        programme = get_object_or_404(Programme, slug=data.validated_data["cluster"])
        engagement = services.engagement_create(
            actor=request.user,
            person=person,
            programme=programme,
            source="API",
            **data.service_data(),
        )
        return Response(s.EngagementOut(engagement).data, status=status.HTTP_201_CREATED)


class EngagementDetailView(GenericAPIView):
    serializer_class = s.EngagementOut

    @extend_schema(summary="Detail penugasan", parameters=[ETAG])
    def get(self, request, uid):
        access.require(access.can_read(request.user))
        engagement = registry_access.engagement_get(request.user, uid)
        response = Response(s.EngagementOut(engagement).data)
        response["ETag"] = _etag(engagement)
        return response

    @extend_schema(
        request=s.EngagementPatch,
        parameters=[IF_MATCH, ETAG],
        responses={200: s.EngagementOut, **CONFLICT_RESPONSES},
        summary="Ubah penugasan",
    )
    def patch(self, request, uid):
        engagement = registry_access.engagement_get(request.user, uid, for_write=True)
        data = s.EngagementPatch(data=request.data)
        data.is_valid(raise_exception=True)
        result = _versioned_update(
            request,
            services.engagement_update,
            body_version=data.validated_data.get("version"),
            actor=request.user,
            engagement=engagement,
            data=data.service_data(),
            source="API",
        )
        if isinstance(result, Response):
            return result
        response = Response(s.EngagementOut(result).data)
        response["ETag"] = _etag(result)
        return response


class ProgrammeListView(APIView):
    @extend_schema(responses=s.ProgrammeOut(many=True), summary="Klaster dan program")
    def get(self, request):
        return Response(s.ProgrammeOut(selectors.programme_choices(), many=True).data)


class RegionListView(APIView):
    """Region lookup: provinces, or the children of a given parent code."""

    LEVELS = {
        "provinces": (lambda parent: province_list(), None),
        "regencies": (lambda parent: regency_list(province_code=parent), "province"),
        "districts": (lambda parent: district_list(regency_code=parent), "regency"),
        "villages": (lambda parent: village_list(district_code=parent), "district"),
    }

    @extend_schema(
        responses=s.RegionOut(many=True),
        summary="Wilayah Kemendagri",
        parameters=[
            OpenApiParameter("parent", str, description="Kode induk (wajib kecuali provinsi)")
        ],
    )
    def get(self, request, level):
        if level not in self.LEVELS:
            raise exceptions.NotFound("Tingkat wilayah: provinces, regencies, districts, villages.")
        fn, parent_name = self.LEVELS[level]
        parent = request.query_params.get("parent") or request.query_params.get(parent_name or "")
        if parent_name and not parent:
            names = {"province": "provinsi", "regency": "kabupaten/kota", "district": "kecamatan"}
            raise exceptions.ValidationError(
                {"parent": f"Sebutkan kode {names[parent_name]} induk."}
            )
        return Response(s.RegionOut(fn(parent), many=True).data)
