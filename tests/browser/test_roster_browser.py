"""In real headless Chromium, Indonesian interface: a province operator builds the month's payment
list (daftar nominatif) for a regency typed by name, reads its lines and total, downloads the
XLSX, and the file, the page and the engine agree (issue 13)."""

import datetime as dt
import io
import os

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from accounts.models import AuditEntry
from incentives import selectors, services
from tests.browser.test_referral_browser import PASSWORD, sign_in
from tests.factories import EngagementFactory, PersonFactory, UserFactory

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("shared_connection_lock"),  # a no-op off in-memory SQLite
]

MARCH = dt.date(2026, 3, 1)


def rupiah(amount: int) -> str:
    """As the page writes money: Rp2.627.680."""
    return "Rp" + f"{amount:,}".replace(",", ".")


@pytest.fixture
def payroll(reference_data, programmes):
    """The shipped example standard in force, PKH paying it from March 2026; three people paid in
    Kab. Bandung (two by the standard, one by the current amount) and one in Kab. Bandung Barat."""
    admin = UserFactory(role="admin_nasional", password=PASSWORD)
    services.incentive_example_load(actor=admin)
    services.adoption_record(
        actor=admin, programme=programmes["pkh"], effective_month=MARCH, decision_ref="SK-PKH-1"
    )
    paid = [
        EngagementFactory(
            person=PersonFactory(full_name="Ani Suryani"),
            programme=programmes["pkh"],
            regency_id="32.04",
            district_id="32.04.05",
            position_level=3,
            monthly_incentive=2_000_000,
        ),
        EngagementFactory(
            person=PersonFactory(full_name="Bayu Pratama"),
            programme=programmes["pkh"],
            regency_id="32.04",
            district_id="32.04.06",
            position_level=5,
            monthly_incentive=2_400_000,
        ),
        EngagementFactory(
            person=PersonFactory(full_name="Citra Lestari"),
            programme=programmes["lanjut-usia"],
            regency_id="32.04",
            monthly_incentive=1_750_000,
        ),
    ]
    EngagementFactory(
        person=PersonFactory(full_name="Dodi Barat"),
        programme=programmes["pkh"],
        regency_id="32.17",
        position_level=3,
    )
    operator = UserFactory(
        username="operator-jabar",
        role="operator_provinsi",
        scope_province_id="32",
        password=PASSWORD,
    )
    return operator, paid


def test_payment_list_for_a_regency_typed_by_name(page, live_server, traffic, payroll):
    operator, paid = payroll
    # what the engine computes for each: PKH by the standard, the elderly cluster as imported
    expected = {}
    for engagement in paid:
        _, breakdown = selectors.engagement_breakdown(user=operator, uid=engagement.uid, on=MARCH)
        pkh = engagement.programme.slug == "pkh"
        expected[engagement.person.full_name] = (
            breakdown.standard if pkh else engagement.monthly_incentive
        )
    assert expected["Ani Suryani"] and expected["Bayu Pratama"]
    assert expected["Ani Suryani"] != 2_000_000  # the standard, not the imported amount
    total = sum(expected.values())

    # when: the operator types the regency's name, picks it and builds March's list
    sign_in(page, operator.username)
    page.goto("/insentif/nominatif/")
    region = page.locator("#id_region")
    region.press_sequentially("kab bandung")
    expect(page.locator('#id_region_pilihan [data-code="32.17"]')).to_contain_text("Bandung Barat")
    page.locator('#id_region_pilihan [data-code="32.04"]').click()
    expect(region).to_have_value("Kab. Bandung — Jawa Barat")
    page.fill("#id_month", "2026-03")
    page.click("#roster-build")

    # then: the lines and the total, in Indonesian figures
    expect(page.locator("main h2").first).to_have_text("Kabupaten Bandung — Maret 2026")
    expect(page.locator("#roster-summary")).to_have_text(f"3 penerima, jumlah {rupiah(total)}.")
    lines = page.locator("#roster-lines tbody tr")
    expect(lines).to_have_count(3)
    for name, amount in expected.items():
        row = lines.filter(has_text=name)
        expect(row).to_contain_text(rupiah(amount))
    expect(page.locator("#roster-lines")).not_to_contain_text("Dodi Barat")
    expect(page.locator("#roster-total")).to_have_text(rupiah(total))
    expect(page.locator("#roster-lines tfoot")).to_contain_text("Jumlah (3 penerima)")

    # and the XLSX downloaded from the page carries the same lines and total
    with page.expect_download() as download:
        page.click("#roster-xlsx")
    assert download.value.suggested_filename == "nominatif-32.04-202603.xlsx"
    with open(download.value.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read()))["Daftar nominatif"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Daftar nominatif insentif pendamping — Kabupaten Bandung"
    header = rows.index(next(r for r in rows if r[0] == "no"))
    amount_at = rows[header].index("jumlah_bulan_ini")
    in_file = {r[1]: r[amount_at] for r in rows[header + 1 :] if isinstance(r[0], int)}
    assert in_file == expected
    (sum_row,) = [r for r in rows if r[1] == "JUMLAH"]
    assert sum_row[amount_at] == total

    # then: the export is audited with its region, rows and total
    entry = AuditEntry.objects.filter(object_type="incentives.roster", changes__format="xlsx").get()
    assert entry.actor == operator
    assert entry.changes["region"] == "32.04"
    assert entry.changes["month"] == "2026-03-01"
    assert (entry.changes["rows"], entry.changes["total"]) == (3, total)
    assert not traffic.failures, traffic.failures
    strays = [u for u in traffic.requests if not u.startswith(live_server.url)]
    assert not strays, strays
