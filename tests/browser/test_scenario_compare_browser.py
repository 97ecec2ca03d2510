"""In real headless Chromium, in Indonesian: a province operator compares the incentive standard
for one regency typed by name in the region picker, then for another typed without picking, and
downloads that comparison; the spreadsheet counts what the database holds."""

import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import AuditEntry
from incentives.services import incentive_example_load
from registry.models import Engagement
from tests.browser.journeys import sign_in
from tests.factories import EngagementFactory, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),  # a no-op off in-memory SQLite
]

PASSWORD = "rahasia-uji-123"


def headcount(page):
    """The comparison's first line, "Penugasan", for the standard in force."""
    return page.locator("tbody tr", has_text="Penugasan").first.locator("td.num").first


def test_operator_compares_a_regency_typed_by_name_and_downloads_it(
    page, traffic, reference_data, programmes
):
    # given: the example standard in force, facilitators in three West Java regencies, and the
    # province's operator
    admin = UserFactory(username="admin", role="admin_nasional")
    incentive_example_load(actor=admin)
    for regency, count in (("32.04", 2), ("32.73", 3), ("32.05", 1)):
        for _ in range(count):
            EngagementFactory(programme=programmes["pkh"], regency_id=regency, position_level=3)
    UserFactory(
        username="operator-jabar",
        role="operator_provinsi",
        scope_province_id="32",
        password=PASSWORD,
    )

    # when: the operator opens the comparison (the whole province) and picks "Kab. Bandung"
    # from the names offered while typing
    sign_in(page, "operator-jabar")
    page.goto("/insentif/skenario/banding/")
    expect(headcount(page)).to_have_text("6")
    region = page.locator("#id_region")
    region.press_sequentially("kabupaten bandung")
    option = page.locator('#id_region_pilihan [data-code="32.04"]')
    expect(option).to_contain_text("Kab. Bandung")
    option.click()
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(lambda url: "region=" in url)

    # then: the figures are the regency's, and the picker shows it by name
    expect(region).to_have_value("Kab. Bandung — Jawa Barat")
    expect(headcount(page)).to_have_text("2")

    # when: a name that is no region is typed and sent
    region.fill("Kabupaten Atlantis")
    region.press("Escape")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(lambda url: "Atlantis" in url)

    # then: the page says why, in words, and shows no figures to download
    expect(page.get_by_role("alert")).to_contain_text(
        "“Kabupaten Atlantis” tidak ditemukan sebagai provinsi/kabupaten/kota dalam wilayah kerja"
    )
    expect(page.get_by_role("link", name="Unduh XLSX")).to_have_count(0)

    # when: the city is typed in full and sent without picking from the list
    region.fill("Kota Bandung")
    region.press("Escape")
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_url(lambda url: "Kota" in url)
    expect(region).to_have_value("Kota Bandung — Jawa Barat")
    expect(headcount(page)).to_have_text("3")
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh XLSX").click()

    # then: the spreadsheet counts the city's active engagements as the database holds them
    assert download.value.suggested_filename.startswith("skenario-insentif-")
    with open(download.value.path(), "rb") as handle:  # a temporary name without ".xlsx"
        sheet = load_workbook(handle, read_only=True)["Ringkasan"]
        rows = list(sheet.iter_rows(values_only=True))
    columns = rows[0]
    total = dict(zip(columns, rows[1], strict=True))
    in_db = Engagement.objects.filter(regency_id="32.73", status=Engagement.Status.ACTIVE).count()
    assert total["kelompok"] == "JUMLAH"
    assert total["jumlah_penugasan"] == in_db == 3
    assert [row[1] for row in rows[2:]] == ["Jawa Barat"]
    assert AuditEntry.objects.filter(object_type="incentives.scenario_export").count() == 1
    assert not traffic.failures
