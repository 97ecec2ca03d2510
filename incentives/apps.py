from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = "Insentif standar"

    def ready(self) -> None:
        # Registering the handler is configuration, not a signal: the jobs app looks it up by kind.
        from jobs.services import job_register

        job_register(
            "incentives_recompute", "incentives.services.standard_incentives_recompute_job"
        )
