"""Framework fixtures: the shipped example framework, loaded as a draft or put in force."""

import copy
import datetime as dt
import functools

import pytest

from accounts.services import system_user
from framework.interchange import document_from_yaml
from framework.services import STARTER_FILE, framework_version_agree, framework_version_import
from tests.factories import EngagementFactory, UserFactory


@pytest.fixture
def actor(db):
    return system_user()


@functools.cache
def _starter_document() -> dict:
    # Parsed once per test run: YAML parsing is the slow part of loading the starter.
    return document_from_yaml(STARTER_FILE.read_bytes())


@pytest.fixture
def starter(actor):
    """The example framework as a draft."""
    return framework_version_import(
        actor=actor, document=copy.deepcopy(_starter_document()), source=STARTER_FILE.name
    )


@pytest.fixture
def agreed(actor, starter):
    return framework_version_agree(actor=actor, version=starter)


@pytest.fixture
def in_force(actor, agreed):
    from framework.harmonize import framework_version_activate

    framework_version_activate(actor=actor, version=agreed)
    agreed.refresh_from_db()
    return agreed


@pytest.fixture
def make_engagement(programmes):
    """An engagement with the facts harmonisation looks at."""

    def make(title, cluster="lanjut-usia", *, education="SMA", started=None, **extra):
        return EngagementFactory(
            programme=programmes[cluster],
            legacy_title=title,
            person__education_level=education,
            start_date=started or dt.date.today() - dt.timedelta(days=365),
            **extra,
        )

    return make


@pytest.fixture
def operator(db):
    return UserFactory(role="operator_provinsi", username="operator")
