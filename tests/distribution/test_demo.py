"""Demo data for every real region: complete, labelled, deterministic."""

import io
import random

import pytest
from django.core.management import call_command
from django.db.models import Sum

from distribution import demo, selectors
from distribution.models import (
    CaseloadRecord,
    NeedDataset,
    NeedFigure,
    PopulationDataset,
    PopulationFigure,
    RegionAggregate,
    StaffingStandard,
)
from regions.models import Village
from tests.distribution.conftest import engage

pytestmark = pytest.mark.django_db


def test_seed_need_demo_covers_every_village(programmes):
    engage(programmes["pkh"], "32.04", "32.04.05")
    # when
    call_command("seed_need_demo", stdout=io.StringIO())
    # then: every village has a population; need in force for 8 clusters; all labelled demo
    assert PopulationFigure.objects.count() == Village.objects.count() == 83_762
    total = PopulationFigure.objects.aggregate(s=Sum("population"))["s"]
    assert total == pytest.approx(demo.NATIONAL_POPULATION, rel=0.001)
    assert all(d.is_demo and "CONTOH" in d.source for d in NeedDataset.objects.all())
    assert PopulationDataset.objects.get().is_demo
    assert StaffingStandard.objects.filter(is_current=True, is_demo=True).count() == 8
    assert NeedFigure.objects.filter(programme__slug="tksk").count() == 7285
    assert RegionAggregate.objects.filter(level="provinsi", programme=None).count() == 38
    assert CaseloadRecord.objects.count() == demo.DEMO_CASELOAD_MONTHS
    # and the dashboard works on it
    data = selectors.dashboard(user=selectors_user(), code="")
    assert data["total"].population == total
    # --if-empty leaves it alone
    out = io.StringIO()
    call_command("seed_need_demo", if_empty=True, stdout=out)
    assert "sudah ada" in out.getvalue()


def selectors_user():
    from accounts.services import system_user

    return system_user()


def test_generation_is_deterministic():
    villages = list(
        Village.objects.filter(code__startswith="32.")
        .order_by("code")
        .values_list("code", flat=True)
    )
    first = demo.demo_populations(random.Random(7), villages)
    second = demo.demo_populations(random.Random(7), villages)
    assert first == second
    kelurahan = [p for c, p in zip(villages, first, strict=True) if demo.is_kelurahan(c)]
    desa = [p for c, p in zip(villages, first, strict=True) if not demo.is_kelurahan(c)]
    assert sum(kelurahan) / len(kelurahan) > sum(desa) / len(desa)  # towns are larger
