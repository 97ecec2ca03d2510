"""Certification bodies: LSPs, schemes, test sites (TUK) and assessors."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Role, User
from competency.models import Assessor, CertificationBody, Scheme, SchemeUnit, TestSite


def count_of(model, field: str):
    """Rows of ``model`` pointing at the outer row, as a subquery (no join fan-out)."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def lsp_list(*, q: str = "", active_only: bool = False) -> QuerySet[CertificationBody]:
    """LSPs are national reference data, managed by certification managers (the caller asks
    competency.access); they hold no personal data."""
    qs = CertificationBody.objects.annotate(
        scheme_count=count_of(Scheme, "lsp"),
        test_site_count=count_of(TestSite, "lsp"),
        assessor_count=count_of(Assessor, "lsp"),
    )
    if active_only:
        qs = qs.filter(is_active=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(licence_number__icontains=q))
    return qs.order_by("name")


def lsp_get(*, pk: int) -> CertificationBody:
    lsp = lsp_list().filter(pk=pk).first()
    if lsp is None:
        raise Http404(_("LSP tidak ditemukan."))
    return lsp


def scheme_list(*, q: str = "", active_only: bool = False) -> QuerySet[Scheme]:
    qs = Scheme.objects.select_related("lsp").prefetch_related(
        Prefetch("units", queryset=SchemeUnit.objects.order_by("unit_code"))
    )
    if active_only:
        qs = qs.filter(is_active=True, lsp__is_active=True)
    if q:
        qs = qs.filter(
            Q(name__icontains=q) | Q(code__icontains=q) | Q(lsp__name__icontains=q)
        ).distinct()
    return qs.order_by("lsp__name", "code")


def scheme_get(*, pk: int) -> Scheme:
    scheme = scheme_list().filter(pk=pk).first()
    if scheme is None:
        raise Http404(_("Skema tidak ditemukan."))
    return scheme


def test_site_list(*, q: str = "") -> QuerySet[TestSite]:
    qs = TestSite.objects.select_related("lsp", "regency")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(lsp__name__icontains=q))
    return qs.order_by("lsp__name", "name")


def test_site_get(*, pk: int) -> TestSite:
    site = test_site_list().filter(pk=pk).first()
    if site is None:
        raise Http404(_("TUK tidak ditemukan."))
    return site


def assessor_list(*, q: str = "", active_only: bool = False) -> QuerySet[Assessor]:
    qs = Assessor.objects.select_related("lsp", "user")
    if active_only:
        qs = qs.filter(is_active=True, user__is_active=True)
    if q:
        qs = qs.filter(
            Q(registration_number__icontains=q)
            | Q(user__username__icontains=q)
            | Q(user__first_name__icontains=q)
            | Q(user__last_name__icontains=q)
            | Q(lsp__name__icontains=q)
        )
    return qs.order_by("lsp__name", "user__first_name", "user__username")


def assessor_get(*, pk: int) -> Assessor:
    assessor = assessor_list().filter(pk=pk).first()
    if assessor is None:
        raise Http404(_("Asesor tidak ditemukan."))
    return assessor


def assessor_candidates() -> QuerySet[User]:
    """Active accounts with the assessor role that are not yet registered to an LSP."""
    return User.objects.filter(role=Role.ASSESSOR, is_active=True, assessor__isnull=True).order_by(
        "first_name", "username"
    )
