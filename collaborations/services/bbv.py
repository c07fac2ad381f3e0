"""Writes of a year's BBV figures and risk register (section C's parts "Verbonden partij" and
"Risico's"). Keyword-only, atomic, permission-checked, validated (`full_clean`), versioned
through the year record's `version` (`core.locking`: a save on a replaced version is refused
when someone else changed the same part) and kept in the history (django-simple-history) with
who and why. An adopted or published year is locked (`require_open`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from collaborations.models import BbvFigures, Risk, YearRecord
from collaborations.models.bbv import BBV_AMOUNTS, BBV_TEXTS
from collaborations.permissions import User
from core.history import restore_state, restored_reason
from core.locking import as_text, lock_versioned, save_versioned

from . import _require_editor, require_open
from .records import _lock, _stamp, _sync_rows

RISKS = "Risico's"
BBV_FIELDS = [
    *BBV_TEXTS,
    *(name for name, _ in BBV_AMOUNTS),
    *(f"{name}_nvt" for name, _ in BBV_AMOUNTS),
]


@dataclass(frozen=True)
class RiskRow:
    """One row of the risk register; `id` None: a new risk."""

    omschrijving: str
    kans: int | None
    effect: Decimal | None = None
    maatregelen: str = ""
    id: int | None = None


def _figures(record: YearRecord) -> BbvFigures | None:
    try:
        return record.bbv
    except BbvFigures.DoesNotExist:
        return None


def bbv_state(record: YearRecord) -> dict[str, object]:
    """The BBV figures as the form compares them (all empty when none are stored)."""
    figures = _figures(record) or BbvFigures()
    return {name: getattr(figures, name) for name in BBV_FIELDS}


def _risk_text(risk: Risk) -> str:
    values = (risk.omschrijving, risk.kans, risk.effect, risk.maatregelen)
    return "|".join(as_text(v) for v in values)


def risks_state(record: YearRecord) -> dict[str, object]:
    risks = sorted(record.risks.all(), key=lambda r: (r.order, r.pk))
    return {RISKS: " / ".join(_risk_text(r) for r in risks)}


@transaction.atomic
def update_bbv(
    *,
    user: User,
    record: YearRecord,
    values: dict[str, Any],
    expected_version: int,
    original: dict[str, str] | None = None,
) -> BbvFigures:
    """Save the BBV figures of a year. `values` holds any of `BBV_FIELDS`; an amount and its
    n.v.t. together are refused with a message naming the field."""
    _require_editor(user, record.participation.municipality)
    unknown = set(values) - set(BBV_FIELDS)
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    locked = _lock(
        YearRecord.objects.filter(pk=record.pk),
        expected_version=expected_version,
        original=original,
        current=bbv_state,
    )
    require_open(locked)
    figures = _figures(locked) or BbvFigures(year_record=locked)
    for name, value in values.items():
        setattr(figures, name, value)
    figures.full_clean(exclude=["year_record"])
    _stamp(figures, user, "BBV-gegevens gewijzigd").save()
    locked.updated_by = user if user.is_authenticated else None
    _stamp(locked, user, "BBV-gegevens gewijzigd")
    save_versioned(locked)
    return figures


@transaction.atomic
def update_risks(
    *,
    user: User,
    record: YearRecord,
    risks: list[RiskRow],
    expected_version: int,
    original: dict[str, str] | None = None,
) -> list[Risk]:
    """Make the year's risk register equal to `risks` (in this order): changed rows are
    saved, new ones added, left-out ones deleted — each in the history. Every row is validated
    before anything is written; an error names the row ("Risico 2") and the column."""
    _require_editor(user, record.participation.municipality)
    locked = _lock(
        YearRecord.objects.filter(pk=record.pk),
        expected_version=expected_version,
        original=original,
        current=risks_state,
    )
    require_open(locked)
    existing = {r.pk: r for r in locked.risks.all()}

    def build(row: RiskRow, number: int) -> Risk:
        values = {k: v for k, v in asdict(row).items() if k != "id"}
        return Risk(pk=row.id, year_record=locked, order=number, **values)

    _sync_rows(
        existing=existing,
        rows=risks,
        build=build,
        describe=lambda row, number: f"Risico {number}",
        user=user,
        reason="Risico's gewijzigd",
    )
    locked.updated_by = user if user.is_authenticated else None
    _stamp(locked, user, "Risico's gewijzigd")
    save_versioned(locked)
    return list(locked.risks.all())


def _lock_for_restore(user: User, record: YearRecord, expected_version: int) -> YearRecord:
    """The year record, locked and checked (editor, version the page showed, open year)."""
    _require_editor(user, record.participation.municipality)
    locked = lock_versioned(
        YearRecord.objects.filter(pk=record.pk), expected_version=expected_version
    )
    require_open(locked)
    return locked


def _restored(locked: YearRecord, user: User, old) -> None:
    """The year gets a new version, so a BBV or risk form opened before the restore is refused."""
    locked.updated_by = user if user.is_authenticated else None
    locked._change_reason = restored_reason(old)
    save_versioned(locked)


@transaction.atomic
def restore_bbv(
    *, user: User, record: YearRecord, history_id: int, expected_version: int
) -> BbvFigures:
    """Put the year's BBV figures back as they were after an earlier change; the restore is a
    change of its own in the history and can be undone the same way."""
    old = BbvFigures.history.filter(history_id=history_id, year_record_id=record.pk).first()
    if old is None:
        raise ValidationError("Deze versie hoort niet bij dit jaar.")
    locked = _lock_for_restore(user, record, expected_version)
    figures = _figures(locked) or BbvFigures(year_record=locked)
    restore_state(figures, old, exclude=frozenset({"year_record"}))
    _restored(locked, user, old)
    return figures


@transaction.atomic
def restore_risk(*, user: User, record: YearRecord, history_id: int, expected_version: int) -> Risk:
    """Put one risk back as it was after an earlier change; a deleted risk comes back as it was
    when it was deleted, in its old place in the order (beside a risk that took it since)."""
    old = Risk.history.filter(history_id=history_id, year_record_id=record.pk).first()
    if old is None:
        raise ValidationError("Deze versie hoort niet bij dit jaar.")
    locked = _lock_for_restore(user, record, expected_version)
    risk = Risk.objects.filter(pk=old.id, year_record=locked).first() or Risk(
        pk=old.id, year_record=locked
    )
    restore_state(risk, old, exclude=frozenset({"year_record"}))
    _restored(locked, user, old)
    return risk


# What a new year takes over from the year before: the start of the year is the end of the last
# one (its expected end-of-year figures); the lasting choices and texts stay; the expected end
# and result of the new year are new estimates, so they start *niet ingevuld*.
CARRIED_OVER = {
    "bestuurlijk_belang_begin": "bestuurlijk_belang_eind",
    "bestuurlijk_belang_eind": "bestuurlijk_belang_eind",
    "financieel_belang_begin": "financieel_belang_eind",
    "financieel_belang_begin_nvt": "financieel_belang_eind_nvt",
    "eigen_vermogen_begin": "eigen_vermogen_eind",
    "eigen_vermogen_begin_nvt": "eigen_vermogen_eind_nvt",
    "vreemd_vermogen_begin": "vreemd_vermogen_eind",
    "vreemd_vermogen_begin_nvt": "vreemd_vermogen_eind_nvt",
    "ontwikkelingen": "ontwikkelingen",
    "programma": "programma",
    "taakveld": "taakveld",
    "economische_categorie": "economische_categorie",
}


def carry_over(*, user: User, source: YearRecord, new: YearRecord) -> None:
    """Give a year started from `source` (`start_new_year`, in its transaction) the BBV figures
    and the risk register of that year, as the rest of section C: to be reviewed."""
    reason = f"Overgenomen van {source.year}"
    previous = _figures(source)
    if previous is not None:
        # an amount and its n.v.t. come over together, so they never contradict each other
        figures = BbvFigures(
            year_record=new,
            **{name: getattr(previous, old) for name, old in CARRIED_OVER.items()},
        )
        figures.full_clean(exclude=["year_record"])
        _stamp(figures, user, reason).save()
    for number, risk in enumerate(source.risks.all(), start=1):
        copy = Risk(
            year_record=new,
            order=number,
            omschrijving=risk.omschrijving,
            kans=risk.kans,
            effect=risk.effect,
            maatregelen=risk.maatregelen,
        )
        copy.full_clean(exclude=["year_record"])
        _stamp(copy, user, reason).save()


@transaction.atomic
def import_bbv(*, record: YearRecord, values: dict[str, Any], risks: list[RiskRow]) -> None:
    """Set a year's BBV figures and risks from structured data (load_demo): validated like
    every save, idempotent (only what differs is written, so the history stays quiet)."""
    unknown = set(values) - set(BBV_FIELDS)
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    figures = _figures(record) or BbvFigures(year_record=record)
    fresh = BbvFigures(pk=figures.pk, year_record=record, **values)
    if figures.pk is None or any(
        getattr(figures, f.attname) != getattr(fresh, f.attname)
        for f in BbvFigures._meta.concrete_fields
    ):
        fresh.full_clean(exclude=["year_record"])
        fresh._state.adding = figures.pk is None
        fresh._change_reason = "Demogegevens"
        fresh.save()
    existing = {r.pk: r for r in record.risks.all()}
    stored = [r.pk for r in sorted(existing.values(), key=lambda r: (r.order, r.pk))]
    rows = [
        RiskRow(**{**asdict(row), "id": stored[i] if i < len(stored) else None})
        for i, row in enumerate(risks)
    ]
    _sync_rows(
        existing=existing,
        rows=rows,
        build=lambda row, number: Risk(
            pk=row.id,
            year_record=record,
            order=number,
            **{k: v for k, v in asdict(row).items() if k != "id"},
        ),
        describe=lambda row, number: f"Risico {number}",
        user=AnonymousUser(),
        reason="Demogegevens",
    )
