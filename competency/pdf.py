"""The certificate as a PDF (WeasyPrint), in Indonesian, with a QR code to the public
verification page. Nothing is fetched while rendering: the QR code is inline SVG, the style is
in the template, and the URL fetcher refuses every URL."""

import segno
from django.template.loader import render_to_string
from django.utils import timezone, translation

from competency import credentials
from competency.models import Certificate, verification_code_display
from competency.qualification import catalogue_in_force
from registry.models import ROMAN


def qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=3, dark="#0b3954", border=2)


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"Sumber luar tidak dimuat saat membuat PDF: {url}")


def _person_name(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _assessor(certificate: Certificate) -> dict[str, str] | None:
    """Who assessed (the assessor recommends; the LSP's manager signs the decision)."""
    assessment = certificate.assessment
    if assessment is None:
        return None
    return {
        "name": _person_name(assessment.assessor.user),
        "registration": assessment.assessor.registration_number,
    }


def certificate_pdf(certificate: Certificate) -> bytes:
    # Inside: WeasyPrint loads Pango and its fonts (slow, heavy); only the PDF path needs it.
    from weasyprint import HTML

    return HTML(string=certificate_html(certificate), url_fetcher=_no_fetch).write_pdf()


def certificate_html(certificate: Certificate) -> str:
    """The page the PDF is printed from."""
    url = credentials.verification_url(certificate.public_id)
    catalogue = catalogue_in_force()
    level_title = catalogue.level_titles.get(certificate.level or 0, "") if catalogue else ""
    # A legal Indonesian document: its labels (status, LSP kind) stay Indonesian whatever the
    # interface language; the template says so too ({% language "id" %}).
    with translation.override("id"):
        return render_to_string(
            "competency/certificate_pdf.html",
            {
                "c": certificate,
                "units": certificate.units.all(),
                "qr": qr_svg(url),
                "verify_url": url,
                "roman": ROMAN.get(certificate.level or 0, ""),
                "level_title": level_title,
                "status": Certificate.Status(certificate.status_on(timezone.localdate())).label,
                "code": verification_code_display(certificate.public_id),
                "lookup_url": f"{credentials.base_url()}/verifikasi/",
                "signatory": _person_name(certificate.created_by),
                "assessor": _assessor(certificate),
            },
        )
