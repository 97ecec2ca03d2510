"""Training providers enrol registered people by NIK into their own classes, beyond the
capacity onto a waiting list, and a NIK lookup discloses nothing about the person."""

import datetime as dt

import pytest
from django.urls import reverse

from competency import services
from competency.models import Enrolment
from tests.competency.conftest import U
from tests.factories import EngagementFactory, PersonFactory, UserFactory


@pytest.fixture
def provider(actor, framework):
    return services.training_provider_create(actor=actor, name="Balai Diklat Bandung")


@pytest.fixture
def staff(provider):
    user = UserFactory(role="penyelenggara_pelatihan", username="staf-balai")
    provider.staff.add(user)
    return user


@pytest.fixture
def klass(actor, provider):
    course = services.course_create(
        actor=actor,
        provider=provider,
        code="berjenjang-iii",
        title="Pelatihan berjenjang: Asisten Pendamping Pembangunan",
        hours=80,
        mode="tatap_muka",
        unit_codes=[U[1], U[2], U[3]],
    )
    return services.training_class_create(
        actor=actor,
        course=course,
        name="Angkatan I",
        start_date=dt.date(2030, 1, 1),
        end_date=dt.date(2030, 1, 10),
        place="Bandung",
        capacity=1,
    )


def _enrol(client, klass, nik):
    response = client.post(reverse("competency:class-enrol", args=[klass.uid]), {"nik": nik})
    page = client.get(response["Location"]).content.decode()
    return page


def test_a_provider_enrols_a_registered_person_by_nik(client, staff, klass):
    # given: a facilitator registered in Aceh, in no scope of the provider's staff
    person = PersonFactory(full_name="Cut Nyak Dien")
    EngagementFactory(person=person, province_id="11", regency_id="11.01")
    client.force_login(staff)
    assert (
        "NIK peserta"
        in client.get(reverse("competency:class-detail", args=[klass.uid])).content.decode()
    )

    # when
    page = _enrol(client, klass, person.nik)

    # then: enrolled, and named on the roster only now
    assert Enrolment.objects.get(training_class=klass).person == person
    assert "Cut Nyak Dien terdaftar." in page
    assert "tidak ditemukan" not in page


def test_an_unknown_nik_says_so_and_nothing_else(client, staff, klass):
    client.force_login(staff)

    page = _enrol(client, klass, "3201014101900099")

    assert "NIK peserta 3201014101900099 tidak ditemukan di registri." in page
    assert not Enrolment.objects.exists()


def test_another_providers_class_reveals_nothing(client, actor, staff, klass):
    # given: a registered person and a class of a provider the staff do not work for
    person = PersonFactory(full_name="Rahmat Hidayat")
    EngagementFactory(person=person)
    other = services.training_provider_create(actor=actor, name="Balai Lain")
    course = services.course_create(
        actor=actor,
        provider=other,
        code="lain",
        title="Lain",
        hours=8,
        mode="daring",
        unit_codes=[U[4]],
    )
    foreign = services.training_class_create(
        actor=actor,
        course=course,
        name="Angkatan I",
        start_date=dt.date(2030, 2, 1),
        end_date=dt.date(2030, 2, 2),
        place="Jakarta",
        capacity=10,
    )
    client.force_login(staff)

    page = _enrol(client, foreign, person.nik)

    assert "Rahmat Hidayat" not in page
    assert "tidak ditemukan di registri" in page
    assert not Enrolment.objects.filter(training_class=foreign).exists()


def test_beyond_the_capacity_people_go_on_the_waiting_list(client, staff, klass):
    first, second = PersonFactory(), PersonFactory(full_name="Dewi Sartika")
    client.force_login(staff)

    _enrol(client, klass, first.nik)
    page = _enrol(client, klass, second.nik)

    statuses = dict(Enrolment.objects.values_list("person_id", "status"))
    assert statuses == {first.pk: "terdaftar", second.pk: "menunggu"}
    assert "Kapasitas penuh: Dewi Sartika masuk daftar tunggu angkatan ini." in page
    assert "1/1 terisi; 1 di daftar tunggu" in page


def test_the_api_enrols_by_nik_and_an_unknown_nik_is_not_found(staff, klass):
    from rest_framework.test import APIClient

    person = PersonFactory()
    api = APIClient()
    api.force_authenticate(staff)
    url = f"/api/v1/competency/classes/{klass.uid}/enrolments/"

    enrolled = api.post(url, {"nik": person.nik}, format="json")
    unknown = api.post(url, {"nik": "3201014101900099"}, format="json")

    assert enrolled.status_code == 201, enrolled.json()
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("NIK peserta 3201014101900099 tidak ditemukan")
