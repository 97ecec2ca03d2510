"""In real headless Chromium (issue 21): a facilitator refers a case to a puskesmas, a
registered receiving unit of another agency; the puskesmas answers through the link in its
e-mail, without an account, and the answer is on the referral."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from collaboration.models import ReceivingUnit, Referral
from tests.browser.test_referral_browser import VILLAGE, facilitator, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),
]


def test_a_puskesmas_answers_a_referral_through_its_link(
    browser, page, live_server, traffic, reference_data, programmes, settings
):
    # given: a PKH facilitator in the village's district, and the district's puskesmas
    settings.COMPETENCY_PUBLIC_BASE_URL = live_server.url
    facilitator("budi", "pkh", 91, programmes)
    unit = ReceivingUnit.objects.create(
        name="Puskesmas Cileunyi",
        agency_type="Puskesmas",
        regency_id="32.04",
        email="pkm.cileunyi@contoh.go.id",
    )

    # when: Budi sends the case to the puskesmas
    sign_in(page, "budi")
    page.goto(f"/kolaborasi/rujukan/baru/?desa={VILLAGE}")
    page.select_option("#id_receiver_programme", label="Klaster Lanjut Usia")
    page.select_option("#id_receiving_unit", value=str(unit.pk))
    page.fill("#id_subject_name", "Mbah Sarinah")
    page.fill("#id_need", "Pemeriksaan kesehatan lansia, tekanan darah tinggi")
    page.check("#id_consent")
    page.fill("#id_consent_note", "lisan, disaksikan ketua RT")
    page.click("#referral-send")
    expect(page.locator("#referral-status")).to_have_text("Terkirim")

    # then: the puskesmas got one e-mail with a link; opened without signing in
    (message,) = [m for m in mail.outbox if m.to == [unit.email]]
    link = re.search(r"https?://\S+/rujukan/jawab/\S+", message.body).group(0)
    anonymous = browser.new_context(locale="id-ID")
    unit_page = anonymous.new_page()
    unit_page.set_default_timeout(20_000)
    unit_page.goto(link)
    expect(unit_page.locator("dl.facts")).to_contain_text("Mbah Sarinah")

    # a decline without a reason is refused, saying what is missing; then it accepts
    unit_page.click("#unit-decline")
    expect(unit_page.locator(".msg.error")).to_contain_text("alasan")
    unit_page.fill("textarea[name=note]", "Kunjungan rumah Kamis pagi")
    unit_page.click("#unit-accept")
    expect(unit_page.locator("#unit-answer-done")).to_contain_text("diterima")

    # and the used link says so
    unit_page.goto(link)
    expect(unit_page.locator("#unit-link-problem")).to_contain_text("sudah dipakai")
    anonymous.close()

    # and the answer is recorded on the referral, visible to Budi
    referral = Referral.objects.get()
    assert referral.receiving_unit == unit and referral.status == Referral.Status.ACCEPTED
    assert [e.action for e in referral.events.all()] == ["kirim", "terima"]
    assert "Kunjungan rumah Kamis pagi" in referral.events.last().note
    page.goto(f"/kolaborasi/rujukan/{referral.uid}/")
    expect(page.locator("#referral-status")).to_have_text("Diterima")
    strays = [u for u in traffic.requests if not u.startswith(live_server.url)]
    assert not strays, strays
