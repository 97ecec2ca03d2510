"""Words that mean different things in different apps carry a context: Django merges every
catalogue into one, and the first app's (or the project's) translation of a bare word wins."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_afterwards():
    yield
    translation.deactivate()


def test_menu_and_pages_use_their_own_meaning_in_english(client, world):
    client.force_login(world.budi.user)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("collaboration:area-team"), {"wilayah": "32.04.05"}).content
    body = page.decode()
    # The logbook's menu entry is the activity log, not the audit log.
    assert "Activity log" in body and "Audit log" not in body
    # An area team member's coverage (village, district, regency), not an incentive's scope.
    assert "<th>Coverage</th>" in body


def test_a_referrals_need_is_not_a_staffing_requirement(client, world):
    client.force_login(world.budi.user)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("collaboration:referral-create"), {"desa": "32.04.05.2001"})
    assert response.context["form"]["need"].label == "Need"
