"""Factories for tests. NIKs are built to satisfy the rules for the given birth date and sex."""

import datetime as dt

import factory
from faker import Faker

from accounts.models import User
from registry.models import Engagement, Person, Programme

fake = Faker("id_ID")


def make_nik(
    *,
    regency: str = "32.04",
    birth_date: dt.date = dt.date(1985, 8, 17),
    sex: str = "L",
    serial: int = 1,
    district: str = "01",
) -> str:
    day = birth_date.day + (40 if sex == "P" else 0)
    return f"{regency.replace('.', '')}{district}{day:02d}{birth_date:%m%y}{serial:04d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = "admin_nasional"
    password = factory.PostGenerationMethodCall("set_password", "rahasia-uji-123")

    @factory.post_generation
    def programmes(self, create, extracted, **kwargs):
        if create and extracted:
            self.scope_programmes.set(extracted)
        if create:
            self.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    sex = "L"
    birth_date = dt.date(1985, 8, 17)
    full_name = factory.LazyFunction(lambda: fake.name())
    name_key = factory.LazyAttribute(lambda o: " ".join(o.full_name.upper().split()))
    nik = factory.Sequence(lambda n: make_nik(serial=n + 1))
    phone = "+6281234567890"


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    person = factory.SubFactory(PersonFactory)
    programme = factory.LazyFunction(lambda: Programme.objects.get(slug="lanjut-usia"))
    legacy_title = "Pendamping Lansia"
    regency_id = "32.04"
    province_id = factory.LazyAttribute(lambda o: o.regency_id[:2])
    employment_status = "kontrak"
    monthly_incentive = 2_500_000
