"""Optimistic locking: one helper for every versioned save.

A form carries the `version` of the record it showed. A save locks the row, refuses the write
when someone else saved in between (`StaleVersionError`, a Dutch message that keeps the user's
input) and bumps the version in the database, so no save silently overwrites another.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

M = TypeVar("M", bound=models.Model)


class StaleVersionError(ValidationError):
    """Someone else saved the record since this form was opened."""


def check_version(current: int | None, expected: int | None, what: str = "dit onderdeel") -> None:
    """Refuse a save based on a version someone else has replaced (None: not created yet)."""
    if current != expected:
        raise StaleVersionError(
            f"Iemand anders heeft {what} opgeslagen nadat u het opende. Uw invoer is "
            "hieronder bewaard; vergelijk met de pagina en sla opnieuw op.",
            code="stale",
        )


def lock_versioned[M: models.Model](
    queryset: models.QuerySet[M], *, expected_version: int | None, what: str = "dit onderdeel"
) -> M | None:
    """Lock the one row of `queryset` (or find none) and check its version against the form's.

    Call inside `transaction.atomic`. A row that does not exist yet has version None."""
    locked = queryset.select_for_update().first()
    check_version(locked.version if locked is not None else None, expected_version, what)
    return locked


def save_versioned(instance: models.Model, *, update_fields: list[str] | None = None) -> None:
    """Save with the version bumped in the database (`F("version") + 1`), then reload it.

    A new instance is saved as it is (its version starts at the field's default)."""
    if instance.pk is not None and not instance._state.adding:
        instance.version = F("version") + 1
        if update_fields is not None:
            update_fields = [*update_fields, "version"]
    instance.save(update_fields=update_fields)
    instance.refresh_from_db()
