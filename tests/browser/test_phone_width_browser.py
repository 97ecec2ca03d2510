"""At 390×844 (a phone), in Indonesian, the pages operators and facilitators use every day have
no horizontal scroll: the document is never wider than the viewport (issue 13)."""

import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("shared_connection_lock")]

PASSWORD = "rahasia-uji-123"
PHONE = {"width": 390, "height": 844}

# The widest elements, to name them when a page is too wide.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.querySelectorAll('body *')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && getComputedStyle(el).position !== 'fixed') {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className : '';
      const id = el.id ? '#' + el.id : '';
      wide.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(box.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


@pytest.fixture
def field(reference_data, programmes):
    birth = dt.date(1988, 7, 14)
    rina = PersonFactory(
        full_name="Rina Lestari Wulandari Kusumawardhani",
        name_key="RINA LESTARI WULANDARI KUSUMAWARDHANI",
        titles_back="S.Sos., M.Kesos.",
        sex="P",
        birth_date=birth,
        nik=make_nik(regency="32.04", birth_date=birth, sex="P", serial=71),
        phone="081234567890",
        email="rina.lestari.wulandari@example.id",
    )
    EngagementFactory(
        person=rina,
        programme=programmes["lanjut-usia"],
        regency_id="32.04",
        district_id="32.04.05",
        legacy_title="Pendamping Sosial Lanjut Usia Kecamatan Cileunyi",
        sk_number="800/1234/Dinsos/2024",
        harmonised_level=4,
    )
    for serial in range(72, 80):
        PersonFactory(
            full_name=f"Pendamping Contoh Nomor {serial}",
            nik=make_nik(regency="32.04", birth_date=birth, sex="L", serial=serial),
        )
        EngagementFactory(person=PersonFactory(), regency_id="32.04")
    UserFactory(
        username="op-bandung",
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
    )
    UserFactory(
        username="rina",
        role="pendamping",
        person=rina,
        scope_province_id="32",
        scope_regency_id="32.04",
    )
    return rina


def _phone_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def _sign_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    expect(page.locator("#id_username")).to_have_count(0)


def _too_wide(page, paths: list[str]) -> dict:
    found = {}
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, (path, response.status)
        page.wait_for_load_state("networkidle")
        measured = page.evaluate(WIDEST)
        if measured["scroll"] > measured["width"]:
            found[path] = measured
    return found


def test_operator_pages_fit_a_phone(browser, live_server, transactional_db, field):
    context, page = _phone_page(browser, live_server)
    _sign_in(page, "op-bandung")
    paths = [
        "/registri/",
        f"/registri/{field.uid}/",
        "/kolaborasi/",
        "/kolaborasi/permohonan/",
        "/kolaborasi/rujukan/",
        # the payment list built for a regency (typed by name in its journey)
        "/insentif/nominatif/?region=32.04&month=2026-03",
    ]
    too_wide = _too_wide(page, paths)
    assert not too_wide, json.dumps(too_wide, indent=1)
    context.close()


def test_facilitator_pages_fit_a_phone(browser, live_server, transactional_db, field):
    context, page = _phone_page(browser, live_server)
    _sign_in(page, "rina")
    paths = [
        "/kegiatan/",
        "/kolaborasi/saya/",
        "/kolaborasi/",
        "/kolaborasi/rujukan/",
        "/kolaborasi/rujukan/baru/",
        # the referral's second step, once the village is chosen (its journey types it by name)
        "/kolaborasi/rujukan/baru/?desa=32.04.05.2003",
    ]
    too_wide = _too_wide(page, paths)
    assert not too_wide, json.dumps(too_wide, indent=1)
    context.close()
