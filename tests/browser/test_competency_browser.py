"""Certification on the web, in real headless Chromium: a national administrator registers an
LSP, a scheme with units, a TUK and an assessor through the forms and schedules an assessment;
the assessor decides its units in the page's one form (an empty submit saves nothing, a missing
date names its unit, one Belum Kompeten unit is retaken with evidence; the status follows) and
recommends; the LSP decides and issues the certificate; its page links to the public
verification page, which says it is valid and shows no NIK. Nothing leaves the host and no
response fails."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from competency.models import Assessment, Certificate, UnitResult
from registry.nik import mask_nik
from tests.competency.conftest import DOCUMENT, U
from tests.factories import PersonFactory, UserFactory, make_nik

# Playwright's sync API runs an asyncio loop in this thread; the ORM calls that set up the data
# must still be allowed (tests/browser/conftest.py sets this too, and provides ``browser``,
# ``page``, ``traffic`` and ``reference_data``).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# On SQLite, page loads and their htmx requests must not overlap on the shared connection
# (conftest.py, ``shared_connection_lock``).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),
]

PASSWORD = "rahasia-uji-123"
# Screenshots of the walk, to be looked at (not compared).
SCREENS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp/satupintu-screens"))
SCREENS.mkdir(parents=True, exist_ok=True)
UNITS = [U[1], U[2], U[3]]  # level III of the test framework: core 1 and 2, one of 3 and 4
LSP = "LSP Pendamping Nusantara"
SCHEME = "Asisten Pendamping Pembangunan"


@pytest.fixture
def framework_in_force(reference_data):
    """The small test framework (tests/competency/conftest.py), agreed and in force, so that
    schemes can name its units."""
    from accounts.services import system_user
    from framework.harmonize import framework_version_activate
    from framework.services import framework_version_agree, framework_version_import

    actor = system_user()
    version = framework_version_import(actor=actor, document=DOCUMENT, source="uji")
    framework_version_activate(
        actor=actor, version=framework_version_agree(actor=actor, version=version)
    )


@pytest.fixture
def keys(settings, tmp_path, live_server):
    """The signing key in this test's folder; verification links point at this server."""
    settings.COMPETENCY_SIGNING_KEY_PATH = tmp_path / "kunci" / "ed25519.pem"
    settings.COMPETENCY_PUBLIC_BASE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"  # the assessor's evidence upload


def sign_in(page, username: str, then: str = "") -> None:
    page.goto(f"/masuk/?next={then}" if then else "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/masuk/" not in url)


def save_form(page, fields: dict[str, str], selects: dict[str, str]) -> None:
    for field, value in fields.items():
        page.fill(f"#id_{field}", value)
    for field, label in selects.items():
        page.select_option(f"#id_{field}", label=label)
    page.click("form.form-grid button[type=submit]")


