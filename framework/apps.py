from django.apps import AppConfig


class FrameworkConfig(AppConfig):
    name = "framework"
    verbose_name = "Kerangka kualifikasi dan nomenklatur"
