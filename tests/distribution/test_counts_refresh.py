"""After a committed import, merge, merge undo or approved change, a background job refreshes the
affected regions' cached counts, so the dashboard's figures equal the live ones (issue 21)."""

import datetime as dt

import pytest

from collaboration import services as collab_services
from collaboration.models import Request
from distribution import selectors, services
from distribution.models import AggregateState
from imports.services import ImportSource, legacy_import
from jobs.models import Job
from jobs.services import job_execute
from registry.models import Merge
from registry.services import COUNTS_JOB, counts_refresh_enqueue, person_merge
from tests.distribution.conftest import engage
from tests.factories import PersonFactory, UserFactory
from tests.imports.conftest import person_row, write_xlsx

pytestmark = pytest.mark.django_db


def _figures(user, code="32"):
    data = selectors.dashboard(user=user, code=code)
    rows = {(r.code, r.is_remainder): r.total.actual for r in data["rows"]}
    return data["total"].total.actual, rows, data["persons"], data["breakdown"]["employment"]


def _live(user, code="32"):
    state = list(AggregateState.objects.values_list("name", "refreshed_at"))
    AggregateState.objects.all().delete()
    try:
        return _figures(user, code)
    finally:
        for name, refreshed_at in state:
            AggregateState.objects.create(name=name, refreshed_at=refreshed_at)


def _run_count_jobs() -> int:
    """What the worker does with the queued refreshes."""
    jobs = list(Job.objects.filter(kind=COUNTS_JOB, status=Job.Status.QUEUED))
    for job in jobs:
        assert job_execute(job).status == Job.Status.DONE, job.result
    return len(jobs)


@pytest.fixture
def cached(world):
    services.actual_aggregates_refresh()
    assert selectors.aggregates_as_of() is not None


def test_import_commit_refreshes_the_counts(world, cached, admin, programmes, tmp_path):
    # given: a roster of three new facilitators in Kab. Bandung
    path = write_xlsx(tmp_path / "lansia.xlsx", [person_row(n) for n in range(901, 904)])

    # when
    result = legacy_import(
        actor=admin,
        programme=programmes["lanjut-usia"],
        sources=[ImportSource(path=path)],
        report=False,
    )

    # then: a refresh of the regency is queued; run, the dashboard says the live figures
    assert result.committed
    assert _figures(admin) != _live(admin)
    assert _run_count_jobs() == 1
    assert _figures(admin) == _live(admin)
    assert selectors.aggregates_as_of() is not None  # the figures were read from the cache


def test_merge_and_its_undo_refresh_the_counts(world, cached, admin, programmes):
    # given: one woman registered twice in Kab. Bandung, in two clusters
    keep, merged = PersonFactory(sex="P"), PersonFactory(sex="P")
    engage(programmes["pkh"], "32.04", "32.04.05", person=keep)
    engage(programmes["lanjut-usia"], "32.04", "32.04.05", person=merged)
    engage(programmes["pkh"], "32.04", "32.04.06", person=merged, legacy_title="PKH")
    services.actual_aggregates_refresh()

    # when: merged (the pkh engagements collide: the merged one ends)
    person_merge(actor=admin, keep=keep, merge=merged)

    # then
    assert _figures(admin) != _live(admin)
    assert _run_count_jobs() == 1
    assert _figures(admin) == _live(admin)

    # and when undone by an approved request
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    verifier = UserFactory(
        role="verifikator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    approver = UserFactory(role="admin_klaster", programmes=[programmes["pkh"]])
    request = collab_services.request_submit(
        actor=operator,
        kind=Request.Kind.MERGE_UNDO,
        person=keep,
        payload={"merge": str(Merge.objects.get().uid)},
        reason="Dua orang berbeda",
    )
    request = collab_services.request_verify(actor=verifier, request=request)
    collab_services.request_approve(actor=approver, request=request)

    # then
    assert _figures(admin) != _live(admin)
    assert _run_count_jobs() == 1
    assert _figures(admin) == _live(admin)


def test_approved_change_refreshes_the_counts(world, cached, admin, programmes):
    # given: an active engagement in Kab. Bandung, to be ended by an approved request
    engagement = engage(programmes["pkh"], "32.04", "32.04.05")
    services.actual_aggregates_refresh()
    operator = UserFactory(
        role="operator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    verifier = UserFactory(
        role="verifikator_kabkota", scope_province_id="32", scope_regency_id="32.04"
    )
    approver = UserFactory(role="admin_klaster", programmes=[programmes["pkh"]])
    request = collab_services.request_submit(
        actor=operator,
        kind=Request.Kind.END,
        person=engagement.person,
        engagement=engagement,
        effective_date=dt.date(2026, 1, 31),
        reason="Mengundurkan diri",
    )
    request = collab_services.request_verify(actor=verifier, request=request)

    # when
    collab_services.request_approve(actor=approver, request=request)

    # then
    assert _figures(admin) != _live(admin)
    assert _run_count_jobs() == 1
    assert _figures(admin) == _live(admin)


def test_a_refresh_already_queued_for_the_same_regions_is_not_queued_again(world):
    # when
    counts_refresh_enqueue(regency_ids=["32.04", "32.73"])
    counts_refresh_enqueue(regency_ids=["32.73", "32.04", ""])
    counts_refresh_enqueue(regency_ids=["11.01"])

    # then
    queued = Job.objects.filter(kind=COUNTS_JOB, status=Job.Status.QUEUED)
    assert sorted(j.params["regencies"] for j in queued) == [["11.01"], ["32.04", "32.73"]]
    # once one has run, the next change queues a new one
    _run_count_jobs()
    counts_refresh_enqueue(regency_ids=["32.04", "32.73"])
    assert Job.objects.filter(kind=COUNTS_JOB, status=Job.Status.QUEUED).count() == 1
