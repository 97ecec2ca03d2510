"""In real headless Chromium: sign in, filter, search, open a person; nothing leaves the host."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from registry.nik import mask_nik
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

# Live-server requests take turns on in-memory SQLite (conftest.py, shared_connection_lock).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shared_connection_lock")]

PASSWORD = "rahasia-uji-123"


@pytest.fixture
def people(reference_data, programmes) -> dict:
    def person(name: str, regency: str, serial: int, slug: str, sex: str = "P"):
        birth_date = dt.date(1986, 5, 20)
        p = PersonFactory(
            full_name=name,
            name_key=name.upper(),
            sex=sex,
            birth_date=birth_date,
            nik=make_nik(regency=regency, birth_date=birth_date, sex=sex, serial=serial),
        )
        EngagementFactory(person=p, programme=programmes[slug], regency_id=regency)
        return p

    return {
        "ani": person("Ani Rahmawati", "32.04", 61, "anak"),
        "lina": person("Lina Marlina", "32.04", 62, "lanjut-usia"),
        "lukas": person("Lukas Hutapea", "32.73", 63, "lanjut-usia", sex="L"),
        "sari": person("Sari Wulandari", "35.78", 64, "pkh"),
    }


def sign_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("h1")).to_have_text("Registri pendamping")


def assert_stayed_home(traffic, live_server) -> None:
    assert traffic.requests, "the page made no requests at all"
    strays = [url for url in traffic.requests if not url.startswith(live_server.url)]
    assert not strays, f"requests left the host: {strays}"
    assert not traffic.failures, traffic.failures


def test_operator_filters_searches_and_opens_a_person(page, live_server, traffic, people):
    # given: a province operator of Jawa Barat (Sari, in Surabaya, is out of scope)
    UserFactory(username="op-jabar", role="operator_provinsi", scope_province_id="32")
    rows = page.locator("#person-table tbody")

    # when: signed in
    sign_in(page, "op-jabar")

    # then: the province's people, not Surabaya's
    expect(rows).to_contain_text("Ani Rahmawati")
    expect(rows).to_contain_text("Lukas Hutapea")
    expect(rows).not_to_contain_text("Sari Wulandari")

    # when: filtered by cluster (htmx swaps the rows in place)
    page.select_option("#f-cluster", "lanjut-usia")

    # then
    expect(rows).not_to_contain_text("Ani Rahmawati")
    expect(rows).to_contain_text("Lina Marlina")
    expect(rows).to_contain_text("Lukas Hutapea")

    # when: province, then a regency from the list the province loaded
    page.select_option("#f-province", "32")
    expect(page.locator('#f-regency option[value="32.73"]')).to_have_count(1)
    page.select_option("#f-regency", "32.73")

    # then
    expect(rows).not_to_contain_text("Lina Marlina")
    expect(rows).to_contain_text("Lukas Hutapea")

    # when: the filters are cleared and a name is searched
    page.click("text=Hapus filter")
    page.fill("#q", "marlina")
    page.press("#q", "Enter")

    # then
    expect(rows).to_contain_text("Lina Marlina")
    expect(rows).not_to_contain_text("Lukas Hutapea")
    expect(rows).to_contain_text(people["lina"].nik)  # operators see the full NIK

    # when: the person is opened
    page.click("text=Lina Marlina")

    # then
    expect(page.locator("h1")).to_contain_text("Lina Marlina")
    expect(page.locator("h1")).to_contain_text("Menunggu verifikasi")
    expect(page.locator("dl.facts code")).to_have_text(people["lina"].nik)
    expect(page.locator("table").first).to_contain_text("Klaster Lanjut Usia")
    assert_stayed_home(traffic, live_server)


def test_auditor_sees_the_nik_masked(page, live_server, traffic, people):
    # given
    UserFactory(username="auditor", role="auditor")
    ani = people["ani"]

    # when
    sign_in(page, "auditor")
    page.fill("#q", "rahmawati")
    page.press("#q", "Enter")
    expect(page.locator("#person-table tbody tr")).to_have_count(1)
    page.click("text=Ani Rahmawati")

    # then
    expect(page.locator("h1")).to_contain_text("Ani Rahmawati")
    expect(page.locator("dl.facts code")).to_have_text(mask_nik(ani.nik))
    assert mask_nik(ani.nik) == ani.nik[:4] + "*" * 12
    assert ani.nik not in page.content()
    assert_stayed_home(traffic, live_server)
