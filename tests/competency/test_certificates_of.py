"""A person's certificates (competency.access.certificates_of, the person page's section) are
exactly what certificates_visible gives for that person, for every kind of viewer."""

import pytest

from competency import access
from tests.factories import EngagementFactory, UserFactory


@pytest.fixture
def viewers(db, assessor_user, programmes):
    return {
        "national": UserFactory(role="admin_nasional"),
        "regency in scope": UserFactory(
            role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
        ),
        "regency elsewhere": UserFactory(
            role="operator_kabkota", scope_province_id="35", scope_regency_id="35.78"
        ),
        "the LSP's assessor": assessor_user,
        "facilitator elsewhere": UserFactory(role="pendamping"),
    }


@pytest.mark.parametrize(
    "viewer",
    [
        "national",
        "regency in scope",
        "regency elsewhere",
        "the LSP's assessor",
        "facilitator elsewhere",
    ],
)
def test_a_persons_certificates_are_what_the_viewer_may_see(
    viewers, viewer, person, certify, programmes
):
    # given: Siti serves in Kab. Bandung and holds two certificates of the LSP
    EngagementFactory(person=person, programme=programmes["pkh"], regency_id="32.04")
    certify(person, [1])
    certify(person, [2])
    user = viewers[viewer]

    # when / then
    expected = set(
        access.certificates_visible(user).filter(person=person).values_list("pk", flat=True)
    )
    assert set(access.certificates_of(user, person).values_list("pk", flat=True)) == expected
    assert bool(expected) == (viewer in {"national", "regency in scope", "the LSP's assessor"})
