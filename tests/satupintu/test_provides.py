"""One mechanism for what apps provide each other: facts, job kinds and periodic runs are
declared in each app's AppConfig.ready (satupintu.provides)."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from jobs.schedule import schedule
from jobs.services import HANDLERS
from satupintu.provides import FACTS, fact, fact_replaced, provide, provided_facts


def test_every_fact_has_one_owner_among_the_installed_apps():
    assert provided_facts() == {
        "certified_units": "competency",
        "certified_person_ids": "competency",
        "caseloads": "distribution",
    }
    assert set(provided_facts()) == set(FACTS)
    assert all(callable(fact(name)) for name in FACTS)


def test_job_kinds_and_periodic_runs_come_from_their_apps():
    assert set(HANDLERS) >= {
        "registry_export", "harmonize", "legacy_import", "incentives_recompute",
        "distribution_refresh", "distribution_counts", "distribution_snapshot",
        "referral_escalations", "competency_reminders",
    }  # fmt: skip
    assert [entry.kind for entry in schedule()] == [
        "distribution_refresh", "distribution_snapshot", "competency_reminders",
        "referral_escalations",
    ]  # fmt: skip
    # A handler path names a function of the app that declared it.
    assert all(
        path.split(".")[0] in {a.label for a in apps.get_app_configs()}
        for path in HANDLERS.values()
    )


def test_an_unknown_fact_or_a_second_owner_stops_start_up():
    config = apps.get_app_config("incentives")
    with pytest.raises(ImproperlyConfigured, match="tidak dikenal"):
        provide(config, facts={"gaji": "incentives.selectors.x"})
    with pytest.raises(ImproperlyConfigured, match="sudah disediakan oleh distribution"):
        provide(config, facts={"caseloads": "incentives.selectors.x"})
    assert provided_facts()["caseloads"] == "distribution"


def test_a_fact_can_be_replaced_for_a_calculation_and_comes_back():
    with fact_replaced("caseloads", lambda *, on: {1: 9}):
        assert fact("caseloads")(on=None) == {1: 9}
    with fact_replaced("caseloads", None):
        assert fact("caseloads") is None
    assert provided_facts()["caseloads"] == "distribution"
