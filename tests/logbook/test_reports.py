"""The monthly report's maker-checker, and the approved month as the caseload of record."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEntry
from collaboration.models import Notification
from distribution import services as distribution
from distribution.models import CaseloadRecord
from logbook import services
from logbook.models import MonthlyReport
from tests.factories import UserFactory


def test_a_month_without_entries_cannot_be_submitted(facilitator, today):
    with pytest.raises(ValidationError, match="Belum ada kegiatan"):
        services.report_submit(actor=facilitator, engagement=facilitator.engagement, month=today)
    assert not MonthlyReport.objects.exists()


def test_submitting_counts_only_activities_that_count_as_cases(
    facilitator, coordinator, log, types, today
):
    log(facilitator, clients_served=3)
    log(facilitator, clients_served=5, activity_type=types["konferensi-kasus"])
    log(facilitator, clients_served=20, activity_type=types["pelatihan-diberikan"])

    report = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )

    assert (report.entries, report.clients_served, report.cases) == (3, 28, 8)
    assert report.status == MonthlyReport.Status.SUBMITTED
    # The coordinator of the area and cluster is told.
    assert Notification.objects.filter(user=coordinator, title__contains="menunggu").exists()


def test_a_second_submission_is_refused(facilitator, log, today):
    log(facilitator)
    services.report_submit(actor=facilitator, engagement=facilitator.engagement, month=today)
    with pytest.raises(ValidationError, match="sudah diajukan"):
        services.report_submit(actor=facilitator, engagement=facilitator.engagement, month=today)


def test_approval_makes_the_month_the_caseload_of_record(facilitator, coordinator, log, today):
    log(facilitator, clients_served=7)
    report = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )

    services.report_approve(actor=coordinator, report=report)

    record = CaseloadRecord.objects.get(engagement=facilitator.engagement)
    assert (record.period, record.cases, record.source) == (today.replace(day=1), 7, "logbook")
    assert AuditEntry.objects.filter(object_type="logbook.monthlyreport").count() == 2


def test_the_logbook_replaces_an_operator_number_and_the_operator_cannot_overwrite_it(
    facilitator, coordinator, log, today
):
    operator = UserFactory(
        role="operator_kabkota", username="op", scope_province_id="32", scope_regency_id="32.04"
    )
    distribution.caseload_record_set(
        actor=operator, engagement=facilitator.engagement, period=today, cases=99
    )
    log(facilitator, clients_served=4)
    report = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )
    services.report_approve(actor=coordinator, report=report)

    record = CaseloadRecord.objects.get(engagement=facilitator.engagement)
    assert (record.cases, record.get_source_display()) == (4, "Laporan logbook disetujui")
    with pytest.raises(ValidationError, match="logbook"):
        distribution.caseload_record_set(
            actor=operator, engagement=facilitator.engagement, period=today, cases=50
        )
    assert CaseloadRecord.objects.get(engagement=facilitator.engagement).cases == 4
    # An operator's number without a logbook month is the labelled fallback.
    other = distribution.caseload_record_set(
        actor=operator,
        engagement=facilitator.engagement,
        period=today - dt.timedelta(days=40),
        cases=12,
    )
    assert other.get_source_display() == "Diisi operator (cadangan)"


def test_returning_needs_a_comment_and_unlocks_the_month(facilitator, coordinator, log, today):
    log(facilitator)
    report = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )
    with pytest.raises(ValidationError, match="perlu diperbaiki"):
        services.report_return(actor=coordinator, report=report, comment=" ")

    services.report_return(actor=coordinator, report=report, comment="Tambahkan kunjungan 3/12.")

    log(facilitator, clients_served=2)  # the month is open again
    again = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )
    assert again.pk == report.pk and again.entries == 2
    assert not CaseloadRecord.objects.exists()


def test_nobody_decides_outside_their_area_or_on_their_own_report(
    facilitator, log, today, programmes
):
    log(facilitator)
    report = services.report_submit(
        actor=facilitator, engagement=facilitator.engagement, month=today
    )
    elsewhere = UserFactory(
        role="koordinator",
        username="koord-kota",
        scope_province_id="32",
        scope_regency_id="32.73",
        programmes=[programmes["lanjut-usia"]],
    )
    other_cluster = UserFactory(
        role="koordinator",
        username="koord-pkh",
        scope_province_id="32",
        scope_regency_id="32.04",
        programmes=[programmes["pkh"]],
    )
    no_scope = UserFactory(role="koordinator", username="koord-kosong")
    operator = UserFactory(
        role="operator_kabkota", username="op2", scope_province_id="32", scope_regency_id="32.04"
    )
    for user in (elsewhere, other_cluster, no_scope, operator, facilitator):
        with pytest.raises(PermissionDenied):
            services.report_approve(actor=user, report=report)
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.SUBMITTED


def test_the_monthly_build_is_idempotent_and_follows_the_entries(
    facilitator, colleague, coordinator, log, today
):
    for user, served in ((facilitator, 3), (colleague, 6)):
        log(user, clients_served=served)
        report = services.report_submit(actor=user, engagement=user.engagement, month=today)
        services.report_approve(actor=coordinator, report=report)

    built = services.month_caseloads_build(month=today, actor=None)
    again = services.month_caseloads_build(month=today, actor=None)

    assert built == again == 2
    assert sorted(CaseloadRecord.objects.values_list("cases", flat=True)) == [3, 6]
