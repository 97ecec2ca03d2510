"""The standard incentive of a few people, computed by hand (index, each allowance, dates)."""

import datetime as dt
from decimal import Decimal

import pytest

from incentives import selectors
from incentives.engine import Calculator, ScaleSnapshot, transition_path
from tests.factories import EngagementFactory, PersonFactory

pytestmark = pytest.mark.django_db

MARCH = dt.date(2026, 3, 1)


def _components(breakdown):
    return {c.name: c.amount for c in breakdown.components}


def test_remote_district_certified_with_service_years(standard, national_admin, fake_facts):
    # given: level III in district 32.04.05 (remote), West Java index 1.1944, since 2019-03-15
    person = PersonFactory()
    engagement = EngagementFactory(
        person=person,
        regency_id="32.04",
        district_id="32.04.05",
        position_level=3,
        start_date=dt.date(2019, 3, 15),
        monthly_incentive=2_500_000,
    )
    # when
    _, breakdown = selectors.engagement_breakdown(
        user=national_admin,
        uid=engagement.uid,
        on=MARCH,
        facts_provider=fake_facts(certified={person.pk}),
    )
    # then: 2,200,000 × 1.1944 = 2,627,680; remote 10 % = 262,768; certificate 300,000;
    # 6 full years on 2026-03-01 → 4 years beyond 2 × 50,000 = 200,000. July's allowance not yet.
    assert breakdown.index == Decimal("1.1944")
    assert _components(breakdown) == {
        "Jumlah dasar × indeks wilayah": Decimal("2627680"),
        "Terpencil": Decimal("262768"),
        "Sertifikat": Decimal("300000"),
        "Masa kerja": Decimal("200000"),
    }
    assert breakdown.standard == 3_390_448
    assert breakdown.difference == 3_390_448 - 2_500_000
    assert breakdown.level_source == "jabatan"


def test_allowance_from_july_applies_from_its_effective_date(standard, national_admin, fake_facts):
    person = PersonFactory()
    engagement = EngagementFactory(
        person=person,
        regency_id="32.04",
        district_id="32.04.05",
        position_level=3,
        start_date=dt.date(2019, 3, 15),
    )
    facts = fake_facts(certified={person.pk})
    _, july = selectors.engagement_breakdown(
        user=national_admin, uid=engagement.uid, on=dt.date(2026, 7, 1), facts_provider=facts
    )
    # 7 full years by July → 5 × 50,000; plus the new Rp100,000 allowance.
    assert _components(july)["Tunjangan baru Juli"] == Decimal("100000")
    assert july.standard == 2_627_680 + 262_768 + 300_000 + 250_000 + 100_000


def test_regency_index_border_caseload_and_single_half_up_rounding(
    standard, national_admin, programmes, fake_facts
):
    # given: harmonised level V only, PKH in Kota Bandung (own index 1.2345, border 7.5 %), 300 KK
    engagement = EngagementFactory(
        programme=programmes["pkh"],
        regency_id="32.73",
        harmonised_level=5,
        position_level=None,
        start_date=None,
    )
    _, breakdown = selectors.engagement_breakdown(
        user=national_admin,
        uid=engagement.uid,
        on=MARCH,
        facts_provider=fake_facts(caseloads={engagement.pk: 300}),
    )
    # then: 2,850,000 × 1.2345 = 3,518,325; 7.5 % = 263,874.375; 50 × 2,000 = 100,000.
    # The total 3,882,199.375 is rounded once, half up, to 3,882,199.
    assert breakdown.level_source == "harmonisasi"
    assert _components(breakdown)["Perbatasan"] == Decimal("263874.375")
    assert _components(breakdown)["Beban kasus PKH"] == Decimal("100000")
    assert breakdown.standard == 3_882_199


def test_caseload_allowance_only_for_its_programme(standard, national_admin, fake_facts):
    engagement = EngagementFactory(regency_id="11.01", position_level=3)  # lanjut-usia, Aceh
    _, breakdown = selectors.engagement_breakdown(
        user=national_admin,
        uid=engagement.uid,
        on=MARCH,
        facts_provider=fake_facts(caseloads={engagement.pk: 400}),
    )
    assert breakdown.standard == 2_200_000


def test_before_the_new_scale_the_superseded_scale_and_its_year_index_apply(
    standard, national_admin
):
    engagement = EngagementFactory(regency_id="32.04", district_id="32.04.05", position_level=3)
    _, breakdown = selectors.engagement_breakdown(
        user=national_admin, uid=engagement.uid, on=dt.date(2025, 6, 1)
    )
    assert breakdown.scale_name == "Skala 2025"
    assert breakdown.standard == 2_000_000  # index 2025 is 1.0 and that scale had no allowances


def test_not_computable_engagements_say_why(standard, national_admin):
    asn = EngagementFactory(position_level=3, employment_status="PNS")
    no_level = EngagementFactory(position_level=None, harmonised_level=None)
    off_scale = EngagementFactory(position_level=4)  # the test scale has no IV
    reasons = {}
    for engagement in (asn, no_level, off_scale):
        _, b = selectors.engagement_breakdown(user=national_admin, uid=engagement.uid, on=MARCH)
        assert b.standard is None
        reasons[engagement.pk] = b.reason
    assert reasons == {
        asn.pk: "asn",
        no_level.pk: "tanpa_jenjang",
        off_scale.pk: "jenjang_di_luar_skala",
    }


def test_engine_rounds_half_up_once():
    snap = ScaleSnapshot(
        scale_id=1,
        scale_uid="x",
        name="x",
        base={3: 3},
        province_index_e4={"11": 15_000},
        regency_index_e4={},
        index_label="",
    )
    calc = Calculator(resolve=lambda programme_id: snap, on=MARCH)
    row = (1, 1, 1, "11", "11.01", None, 3, None, "kontrak", None, None)
    assert calc.amounts([row]) == [(5, "")]  # 3 × 1.5 = 4.5 → 5


def test_transition_path_never_loses_more_than_the_cap():
    path = transition_path(5_000_000, 3_390_448, cap_e2=1000)
    assert path == [4_500_000, 4_050_000, 3_645_000, 3_390_448]
    previous = 5_000_000
    for amount in path:
        assert amount * 100 >= previous * 90
        previous = amount
    assert transition_path(2_000_000, 3_000_000, cap_e2=1000) == [3_000_000]
