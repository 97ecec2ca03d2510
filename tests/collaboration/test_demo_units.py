"""The demo has receiving units of other agencies to refer to, made once."""

import io

import pytest
from django.core.management import call_command

from collaboration.models import ReceivingUnit

pytestmark = pytest.mark.django_db


def test_demo_units_are_made_once_in_the_demo_regency():
    call_command("seed_collaboration_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_collaboration_demo", stdout=out)

    assert ReceivingUnit.objects.count() == 4
    assert set(ReceivingUnit.objects.values_list("regency_id", flat=True)) == {"32.04"}
    assert "sudah ada" in out.getvalue()
