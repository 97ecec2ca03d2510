"""Fixtures for the access tests: the matrix's world, built once per module.

The world is built inside a transaction that is rolled back when the module ends; each test runs
in its own savepoint on top of it (pytest-django's ``db``), so the writes one case makes (a
verification, a merge) never reach the next.
"""

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from accounts.models import User
from registry.models import Engagement, Flag, Person
from tests.accounts.world import World, build_world
from tests.accounts.world_capabilities import build_capabilities
from tests.accounts.world_competency import build_competency
from tests.accounts.world_logbook import build_logbook


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, media_root):
    # Uploads and the credential signing key of the module live in its own folder, never in var/.
    with (
        override_settings(
            MEDIA_ROOT=media_root,
            COMPETENCY_SIGNING_KEY_PATH=media_root / "kunci" / "ed25519.pem",
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        world = build_world()
        build_capabilities(world)
        build_competency(world)
        build_logbook(world)
        yield world
        transaction.set_rollback(True)


def _fresh(model, objects: dict[str, Any]) -> dict[str, Any]:
    rows = model.objects.in_bulk([obj.pk for obj in objects.values()])
    return {key: rows[obj.pk] for key, obj in objects.items()}


@pytest.fixture
def world(module_world: World, db) -> World:
    """The module's world, reloaded (a test may change its rows), inside this test's savepoint."""
    return replace(
        module_world,
        people=_fresh(Person, module_world.people),
        engagements=_fresh(Engagement, module_world.engagements),
        flags=_fresh(Flag, module_world.flags),
        users=_fresh(User, module_world.users),
    )


@pytest.fixture
def shared_world(module_world: World, db) -> Iterator[World]:
    """The module's world as built, not reloaded: for tests that only read it (their writes go to
    the database, inside this test's savepoint)."""
    yield module_world
    # The savepoint is rolled back anyway; saying so also spares the foreign-key check Django's
    # TestCase runs before it rolls back, which on SQLite is a PRAGMA over every table, all the
    # regions included: ~25 ms a test, more than most of the matrix's requests take.
    transaction.set_rollback(True)
