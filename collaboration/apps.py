from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    name = "collaboration"
    verbose_name = "Kolaborasi dan alur kerja SDM"

    def ready(self) -> None:
        from jobs.services import job_register

        # The referral deadline pass can also be started from the web as a background job.
        job_register("referral_escalations", "collaboration.services.referral_escalations_job")
