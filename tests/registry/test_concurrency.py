"""Lost updates: two people open the same edit form; the second save is refused (issue 22)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEntry
from registry.models import Engagement, Person
from tests.factories import EngagementFactory, PersonFactory, UserFactory


def _operator(name: str):
    return UserFactory(
        username=name,
        role="operator_kabkota",
        scope_province_id="32",
        scope_regency_id="32.04",
        password=None,
    )


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _version(body: str) -> str:
    return re.search(r'<input type="hidden" name="version" value="([^"]+)"', body).group(1)


@pytest.fixture
def engagement(db, programmes):
    person = PersonFactory(full_name="Ani Rahmawati", phone="+6281200000001")
    return EngagementFactory(person=person, programme=programmes["anak"], legacy_title="Sakti")


def _person_data(version: str, **changes) -> dict:
    data = {
        "version": version,
        "p-full_name": "Ani Rahmawati",
        "p-sex": "L",
        "p-birth_date": "1985-08-17",
        "p-phone": "+6281200000001",
    }
    data.update({f"p-{k}": v for k, v in changes.items()})
    return data


def _engagement_data(version: str, **changes) -> dict:
    data = {
        "version": version,
        "e-legacy_title": "Sakti",
        "e-employment_status": "kontrak",
        "e-province": "32",
        "e-regency": "32.04",
        "e-monthly_incentive": "2500000",
        "e-status": "aktif",
    }
    data.update({f"e-{k}": v for k, v in changes.items()})
    return data


def test_the_second_person_save_is_refused_and_the_first_stands(engagement):
    # given: two operators open the same form
    first, second = _session(_operator("op-satu")), _session(_operator("op-dua"))
    url = reverse("registry:person-edit", kwargs={"uid": engagement.person.uid})
    seen_first = _version(first.get(url).content.decode())
    seen_second = _version(second.get(url).content.decode())
    assert seen_first == seen_second

    # when: the first saves, then the second
    saved = first.post(url, _person_data(seen_first, titles_front="Dra."))
    refused = second.post(url, _person_data(seen_second, phone="+6281299999999"))

    # then: the second is told who changed what, sees the current values, nothing it sent is saved
    assert saved.status_code == 302
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Data ini telah diubah oleh op-satu pada" in body
    assert "sejak Anda membukanya" in body
    assert "Gelar depan: — → Dra." in body
    assert refused.context["person_form"].initial["titles_front"] == "Dra."
    person = Person.objects.get(pk=engagement.person.pk)
    assert (person.titles_front, person.phone) == ("Dra.", "+6281200000001")
    assert AuditEntry.objects.filter(object_id=str(person.pk), action="update").count() == 1
    # and the form now carries the new version: saving again works
    again = second.post(url, _person_data(_version(body), titles_front="Dra.", phone="+628129"))
    assert again.status_code == 302
    person.refresh_from_db()
    assert person.phone == "+628129"


def test_an_unchanged_form_saved_twice_in_turn_is_not_refused(engagement):
    # given
    client = _session(_operator("op-satu"))
    url = reverse("registry:person-edit", kwargs={"uid": engagement.person.uid})
    seen = _version(client.get(url).content.decode())

    # when / then: an unchanged save writes nothing, so the same version stays good
    assert client.post(url, _person_data(seen)).status_code == 302
    assert client.post(url, _person_data(seen, titles_back="S.Sos.")).status_code == 302
    assert Person.objects.get(pk=engagement.person.pk).titles_back == "S.Sos."


def test_the_second_engagement_save_is_refused_and_the_first_stands(engagement):
    # given
    first, second = _session(_operator("op-satu")), _session(_operator("op-dua"))
    url = reverse("registry:engagement-edit", kwargs={"uid": engagement.uid})
    seen_first = _version(first.get(url).content.decode())
    seen_second = _version(second.get(url).content.decode())

    # when
    saved = first.post(url, _engagement_data(seen_first, legacy_title="Sakti Peksos"))
    refused = second.post(url, _engagement_data(seen_second, sk_number="SK-2/2025"))

    # then
    assert saved.status_code == 302
    body = refused.content.decode()
    assert "Data ini telah diubah oleh op-satu pada" in body
    assert "Sakti → Sakti Peksos" in body
    assert refused.context["form"].initial["legacy_title"] == "Sakti Peksos"
    current = Engagement.objects.get(pk=engagement.pk)
    assert (current.legacy_title, current.sk_number) == ("Sakti Peksos", "")
