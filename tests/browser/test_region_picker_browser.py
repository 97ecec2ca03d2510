"""In real headless Chromium: a regency operator files a transfer, choosing the destination
regency and district by name from the search-as-you-type region picker (regions/forms.py)."""

import datetime as dt
import os

import pytest
from playwright.sync_api import expect

from collaboration.models import Request
from tests.browser.journeys import decide_in_own_sessions, sign_in
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),  # a no-op off in-memory SQLite
]

PASSWORD = "rahasia-uji-123"


def test_operator_picks_the_destination_by_name(page, traffic, reference_data, programmes):
    # given: a facilitator in Kab. Bandung and that regency's operator
    birth = dt.date(1988, 4, 2)
    person = PersonFactory(
        full_name="Rina Lestari",
        name_key="RINA LESTARI",
        nik=make_nik(birth_date=birth, serial=91),
        birth_date=birth,
    )
    engagement = EngagementFactory(
        person=person, programme=programmes["pkh"], regency_id="32.04", district_id="32.04.06"
    )
    UserFactory(
        username="operator",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
    )

    # when: the operator files a transfer, typing the names
    sign_in(page, "operator")
    page.goto(f"/kolaborasi/orang/{person.uid}/ajukan/")
    # the form asks only what the chosen kind needs: nothing but the kind before a choice
    expect(page.locator("#id_regency_id")).to_be_hidden()
    expect(page.locator("#id_reason")).to_be_visible()
    page.select_option("#id_kind", "mutasi")
    expect(page.locator("#id_level")).to_be_hidden()
    expect(page.locator("#id_employment_status")).to_be_hidden()
    expect(page.locator("#id_sk_number")).to_be_visible()
    page.select_option("#id_engagement", str(engagement.uid))
    regency = page.locator("#id_regency_id")
    regency.press_sequentially("kab bandung")
    first = page.locator('#id_regency_id_pilihan [role="option"]').first
    expect(first).to_contain_text("Kab. Bandung")
    expect(regency).to_have_attribute("aria-expanded", "true")
    regency.press("ArrowDown")
    regency.press("Enter")  # picks, does not submit the form
    expect(regency).to_have_value("Kab. Bandung — Jawa Barat")
    district = page.locator("#id_district_id")
    district.press_sequentially("cileu")
    option = page.locator('#id_district_id_pilihan [data-code="32.04.05"]')
    expect(option).to_contain_text("Cileunyi")
    option.click()
    expect(district).to_have_value("Cileunyi — Kab. Bandung, Jawa Barat")
    expect(page.locator("#id_district_id_pilihan")).to_be_hidden()
    page.fill("#id_sk_number", "SK-MUTASI-12")
    page.fill("#id_sk_date", "2026-02-01")
    page.fill("#id_effective_date", "2026-03-01")
    page.click("#request-submit")
    page.wait_for_url(lambda url: "/ajukan/" not in url)

    # then: the request carries the codes the names stand for
    request = Request.objects.get()
    assert request.kind == Request.Kind.TRANSFER
    assert request.payload["regency_id"] == "32.04"
    assert request.payload["district_id"] == "32.04.05"
    assert not traffic.failures


def test_a_transfer_by_name_is_verified_approved_and_applied(
    browser, page, live_server, traffic, reference_data, programmes
):
    # given: a facilitator in Kab. Bandung, its operator and verifier, and the PKH administrator
    person = PersonFactory(full_name="Dewi Sartika", name_key="DEWI SARTIKA")
    engagement = EngagementFactory(
        person=person, programme=programmes["pkh"], regency_id="32.04", district_id="32.04.06"
    )
    scope = {"scope_province_id": "32", "scope_regency_id": "32.04"}
    UserFactory(username="operator", role="operator_kabkota", password=PASSWORD, **scope)
    UserFactory(username="verifier", role="verifikator_kabkota", password=PASSWORD, **scope)
    UserFactory(
        username="admin-pkh",
        role="admin_klaster",
        password=PASSWORD,
        programmes=[programmes["pkh"]],
    )

    # when: the operator files the move to Kota Bandung, Kec. Sukajadi, typed by name
    sign_in(page, "operator")
    page.goto(f"/kolaborasi/orang/{person.uid}/ajukan/")
    page.select_option("#id_kind", "mutasi")
    page.select_option("#id_engagement", str(engagement.uid))
    page.locator("#id_regency_id").press_sequentially("kota bandung")
    page.locator('#id_regency_id_pilihan [data-code="32.73"]').click()
    page.locator("#id_district_id").press_sequentially("sukajadi")
    page.locator('#id_district_id_pilihan [data-code="32.73.07"]').click()
    page.fill("#id_sk_number", "SK-MUTASI-13")
    page.fill("#id_sk_date", "2026-02-01")
    page.fill("#id_effective_date", "2026-03-01")
    page.click("#request-submit")
    page.wait_for_url(lambda url: "/ajukan/" not in url)
    request = Request.objects.get()
    # the request page reads names, not field codes
    page.goto(f"/kolaborasi/permohonan/{request.uid}/")
    expect(page.locator("body")).to_contain_text("Kota Bandung")
    expect(page.locator("body")).not_to_contain_text("regency_id")

    # and the verifier verifies, the cluster administrator approves, each in their own session
    decide_in_own_sessions(
        browser, live_server, request, (("verifier", "verifikasi"), ("admin-pkh", "setujui"))
    )

    # then: approved, and the engagement now serves in Kota Bandung, Kec. Sukajadi
    request.refresh_from_db()
    assert request.status == Request.Status.APPROVED, request.status
    engagement.refresh_from_db()
    assert (engagement.regency_id, engagement.district_id) == ("32.73", "32.73.07")
    assert engagement.sk_number == "SK-MUTASI-13"
    assert not traffic.failures
