"""Public pages, no sign-in: certificate verification, the revocation status list and the
issuer's public key. They carry no personal data beyond the holder's name and certificate
facts."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from competency import credentials, selectors, services
from competency.models import Certificate, verification_code_display, verification_code_read
from registry.models import ROMAN


@require_GET
@cache_control(no_cache=True, max_age=0)
def verify_lookup(request):
    """A box to type the verification code printed on the certificate (under its QR code)."""
    typed = (request.GET.get("kode") or "").strip()[:200]
    if typed:
        certificate = selectors.certificate_public(public_id=verification_code_read(typed))
        if certificate is not None:
            return redirect("competency_public:verify", public_id=certificate.public_id)
    return render(
        request,
        "competency/verify_lookup.html",
        {"typed": typed, "not_found": bool(typed)},
        status=404 if typed else 200,
    )


@require_GET
@cache_control(no_cache=True, max_age=0)
def verify_page(request, public_id):
    """Validity for anyone holding the QR code: name and certificate facts, nothing else."""
    certificate = selectors.certificate_public(public_id=public_id)
    if certificate is None:
        return render(request, "competency/verify.html", {"found": False}, status=404)
    today = timezone.localdate()
    return render(
        request,
        "competency/verify.html",
        {
            "found": True,
            "c": certificate,
            "code": verification_code_display(certificate.public_id),
            "status": certificate.status_on(today),
            "status_label": Certificate.Status(certificate.status_on(today)).label,
            "counts": certificate.counts_on(today),
            "units": certificate.units.all(),
            "roman": ROMAN.get(certificate.level or 0, ""),
            "today": today,
        },
    )


@require_GET
@cache_control(max_age=300)
def status_list(request):
    """The signed revocation status list (BitstringStatusListCredential as VC-JWT)."""
    return HttpResponse(services.status_list_token(), content_type="application/vc+jwt")


@require_GET
@cache_control(max_age=3600)
def jwks(request):
    """The issuer's public key(s), for anyone verifying a credential."""
    return JsonResponse(credentials.jwks(), content_type="application/jwk-set+json")
