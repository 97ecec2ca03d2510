"""Scope: a regency operator sees their regency only; aggregates, never people."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from distribution import selectors
from distribution.models import RegionLevel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(db):
    return UserFactory(
        role="operator_kabkota",
        username="op-bandung",
        scope_province_id="32",
        scope_regency_id="32.04",
    )


def test_regency_operator_sees_only_their_regency(world, operator, admin):
    # when
    data = selectors.dashboard(user=operator, code="")
    # then: the home region is their regency, with the same figures the admin sees there
    assert data["region"].code == "32.04"
    admin_data = selectors.dashboard(user=admin, code="32.04")
    assert data["total"].total.actual == admin_data["total"].total.actual == 8
    for code in ["32", "32.73", "32.73.01", "11"]:
        with pytest.raises(Http404):
            selectors.dashboard(user=operator, code=code)
    # their district and its villages are fine
    assert selectors.dashboard(user=operator, code="32.04.05")["region"].name == "Cileunyi"


def test_regency_operator_report_stays_inside(world, operator):
    rows = selectors.report_rows(user=operator, level=RegionLevel.DISTRICT)
    assert rows and all(r[0].startswith("32.04") for r in rows)
    with pytest.raises(ValidationError, match="di atas cakupan"):
        selectors.report_rows(user=operator, level=RegionLevel.PROVINCE)
    with pytest.raises(ValidationError):
        selectors.report_rows(user=operator, level=selectors.NATION)


def test_cluster_admin_sees_only_their_clusters(world, programmes):
    user = UserFactory(role="admin_klaster", programmes=[programmes["pkh"]])
    data = selectors.dashboard(user=user, code="")
    assert [p.slug for p in data["programmes"]] == ["pkh"]
    assert data["total"].total.actual == 7  # PKH active: 5 + 1 + 1 without district


def test_province_operator_actual_counts_follow_access_scope(world):
    user = UserFactory(role="operator_provinsi", scope_province_id="11")
    data = selectors.dashboard(user=user, code="")
    assert data["region"].code == "11"
    assert data["total"].total.actual == 1


def test_facilitator_and_unscoped_operator_are_refused(world):
    facilitator = UserFactory(role="pendamping")
    with pytest.raises(PermissionDenied):
        selectors.dashboard(user=facilitator)
    # an operator without a region would see everything: fail closed instead
    lost = UserFactory(role="operator_kabkota")
    with pytest.raises(PermissionDenied):
        selectors.dashboard(user=lost)


def test_aggregates_carry_no_personal_data(world, admin):
    person = world["person_two"]
    rows = selectors.report_rows(user=admin, level=RegionLevel.DISTRICT)
    text = repr(rows)
    assert person.nik not in text and person.full_name not in text
