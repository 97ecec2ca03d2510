"""Harmonising engagements: results, position levels, review cases, version switches, CLI."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from accounts.models import AuditEntry
from framework.harmonize import (
    engagements_harmonize,
    framework_version_activate,
    harmonisation_preview,
)
from framework.models import FrameworkVersion
from framework.services import framework_version_agree, framework_version_copy
from registry.models import Engagement, LevelReview

YEARS_AGO = lambda n: dt.date.today() - dt.timedelta(days=365 * n + 10)  # noqa: E731


def test_activation_harmonises_every_engagement_with_explanation(actor, agreed, make_engagement):
    # given engagements with titles as offices write them
    lansia = make_engagement("PENDAMPING LANSIA", education="SMA")
    sakti = make_engagement("Sakti Peksos", "anak", education="S1")
    odd = make_engagement("Tukang Kebun", "tksk", education="S1")
    # when the framework is put in force
    run = framework_version_activate(actor=actor, version=agreed)
    # then each has a level, a unified title and why, and unmatched ones stay empty
    for e in (lansia, sakti, odd):
        e.refresh_from_db()
    assert (lansia.harmonised_level, lansia.unified_title) == (3, "Asisten Pendamping Pembangunan")
    assert (sakti.harmonised_level, sakti.unified_title) == (6, "Pendamping Pembangunan Utama")
    assert lansia.harmonisation["version"] == agreed.name
    assert lansia.harmonisation["rule"] and lansia.harmonisation["legal_basis"]
    assert odd.harmonised_level is None and odd.unified_title == ""
    assert odd.harmonisation["status"] == "tidak_cocok"
    # an undecided position level starts at the harmonised level
    assert (lansia.position_level, sakti.position_level) == (3, 6)
    assert run.summary.total == 3 and run.summary.unmatched == 1
    summary = AuditEntry.objects.get(object_type="framework.harmonisation")
    assert summary.changes["transitions"] == {"—→III": 1, "—→VI": 1}


def test_decided_position_level_raises_a_review_instead_of_changing(
    actor, in_force, make_engagement
):
    # given a position level fixed by an SK that the framework now contradicts
    e = make_engagement(
        "Pendamping Lansia", education="SMA", position_level=5, position_sk_number="SK/12/2024"
    )
    # when harmonising twice
    engagements_harmonize(actor=actor)
    engagements_harmonize(actor=actor)
    # then the harmonised level is III, the position level stays V, and one open case exists
    e.refresh_from_db()
    assert (e.harmonised_level, e.position_level) == (3, 5)
    case = LevelReview.objects.get(engagement=e)
    assert case.kind == LevelReview.Kind.FRAMEWORK_CHANGE
    assert (case.position_level, case.proposed_level, case.status) == (5, 3, "terbuka")


def test_decided_position_level_matching_raises_nothing(actor, in_force, make_engagement):
    e = make_engagement(
        "Pendamping Lansia", education="S1", position_level=6, position_sk_number="SK/1/2024"
    )
    engagements_harmonize(actor=actor)
    e.refresh_from_db()
    assert e.harmonised_level == 6
    assert not LevelReview.objects.filter(engagement=e).exists()


@pytest.fixture
def revised(actor, in_force):
    """A revision of the example: D3 places at IV instead of V."""
    draft = framework_version_copy(actor=actor, version=in_force, name="Revisi uji")
    draft.rules.filter(legacy_title="", min_education="D3", min_years=None).update(
        level=draft.levels.get(number=4)
    )
    return framework_version_agree(actor=actor, version=draft)


def test_version_switch_previews_then_applies(actor, in_force, revised, make_engagement):
    # given engagements harmonised under the example
    d3 = [make_engagement("Pendamping LU", education="D3") for _ in range(3)]
    s1 = make_engagement("Pendamping LU", education="S1")
    decided = make_engagement(
        "Pendamping PD", "disabilitas", education="D3", position_level=5, position_sk_number="SK/9"
    )
    engagements_harmonize(actor=actor)
    # when previewing the revision
    preview = harmonisation_preview(actor=actor, version=revised)
    # then it counts the moves per from→to level with examples, and writes nothing
    moves = {(t.before, t.after): t for t in preview.summary.transitions}
    assert moves[(5, 4)].count == 4
    assert {e.pk for e in moves[(5, 4)].examples} <= {e.pk for e in d3 + [decided]}
    assert preview.summary.reviews == 1
    assert "4 penugasan berubah jenjang" in preview.headline
    assert Engagement.objects.filter(harmonised_level=4).count() == 0
    # when applying
    before_audit = AuditEntry.objects.filter(object_type="registry.engagement").count()
    framework_version_activate(actor=actor, version=revised)
    # then the switch happened, levels changed, the decided one is under review, all audited
    in_force.refresh_from_db()
    revised.refresh_from_db()
    assert in_force.status == FrameworkVersion.Status.SUPERSEDED
    assert revised.status == FrameworkVersion.Status.IN_FORCE
    for e in d3 + [s1, decided]:
        e.refresh_from_db()
    assert [e.harmonised_level for e in d3] == [4, 4, 4]
    assert [e.position_level for e in d3] == [4, 4, 4]
    assert s1.harmonised_level == 6
    assert (decided.harmonised_level, decided.position_level) == (4, 5)
    assert LevelReview.objects.filter(engagement=decided, status="terbuka").count() == 1
    per_change = AuditEntry.objects.filter(object_type="registry.engagement")
    assert per_change.count() - before_audit == 4
    entry = per_change.get(object_id=str(d3[0].pk))
    assert entry.changes["harmonised_level"] == [5, 4]
    assert entry.person_id_ref == d3[0].person_id
    assert d3[0].harmonisation["version"] == "Revisi uji"
    # a placement the new version confirms word for word is not rewritten: it keeps the
    # version that established it
    assert s1.harmonisation["version"] == in_force.name


def test_years_of_service_count_from_earliest_engagement(actor, in_force, make_engagement):
    # given a person who served five years in another cluster before this engagement
    first = make_engagement("Pendamping PD", "disabilitas", education="SMA", started=YEARS_AGO(6))
    second = make_engagement(
        "Pendamping Lansia", education="SMA", started=YEARS_AGO(1), person=first.person
    )
    engagements_harmonize(actor=actor)
    second.refresh_from_db()
    assert second.harmonisation["facts"]["years_of_service"] == 6
    assert second.harmonised_level == 4


def test_harmonize_again_writes_nothing(actor, in_force, make_engagement):
    make_engagement("Pendamping Lansia")
    engagements_harmonize(actor=actor)
    run = engagements_harmonize(actor=actor)
    assert run.summary.written == 0 and run.summary.level_changes == 0


def test_cli_dry_run_changes_nothing(actor, in_force, revised, make_engagement):
    # given harmonised engagements and a revision put in force without re-harmonising
    e = make_engagement("Pendamping LU", education="D3")
    engagements_harmonize(actor=actor)
    FrameworkVersion.objects.filter(pk=in_force.pk).update(status="diganti")
    FrameworkVersion.objects.filter(pk=revised.pk).update(status="berlaku")
    audits = AuditEntry.objects.count()
    out = io.StringIO()
    # when running the CLI with --dry-run
    call_command("harmonize", "--dry-run", stdout=out, stderr=io.StringIO())
    # then the change is reported and nothing is written
    e.refresh_from_db()
    assert e.harmonised_level == 5
    assert AuditEntry.objects.count() == audits
    assert "1 penugasan berubah jenjang" in out.getvalue()
    assert "V → IV: 1" in out.getvalue()
    # and without it, the change is written
    call_command("harmonize", stdout=io.StringIO(), stderr=io.StringIO())
    e.refresh_from_db()
    assert e.harmonised_level == 4


def test_cli_user_must_be_national_admin(in_force, operator):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="administrator nasional"):
        call_command("harmonize", "--user", operator.username, stderr=io.StringIO())


def test_harmonize_job_handler_activates_and_reports(national_admin, agreed, make_engagement):
    from framework.apps import FrameworkConfig  # noqa: F401  (registers the job kind)
    from framework.harmonize import harmonize_job
    from jobs.models import Job
    from jobs.services import HANDLERS

    assert HANDLERS["harmonize"] == "framework.harmonize.harmonize_job"
    e = make_engagement("Konselor Adiksi Napza", "napza", education="D3")
    job = Job.objects.create(
        kind="harmonize",
        title="uji",
        owner=national_admin,
        params={"version_id": agreed.pk, "activate": True},
    )
    # the worker calls the handler with a progress callback (no second connection in tests)
    calls = []
    result = harmonize_job(job, lambda done, total, message="": calls.append(message))
    assert result["transitions"] == {"—→V": 1}
    assert "1 penugasan berubah jenjang" in job.message
    assert calls
    e.refresh_from_db()
    assert e.harmonised_level == 5


def test_harmonising_after_an_import_with_no_framework_in_force_is_nothing_to_do(
    national_admin, make_engagement
):
    """An import on a fresh installation asks for harmonisation; without a version in force the
    job finishes with that said, not as a failure, and changes nothing."""
    from framework.harmonize import version_in_force
    from jobs.models import Job
    from jobs.services import job_execute

    assert version_in_force() is None
    e = make_engagement("Konselor Adiksi Napza", "napza", education="D3")
    job = Job.objects.create(kind="harmonize", title="uji", owner=national_admin, params={})

    job = job_execute(job)

    assert job.status == Job.Status.DONE
    assert job.result == {"skipped": "no_framework_in_force"}
    assert "Belum ada kerangka yang berlaku" in job.message
    e.refresh_from_db()
    assert e.harmonised_level is None
