"""The bulk write path: straight COPY on PostgreSQL, and the slower path it falls back to when a
NIK was registered by someone else between planning and writing."""

import datetime as dt
import uuid

import polars as pl
import pytest
from django.db import connection, transaction

from registry.bulk import inserts as bulk
from registry.models import Engagement, Person, Verification
from tests.factories import PersonFactory, UserFactory, make_nik


def test_uuid7_strings_are_version_7_unique_and_increasing():
    values = bulk.uuid7_strings(10_000)
    parsed = [uuid.UUID(v) for v in values]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(values)) == len(values)
    assert values == sorted(values)
    # The random tail differs between neighbours: a uid cannot be guessed from the previous one.
    assert len({v[-15:] for v in values}) == len(values)


def _person_frame(*niks: str) -> pl.DataFrame:
    rows = [
        {
            "nik": nik,
            "full_name": f"ORANG {i}",
            "name_key": f"ORANG {i}",
            "titles_front": "",
            "titles_back": "",
            "sex": "L",
            "birth_place": "",
            "birth_date": dt.date(1985, 8, 17),
            "phone": "",
            "email": "",
            "education_level": "",
            "education_field": "",
        }
        for i, nik in enumerate(niks)
    ]
    return pl.DataFrame(rows, schema={**{k: pl.String for k in rows[0]}, "birth_date": pl.Date})


def _engagement_frame(niks: list[str], person_ids: list[int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "nik": niks,
            "person_id": person_ids,
            "legacy_title": ["Pendamping"] * len(niks),
            "regency_id": ["32.04"] * len(niks),
            "district_id": [None] * len(niks),
            "village_id": [None] * len(niks),
            "employment_status": ["kontrak"] * len(niks),
            "sk_number": [""] * len(niks),
            "sk_date": [None] * len(niks),
            "start_date": [None] * len(niks),
            "monthly_incentive": [2_000_000] * len(niks),
        },
        schema_overrides={
            "person_id": pl.Int64,
            "district_id": pl.String,
            "village_id": pl.String,
            "sk_date": pl.Date,
            "start_date": pl.Date,
            "monthly_incentive": pl.Int64,
        },
    )


@pytest.mark.django_db
def test_new_people_and_engagements_are_written_with_every_column(programmes):
    actor = UserFactory(role="admin_nasional")
    niks = [make_nik(serial=i) for i in (1, 2, 3)]
    with transaction.atomic():
        ids = bulk.insert_people(_person_frame(*niks), actor=actor)
        assert sorted(ids["nik"].to_list()) == sorted(niks)
        count = bulk.insert_engagements(
            _engagement_frame(niks, [None] * 3),
            programme=programmes["anak"],
            actor=actor,
            new_ids=ids,
        )
    assert count == 3
    people = Person.objects.filter(nik__in=niks)
    assert people.count() == 3
    for person in people:
        assert person.verification == Verification.PENDING and person.created_by_id == actor.pk
        assert person.uid.version in (4, 7) and person.created_at is not None
        engagement = person.engagements.get()
        assert engagement.province_id == "32" and engagement.regency_id == "32.04"
        assert engagement.harmonisation == {} and engagement.status == "aktif"
        assert engagement.created_by_id == actor.pk and engagement.monthly_incentive == 2_000_000


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_a_nik_registered_meanwhile_stays_its_owners_and_gets_the_engagement(programmes):
    """Someone registers a NIK after the import planned it as new: the COPY breaks the unique
    index, rolls back to its savepoint, and the staged INSERT … ON CONFLICT leaves the person
    as registered while the engagement still finds them by NIK."""
    actor = UserFactory(role="admin_nasional")
    taken, fresh = make_nik(serial=11), make_nik(serial=12)
    owner = PersonFactory(nik=taken, full_name="PEMILIK NIK")
    with transaction.atomic():
        ids = bulk.insert_people(_person_frame(taken, fresh), actor=actor)
        assert ids.height == 0  # the ids stay in the database: the engagements join by NIK
        count = bulk.insert_engagements(
            _engagement_frame([taken, fresh], [None, None]),
            programme=programmes["anak"],
            actor=actor,
            new_ids=ids,
        )
    assert count == 2
    owner.refresh_from_db()
    assert owner.full_name == "PEMILIK NIK"
    assert Person.objects.filter(nik=taken).count() == 1
    assert Person.objects.filter(nik=fresh).count() == 1
    assert Engagement.objects.filter(person=owner, programme=programmes["anak"]).exists()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's")
def test_an_engagement_registered_meanwhile_is_not_doubled(programmes):
    actor = UserFactory(role="admin_nasional")
    person = PersonFactory(nik=make_nik(serial=21))
    Engagement.objects.create(
        person=person,
        programme=programmes["anak"],
        legacy_title="Pendamping lama",
        province_id="32",
        regency_id="32.04",
        employment_status="kontrak",
    )
    with transaction.atomic():
        count = bulk.insert_engagements(
            _engagement_frame([person.nik], [person.pk]),
            programme=programmes["anak"],
            actor=actor,
            new_ids=pl.DataFrame(schema={"nik": pl.String, "person_id": pl.Int64}),
        )
    assert count == 0
    assert person.engagements.get().legacy_title == "Pendamping lama"