def test_certification_from_registration_to_public_verification(
    browser, page, live_server, traffic, framework_in_force, keys
):
    # given: a national administrator, an assessor's account and a registered person
    UserFactory(username="admin-sertifikasi", role="admin_nasional")
    UserFactory(username="asesor-web", role="asesor", first_name="Rudi", last_name="Hartono")
    birth = dt.date(1990, 3, 14)
    person = PersonFactory(
        full_name="Dewi Kartika",
        name_key="DEWI KARTIKA",
        sex="P",
        birth_date=birth,
        nik=make_nik(regency="32.73", birth_date=birth, sex="P", serial=77),
        phone="+6281299998888",
    )
    today = dt.date.today()
    messages = page.locator(".messages")

    # when: the administrator registers the LSP, the scheme, the TUK and the assessor
    sign_in(page, "admin-sertifikasi")
    page.goto("/kompetensi/lsp/baru/")
    save_form(
        page,
        {
            "name": LSP,
            "licence_number": "BNSP-LSP/077/2022",
            "licence_valid_from": "2022-01-01",
            "licence_valid_until": f"{today.year + 4}-12-31",
        },
        {"kind": "LSP P2"},
    )
    expect(messages).to_contain_text(f"{LSP} didaftarkan.")

    page.goto("/kompetensi/skema/baru/")
    save_form(
        page,
        {"code": "asisten-pendamping", "name": SCHEME, "units": ", ".join(UNITS)},
        {"lsp": LSP, "level": "III"},
    )
    expect(messages).to_contain_text(f"Skema {SCHEME} ditambahkan.")

    page.goto("/kompetensi/tuk/baru/")
    save_form(
        page,
        {"name": "Balai Dinas Sosial Kota Bandung", "address": "Jl. Soekarno-Hatta 1"},
        {"lsp": LSP, "kind": "TUK mandiri", "regency": "32.73 Kota Bandung"},
    )
    expect(messages).to_contain_text("TUK Balai Dinas Sosial Kota Bandung ditambahkan.")

    page.goto("/kompetensi/daftar-asesor/baru/")
    save_form(
        page,
        {"registration_number": "MET.000.077.2022"},
        {"user": "Rudi Hartono (asesor-web)", "lsp": LSP},
    )
    expect(messages).to_contain_text("Asesor Rudi Hartono didaftarkan.")
    expect(page.locator("table")).to_contain_text("MET.000.077.2022")

    # and schedules the person's assessment
    page.goto("/kompetensi/asesmen/baru/")
    save_form(
        page,
        {"nik": person.nik, "scheduled_on": today.isoformat()},
        {
            "scheme": f"{LSP} — {SCHEME}",
            "assessor": f"Rudi Hartono (asesor-web) · MET.000.077.2022 · {LSP}",
            "test_site": f"{LSP} — Balai Dinas Sosial Kota Bandung",
        },
    )

    # then: the assessment page, units not yet judged
    expect(messages).to_contain_text("Asesmen Dewi Kartika dijadwalkan.")
    expect(page.locator("h1")).to_have_text("Asesmen: Dewi Kartika")
    expect(page.locator("#unit-results tbody tr")).to_have_count(len(UNITS))
    expect(page.locator("#unit-results")).not_to_contain_text("Kompeten")
    expect(page.locator("#assessment-status")).to_have_text("Dijadwalkan")

    # when: the assessor opens it from the worklist
    other = browser.new_context(base_url=live_server.url, locale="id-ID")
    assessor_page = other.new_page()
    assessor_page.set_default_timeout(20_000)
    assessor_page.on("request", lambda request: traffic.requests.append(request.url))
    assessor_page.on("response", traffic.on_response)
    sign_in(assessor_page, "asesor-web", then="/kompetensi/")
    assessor_page.click("text=Daftar kerja")
    assessor_page.click("text=Dewi Kartika")
    expect(assessor_page.locator("h1")).to_have_text("Asesmen: Dewi Kartika")

    # then: one form, every unit with its code and title, no verdict chosen, the test day offered
    unit = {
        code: assessor_page.locator(f'fieldset.unit-decision[data-unit="{code}"]') for code in UNITS
    }
    for n, code in zip((1, 2, 3), UNITS, strict=True):
        expect(unit[code].locator("legend").first).to_have_text(f"{code} Unit uji {n}")
        expect(unit[code].get_by_label("Belum diputuskan")).to_be_checked()
        expect(unit[code].get_by_label("Kompeten", exact=True)).not_to_be_checked()
        expect(unit[code].get_by_label("Tanggal uji")).to_have_value(today.isoformat())
    expect(assessor_page.locator("#decisions-submit")).to_have_count(1)
    # on a phone, the unit fields stack: nothing wider than the screen
    assessor_page.set_viewport_size({"width": 390, "height": 844})
    assert assessor_page.evaluate("document.documentElement.scrollWidth") <= 390
    assessor_page.screenshot(path=str(SCREENS / "asesmen-keputusan-390.png"), full_page=True)
    assessor_page.set_viewport_size({"width": 1366, "height": 900})

    # when: sent untouched
    assessor_page.click("#decisions-submit")

    # then: nothing saved, and the page says so
    expect(assessor_page.locator(".messages")).to_contain_text(
        "Belum ada unit yang diputuskan: tidak ada yang disimpan."
    )
    assert not UnitResult.objects.filter(assessment__person=person).exists()

    # when: all three decided, one Belum Kompeten, the last one's date cleared
    unit[UNITS[0]].get_by_label("Kompeten", exact=True).check()
    unit[UNITS[0]].get_by_label("Catatan").fill("Observasi langsung, portofolio lengkap")
    unit[UNITS[1]].get_by_label("Belum Kompeten").check()
    unit[UNITS[1]].get_by_label("Catatan").fill("Rencana kerja desa belum disusun")
    unit[UNITS[2]].get_by_label("Kompeten", exact=True).check()
    unit[UNITS[2]].get_by_label("Tanggal uji").fill("")
    assessor_page.click("#decisions-submit")

    # then: nothing saved; the problem names the unit and the field; the choices are kept
    expect(assessor_page.locator("#decision-problems")).to_contain_text(
        f"Unit {UNITS[2]}: tanggal uji wajib diisi."
    )
    expect(unit[UNITS[2]].locator(".errorlist")).to_have_text("tanggal uji wajib diisi")
    expect(unit[UNITS[1]].get_by_label("Belum Kompeten")).to_be_checked()
    assert not UnitResult.objects.filter(assessment__person=person).exists()

    # when: the date is given and the form sent again
    unit[UNITS[2]].get_by_label("Tanggal uji").fill(today.isoformat())
    assessor_page.click("#decisions-submit")

    # then: all three saved at once; the status shows the Belum Kompeten unit; it may be retaken
    expect(assessor_page.locator(".messages")).to_contain_text(
        f"Keputusan tersimpan: {UNITS[0]} Kompeten, {UNITS[1]} Belum Kompeten, "
        f"{UNITS[2]} Kompeten. Status asesmen: Ada unit Belum Kompeten."
    )
    expect(assessor_page.locator("#assessment-status")).to_have_text("Ada unit Belum Kompeten")
    expect(unit[UNITS[0]]).to_contain_text("sudah Kompeten, tidak diputuskan lagi.")
    expect(unit[UNITS[0]].locator("input")).to_have_count(0)
    expect(unit[UNITS[1]]).to_contain_text("Uji ulang: keputusan baru menjadi percobaan ke-2.")
    expect(assessor_page.locator("text=Rekomendasikan kompeten")).to_have_count(0)

    # when: the retake, Kompeten, with the evidence of the observation
    unit[UNITS[1]].get_by_label("Kompeten", exact=True).check()
    unit[UNITS[1]].get_by_label("Bukti (berkas)").set_input_files(
        {"name": "observasi-ulang.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 uji"}
    )
    assessor_page.click("#decisions-submit")

    # then: every unit Kompeten, ready for the recommendation
    expect(assessor_page.locator("#assessment-status")).to_have_text(
        "Semua unit Kompeten, siap direkomendasikan"
    )
    expect(assessor_page.locator("#decisions-submit")).to_have_count(0)
    judged = Assessment.objects.get(person=person)
    assert judged.status == Assessment.Status.READY
    assert sorted(judged.results.values_list("unit_code", "attempt", "verdict")) == [
        (UNITS[0], 1, "K"),
        (UNITS[1], 1, "BK"),
        (UNITS[1], 2, "K"),
        (UNITS[2], 1, "K"),
    ]
    assert judged.results.get(unit_code=UNITS[1], attempt=2).evidence.name.endswith(
        "observasi-ulang.pdf"
    )

    # then: the assessor cannot issue; they recommend (the maker)
    expect(assessor_page.locator("button", has_text="Terbitkan")).to_have_count(0)
    assessor_page.fill("input[name=note]", "Semua unit kompeten, portofolio lengkap")
    assessor_page.click("text=Rekomendasikan kompeten")
    expect(assessor_page.locator(".messages")).to_contain_text(
        "Rekomendasi tersimpan. Manajer sertifikasi LSP memutuskan dan menerbitkan sertifikat."
    )
    expect(assessor_page.locator(".msg.info")).to_contain_text("Menunggu keputusan")
    expect(assessor_page.locator("button", has_text="Terbitkan")).to_have_count(0)
    assessor_page.screenshot(path=str(SCREENS / "asesmen-rekomendasi.png"), full_page=True)

    # when: the LSP (here the national administrator acting for it) decides and issues
    page.goto(assessor_page.url.removeprefix(live_server.url))
    expect(page.locator("dl.facts")).to_contain_text("Rekomendasi asesor")
    page.click("text=Putuskan kompeten dan terbitkan sertifikat")
    assessor_page = page  # the rest of the walk reads the LSP's certificate page

    # then: the certificate page, valid, with the scheme's units and both steps in its history
    history = page.locator("h2:has-text('Riwayat sertifikat') + ul li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Asesor merekomendasikan kompeten (Rudi Hartono)")
    expect(history.nth(1)).to_contain_text(f"{LSP} memutuskan dan menerbitkan")
    page.screenshot(path=str(SCREENS / "sertifikat-riwayat.png"), full_page=True)
    issued = Certificate.objects.select_related("assessment__recommended_by", "created_by").get(
        person=person
    )
    assert issued.assessment.recommended_by.username == "asesor-web"
    assert issued.assessment.status == Assessment.Status.DONE
    assert issued.created_by.username == "admin-sertifikasi"
    title = assessor_page.locator("h1")
    expect(title).to_contain_text("Sertifikat ")
    expect(title.locator(".badge")).to_have_text("Berlaku")
    number = title.inner_text().removeprefix("Sertifikat ").removesuffix("Berlaku").strip()
    assert re.fullmatch(rf"\d{{3}}/ASISTEN-PENDAMPING/{today.year}/000001", number), number
    facts = assessor_page.locator("dl.facts")
    expect(facts).to_contain_text("Dewi Kartika")
    expect(facts).to_contain_text(LSP)
    expect(facts).to_contain_text("III")
    units = assessor_page.locator("h2:has-text('Unit kompetensi') + ul li")
    expect(units).to_have_count(len(UNITS))
    for code in UNITS:
        expect(units.filter(has_text=code)).to_have_count(1)

    # when: anyone follows its public verification link (no sign-in)
    link = facts.locator(f'a[href^="{live_server.url}/verifikasi/"]')
    verify_url = link.get_attribute("href")
    other.close()
    public = browser.new_context(base_url=live_server.url, locale="id-ID")
    public_page = public.new_page()
    public_page.set_default_timeout(20_000)
    public_page.on("request", lambda request: traffic.requests.append(request.url))
    public_page.on("response", traffic.on_response)
    public_page.goto(verify_url)

    # then: valid, the holder's name and the certificate's facts, no NIK nor phone
    result = public_page.locator("#verification-result")
    expect(result).to_contain_text("SAH")
    expect(result).to_have_attribute("data-status", "berlaku")
    expect(public_page.locator("#holder")).to_have_text("Dewi Kartika")
    expect(public_page.locator("#status")).to_have_text("Berlaku")
    expect(public_page.locator("dl.facts")).to_contain_text(number)
    html = public_page.content()
    assert person.nik not in html and mask_nik(person.nik) not in html
    assert person.phone not in html
    public.close()

    strays = [url for url in traffic.requests if not url.startswith(live_server.url)]
    assert not strays, f"requests left the host: {strays}"
    assert not traffic.failures, traffic.failures
