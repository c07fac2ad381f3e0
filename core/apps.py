from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing without a domain: formatting, forms, locking, PDF, HTTP helpers, tags."""

    name = "core"
    verbose_name = "Basis"

    def ready(self) -> None:
        # every write to a table the public pages read bumps the published generation
        from core import pagecache

        pagecache.connect()
