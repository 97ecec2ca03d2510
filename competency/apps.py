from django.apps import AppConfig


class CompetencyConfig(AppConfig):
    name = "competency"
    verbose_name = "Pelatihan, sertifikasi dan rekognisi"

    def ready(self) -> None:
        from competency import checks  # noqa: F401  (registers the deployment check)
        from competency.facts import certified_units
        from framework.facts import certified_units_provider_set
        from jobs.services import job_register

        # Harmonisation rules that ask for certified units read them through this hook.
        certified_units_provider_set(certified_units)
        # Web-started runs of the daily pass (reminders, then expiry) go through the jobs app.
        job_register("competency_reminders", "competency.services.certificate_reminders_job")
