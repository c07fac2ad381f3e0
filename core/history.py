"""Readable history (django-simple-history records → Dutch per-field changes), without a domain.

Each app says which historical records belong to a page; this module turns them into entries:
when, who, what (the record's kind and name), and per field the value before and after, in
Dutch (amounts as `€ 1.281.406`, yes/no, choice labels, "niet ingevuld"). Changes that touch
only bookkeeping fields (the version, the time of the last save) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

from .formatting import format_money, format_number

BOOKKEEPING = {"id", "version", "updated_at", "updated_by", "order"}
ACTIONS = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}
MONEY_FIELDS = {"amount", "base_amount", "fixed_amount", "value"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    action: str  # aangemaakt, gewijzigd, verwijderd
    kind: str  # the record's kind, e.g. "jaar (sectie C)", "bedrag"
    name: str  # which one, e.g. "Kosten: beschermd wonen, begroting 2018"
    changes: list[FieldChange] = field(default_factory=list)
    history_id: int | None = None
    restore_key: str = ""  # what the restore service calls it; empty: cannot be restored here
    reason: str = ""

    @property
    def when_text(self) -> str:
        return date_format(timezone.localtime(self.when), "j F Y, H:i")


def display(model_field: models.Field, value: object) -> str:
    """A stored value as a reader sees it, in Dutch."""
    if value is None or value == "":
        return "niet ingevuld"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        # a model names its own amounts in MONEY_FIELDS (BBV figures, a risk's effect)
        own = getattr(getattr(model_field, "model", None), "MONEY_FIELDS", frozenset())
        if model_field.name in MONEY_FIELDS or model_field.name in own:
            places = 0 if value == value.to_integral_value() else 2
            return format_money(value, places)
        return format_number(value.normalize(), max(0, -value.normalize().as_tuple().exponent))
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    return str(value)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in BOOKKEEPING and not f.name.startswith("history_")
    ]


def field_changes(
    new, old, model: type[models.Model], hide: frozenset[str] = frozenset()
) -> list[FieldChange]:
    """Per field that differs: (label, before, after). `old` None: everything is new. `hide`:
    fields that only say which record it is (already in the entry's name)."""
    changes = []
    for f in _fields(model):
        if f.name in hide:
            continue
        before = None if old is None else getattr(old, f.attname)
        after = getattr(new, f.attname)
        if old is not None and before == after:
            continue
        if old is None and (after in (None, "") or after is False):
            continue  # a new record: what was left empty, or a flag not set, is no change
        if f.is_relation:
            before = _related_name(old, f) if old is not None else None
            after = _related_name(new, f)
        label = str(f.verbose_name)
        changes.append(
            FieldChange(label[:1].upper() + label[1:], display(f, before), display(f, after))
        )
    return changes


def _related_name(record, f: models.Field) -> str | None:
    if getattr(record, f.attname) is None:
        return None
    try:
        return str(getattr(record, f.name))
    except f.related_model.DoesNotExist:
        return f"#{getattr(record, f.attname)}"


def entries(
    records: Iterable,
    model: type[models.Model],
    *,
    kind: str,
    name: Callable[[object], str],
    restore_key: str = "",
    extra: Callable[[object, object | None], list[FieldChange]] | None = None,
    hide: frozenset[str] = frozenset(),
) -> list[HistoryEntry]:
    """History entries of one kind of record, each with its changes against the record's
    previous state (records of one object are compared in the order they were made)."""
    ordered = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous: dict[object, object] = {}
    result = []
    for record in ordered:
        before = previous.get(record.id)
        previous[record.id] = record
        if record.history_type == "-":
            changes = [
                FieldChange(c.label, c.new, "verwijderd")
                for c in field_changes(record, None, model, hide)
            ]
        else:
            previous_state = before if record.history_type == "~" else None
            changes = field_changes(record, previous_state, model, hide)
        if extra is not None:
            changes += extra(record, before)
        if record.history_type == "~" and not changes:
            continue  # only bookkeeping changed (a version bump)
        user = record.history_user
        result.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "het systeem",
                action=ACTIONS[record.history_type],
                kind=kind,
                name=name(record),
                changes=changes,
                history_id=record.history_id,
                restore_key=restore_key,
                reason=record.history_change_reason or "",
            )
        )
    return result


def restored_reason(old) -> str:
    """The history's reason for a restore: which earlier state came back."""
    stamp = date_format(timezone.localtime(old.history_date), "j F Y H:i")
    return f"Teruggezet naar de versie van {stamp}"


def restore_m2m(instance: models.Model, old, names: tuple[str, ...]) -> None:
    """Give `instance` the many-to-many links its historical record `old` had."""
    for name in names:
        through = getattr(type(instance), name).through
        target = next(
            f.name
            for f in through._meta.get_fields()
            if f.is_relation and f.related_model is not type(instance)
        )
        getattr(instance, name).set(getattr(old, name).values_list(f"{target}_id", flat=True))


def restore_state(
    instance: models.Model, old, *, exclude: frozenset[str] = frozenset(), m2m: tuple = ()
) -> models.Model:
    """Put `instance` back in the state of the historical record `old` (concrete fields but
    `exclude`, and the tracked many-to-many fields `m2m`), saved as a change of its own."""
    for f in _fields(type(instance)):
        if f.name not in exclude and not f.primary_key:
            setattr(instance, f.attname, getattr(old, f.attname))
    instance._change_reason = restored_reason(old)
    instance.full_clean(validate_unique=False)
    instance.save()
    restore_m2m(instance, old, m2m)
    return instance
