"""Paging and numeric query parameters of the API, all bounded (issue 12: a limit of 100,000
pulled a whole scope unaudited; ``?limit=99999999999999999999`` was a 500).

Pages hold at most PAGE_SIZE_MAX rows; bulk needs go to the audited export job
(``POST /registri/ekspor/``). Lists of people and engagements page by cursor (keyset), so a
page costs the same on the first page as on the thousandth; other lists keep limit/offset,
with the offset bounded too.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, LimitOffsetPagination

from registry.selectors import PAGE_SIZE, PAGE_SIZE_MAX

OFFSET_MAX = 10_000
BULK_HINT = gettext_lazy(
    "Untuk data dalam jumlah besar gunakan ekspor registri (tercatat di audit), bukan API."
)


def bounded_int(params, name: str, default: int, minimum: int, maximum: int) -> int:
    """An integer query parameter within [minimum, maximum]; 400 naming it otherwise."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    raw = str(raw).strip()
    if not raw.lstrip("-").isdigit() or len(raw) > 12 or not minimum <= int(raw) <= maximum:
        message = _("%(name)s harus bilangan bulat %(min)s sampai %(max)s.") % {
            "name": name,
            "min": minimum,
            "max": f"{maximum:,}".replace(",", "."),
        }
        if name in {"limit", "offset"}:
            message = f"{message} {BULK_HINT}"
        raise exceptions.ValidationError({name: message})
    return int(raw)


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    default_limit = PAGE_SIZE
    max_limit = PAGE_SIZE_MAX

    def get_limit(self, request):
        return bounded_int(request.query_params, "limit", PAGE_SIZE, 1, PAGE_SIZE_MAX)

    def get_offset(self, request):
        return bounded_int(request.query_params, "offset", 0, 0, OFFSET_MAX)


class IdCursorPagination(CursorPagination):
    """Keyset pages in id order (engagements)."""

    ordering = "pk"
    page_size = PAGE_SIZE
    page_size_query_param = "limit"
    max_page_size = PAGE_SIZE_MAX

    def get_page_size(self, request):
        return bounded_int(request.query_params, "limit", PAGE_SIZE, 1, PAGE_SIZE_MAX)
