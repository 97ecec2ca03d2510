import datetime as dt

from django.apps import AppConfig

from jobs.schedule import Periodic


class CompetencyConfig(AppConfig):
    name = "competency"
    verbose_name = "Pelatihan, sertifikasi dan rekognisi"

    def ready(self) -> None:
        # Inside: importing it registers a system check, which belongs in AppConfig.ready.
        from competency import checks  # noqa: F401  (registers the deployment check)

        # Inside: provides imports jobs.services, whose models need the app registry ready.
        from satupintu.provides import provide

        provide(
            self,
            facts={
                # Harmonisation rules that ask for certified units, and the certification
                # allowance of the incentives, read certificates through these.
                "certified_units": "competency.facts.certified_units",
                "certified_person_ids": "competency.selectors.certified_person_ids",
            },
            jobs={"competency_reminders": "competency.services.certificate_reminders_job"},
            job_outcomes={
                "competency_reminders": "competency.services.certificate_reminders_outcome"
            },
            person_section="competency.sections.person_section",
            schedule=[
                Periodic(
                    "competency_reminders",
                    "Pengingat dan kedaluwarsa sertifikat",
                    daily_at=dt.time(1, 0),
                )
            ],
        )
