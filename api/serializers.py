"""Input and output schemas of the v1 API. Output masks personal data per accounts.access."""

from rest_framework import serializers

from accounts import access
from registry import access as registry_access
from registry.models import ROMAN, Education, EmploymentStatus, Engagement, Person, Programme, Sex
from registry.nik import mask_nik, mask_phone


class ProgrammeOut(serializers.ModelSerializer):
    class Meta:
        model = Programme
        fields = ["slug", "name", "kind", "agency", "facilitator_title", "legal_basis"]


class RegionOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class EngagementOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid")
    person = serializers.UUIDField(source="person.uid")
    cluster = serializers.CharField(source="programme.slug")
    province_code = serializers.CharField(source="province_id")
    regency_code = serializers.CharField(source="regency_id")
    district_code = serializers.CharField(source="district_id", allow_null=True)
    village_code = serializers.CharField(source="village_id", allow_null=True)
    qualification_level = serializers.SerializerMethodField()

    class Meta:
        model = Engagement
        fields = [
            "id",
            "person",
            "cluster",
            "legacy_title",
            "province_code",
            "regency_code",
            "district_code",
            "village_code",
            "employment_status",
            "sk_number",
            "sk_date",
            "start_date",
            "end_date",
            "monthly_incentive",
            "harmonised_level",
            "position_level",
            "qualification_level",
            "unified_title",
            "harmonisation",
            "status",
            "verification",
        ]

    def get_qualification_level(self, obj) -> str:
        return ROMAN.get(obj.harmonised_level or 0, "")


class PersonOut(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uid")
    nik = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    email = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    engagements = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "nik",
            "full_name",
            "titles_front",
            "titles_back",
            "sex",
            "birth_place",
            "birth_date",
            "phone",
            "email",
            "education_level",
            "education_field",
            "address_regency_id",
            "verification",
            "flags",
            "engagements",
        ]

    def _user(self):
        return self.context["request"].user

    def get_nik(self, obj) -> str:
        return obj.nik if access.sees_nik(self._user(), obj) else mask_nik(obj.nik)

    def get_phone(self, obj) -> str:
        return obj.phone if access.sees_contact(self._user(), obj) else mask_phone(obj.phone)

    def get_email(self, obj) -> str:
        return obj.email if access.sees_contact(self._user(), obj) else ("***" if obj.email else "")

    def get_flags(self, obj) -> list[str]:
        flags = getattr(obj, "open_flags", None)
        if flags is None:
            flags = obj.flags.filter(resolved_at__isnull=True)
        return sorted({f.code for f in flags})

    def get_engagements(self, obj) -> list[dict]:
        # A list page serialises all its engagements at once (api.views.PersonListView).
        ready = self.context.get("engagements_by_person")
        if ready is not None:
            return ready.get(obj.pk, [])
        engagements = getattr(obj, "visible_engagements", None)
        if engagements is None:
            engagements = registry_access.engagements_visible(
                self._user(), obj.engagements.all()
            ).select_related("programme", "person")
        return EngagementOut(engagements, many=True).data


class MergedOut(serializers.Serializer):
    nik = serializers.CharField(help_text="NIK yang sudah digabung (tersamar bila peran Anda)")
    merged_into = serializers.UUIDField(help_text="id orang yang dipertahankan")


class PersonPageOut(serializers.Serializer):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    merged = MergedOut(many=True, help_text="NIK yang dicari sudah digabung ke orang ini")
    results = PersonOut(many=True)


class PersonIn(serializers.Serializer):
    nik = serializers.CharField(max_length=30)
    full_name = serializers.CharField(max_length=150)
    titles_front = serializers.CharField(max_length=50, required=False, allow_blank=True)
    titles_back = serializers.CharField(max_length=80, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_place = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.DateField()
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    education_level = serializers.ChoiceField(
        choices=Education.choices, required=False, allow_blank=True
    )
    education_field = serializers.CharField(max_length=120, required=False, allow_blank=True)
    address_regency_id = serializers.CharField(max_length=5, required=False, allow_blank=True)


VERSION_HELP = (
    "Versi yang dibaca (nilai ETag dari GET, tanpa tanda kutip). Bila data telah diubah "
    "sejak versi itu, permintaan ditolak dengan 409 dan tidak ada yang tersimpan."
)


class ConflictChangeOut(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class ConflictOut(serializers.Serializer):
    """The one error body (code conflict or precondition_failed) and what changed since."""

    code = serializers.CharField()
    detail = serializers.CharField()
    errors = serializers.ListField(child=serializers.DictField(), help_text="Selalu kosong.")
    changed_by = serializers.CharField()
    changed_at = serializers.DateTimeField()
    version = serializers.CharField(help_text="Versi terkini (ETag tanpa tanda kutip).")
    changes = ConflictChangeOut(many=True)


class PersonPatch(PersonIn):
    nik = None
    version = serializers.CharField(required=False, max_length=40, help_text=VERSION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class EngagementIn(serializers.Serializer):
    person = serializers.UUIDField()
    cluster = serializers.SlugField(help_text="Slug klaster/program, mis. lanjut-usia, pkh.")
    legacy_title = serializers.CharField(max_length=200)
    regency_code = serializers.CharField(max_length=5)
    district_code = serializers.CharField(
        max_length=8, required=False, allow_blank=True, allow_null=True
    )
    village_code = serializers.CharField(
        max_length=13, required=False, allow_blank=True, allow_null=True
    )
    employment_status = serializers.ChoiceField(choices=EmploymentStatus.choices)
    sk_number = serializers.CharField(max_length=100, required=False, allow_blank=True)
    sk_date = serializers.DateField(required=False, allow_null=True)
    start_date = serializers.DateField(required=False, allow_null=True)
    end_date = serializers.DateField(required=False, allow_null=True)
    monthly_incentive = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Engagement.Status.choices, required=False)

    def service_data(self) -> dict:
        data = dict(self.validated_data)
        for key in ("person", "cluster", "version"):
            data.pop(key, None)
        for level in ("regency", "district", "village"):
            if f"{level}_code" in data:
                data[f"{level}_id"] = data.pop(f"{level}_code") or None
        return data


class EngagementPatch(EngagementIn):
    person = None
    cluster = None
    version = serializers.CharField(required=False, max_length=40, help_text=VERSION_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, partial=True, **kwargs)


class TokenIn(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


class TokenOut(serializers.Serializer):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()


class TokenInfoOut(serializers.Serializer):
    id = serializers.IntegerField()
    prefix = serializers.CharField()
    created_at = serializers.DateTimeField()
    expires_at = serializers.DateTimeField()
    revoked_at = serializers.DateTimeField(allow_null=True)
    revoked_reason = serializers.CharField()
    current = serializers.BooleanField()
