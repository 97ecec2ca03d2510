from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = "Sebaran, jumlah dan beban kerja"

    def ready(self) -> None:
        from jobs.services import job_register

        # Long computations run as jobs (python manage.py db_worker), e.g. after a bulk
        # registry import: job_start(kind="distribution_refresh", ...).
        job_register("distribution_refresh", "distribution.jobs.aggregates_refresh_job")
        job_register("distribution_counts", "distribution.jobs.counts_refresh_job")
        job_register("distribution_snapshot", "distribution.jobs.snapshot_job")
