"""Values no real record has are refused with the field named (issue 12, item 10): a birth date
in the year 1000 or in the future, an SK dated 9999, a monthly incentive of 2,147,483,648
rupiah, a region given as an object. Refused on create and on update, on either database."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from registry.models import Engagement, Person
from tests.api.test_engagements import payload
from tests.api.test_people import NEW, PEOPLE_URL
from tests.api_errors import field_errors
from tests.factories import UserFactory

NEXT_YEAR = (dt.date.today() + dt.timedelta(days=400)).isoformat()


@pytest.fixture
def client(db):
    client = APIClient(raise_request_exception=False)
    client.force_authenticate(UserFactory(username="admin-nasional", role="admin_nasional"))
    return client


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("birth_date", "1000-01-01", "tidak masuk akal"),
        ("birth_date", NEXT_YEAR, "tidak masuk akal"),
        ("address_regency_id", {"code": "32.04"}, ""),
        ("full_name", {"nama": "Rina"}, ""),
    ],
)
def test_person_with_an_implausible_value_is_refused(client, field, value, words):
    # when
    response = client.post(PEOPLE_URL, {**NEW, field: value}, format="json")

    # then
    assert response.status_code == 400, response.content
    assert field in field_errors(response)
    assert words in " ".join(field_errors(response)[field])
    assert not Person.objects.exists()


def test_person_update_to_an_implausible_birth_date_is_refused(client, roster):
    # when
    response = client.patch(
        f"{PEOPLE_URL}{roster['ani'].uid}/", {"birth_date": "1000-01-01"}, format="json"
    )

    # then
    assert response.status_code == 400, response.content
    assert "Tanggal lahir 01-01-1000" in field_errors(response)["birth_date"][0]
    roster["ani"].refresh_from_db()
    assert roster["ani"].birth_date == dt.date(1990, 3, 12)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("sk_date", "9999-01-01", "Tanggal SK 01-01-9999 tidak masuk akal"),
        ("start_date", "0001-01-01", "tidak masuk akal"),
        ("end_date", "9999-12-31", "tidak masuk akal"),
        ("monthly_incentive", 2_147_483_648, "Rp 2.147.483.648 tidak masuk akal"),
        ("monthly_incentive", 99_999_999_999_999_999_999, ""),
        ("regency_code", {"code": "32.04"}, ""),
        ("district_code", ["32.04.05"], ""),
    ],
)
def test_engagement_with_an_implausible_value_is_refused(client, roster, field, value, words):
    # given
    before = Engagement.objects.count()

    # when
    response = client.post(
        "/api/v1/engagements/", payload(roster["ani"], **{field: value}), format="json"
    )

    # then
    assert response.status_code == 400, response.content
    assert field in field_errors(response), field_errors(response)
    assert words in " ".join(field_errors(response)[field])
    assert Engagement.objects.count() == before


def test_engagement_update_to_an_implausible_incentive_is_refused(client, roster):
    # given
    engagement = roster["ani"].engagements.get()

    # when
    response = client.patch(
        f"/api/v1/engagements/{engagement.uid}/",
        {"monthly_incentive": 2_147_483_648},
        format="json",
    )

    # then
    assert response.status_code == 400, response.content
    assert "monthly_incentive" in field_errors(response)
    engagement.refresh_from_db()
    assert engagement.monthly_incentive == 2_500_000
