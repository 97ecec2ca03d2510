"""Certificate pages: issue (from an assessment), list, detail, PDF, the signed credential,
renewal and revocation."""

from __future__ import annotations

import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts.models import AuditEntry
from accounts.services import audit_record
from competency import access, credentials, selectors, services
from competency.forms import RecommendForm, RenewForm, RevokeForm
from competency.models import Certificate
from competency.pdf import certificate_pdf as render_pdf
from competency.views._common import form_messages, message_errors
from registry.models import ROMAN


@login_required
@require_POST
def certificate_issue(request, uid):
    assessment = access.assessment_get(request.user, uid)
    try:
        certificate = services.certificate_issue(actor=request.user, assessment=assessment)
    except (ValidationError, PermissionDenied) as error:
        message_errors(request, error)
        return redirect("competency:assessment-detail", uid=uid)
    messages.success(request, _("Sertifikat %(number)s terbit.") % {"number": certificate.number})
    return redirect("competency:certificate-detail", uid=certificate.uid)


@login_required
def certificate_list(request):
    status = request.GET.get("status", "")
    q = (request.GET.get("q") or "").strip()[:100]
    page = Paginator(
        selectors.certificate_list(user=request.user, status=status, q=q), 50
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "competency/certificate_list.html",
        {"page": page, "status": status, "q": q, "statuses": Certificate.Status.choices},
    )


@login_required
def certificate_detail(request, uid):
    certificate = access.certificate_get(request.user, uid)
    # The service's own check; a revoked or already renewed certificate has no renewal.
    can_renew = (
        access.can_issue_certificate(request.user, lsp_id=certificate.lsp_id)
        and certificate.revoked_at is None
        and certificate.renewed_by_id is None
    )
    return render(
        request,
        "competency/certificate_detail.html",
        {
            "c": certificate,
            "units": certificate.units.all(),
            "verify_url": credentials.verification_url(certificate.public_id),
            "can_revoke": access.can_revoke(request.user) and certificate.revoked_at is None,
            "can_download_credential": access.can_download_credential(request.user, certificate),
            "form": RevokeForm(),
            "can_renew": can_renew,
            "renew_form": RenewForm(assessors=certificate.lsp.assessors.filter(is_active=True)),
            "history": selectors.certificate_history(certificate=certificate),
            "renewals": certificate.renewal_assessments.select_related("assessor__user"),
            "roman": ROMAN.get(certificate.level or 0, ""),
        },
    )


def _download_audit(request, certificate: Certificate, what: str) -> None:
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.EXPORT,
        obj=certificate,
        note=f"Unduh {what}",
        person_id=certificate.person_id,
    )


@login_required
def certificate_pdf(request, uid):
    certificate = access.certificate_get(request.user, uid)
    _download_audit(request, certificate, "PDF")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", certificate.number)
    response = HttpResponse(render_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sertifikat-{name}.pdf"'
    return response


@login_required
def certificate_credential(request, uid):
    certificate = access.certificate_get(request.user, uid)
    access.require(
        access.can_download_credential(request.user, certificate), access.CREDENTIAL_ONLY
    )
    if not certificate.counts_on(timezone.localdate()):
        raise Http404(_("Hanya sertifikat yang berlaku yang diterbitkan sebagai kredensial."))
    _download_audit(request, certificate, "kredensial")
    body = json.dumps(credentials.envelope(services.credential_for(certificate)), indent=2)
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", certificate.number)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="kredensial-{name}.json"'
    return response


@login_required
@require_POST
def certificate_renew(request, uid):
    """Start the renewal assessment the scheme's rule requires (never a one-click reissue)."""
    certificate = access.certificate_get(request.user, uid)
    access.require(
        access.can_issue_certificate(request.user, lsp_id=certificate.lsp_id),
        _("Hanya LSP penerbit yang memperpanjang sertifikat."),
    )
    form = RenewForm(
        request.POST,
        request.FILES,
        assessors=certificate.lsp.assessors.filter(is_active=True),
    )
    if not form.is_valid():
        form_messages(request, form)
        return redirect("competency:certificate-detail", uid=uid)
    try:
        assessment = services.certificate_renewal_start(
            actor=request.user, certificate=certificate, **form.cleaned_data
        )
    except ValidationError as error:
        message_errors(request, error)
        return redirect("competency:certificate-detail", uid=uid)
    messages.success(
        request,
        _(
            "Asesmen perpanjangan sertifikat %(number)s dijadwalkan %(date)s (%(rule)s). "
            "Asesor merekomendasikan, LSP memutuskan dan menerbitkan."
        )
        % {
            "number": certificate.number,
            "date": f"{assessment.scheduled_on:%d-%m-%Y}",
            "rule": assessment.scheme.get_renewal_rule_display(),
        },
    )
    return redirect("competency:assessment-detail", uid=assessment.uid)


@login_required
@require_POST
def assessment_recommend(request, uid):
    assessment = access.assessment_get(request.user, uid)
    access.require(
        access.can_judge(request.user, assessment), _("Asesmen ini tidak ditugaskan kepada Anda.")
    )
    form = RecommendForm(request.POST)
    form.is_valid()
    try:
        services.assessment_recommend(
            actor=request.user, assessment=assessment, note=form.cleaned_data.get("note", "")
        )
    except ValidationError as error:
        message_errors(request, error)
    else:
        messages.success(
            request,
            _(
                "Rekomendasi tersimpan. Manajer sertifikasi LSP memutuskan dan menerbitkan "
                "sertifikat."
            ),
        )
    return redirect("competency:assessment-detail", uid=uid)


@login_required
@require_POST
def certificate_revoke(request, uid):
    certificate = access.certificate_get(request.user, uid)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Alasan pencabutan wajib diisi."))
        return redirect("competency:certificate-detail", uid=uid)
    try:
        report = services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except (ValidationError, PermissionDenied) as error:
        message_errors(request, error)
    else:
        reviews = len(report.reviews_raised)
        messages.success(
            request,
            ngettext(
                "Sertifikat dicabut. %(n)s kasus tinjauan jenjang jabatan dibuka.",
                "Sertifikat dicabut. %(n)s kasus tinjauan jenjang jabatan dibuka.",
                reviews,
            )
            % {"n": reviews}
            if reviews
            else _("Sertifikat dicabut."),
        )
    return redirect("competency:certificate-detail", uid=uid)
