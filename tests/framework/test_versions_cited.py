"""After a new framework version is put in force, a placement it confirms cites the version in
force (and the one that first established it), and the versions page shows the version in
force instead of "nothing loaded"."""

import pytest
from django.urls import reverse

from framework.harmonize import engagements_harmonize, framework_version_activate
from framework.services import framework_version_agree, framework_version_copy
from tests.factories import UserFactory


@pytest.fixture
def national_admin(db):
    return UserFactory(role="admin_nasional", username="admin-kerangka")


def test_the_versions_page_shows_the_version_in_force(client, in_force, national_admin):
    client.force_login(national_admin)

    page = client.get("/kerangka/versi/").content.decode()

    assert "Belum ada kerangka" not in page
    assert in_force.name in page and "Berlaku" in page


def test_a_confirmed_placement_cites_the_version_in_force(
    client, actor, in_force, make_engagement, national_admin
):
    # given: placed under the example, then a revision that keeps its level is put in force
    kept = make_engagement("Pendamping LU", education="S1")
    engagements_harmonize(actor=actor)
    draft = framework_version_copy(actor=actor, version=in_force, name="Revisi uji")
    framework_version_activate(
        actor=actor, version=framework_version_agree(actor=actor, version=draft)
    )
    kept.refresh_from_db()
    assert kept.harmonisation["version"] == in_force.name  # the stored stamp is unchanged
    client.force_login(national_admin)

    # when
    page = client.get(reverse("registry:person-detail", args=[kept.person.uid])).content.decode()

    # then
    assert "Versi kerangka berlaku: Revisi uji (penempatan tetap sama)" in page
    assert f"pertama ditetapkan oleh versi {in_force.name}" in page
    assert f"Versi kerangka: {in_force.name}<" not in page
