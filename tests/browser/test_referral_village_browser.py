"""In real headless Chromium, Indonesian interface: a PKH facilitator refers a case to a village
typed by name in the referral page's region picker (issue 13), without knowing its code."""

import os

import pytest
from playwright.sync_api import expect

from collaboration.models import Referral
from tests.browser.test_referral_browser import facilitator, sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),  # a no-op off in-memory SQLite
]

CIMEKAR = "32.04.05.2003"  # Desa Cimekar, Kec. Cileunyi, Kab. Bandung


def test_referral_to_a_village_typed_by_name(
    page, live_server, traffic, reference_data, programmes
):
    # given: two facilitators of different clusters in Kec. Cileunyi
    facilitator("budi", "pkh", 81, programmes)
    rina = facilitator("rina", "lanjut-usia", 82, programmes)

    # when: Budi opens the referral page with no village yet
    sign_in(page, "budi")
    page.goto("/kolaborasi/rujukan/baru/")
    # the page asks for the village first; the rest of the form waits for it
    expect(page.locator("main")).to_contain_text("Mulai dari desa/kelurahan")
    expect(page.locator("#referral-send")).to_have_count(0)

    # and types the village's name, picks it from the list and looks up its facilitators
    village = page.locator("#f-desa")
    village.press_sequentially("cimekar")
    option = page.locator(f'#f-desa_pilihan [data-code="{CIMEKAR}"]')
    expect(option).to_contain_text("Cimekar")
    expect(option).to_contain_text("Cileunyi")
    option.click()
    expect(village).to_have_value("Cimekar — Cileunyi, Kab. Bandung, Jawa Barat")
    page.click("#village-load")
    expect(page.locator("#referral-village")).to_contain_text("Desa Cimekar, Kec. Cileunyi")

    # then picks the receiver among the district's facilitators, gives consent and sends
    page.select_option("#id_receiver_programme", label="Klaster Lanjut Usia")
    page.select_option("#id_receiver", value=str(rina.pk))
    page.fill("#id_subject_name", "Mbah Karsih")
    page.fill("#id_need", "Lansia tinggal sendiri, perlu pendampingan rutin")
    page.check("#id_consent")
    page.fill("#id_consent_note", "lisan, disaksikan kader posyandu")
    page.click("#referral-send")
    expect(page.locator("#referral-status")).to_have_text("Terkirim")

    # then: the referral is stored for that village, to Rina, sent
    referral = Referral.objects.get()
    assert referral.village_id == CIMEKAR
    assert referral.receiver_id == rina.pk
    assert referral.receiver_programme.slug == "lanjut-usia"
    assert referral.status == Referral.Status.SENT
    assert referral.consent is True
    assert not traffic.failures, traffic.failures
    strays = [u for u in traffic.requests if not u.startswith(live_server.url)]
    assert not strays, strays
