from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Impor berkas lama"

    def ready(self) -> None:
        # Inside: provides imports jobs.services, whose models need the app registry ready.
        from satupintu.provides import provide

        # The web flow runs dry runs and commits as background jobs (see imports.services).
        provide(
            self,
            jobs={"legacy_import": "imports.services.legacy_import_job"},
            job_outcomes={"legacy_import": "imports.services.job.legacy_import_outcome"},
        )
