"""A small logbook world: two elderly-cluster facilitators in Kecamatan Baleendah
(Kabupaten Bandung), their coordinator, and the programme's activity types."""

import datetime as dt

import pytest
from django.utils import timezone

from logbook import services
from logbook.demo import activity_types_load_file
from logbook.models import ActivityType
from regions.models import Village
from tests.factories import EngagementFactory, UserFactory

DISTRICT = "32.04.05"


@pytest.fixture
def types(db):
    activity_types_load_file()
    return {t.code: t for t in ActivityType.objects.filter(programme__slug="lanjut-usia")}


@pytest.fixture
def village(db):
    return Village.objects.filter(district_id=DISTRICT).order_by("code").first()


@pytest.fixture
def facilitator(db, programmes):
    engagement = EngagementFactory(
        programme=programmes["lanjut-usia"], district_id=DISTRICT, start_date=dt.date(2020, 1, 1)
    )
    user = UserFactory(role="pendamping", username="pendamping-uji", person=engagement.person)
    user.engagement = engagement
    return user


@pytest.fixture
def colleague(db, programmes):
    engagement = EngagementFactory(programme=programmes["lanjut-usia"], district_id=DISTRICT)
    user = UserFactory(role="pendamping", username="rekan-uji", person=engagement.person)
    user.engagement = engagement
    return user


@pytest.fixture
def coordinator(db, programmes):
    return UserFactory(
        role="koordinator",
        username="koordinator-uji",
        scope_province_id="32",
        scope_regency_id="32.04",
        programmes=[programmes["lanjut-usia"]],
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def log(types, village, today):
    """log(user, **overrides) -> (entry, created), with sensible defaults."""

    def make(user, **kw):
        fields = {
            "actor": user,
            "engagement": getattr(user, "engagement", None),
            "date": today,
            "village": village,
            "activity_type": types["kunjungan-rumah"],
            "clients_served": 3,
            "duration_minutes": 60,
        }
        fields.update(kw)
        return services.entry_create(**fields)

    return make
