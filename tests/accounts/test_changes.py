"""Audit changes read as sentences (issue 13): labels, names, Indonesian numbers, old → new."""

import pytest

from accounts.changes import change_rows, object_label
from accounts.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
UPDATE, EXPORT = AuditEntry.Action.UPDATE, AuditEntry.Action.EXPORT


def test_an_update_reads_as_labelled_old_to_new_with_names():
    rows = change_rows(
        {
            "regency_id": ["32.04", "32.17"],
            "sk_date": ["2019-09-02", None],
            "monthly_incentive": [2500000, 3250000],
            "position_level": [3, 4],
            "status": ["aktif", "selesai"],
        },
        object_type="registry.engagement",
        action=UPDATE,
    )

    shown = dict(rows)
    assert shown["Kabupaten/kota"] == (
        "Kabupaten Bandung (32.04) → Kabupaten Bandung Barat (32.17)"
    )
    assert any(text == "02-09-2019 → —" for text in shown.values())
    assert "Rp 2.500.000 → Rp 3.250.000" in shown.values()
    assert "III → IV" in shown.values()
    assert not any("_" in label for label in shown)


def test_a_user_reference_shows_the_username():
    operator = UserFactory(username="operator-bandung")

    rows = change_rows(
        {"created_by_id": [None, operator.pk]}, object_type="registry.person", action=UPDATE
    )

    assert rows[0][1] == "— → operator-bandung"


def test_an_export_summary_in_indonesian_with_no_internal_words():
    rows = change_rows(
        {
            "region": "32.04",
            "month": "2026-11-01",
            "rows": 5601,
            "total": 402450000,
            "payment_details_masked": False,
            "seconds": 0.51,
            "phases": {"read": 0.1},
        },
        object_type="incentives.roster",
        action=EXPORT,
    )

    assert rows == [
        ("Wilayah", "Kabupaten Bandung (32.04)"),
        ("Bulan", "11-2026"),
        ("Baris", "5.601"),
        ("Jumlah", "Rp 402.450.000"),
        ("Rekening dan NPWP disamarkan", "Tidak"),
        ("Lama proses (detik)", "0,51"),
    ]
    assert object_label("incentives.roster") == "Daftar nominatif"
    assert object_label("registry.engagement") == "Penugasan"


def test_a_key_named_like_a_reverse_relation_reads_as_a_value():
    # a merge's audit names the flags it moved; Person has a reverse relation called "flags"
    rows = change_rows({"flags": [3, 4]}, object_type="registry.person", action="merge")

    assert rows == [("Tanda", "3, 4")]


def test_a_new_record_shows_its_values_not_empty_to_value():
    rows = change_rows(
        {"agency_type": [None, "Puskesmas"], "is_active": [None, True]},
        object_type="collaboration.receivingunit",
        action=AuditEntry.Action.CREATE,
    )

    assert rows == [("Jenis instansi", "Puskesmas"), ("Aktif", "Ya")]
