"""A small hand-built standard for the incentive tests (not the shipped example).

Index 2026: every province 1.0000 except West Java (32) 1.1944 and Papua (91) 1.6111; Kota
Bandung (32.73) has its own 1.2345. Special areas: district 32.04.05 remote, Kota Bandung border.
General scale 2026 (in force from 2026-01-01): III 2,200,000, V 2,850,000, VII 3,700,000, with
remote 10 %, border 7.5 %, certification Rp300,000, service Rp50,000 per full year beyond 2
(at most 10), PKH caseload Rp2,000 per household above 250 (at most 250), and a "new" allowance of
Rp100,000 only from 2026-07-01. The 2025 scale (III 2,000,000, no allowances) applied before.
"""

import datetime as dt
from decimal import Decimal

import pytest

from incentives import services
from incentives.models import AllowanceKind, AreaCategory
from regions.models import Province


def _index_rows(overrides):
    rows = []
    for code in Province.objects.values_list("code", flat=True):
        rows.append({"province": code, "value": str(overrides.get(code, "1.0000"))})
    for code, value in overrides.items():
        if "." in code:
            rows.append({"province": code[:2], "regency": code, "value": str(value)})
    return rows


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The user factory sets a password; the production hasher costs ~0.5 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class FakeFacts:
    """A facts provider passed in by the tests: who is certified, which caseloads are known."""

    def __init__(self, certified=(), caseloads=None):
        self.certified = set(certified)
        self.loads = dict(caseloads or {})

    def certified_person_ids(self, *, on):
        return set(self.certified)

    def caseloads(self, *, on):
        return dict(self.loads)


@pytest.fixture
def standard(national_admin, programmes):
    admin = national_admin
    old_index = services.regional_index_load(
        actor=admin, name="Indeks 2025", year=2025, source="Uji", rows=_index_rows({})
    )
    services.regional_index_agree(actor=admin, index=old_index, decision_ref="BA-1/2025")
    services.regional_index_enact(actor=admin, index=old_index)
    index = services.regional_index_load(
        actor=admin,
        name="Indeks 2026",
        year=2026,
        source="Uji: turunan SBM",
        rows=_index_rows({"32": "1.1944", "91": "1.6111", "32.73": "1.2345"}),
    )
    services.regional_index_agree(actor=admin, index=index, decision_ref="BA-1/2026")
    services.regional_index_enact(actor=admin, index=index)
    areas = services.area_list_load(
        actor=admin,
        name="Wilayah khusus uji",
        year=2026,
        source="Uji",
        rows=[
            {"category": "terpencil", "district": "32.04.05"},
            {"category": "perbatasan", "regency": "32.73"},
        ],
    )
    old = services.scale_create(
        actor=admin,
        name="Skala 2025",
        effective_from=dt.date(2025, 1, 1),
        amounts={3: 2_000_000, 5: 2_500_000},
    )
    services.scale_agree(actor=admin, scale=old, decision_ref="SK-1/2025")
    services.scale_enact(actor=admin, scale=old)
    scale = services.scale_create(
        actor=admin,
        name="Skala 2026",
        effective_from=dt.date(2026, 1, 1),
        amounts={3: 2_200_000, 5: 2_850_000, 7: 3_700_000},
        area_list=areas,
        legal_basis="Uji",
    )
    pkh = programmes["pkh"]
    for data in [
        {
            "kind": AllowanceKind.AREA,
            "name": "Terpencil",
            "percent": Decimal("10.00"),
            "area_category": AreaCategory.REMOTE,
        },
        {
            "kind": AllowanceKind.AREA,
            "name": "Perbatasan",
            "percent": Decimal("7.50"),
            "area_category": AreaCategory.BORDER,
        },
        {"kind": AllowanceKind.CERTIFICATION, "name": "Sertifikat", "amount": 300_000},
        {
            "kind": AllowanceKind.SERVICE,
            "name": "Masa kerja",
            "amount": 50_000,
            "threshold": 2,
            "per_unit": True,
            "max_units": 10,
        },
        {
            "kind": AllowanceKind.CASELOAD,
            "name": "Beban kasus PKH",
            "amount": 2_000,
            "threshold": 250,
            "per_unit": True,
            "max_units": 250,
            "programme_id": pkh.pk,
        },
        {
            "kind": AllowanceKind.CERTIFICATION,
            "name": "Tunjangan baru Juli",
            "amount": 100_000,
            "effective_from": dt.date(2026, 7, 1),
        },
    ]:
        data.setdefault("legal_basis", "Uji")
        services.allowance_create(actor=admin, scale=scale, data=data)
    services.scale_agree(actor=admin, scale=scale, decision_ref="SK-1/2026")
    services.scale_enact(actor=admin, scale=scale)
    scale.refresh_from_db()
    return scale


@pytest.fixture
def fake_facts():
    return FakeFacts
