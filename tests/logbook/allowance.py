"""A scale in force everywhere (index 1.0) with a caseload allowance for the elderly cluster:
Rp10.000 per case above 5 a month. Shared by the service test and the browser journey."""

import datetime as dt

from incentives import services as incentives
from incentives.models import AllowanceKind
from regions.models import Province


def caseload_allowance_scale(*, admin, programme):
    rows = [
        {"province": code, "value": "1.0000"}
        for code in Province.objects.values_list("code", flat=True)
    ]
    index = incentives.regional_index_load(
        actor=admin, name="Indeks uji", year=2026, source="Uji", rows=rows
    )
    incentives.regional_index_agree(actor=admin, index=index, decision_ref="BA-uji")
    incentives.regional_index_enact(actor=admin, index=index)
    scale = incentives.scale_create(
        actor=admin,
        name="Skala uji",
        effective_from=dt.date(2020, 1, 1),
        amounts={3: 2_000_000},
        legal_basis="Uji",
    )
    incentives.allowance_create(
        actor=admin,
        scale=scale,
        data={
            "kind": AllowanceKind.CASELOAD,
            "name": "Beban kasus lansia",
            "amount": 10_000,
            "threshold": 5,
            "per_unit": True,
            "max_units": 100,
            "programme_id": programme.pk,
            "legal_basis": "Uji",
            "percent": None,
        },
    )
    incentives.scale_agree(actor=admin, scale=scale, decision_ref="SK-uji")
    incentives.scale_enact(actor=admin, scale=scale)
    return scale
