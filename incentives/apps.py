from django.apps import AppConfig


class IncentivesConfig(AppConfig):
    name = "incentives"
    verbose_name = "Insentif standar"

    def ready(self) -> None:
        # Inside: provides imports jobs.services, whose models need the app registry ready.
        from satupintu.provides import provide

        provide(
            self,
            jobs={"incentives_recompute": "incentives.services.standard_incentives_recompute_job"},
            job_outcomes={
                "incentives_recompute": "incentives.services.standard_incentives_recompute_outcome"
            },
            person_section="incentives.sections.person_section",
        )
