"""The monthly roster: scope, masking of payment details, held-out people, XLSX and PDF."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from accounts.models import AuditEntry
from incentives import exports, services
from registry.models import Flag
from tests.factories import EngagementFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


@pytest.fixture
def operator_3204(db):
    return UserFactory(role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04")


@pytest.fixture
def people(standard):
    paid = PersonFactory(
        full_name="Ani Bandung", bank_name="BRI", bank_account="1234567890", npwp="123456789012345"
    )
    city = PersonFactory(full_name="Budi Kota")
    flagged = PersonFactory(full_name="Cici Rangkap")
    Flag.objects.create(
        person=flagged, code=Flag.Code.CONCURRENT_PAID, reason="Rangkap: lanjut-usia & pkh."
    )
    return {
        "paid": EngagementFactory(
            person=paid,
            regency_id="32.04",
            district_id="32.04.05",
            position_level=3,
            monthly_incentive=2_500_000,
        ),
        "city": EngagementFactory(person=city, regency_id="32.73", position_level=3),
        "flagged": EngagementFactory(person=flagged, regency_id="32.04", position_level=3),
    }


def _names(roster):
    return [line.person_name for line in roster.lines]


def test_operator_of_3204_sees_only_3204(operator_3204, people):
    roster = exports.roster_read(user=operator_3204, region="", month=MARCH, fmt="html")
    assert _names(roster) == ["Ani Bandung"]
    assert {line.regency_code for line in roster.lines} == {"32.04"}
    other = exports.roster_read(user=operator_3204, region="32.73", month=MARCH, fmt="html")
    assert other.lines == [] and other.held_out == []


def test_flagged_person_is_held_out_with_the_reason(operator_3204, people):
    roster = exports.roster_read(user=operator_3204, region="32.04", month=MARCH, fmt="html")
    assert "Cici Rangkap" not in _names(roster)
    assert [(h.person_name, h.reasons) for h in roster.held_out] == [
        ("Cici Rangkap", ["Rangkap: lanjut-usia & pkh."])
    ]
    Flag.objects.update(resolved_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC))
    roster = exports.roster_read(user=operator_3204, region="32.04", month=MARCH, fmt="html")
    assert "Cici Rangkap" in _names(roster)


def test_payment_role_sees_account_and_npwp(operator_3204, people):
    line = exports.roster_read(user=operator_3204, region="32.04", month=MARCH, fmt="html").lines[0]
    assert (line.bank_account, line.npwp) == ("1234567890", "123456789012345")


def test_non_payment_roles_see_them_masked(people):
    auditor = UserFactory(role="auditor")
    roster = exports.roster_read(user=auditor, region="32.04", month=MARCH, fmt="html")
    line = next(x for x in roster.lines if x.person_name == "Ani Bandung")
    assert roster.masked
    assert line.bank_account == "******7890"
    assert line.npwp == "************345"
    assert "*" in line.nik


def test_current_amount_until_the_programme_adopts_the_standard(
    operator_3204, people, national_admin, programmes
):
    def amount(month):
        roster = exports.roster_read(user=operator_3204, region="32.04", month=month, fmt="html")
        line = roster.lines[0]
        return line.basis, line.amount

    services.adoption_record(
        actor=national_admin,
        programme=programmes["lanjut-usia"],
        effective_month=dt.date(2026, 2, 1),
        decision_ref="SK-Penerapan",
    )
    assert amount(dt.date(2026, 1, 1)) == ("saat ini", 2_500_000)
    assert amount(MARCH) == ("standar", 2_627_680 + 262_768)


def test_ended_engagement_counts_for_the_months_it_ran(operator_3204, standard):
    EngagementFactory(
        person=PersonFactory(full_name="Dedi Selesai"),
        regency_id="32.04",
        position_level=3,
        status="berakhir",
        start_date=dt.date(2025, 1, 1),
        end_date=dt.date(2026, 2, 14),
    )
    february = exports.roster_read(
        user=operator_3204, region="", month=dt.date(2026, 2, 1), fmt="html"
    )
    march = exports.roster_read(user=operator_3204, region="", month=MARCH, fmt="html")
    assert "Dedi Selesai" in _names(february)
    assert "Dedi Selesai" not in _names(march)


def test_roster_xlsx_and_pdf_are_written_and_audited(operator_3204, people):
    xlsx = io.BytesIO()
    exports.roster_export(user=operator_3204, region="32.04", month=MARCH, fmt="xlsx", output=xlsx)
    workbook = load_workbook(io.BytesIO(xlsx.getvalue()))
    values = [c for row in workbook["Daftar nominatif"].iter_rows(values_only=True) for c in row]
    assert "Ani Bandung" in values and "1234567890" in values
    held = list(workbook["Ditahan"].iter_rows(values_only=True))
    assert held[1][0] == "Cici Rangkap"

    pdf = io.BytesIO()
    exports.roster_export(user=operator_3204, region="32.04", month=MARCH, fmt="pdf", output=pdf)
    assert pdf.getvalue().startswith(b"%PDF")

    entries = AuditEntry.objects.filter(object_type="incentives.roster").order_by("at", "id")
    assert [(e.changes["format"], e.changes["rows"], e.changes["held_out"]) for e in entries] == [
        ("xlsx", 1, 1),
        ("pdf", 1, 1),
    ]
    assert entries[0].actor == operator_3204


def test_roles_without_export_cannot_open_the_roster(people):
    from django.core.exceptions import PermissionDenied

    verifier = UserFactory(
        role="verifikator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    with pytest.raises(PermissionDenied):
        exports.roster_read(user=verifier, region="32.04", month=MARCH, fmt="html")


def test_an_unknown_amount_is_held_with_what_to_complete_never_a_line_of_rp0(operator_3204, people):
    # given: a facilitator whose current pay was never imported, in a programme that has not
    # adopted the standard
    unknown = PersonFactory(full_name="Dedi Tanpa Besaran")
    EngagementFactory(person=unknown, regency_id="32.04", position_level=3, monthly_incentive=None)

    # when
    roster = exports.roster_read(user=operator_3204, region="32.04", month=MARCH, fmt="html")

    # then: no line pays Rp0; Dedi waits with the reason, and the total is the lines' sum
    assert all(line.amount > 0 for line in roster.lines)
    assert "Dedi Tanpa Besaran" not in _names(roster)
    held = {h.person_name: h.reasons for h in roster.held_out}
    assert "lengkapi besaran insentif" in held["Dedi Tanpa Besaran"][0]
    assert roster.total == sum(line.amount for line in roster.lines) == 2_500_000


def test_the_printed_roster_has_the_office_heading_and_signature_blocks(operator_3204, people):
    roster = exports.roster_read(user=operator_3204, region="32.04", month=MARCH, fmt="html")

    html = exports.roster_html(roster, user=operator_3204)

    assert "PEMERINTAH KABUPATEN BANDUNG" in html and "DINAS SOSIAL" in html
    assert "Kepala Dinas Sosial" in html and "tempat cap dan tanda tangan" in html
    assert "Pembuat daftar" in html and operator_3204.username in html


def test_the_number_column_reads_no_not_tidak(client, operator_3204, people):
    # "No" alone is Django's own word for a refusal: its Indonesian catalogue says "Tidak", and
    # so the payment list's number column read "Tidak" on the page and on the printed list.
    roster = exports.roster_read(user=operator_3204, region="32.04", month=MARCH, fmt="html")
    client.force_login(operator_3204)

    page = client.get("/insentif/nominatif/", {"region": "32.04", "month": "2026-03"})
    printed = exports.roster_html(roster, user=operator_3204)

    for html in (page.content.decode(), printed):
        assert "<th>No.</th>" in html
        assert "<th>Tidak</th>" not in html


def test_the_list_names_its_region_not_its_code(client, operator_3204, people):
    client.force_login(operator_3204)
    page = client.get("/insentif/nominatif/", {"region": "32.04", "month": "2026-03"})
    roster = exports.roster_read(user=operator_3204, region="32.04", month=MARCH, fmt="html")
    province = exports.roster_read(
        user=UserFactory(role="operator_provinsi", scope_province_id="32"),
        region="32",
        month=MARCH,
        fmt="html",
    )

    assert "<h2>Kabupaten Bandung — Maret 2026</h2>" in page.content.decode()
    assert roster.region_label == "Kabupaten Bandung"
    assert province.region_label == "Provinsi Jawa Barat"
    # the printed list's held-out table names the regency too
    assert (
        '<span title="32.04">Kab. Bandung</span>'
        in exports.roster_html(roster, user=operator_3204).split("Ditahan, belum dibayar")[1]
    )
