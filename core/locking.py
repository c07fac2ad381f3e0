"""Optimistic locking: one helper for every versioned save.

A form carries the `version` of the record it showed. A save locks the row, refuses the write
when someone else saved in between (`StaleVersionError`, a Dutch message that keeps the user's
input) and bumps the version in the database, so no save silently overwrites another.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

# "the form did not say": an expected value a caller may leave out (old forms, loaders)
NOT_CHECKED = object()


class StaleVersionError(ValidationError):
    """Someone else saved the record since this form was opened."""


class FieldConflict(StaleVersionError):
    """Someone else changed these very fields since the form was opened: `saved` holds what
    is stored now, by field, so the page can show it beside the user's input."""

    def __init__(self, saved: dict[str, str]):
        super().__init__(
            "Iemand anders heeft intussen hetzelfde onderdeel opgeslagen. Hieronder staat bij elk "
            "veld wat er nu is opgeslagen; uw invoer is bewaard. Neem over wat u wilt houden en "
            "sla opnieuw op.",
            code="stale",
        )
        self.saved = saved


def as_text(value: object) -> str:
    """A stored value as the form compares it (None and "" alike)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return ",".join(sorted(str(v) for v in value))
    return str(value)


def lock_for_fields[M: models.Model](
    queryset: models.QuerySet[M],
    *,
    expected_version: int | None,
    original: dict[str, str] | None,
    current: Callable[[M], dict[str, object]],
) -> M:
    """Lock the row; a save on a replaced version is refused only when someone changed the
    fields this form is about (`original`: their values when the form was opened). So two people
    editing different sections of one record do not conflict."""
    locked = queryset.select_for_update().first()
    if locked is None or locked.version == expected_version:
        check_version(None if locked is None else locked.version, expected_version)
        return locked
    if original is None:
        check_version(locked.version, expected_version)
    now = {name: as_text(value) for name, value in current(locked).items()}
    changed = {name: value for name, value in now.items() if original.get(name) != value}
    if changed:
        raise FieldConflict(changed)
    return locked


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
