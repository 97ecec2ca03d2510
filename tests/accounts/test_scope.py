"""One Scope per user: the filter, `covers` and the region prefix agree, and the fail-closed rule
(a role that needs a region or programmes and lacks them reaches nothing) holds in all three."""

import pytest
from django.db.models import Q

from accounts.access import NOTHING, Scope, covers, engagement_scope, region_scope_prefix, scope_of
from accounts.models import Role
from tests.factories import UserFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "province", "regency", "expected"),
    [
        (Role.NATIONAL_ADMIN, None, None, Scope()),
        (Role.PROVINCE_OPERATOR, "32", None, Scope(province_id="32")),
        (Role.PROVINCE_OPERATOR, None, None, Scope(closed=True)),
        (Role.REGENCY_OPERATOR, "32", "32.04", Scope(regency_id="32.04")),
        (Role.REGENCY_OPERATOR, "32", None, Scope(province_id="32", closed=True)),
        (Role.REGENCY_VERIFIER, None, None, Scope(closed=True)),
        (Role.CLUSTER_ADMIN, None, None, Scope(closed=True)),
        (Role.COORDINATOR, "32", "32.04", Scope(regency_id="32.04")),
    ],
)
def test_the_scope_of_each_kind_of_user(role, province, regency, expected):
    # given
    user = UserFactory(role=role, scope_province_id=province, scope_regency_id=regency)
    # when
    scope = scope_of(user)
    # then
    assert scope == expected
    if scope.closed:
        assert engagement_scope(user) == NOTHING
        assert region_scope_prefix(user) is None
        assert not covers(user, regency_id="32.04", programme_id=None)


@pytest.mark.django_db
def test_a_regency_operator_reaches_one_regency_of_its_clusters(programmes):
    # given
    pkh, other = programmes["pkh"], programmes["lanjut-usia"]
    user = UserFactory(
        role=Role.REGENCY_OPERATOR,
        scope_province_id="32",
        scope_regency_id="32.04",
        programmes=[pkh],
    )
    # when
    scope = scope_of(user)
    # then
    assert scope.filter() == Q(regency_id="32.04") & Q(programme_id__in=frozenset({pkh.pk}))
    assert scope.filter("engagement__") == Q(engagement__regency_id="32.04") & Q(
        engagement__programme_id__in=frozenset({pkh.pk})
    )
    assert covers(user, regency_id="32.04", programme_id=pkh.pk)
    assert not covers(user, regency_id="32.04", programme_id=other.pk)
    assert not covers(user, regency_id="32.05", programme_id=pkh.pk)
    assert region_scope_prefix(user) == "32.04"
    assert not scope.everywhere


@pytest.mark.django_db
def test_a_facilitator_reaches_only_their_own_person(programmes):
    # given
    user = UserFactory(role=Role.FACILITATOR)
    # when
    scope = scope_of(user)
    # then: no person linked, nothing; never a region
    assert scope.filter() == NOTHING
    assert not covers(user, regency_id="32.04", programme_id=None)
    assert region_scope_prefix(user) == ""


def test_an_anonymous_or_inactive_user_reaches_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert scope_of(AnonymousUser()).closed
    assert scope_of(None).closed
