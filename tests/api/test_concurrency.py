"""Lost updates over the API: ETag on detail, If-Match (412) and body version (409)."""

from django.urls import reverse

from accounts.models import AuditEntry
from registry.models import Engagement, Person
from tests.factories import UserFactory


def _clients(api_client_for):
    return api_client_for(UserFactory(username="api-satu")), api_client_for(
        UserFactory(username="api-dua")
    )


def test_person_if_match_stale_is_412_and_the_first_change_stands(api_client_for, roster):
    # given: both read the same version
    first, second = _clients(api_client_for)
    url = reverse("api:person-detail", kwargs={"uid": roster["ani"].uid})
    etag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == etag

    # when
    saved = first.patch(url, {"titles_front": "Dra."}, format="json", HTTP_IF_MATCH=etag)
    refused = second.patch(url, {"phone": "+628111"}, format="json", HTTP_IF_MATCH=etag)

    # then
    assert saved.status_code == 200 and saved["ETag"] != etag
    assert refused.status_code == 412
    body = refused.json()
    assert body["detail"].startswith("Data ini telah diubah oleh api-satu pada")
    assert body["changes"] == [{"field": "gelar depan", "old": "", "new": "Dra."}]
    assert refused["ETag"] == saved["ETag"]
    person = Person.objects.get(pk=roster["ani"].pk)
    assert (person.titles_front, person.phone) == ("Dra.", roster["ani"].phone)
    # with the current ETag the second may save
    retried = second.patch(url, {"phone": "+628111"}, format="json", HTTP_IF_MATCH=saved["ETag"])
    assert retried.status_code == 200


def test_person_body_version_stale_is_409(api_client_for, roster):
    # given
    first, second = _clients(api_client_for)
    url = reverse("api:person-detail", kwargs={"uid": roster["ani"].uid})
    version = first.get(url)["ETag"].strip('"')

    # when
    first.patch(url, {"titles_back": "S.Sos.", "version": version}, format="json")
    refused = second.patch(url, {"titles_back": "M.Si.", "version": version}, format="json")

    # then
    assert refused.status_code == 409
    assert Person.objects.get(pk=roster["ani"].pk).titles_back == "S.Sos."


def test_engagement_if_match_stale_is_412(api_client_for, roster):
    # given
    first, second = _clients(api_client_for)
    engagement = roster["ani"].engagements.get()
    url = reverse("api:engagement-detail", kwargs={"uid": engagement.uid})
    etag = first.get(url)["ETag"]

    # when
    saved = first.patch(url, {"legacy_title": "Sakti A"}, format="json", HTTP_IF_MATCH=etag)
    refused = second.patch(url, {"legacy_title": "Sakti B"}, format="json", HTTP_IF_MATCH=etag)

    # then
    assert saved.status_code == 200
    assert refused.status_code == 412
    assert Engagement.objects.get(pk=engagement.pk).legacy_title == "Sakti A"
    assert AuditEntry.objects.filter(object_id=str(engagement.pk), action="update").count() == 1


def test_patch_without_a_version_still_saves(admin_api, roster):
    url = reverse("api:person-detail", kwargs={"uid": roster["ani"].uid})
    assert admin_api.patch(url, {"titles_front": "Dr."}, format="json").status_code == 200
