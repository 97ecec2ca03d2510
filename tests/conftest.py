"""Shared fixtures: a real database with the real regions and programmes loaded once."""

import io

import pytest
from django.core.management import call_command

from tests.factories import UserFactory


def pytest_configure(config):
    """The suite runs no collectstatic, so static files keep their plain names here (the
    production storage, hashed and compressed, is checked in tests/satupintu/test_static_files)."""
    from django.conf import settings

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Files the code under test writes (job results, reports, evidence) go to a temporary
    folder, never into the project's var/media."""
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: what one test's data made the code remember
    (counters past their cap, large scopes) must not steer the next one's."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0, stdout=io.StringIO())


@pytest.fixture
def national_admin(db):
    return UserFactory(role="admin_nasional", username="admin")


@pytest.fixture
def programmes(db):
    from registry.models import Programme

    return {p.slug: p for p in Programme.objects.all()}
