from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "framework"
    verbose_name = "Kerangka kualifikasi dan nomenklatur"

    def ready(self) -> None:
        # Web-started harmonisation runs as a background job (jobs app looks handlers up by kind).
        from jobs.services import job_register

        job_register("harmonize", "framework.harmonize.harmonize_job")
