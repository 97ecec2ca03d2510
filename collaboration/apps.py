import datetime as dt

from django.apps import AppConfig

from jobs.schedule import Periodic


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = "Kolaborasi dan alur kerja SDM"

    def ready(self) -> None:
        # Inside: provides imports jobs.services, whose models need the app registry ready.
        from satupintu.provides import provide

        provide(
            self,
            # The referral deadline pass, hourly and from the web as a background job.
            jobs={"referral_escalations": "collaboration.services.referral_escalations_job"},
            job_outcomes={
                "referral_escalations": "collaboration.services.referral_escalations_outcome"
            },
            person_section="collaboration.sections.person_section",
            schedule=[
                Periodic(
                    "referral_escalations",
                    "Pengingat dan eskalasi rujukan",
                    every=dt.timedelta(hours=1),
                )
            ],
        )
