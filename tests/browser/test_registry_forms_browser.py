"""In real headless Chromium, Indonesian interface: add a facilitator choosing province then
regency by name, and save a person and an engagement unchanged — each ends in the database."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from registry.models import Engagement, Person
from tests.browser.test_registry_browser import assert_stayed_home, sign_in
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shared_connection_lock")]

BIRTH = dt.date(1981, 10, 26)


@pytest.fixture
def operator(reference_data):
    return UserFactory(
        username="op-bandung",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
    )


@pytest.fixture
def engagement(reference_data, programmes):
    person = PersonFactory(
        full_name="Siti Aminah",
        name_key="SITI AMINAH",
        sex="P",
        birth_date=BIRTH,
        birth_place="Bandung",
        nik=make_nik(regency="32.04", birth_date=BIRTH, sex="P", serial=71),
        address_province_id="32",
        address_regency_id="32.04",
        address_district_id="32.04.05",
    )
    return EngagementFactory(
        person=person,
        programme=programmes["lanjut-usia"],
        regency_id="32.04",
        district_id="32.04.05",
        sk_number="SK-12/2019",
        sk_date=dt.date(2019, 9, 2),
        start_date=dt.date(2019, 10, 1),
        monthly_incentive=2_500_000,
    )


def _stored(obj) -> dict:
    obj.refresh_from_db()
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.name not in {"updated_at"}
    }


def test_operator_adds_a_facilitator_choosing_province_then_regency(
    page, live_server, traffic, operator, programmes
):
    # given
    nik = make_nik(regency="32.04", birth_date=dt.date(1990, 3, 12), sex="P", serial=72)
    sign_in(page, "op-bandung")

    # when: the form is filled, the regions chosen by name
    page.goto("/registri/baru/")
    expect(page.locator("h1")).to_have_text("Tambah pendamping")
    page.fill("#id_p-nik", nik)
    page.fill("#id_p-full_name", "Rina Susanti")
    page.select_option("#id_p-sex", "P")
    page.fill("#id_p-birth_date", "1990-03-12")
    page.select_option("#id_e-programme", label="Klaster Anak")
    page.fill("#id_e-legacy_title", "Sakti Peksos")
    page.select_option("#id_e-employment_status", label="Kontrak")
    page.fill("#id_e-monthly_incentive", "Rp 2.500.000")
    page.select_option("#id_e-province", label="Jawa Barat")
    regency = page.locator("#id_e-regency option", has_text="Kabupaten Bandung (32.04)")
    expect(regency).to_have_count(1)  # the regency list filled from the province
    page.select_option("#id_e-regency", label="Kabupaten Bandung (32.04)")
    expect(page.locator("#id_e-district option", has_text="Cileunyi")).to_have_count(1)
    page.select_option("#id_e-district", label="Cileunyi (32.04.05)")
    page.fill("#id_e-sk_date", "2024-02-01")
    page.click("button:has-text('Simpan')")

    # then
    expect(page.locator("h1")).to_contain_text("Rina Susanti")
    person = Person.objects.get(nik=nik)
    engagement = person.engagements.get()
    assert person.birth_date == dt.date(1990, 3, 12)
    assert (engagement.province_id, engagement.regency_id, engagement.district_id) == (
        "32",
        "32.04",
        "32.04.05",
    )
    assert engagement.sk_date == dt.date(2024, 2, 1)
    assert engagement.monthly_incentive == 2_500_000
    assert engagement.employment_status == "kontrak"
    assert engagement.programme == programmes["anak"]
    assert_stayed_home(traffic, live_server)


def test_changing_the_province_empties_the_lower_levels(page, operator):
    # given
    sign_in(page, "op-bandung")
    page.goto("/registri/baru/")
    page.select_option("#id_e-province", label="Jawa Barat")
    page.select_option("#id_e-regency", label="Kabupaten Bandung (32.04)")
    expect(page.locator("#id_e-district option", has_text="Cileunyi")).to_have_count(1)

    # when
    page.select_option("#id_e-province", label="Jawa Tengah")

    # then: Jawa Tengah's regencies, and no Bandung district left to choose
    expect(page.locator("#id_e-regency option", has_text="Kabupaten Cilacap")).to_have_count(1)
    expect(page.locator("#id_e-district option", has_text="Cileunyi")).to_have_count(0)


def test_operator_saves_a_person_unchanged(page, live_server, traffic, operator, engagement):
    # given
    person = engagement.person
    before = _stored(person)
    sign_in(page, "op-bandung")

    # when
    page.goto(f"/registri/{person.uid}/ubah/")
    expect(page.locator("h1")).to_contain_text("Ubah data")
    expect(page.locator("#id_p-birth_date")).to_have_value("1981-10-26")  # not empty
    page.click("button:has-text('Simpan')")

    # then
    expect(page.locator("body")).to_contain_text("Perubahan tersimpan")
    assert _stored(person) == before
    assert_stayed_home(traffic, live_server)


def test_operator_saves_an_engagement_unchanged(page, live_server, traffic, operator, engagement):
    # given
    before = _stored(engagement)
    sign_in(page, "op-bandung")

    # when
    page.goto(f"/penugasan/{engagement.uid}/ubah/")
    expect(page.locator("#id_e-sk_date")).to_have_value("2019-09-02")
    expect(page.locator("#id_e-start_date")).to_have_value("2019-10-01")
    page.click("button:has-text('Simpan')")

    # then
    expect(page.locator("body")).to_contain_text("Penugasan diperbarui")
    after = _stored(engagement)
    assert after == before, {k: (v, after[k]) for k, v in before.items() if after[k] != v}
    assert after["sk_date"] == dt.date(2019, 9, 2)
    assert_stayed_home(traffic, live_server)


def test_without_javascript_the_regencies_load_with_a_button(browser, live_server, operator):
    # given: a browser with JavaScript off
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", java_script_enabled=False
    )
    page = context.new_page()
    try:
        sign_in(page, "op-bandung")
        page.goto("/registri/baru/")

        # when
        page.select_option("#id_e-province", label="Jawa Barat")
        page.click("button:has-text('Tampilkan kabupaten/kota')")

        # then: the same form, nothing saved, the regency list filled
        expect(page.locator("h1")).to_have_text("Tambah pendamping")
        expect(page.locator("#id_e-province")).to_have_value("32")
        expect(
            page.locator("#id_e-regency option", has_text="Kabupaten Bandung (32.04)")
        ).to_have_count(1)
        assert not Person.objects.filter(full_name="").exists()
        assert Engagement.objects.count() == 0
    finally:
        context.close()
