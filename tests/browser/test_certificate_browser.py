"""The public certificate verification page in real headless Chromium: valid, then revoked;
only the holder's name and certificate facts are shown; nothing leaves the host."""

import datetime as dt

import pytest

# The session's one Chromium (conftest.py): a second sync_playwright in the same worker would
# refuse to start inside the first one's asyncio loop.
# Live-server requests take turns on in-memory SQLite (conftest.py, shared_connection_lock).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shared_connection_lock")]


@pytest.fixture
def issued(transactional_db, settings, tmp_path):
    """A certificate issued through the real services on a small framework in force."""
    from accounts.services import system_user
    from competency import services
    from framework.harmonize import framework_version_activate
    from framework.services import framework_version_agree, framework_version_import
    from registry.models import Programme
    from registry.services import programmes_load
    from tests.competency.conftest import DOCUMENT, U
    from tests.factories import PersonFactory, UserFactory

    settings.COMPETENCY_SIGNING_KEY_PATH = tmp_path / "kunci.pem"
    settings.MEDIA_ROOT = tmp_path / "media"
    if not Programme.objects.exists():
        programmes_load()
    actor = system_user()
    version = framework_version_import(actor=actor, document=DOCUMENT, source="uji")
    framework_version_activate(
        actor=actor, version=framework_version_agree(actor=actor, version=version)
    )
    lsp = services.lsp_create(
        actor=actor,
        name="LSP Uji",
        kind="P2",
        licence_number="BNSP-LSP/009/2021",
        licence_valid_until=dt.date(2030, 1, 1),
    )
    assessor_user = UserFactory(role="asesor")
    assessor = services.assessor_create(
        actor=actor, user=assessor_user, lsp=lsp, registration_number="MET.1"
    )
    scheme = services.scheme_create(
        actor=actor,
        lsp=lsp,
        code="skema-iii",
        name="Asisten Pendamping Pembangunan",
        unit_codes=[U[1], U[2], U[3]],
        level=3,
    )
    person = PersonFactory(full_name="Dewi Lestari", phone="+6281111111111")
    assessment = services.assessment_schedule(
        actor=actor, person=person, scheme=scheme, assessor=assessor, scheduled_on=dt.date.today()
    )
    for n in (1, 2, 3):
        services.unit_result_record(
            actor=assessor_user, assessment=assessment, unit_code=U[n], verdict="K"
        )
    services.assessment_recommend(actor=assessor_user, assessment=assessment)
    certificate = services.certificate_issue(actor=actor, assessment=assessment)
    return {"certificate": certificate, "actor": actor, "person": person}


def test_verification_page_in_chromium(browser, live_server, issued):
    from playwright.sync_api import expect

    from competency import services

    certificate, person = issued["certificate"], issued["person"]
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(20_000)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        # when: anyone scans the QR code (no sign-in)
        page.goto(f"/verifikasi/{certificate.public_id}/")

        # then: valid, with the name and the certificate's facts only
        expect(page.locator("#verification-result")).to_contain_text("SAH")
        expect(page.locator("#verification-result")).to_have_attribute("data-status", "berlaku")
        expect(page.locator("#holder")).to_have_text("Dewi Lestari")
        expect(page.get_by_text(certificate.number)).to_be_visible()
        body = page.locator("body").inner_text()
        assert person.nik not in body and person.phone not in body

        # when: the certificate is revoked, the same link says so
        services.certificate_revoke(actor=issued["actor"], certificate=certificate, reason="Uji")
        page.reload()
        expect(page.locator("#verification-result")).to_have_attribute("data-status", "dicabut")
        expect(page.locator("#verification-result")).to_contain_text("dicabut")

        # an unknown identifier is simply not found
        response = page.goto("/verifikasi/bukan-kode-yang-sah/")
        assert response.status == 404
        expect(page.locator("#verification-result")).to_contain_text("tidak ditemukan")
    finally:
        context.close()
    assert requests and all(url.startswith(live_server.url) for url in requests), requests
