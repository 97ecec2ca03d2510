from django.apps import AppConfig


class CompetencyConfig(AppConfig):
    name = "competency"
    verbose_name = "Pelatihan, sertifikasi dan rekognisi"
