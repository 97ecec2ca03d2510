"""Certification reference data pages: LSP, schemes, test sites (TUK) and assessors, for
the certification managers alone."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from competency import selectors, services
from competency.forms import AssessorForm, LspForm, SchemeForm, TestSiteForm
from competency.views._common import form_submit, posted, require_certification_manager
from registry.models import ROMAN


def _manage_list(request, template: str, rows) -> HttpResponse:
    require_certification_manager(request.user)
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(rows(q=q), 50).get_page(request.GET.get("page"))
    return render(
        request,
        template,
        {"page": page, "q": q, "today": timezone.localdate(), "roman": ROMAN},
    )


@login_required
def lsp_list(request):
    return _manage_list(request, "competency/lsp_list.html", selectors.lsp_list)


@login_required
def lsp_create(request):
    require_certification_manager(request.user)
    form = LspForm(posted(request))

    def write(data) -> str:
        lsp = services.lsp_create(actor=request.user, **data)
        return _("%(name)s didaftarkan.") % {"name": lsp.name}

    return form_submit(request, form, write, title=_("LSP baru"), back="competency:lsp-list")


@login_required
def lsp_update(request, pk):
    require_certification_manager(request.user)
    lsp = selectors.lsp_get(pk=pk)
    title = _("Ubah %(name)s") % {"name": lsp.name}  # a refused update may leave the object changed
    initial = {name: getattr(lsp, name) for name in services.LSP_FIELDS}
    form = LspForm(posted(request), initial=initial, editing=True)

    def write(data) -> str:
        services.lsp_update(actor=request.user, lsp=lsp, data=data)
        return _("%(name)s diperbarui.") % {"name": lsp.name}

    return form_submit(request, form, write, title=title, back="competency:lsp-list")


@login_required
def scheme_list(request):
    return _manage_list(request, "competency/scheme_list.html", selectors.scheme_list)


@login_required
def scheme_create(request):
    require_certification_manager(request.user)
    form = SchemeForm(posted(request), lsps=selectors.lsp_list(active_only=True))

    def write(data) -> str:
        scheme = services.scheme_create(
            actor=request.user,
            lsp=data["lsp"],
            code=data["code"],
            name=data["name"],
            unit_codes=data["units"],
            level=data["level"],
            validity_years=data["validity_years"],
            renewal_rule=data["renewal_rule"],
        )
        return _("Skema %(name)s ditambahkan.") % {"name": scheme.name}

    return form_submit(
        request, form, write, title=_("Skema sertifikasi baru"), back="competency:scheme-list"
    )


@login_required
def scheme_update(request, pk):
    require_certification_manager(request.user)
    scheme = selectors.scheme_get(pk=pk)
    title = _("Ubah skema %(name)s") % {
        "name": scheme.name
    }  # a refused update may leave the object changed
    initial = {
        "name": scheme.name,
        "level": scheme.level,
        "validity_years": scheme.validity_years,
        "renewal_rule": scheme.renewal_rule,
        "is_active": scheme.is_active,
        "units": ", ".join(u.unit_code for u in scheme.units.all()),
    }
    form = SchemeForm(posted(request), initial=initial, lsps=selectors.lsp_list(), scheme=scheme)

    def write(data) -> str:
        data = {**data, "unit_codes": data["units"]}
        services.scheme_update(actor=request.user, scheme=scheme, data=data)
        return _("Skema %(name)s diperbarui.") % {"name": scheme.name}

    return form_submit(request, form, write, title=title, back="competency:scheme-list")


@login_required
def test_site_list(request):
    return _manage_list(request, "competency/test_site_list.html", selectors.test_site_list)


@login_required
def test_site_create(request):
    require_certification_manager(request.user)
    form = TestSiteForm(posted(request), lsps=selectors.lsp_list(active_only=True))

    def write(data) -> str:
        site = services.test_site_create(
            actor=request.user,
            lsp=data["lsp"],
            name=data["name"],
            kind=data["kind"],
            regency_id=data["regency"].pk if data["regency"] else None,
            address=data["address"],
        )
        return _("TUK %(name)s ditambahkan.") % {"name": site.name}

    return form_submit(request, form, write, title=_("TUK baru"), back="competency:test-site-list")


@login_required
def test_site_update(request, pk):
    require_certification_manager(request.user)
    site = selectors.test_site_get(pk=pk)
    title = _("Ubah TUK %(name)s") % {
        "name": site.name
    }  # a refused update may leave the object changed
    initial = {
        "name": site.name,
        "kind": site.kind,
        "regency": site.regency_id,
        "address": site.address,
    }
    form = TestSiteForm(posted(request), initial=initial, lsps=selectors.lsp_list(), site=site)

    def write(data) -> str:
        regency = data["regency"]
        data = {**data, "regency_id": regency.pk if regency else None}
        services.test_site_update(actor=request.user, site=site, data=data)
        return _("TUK %(name)s diperbarui.") % {"name": site.name}

    return form_submit(request, form, write, title=title, back="competency:test-site-list")


@login_required
def assessor_list(request):
    return _manage_list(request, "competency/assessor_list.html", selectors.assessor_list)


@login_required
def assessor_create(request):
    require_certification_manager(request.user)
    form = AssessorForm(
        posted(request),
        users=selectors.assessor_candidates(),
        lsps=selectors.lsp_list(active_only=True),
    )

    def write(data) -> str:
        assessor = services.assessor_create(actor=request.user, **data)
        return _("Asesor %(name)s didaftarkan.") % {"name": assessor.user}

    return form_submit(
        request, form, write, title=_("Asesor baru"), back="competency:assessor-list"
    )


@login_required
def assessor_update(request, pk):
    require_certification_manager(request.user)
    assessor = selectors.assessor_get(pk=pk)
    title = _("Ubah asesor %(name)s") % {
        "name": assessor.user
    }  # a refused update may leave the object changed
    initial = {
        "registration_number": assessor.registration_number,
        "is_active": assessor.is_active,
    }
    form = AssessorForm(
        posted(request), initial=initial, lsps=selectors.lsp_list(), assessor=assessor
    )

    def write(data) -> str:
        services.assessor_update(actor=request.user, assessor=assessor, data=data)
        return _("Asesor %(name)s diperbarui.") % {"name": assessor.user}

    return form_submit(request, form, write, title=title, back="competency:assessor-list")
