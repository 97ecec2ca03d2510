import datetime as dt

from django.apps import AppConfig

from jobs.schedule import Periodic


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = "Sebaran, jumlah dan beban kerja"

    def ready(self) -> None:
        # Inside: provides imports jobs.services, whose models need the app registry ready.
        from satupintu.provides import provide

        provide(
            self,
            # The incentives' caseload allowance pays on the caseloads recorded here (the
            # approved logbook months, or the operator's figure as a fallback).
            facts={"caseloads": "distribution.selectors.caseloads_in_month"},
            # Long computations run as jobs (python manage.py db_worker), e.g. after a bulk
            # registry import.
            jobs={
                "distribution_refresh": "distribution.jobs.aggregates_refresh_job",
                "distribution_counts": "distribution.jobs.counts_refresh_job",
                "distribution_snapshot": "distribution.jobs.snapshot_job",
            },
            job_outcomes={
                "distribution_refresh": "distribution.jobs.aggregates_refresh_outcome",
                "distribution_counts": "distribution.jobs.counts_refresh_outcome",
                "distribution_snapshot": "distribution.jobs.snapshot_outcome",
            },
            schedule=[
                # The dashboards read engagement counts from a cache younger than 30 minutes.
                Periodic(
                    "distribution_refresh",
                    "Menyegarkan hitungan dasbor sebaran",
                    every=dt.timedelta(minutes=10),
                ),
                Periodic(
                    "distribution_snapshot", "Potret bulanan sebaran", monthly_at=dt.time(2, 0)
                ),
            ],
        )
