"""One person, one page (issue 13): what the other apps know of a person appears on the
person's page, for the viewers who may see it, through satupintu.provides."""

import pytest
from django.urls import reverse

from collaboration.models import Request
from satupintu.provides import _person_sections
from tests.factories import EngagementFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_app_with_knowledge_of_a_person_declares_its_section():
    assert [app for app, _path in _person_sections] == ["incentives", "competency", "collaboration"]


def test_the_page_shows_the_standard_incentive_and_the_requests_with_links(client, programmes):
    # given: an engagement with its stored standard incentive and a transfer request about it
    engagement = EngagementFactory(standard_incentive=4_281_800)
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    filed = Request.objects.create(
        kind=Request.Kind.values[0],
        person=engagement.person,
        engagement=engagement,
        regency_id="32.04",
        programme=engagement.programme,
        submitted_by=operator,
        payload={},
    )
    client.force_login(operator)

    # when
    page = client.get(reverse("registry:person-detail", args=[engagement.person.uid]))

    # then
    html = page.content.decode()
    assert "Insentif standar" in html and "Rp4.281.800" in html
    assert reverse("incentives:breakdown", args=[engagement.uid]) in html
    assert reverse("collaboration:request-detail", args=[filed.uid]) in html


def test_a_viewer_without_incentive_rights_does_not_get_the_section(client, programmes):
    # given: the facilitator's own account sees their page but not the incentive pages
    engagement = EngagementFactory(standard_incentive=4_281_800)
    facilitator = UserFactory(role="pendamping", person=engagement.person)
    client.force_login(facilitator)

    # when
    page = client.get(reverse("registry:person-detail", args=[engagement.person.uid]))

    # then
    assert page.status_code == 200
    assert "Rincian perhitungan" not in page.content.decode()
