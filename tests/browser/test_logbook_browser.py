"""In real headless Chromium on a phone (390×844, Indonesian): a facilitator logs three
activities with the network off, they wait on the device, arrive once when it comes back;
the month is submitted, the coordinator approves it, and the caseload of record, the workload
per person and the WISN workload show it."""

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from distribution import selectors as distribution_selectors
from distribution import services as distribution
from distribution.models import CaseloadRecord
from incentives.models import AllowanceKind
from incentives.selectors.engagements import engagement_breakdown
from logbook.demo import activity_types_load_file
from logbook.models import Entry, MonthlyReport
from tests.factories import EngagementFactory, PersonFactory, UserFactory, make_nik
from tests.logbook.allowance import caseload_allowance_scale

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),  # a no-op off in-memory SQLite
]

PASSWORD = "rahasia-uji-123"
PHONE = {"width": 390, "height": 844}


def sign_in(page, username: str) -> None:
    page.goto("/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_url(lambda url: "/masuk/" not in url)


def log_activity(page, activity: str, served: int) -> None:
    page.select_option("#village-1", index=1)
    page.select_option("#type-1", label=activity)
    page.fill("#clients-1", str(served))
    page.fill("#minutes-1", "45")
    page.click("form[data-outbox] button[type=submit]")


@pytest.fixture
def field(reference_data, programmes):
    activity_types_load_file()
    admin = UserFactory(role="admin_nasional", username="admin-uji")
    distribution.staffing_standard_create(
        actor=admin,
        programme=programmes["lanjut-usia"],
        name="Uji lansia 1:10",
        kind="rasio",
        source="Uji",
        need_unit="lansia",
        caseload_per_facilitator=10,
    )
    birth = dt.date(1991, 4, 2)
    person = PersonFactory(
        full_name="Rina Lestari",
        name_key="RINA LESTARI",
        nik=make_nik(birth_date=birth, serial=71, sex="P"),
        birth_date=birth,
        sex="P",
    )
    engagement = EngagementFactory(
        person=person,
        programme=programmes["lanjut-usia"],
        district_id="32.04.05",
        harmonised_level=3,
    )
    caseload_allowance_scale(admin=admin, programme=programmes["lanjut-usia"])
    UserFactory(username="rina", role="pendamping", person=person)
    coordinator = UserFactory(
        username="koordinator",
        role="koordinator",
        scope_province_id="32",
        scope_regency_id="32.04",
        programmes=[programmes["lanjut-usia"]],
    )
    return engagement, coordinator, admin


def test_offline_logbook_to_approved_caseload(browser, live_server, field):
    engagement, coordinator, admin = field
    month = timezone.localdate().replace(day=1)
    context = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(20_000)

    # given: the facilitator opens the logbook once with signal (the app installs itself)
    sign_in(page, "rina")
    expect(page.locator("h1")).to_have_text("Catatan kegiatan")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    # when: the signal is gone, three activities are logged
    context.set_offline(True)
    expect(page.locator("#net-status")).to_contain_text("Luring")
    log_activity(page, "Kunjungan rumah", 3)
    log_activity(page, "Konferensi kasus", 5)
    log_activity(page, "Pelatihan yang diberikan", 10)

    # then: they wait on the device, also after the page is opened again without signal
    expect(page.locator("#outbox [data-count]")).to_have_text("3")
    assert Entry.objects.count() == 0
    page.reload()
    expect(page.locator("#outbox [data-count]")).to_have_text("3")
    expect(page.locator("#outbox")).to_contain_text("Konferensi kasus")

    # when: the signal returns, they are sent by themselves, once
    context.set_offline(False)
    expect(page.locator("#outbox")).to_be_hidden()
    expect(page.locator("#entries li")).to_have_count(3)
    assert Entry.objects.filter(origin="perangkat").count() == 3

    # and the month is submitted
    page.click("form.lb-submit button")
    expect(page.locator("#report-status")).to_have_text("Diajukan")
    expect(page.locator("#report-cases")).to_have_text("8")

    # when: the coordinator approves it on their phone
    other = browser.new_context(base_url=live_server.url, locale="id-ID", viewport=PHONE)
    coordinator_page = other.new_page()
    coordinator_page.set_default_timeout(20_000)
    sign_in(coordinator_page, "koordinator")
    coordinator_page.click("label.menu-button")  # on a phone the menu is folded
    coordinator_page.click("text=Catatan kegiatan")
    coordinator_page.click("#review-queue a")
    coordinator_page.click("button[value=setujui]")
    expect(coordinator_page.locator("#report-status")).to_have_text("Disetujui")

    # then: the workload per person names her, overloaded (8 of 10 is fine; see the index)
    coordinator_page.goto("/kegiatan/beban-kerja/?region=32.04")
    row = coordinator_page.locator("#workload-people tbody tr", has_text="Rina Lestari")
    expect(row).to_contain_text("0,8")
    # and the WISN workload of the district counts her month
    coordinator_page.goto(f"/sebaran/beban-kerja/?region=32.04&period={month:%Y-%m}")
    expect(coordinator_page.locator("#workload-totals")).to_contain_text("Klaster Lanjut Usia")

    # and the standard incentive's breakdown pays the caseload allowance: 8 cases, 3 above 5
    admin_context = browser.new_context(base_url=live_server.url, locale="id-ID")
    admin_page = admin_context.new_page()
    admin_page.set_default_timeout(20_000)
    sign_in(admin_page, "admin-uji")
    admin_page.goto(f"/insentif/penugasan/{engagement.uid}/")
    allowance_row = admin_page.locator("tr", has_text="Beban kasus lansia")
    expect(allowance_row).to_contain_text("30.000")
    admin_context.close()

    # database: three entries, one approved report, the caseload of record from the logbook
    assert Entry.objects.filter(engagement=engagement).count() == 3
    report = MonthlyReport.objects.get(engagement=engagement)
    assert (report.status, report.entries, report.cases) == ("disetujui", 3, 8)
    record = CaseloadRecord.objects.get(engagement=engagement, period=month)
    assert (record.cases, record.source) == (8, "logbook")
    wisn = distribution_selectors.workload(user=coordinator, code="32.04", period=month)
    totals = dict(wisn["totals"])
    load = next(v for k, v in totals.items() if k.slug == "lanjut-usia")
    assert (load.reporting, load.cases) == (1, 8)
    _e, breakdown = engagement_breakdown(user=admin, uid=engagement.uid, on=timezone.localdate())
    paid = [c.amount for c in breakdown.components if c.kind == AllowanceKind.CASELOAD]
    assert paid == [30_000]
    context.close()
    other.close()
