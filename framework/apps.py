from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "framework"
    verbose_name = "Kerangka kualifikasi dan nomenklatur"

    def ready(self) -> None:
        # Inside: provides imports jobs.services, whose models need the app registry ready.
        from satupintu.provides import provide

        # Web-started harmonisation runs as a background job.
        provide(
            self,
            jobs={"harmonize": "framework.harmonize.harmonize_job"},
            job_outcomes={"harmonize": "framework.harmonize.harmonize_outcome"},
        )
