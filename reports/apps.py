from django.apps import AppConfig
from django.db import connection
from django.db.models.signals import post_migrate


def _ensure_versions(sender, **kwargs) -> None:
    """After `migrate`: published years of a database from before versions get version 1."""
    from collaborations.models import YearVersion

    from .services import ensure_versions

    if YearVersion._meta.db_table in connection.introspection.table_names():
        ensure_versions()


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Rapportages"

    def ready(self) -> None:
        post_migrate.connect(_ensure_versions, sender=self)
