"""What every competency endpoint shares: service errors as API errors, the answer to a
write that creates something, and the certification managers' gate."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers

from competency import access
from satupintu.api_errors import validation_error_from_django


def translate(error: Exception) -> exceptions.APIException:
    """A service's refusal as the API's (the one error body keeps each message's code)."""
    if isinstance(error, PermissionDenied):
        return exceptions.PermissionDenied(str(error))
    return validation_error_from_django(error)


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """A file sent in a multipart body: OpenAPI says binary (an upload), not a URI."""


class CreatedOut(serializers.Serializer):
    uid = serializers.UUIDField()
    detail = serializers.CharField()


# National reference data (LSP, schemes, TUK, assessors), scheduling assessments and assigning
# RPL assessors are the certification managers' alone (competency.access); the lists are theirs
# too, as on the web pages.

CERTIFICATION_ONLY = gettext_lazy(
    "Hanya administrator nasional yang mengelola LSP, skema, TUK dan asesor."
)


def require_certification_manager(request) -> None:
    access.require(access.can_manage_certification(request.user), CERTIFICATION_ONLY)
