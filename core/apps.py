from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing without a domain: formatting, forms, locking, PDF, HTTP helpers, tags."""

    name = "core"
    verbose_name = "Basis"
