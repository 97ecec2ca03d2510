"""In real headless Chromium: a PKH facilitator refers an elderly person to the elderly-cluster
facilitator of the same district, who accepts, works and completes the case."""

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from collaboration.models import Referral
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

# Playwright's sync API runs an asyncio loop in this thread; the ORM calls that set up the data
# must still be allowed (tests/browser/conftest.py sets this too, and provides ``browser``,
# ``page`` and ``reference_data``, skipping with a message when Chromium is missing unless CI).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),  # a no-op off in-memory SQLite
]

PASSWORD = "rahasia-uji-123"
VILLAGE = "32.04.05.2001"


def facilitator(username: str, slug: str, serial: int, programmes):
    birth = dt.date(1990, 6, 1)
    person = PersonFactory(
        full_name=username.title(),
        name_key=username.upper(),
        nik=make_nik(birth_date=birth, serial=serial),
        birth_date=birth,
    )
    EngagementFactory(
        person=person,
        programme=programmes[slug],
        district_id=VILLAGE[:8],
        village_id=VILLAGE,
    )
    return UserFactory(username=username, role="pendamping", person=person)


def sign_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/masuk/" not in url)


def test_referral_from_sending_to_completion(
    browser, page, live_server, traffic, reference_data, programmes
):
    # given: two facilitators of different clusters in the same district
    facilitator("budi", "pkh", 81, programmes)
    rina = facilitator("rina", "lanjut-usia", 82, programmes)

    # when: Budi (PKH) sends a referral to Rina (elderly cluster)
    sign_in(page, "budi")
    page.goto(f"/kolaborasi/rujukan/baru/?desa={VILLAGE}")
    page.select_option("#id_receiver_programme", label="Klaster Lanjut Usia")
    page.select_option("#id_receiver", value=str(rina.pk))
    page.fill("#id_subject_name", "Mbah Sarinah")
    page.fill("#id_need", "Lansia dengan disabilitas netra, tinggal sendiri")
    page.select_option("#id_urgency", "tinggi")
    # first without consent: refused, with the reason on the page
    page.click("#referral-send")
    expect(page.locator(".messages")).to_contain_text("persetujuan")
    page.check("#id_consent")
    page.fill("#id_consent_note", "lisan, disaksikan ketua RT")
    page.click("#referral-send")
    expect(page.locator("#referral-status")).to_have_text("Terkirim")

    # then: Rina finds it in her inbox and walks it to completion
    other = browser.new_context(base_url=live_server.url, locale="id-ID")
    rina_page = other.new_page()
    rina_page.set_default_timeout(20_000)
    sign_in(rina_page, "rina")
    rina_page.goto("/kolaborasi/")
    expect(rina_page.locator("#inbox-referrals")).to_contain_text("Klaster Lanjut Usia")
    rina_page.click("#inbox-referrals a")
    for button, status in [
        ("#act-terima", "Diterima"),
        ("#act-proses", "Diproses"),
        ("#act-selesai", "Selesai"),
    ]:
        rina_page.fill("#referral-note", f"catatan {status}")
        rina_page.click(button)
        expect(rina_page.locator("#referral-status")).to_have_text(status)
    expect(rina_page.locator("#referral-history")).to_contain_text("catatan Selesai")
    other.close()

    # and Budi sees the outcome and history
    page.goto("/kolaborasi/rujukan/")
    expect(page.locator("#referral-table")).to_contain_text("Selesai")
    referral = Referral.objects.get()
    assert referral.status == Referral.Status.COMPLETED
    assert [e.action for e in referral.events.all()] == ["kirim", "terima", "proses", "selesai"]
    strays = [u for u in traffic.requests if not u.startswith(live_server.url)]
    assert not strays, strays
