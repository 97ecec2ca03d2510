from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate

from registry.search_index import ensure


def _search_index(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("registry", "0006_list_order_and_search") in applied:
        ensure(connection)


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Registri pendamping"

    def ready(self) -> None:
        # Inside: provides imports jobs.services, whose models need the app registry ready.
        from satupintu.provides import provide

        # SQLite drops a table's triggers when a migration rebuilds it: restore the word index.
        post_migrate.connect(_search_index, sender=self)
        provide(
            self,
            jobs={"registry_export": "registry.exports.registry_export_job"},
            job_outcomes={"registry_export": "registry.exports.registry_export_outcome"},
        )
