"""Writes of the shared record of a partnership and of a municipality's perspective on it.

The perspective (`Participation` with its `BoardSeat` and `ProcessEntry` rows) is kept by the
municipality's invoerder, in three blocks: belangrijkheid, bestuur en toezicht, proces. The
shared record (`Partnership`) is kept by the partnership's coördinator. Every save is
keyword-only, atomic, permission-checked, validated (`full_clean`), versioned through
`core.locking` (a save on a replaced version is refused when someone else changed the same
block) and written to the history with a reason.
"""

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.text import slugify

from collaborations.models import (
    BoardSeat,
    Municipality,
    Organisation,
    Participation,
    Partnership,
    ProcessEntry,
    Term,
    Vocabulary,
)
from collaborations.permissions import User, can_coordinate, user_can_edit
from core.locking import FieldConflict, as_text, lock_for_fields, save_versioned

# The keys of the rows in a block's state: also what a conflict message calls them.
SEATS = "Vertegenwoordiging per bestuursorgaan"
STEPS = "Processtappen"

IMPORTANCE_FIELDS = ["bestuurlijk_belang", "financieel_belang", "accounthouders", "raadsprogramma"]
IMPORTANCE_TERMS = {"belang_waarom": Vocabulary.BELANG_WAAROM, "belang_wie": Vocabulary.BELANG_WIE}
GOVERNANCE_FIELDS = [
    "delegatie_mandaat",
    "delegatie_mandaat_toelichting",
    "rol_taakverdeling",
    "afspraken_instrumenten",
    "toezichtarrangement",
]
PARTNERSHIP_FIELDS = [
    "name",
    "afkorting",
    "beschrijving",
    "vorm",
    "bbv_categorie",
    "centrumgemeente",
    "vestigingsplaats",
    "bezoekadres",
    "correspondentieadres",
    "website",
]
PARTNERSHIP_TERMS = {
    "onderwerpen": Vocabulary.ONDERWERP,
    "aard": Vocabulary.AARD,
    "vorm": Vocabulary.VORM,
    "bbv_categorie": Vocabulary.BBV,
}


@dataclass(frozen=True)
class SeatRow:
    """One row of "Vertegenwoordiging en zeggenschap"; `id` None: a new row."""

    orgaan: str
    vertegenwoordiging: str = ""
    stemmen: int | None = None
    stemmen_totaal: int | None = None
    toelichting: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ProcessRow:
    """One step of the council's process (wie, jaar, kwartaal, wat); `id` None: a new step."""

    actor: str
    jaar: int
    kwartaal: int | None
    actie: str
    id: int | None = None


# --- The state of each block, as the form showed it and as it is stored -------------------


def _ids(manager) -> list[int]:
    return [obj.pk for obj in manager.all()]


def _value(record: models.Model, name: str) -> object:
    field = record._meta.get_field(name)
    return getattr(record, field.attname)


def importance_state(participation: Participation) -> dict[str, object]:
    state = {name: _ids(getattr(participation, name)) for name in IMPORTANCE_TERMS}
    return state | {name: _value(participation, name) for name in IMPORTANCE_FIELDS}


def _seat_text(seat: BoardSeat) -> str:
    values = (seat.orgaan, seat.vertegenwoordiging, seat.stemmen, seat.stemmen_totaal)
    return "|".join(as_text(v) for v in (*values, seat.toelichting))


def governance_state(participation: Participation) -> dict[str, object]:
    state = {name: _value(participation, name) for name in GOVERNANCE_FIELDS}
    state[SEATS] = " / ".join(_seat_text(s) for s in participation.board_seats.all())
    return state


def process_state(participation: Participation) -> dict[str, object]:
    steps = sorted(participation.process_entries.all(), key=lambda e: e.pk)
    return {STEPS: " / ".join(f"{e.actor}|{e.jaar}|{as_text(e.kwartaal)}|{e.actie}" for e in steps)}


def partnership_state(partnership: Partnership) -> dict[str, object]:
    state = {name: _value(partnership, name) for name in PARTNERSHIP_FIELDS}
    for name in ("onderwerpen", "aard", "organisations", "municipalities"):
        state[name] = _ids(getattr(partnership, name))
    return state


# --- Shared plumbing ------------------------------------------------------------------------


def _lock[M: models.Model](
    queryset: models.QuerySet[M],
    *,
    expected_version: int,
    original: dict[str, str] | None,
    current: Callable[[M], dict[str, object]],
) -> M:
    """Lock the row and refuse a stale form (`core.locking.lock_for_fields`). Also when the
    version did not move, the values this form showed are compared with what is stored: a
    save in the admin or a restore from the history does not bump the version, and must not be
    overwritten unnoticed either."""
    locked = lock_for_fields(
        queryset, expected_version=expected_version, original=original, current=current
    )
    if original is not None:
        now = {name: as_text(value) for name, value in current(locked).items()}
        changed = {name: value for name, value in now.items() if original.get(name) != value}
        if changed:
            raise FieldConflict(changed)
    return locked


def _stamp(instance: models.Model, user: User, reason: str) -> models.Model:
    """Who and why, for the history (also outside a request)."""
    instance._history_user = user if user.is_authenticated else None
    instance._change_reason = reason[:100]  # the history keeps at most 100 characters
    return instance


def _terms(ids: Iterable[int], vocabulary: str, label: str) -> list[int]:
    ids = [int(i) for i in ids]
    known = set(Term.objects.filter(pk__in=ids, vocabulary=vocabulary).values_list("pk", flat=True))
    if set(ids) - known:
        raise ValidationError({label: "Kies alleen uit de lijst."})
    return ids


def _require_editor(user: User, participation: Participation) -> None:
    if not user_can_edit(user, participation.municipality):
        raise PermissionDenied(
            f"U mag het perspectief van {participation.municipality} niet wijzigen."
        )


def _row_errors(exc: ValidationError, model: type[models.Model], row: str) -> list[str]:
    """A model's errors as Dutch sentences naming the row and the column."""
    messages = []
    for name, errors in exc.message_dict.items():
        column = "" if name == "__all__" else str(model._meta.get_field(name).verbose_name)
        for message in errors:
            messages.append(f"{row}{', ' + column if column else ''}: {message}")
    return messages


def _sync_rows(
    *,
    existing: dict[int, models.Model],
    rows: list[Any],
    build: Callable[[Any, int], models.Model],
    describe: Callable[[Any, int], str],
    user: User,
    reason: str,
) -> None:
    """Make the stored rows equal to `rows`: change a row only where it differs, add the new
    ones, delete the ones left out. Everything is validated before anything is written, and
    each error names its row and column."""
    unknown = {row.id for row in rows if row.id is not None} - set(existing)
    if unknown:
        raise ValidationError(
            "Een rij hoort niet (meer) bij dit perspectief. Laad de pagina opnieuw."
        )
    planned, errors = [], []
    for number, row in enumerate(rows, start=1):
        instance = build(row, number)
        instance._state.adding = instance.pk is None  # a stored row is not unique against itself
        try:
            instance.full_clean(exclude=["participation"])
        except ValidationError as exc:
            errors += _row_errors(exc, type(instance), describe(row, number))
        planned.append(instance)
    if errors:
        raise ValidationError(errors)
    kept = set()
    for instance in planned:
        stored = existing.get(instance.pk)
        kept.add(instance.pk)
        if stored is not None and all(
            getattr(stored, f.attname) == getattr(instance, f.attname)
            for f in instance._meta.concrete_fields
        ):
            continue  # unchanged: no history entry
        _stamp(instance, user, reason).save()
    for pk, stored in existing.items():
        if pk not in kept:
            _stamp(stored, user, reason).delete()


def _save_participation(locked: Participation, user: User, reason: str) -> None:
    locked.full_clean(exclude=["partnership", "municipality"])
    _stamp(locked, user, reason)
    save_versioned(locked)


# --- The perspective ------------------------------------------------------------------------


@transaction.atomic
def update_importance(
    *,
    user: User,
    participation: Participation,
    belang_waarom: Iterable[int],
    belang_wie: Iterable[int],
    fields: dict[str, Any],
    expected_version: int,
    original: dict[str, str] | None = None,
) -> Participation:
    """Belangrijkheid (waarom, voor wie), verbonden partij, accounthouders, raadsprogramma."""
    _require_editor(user, participation)
    unknown = set(fields) - set(IMPORTANCE_FIELDS)
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    waarom = _terms(belang_waarom, Vocabulary.BELANG_WAAROM, "belang_waarom")
    wie = _terms(belang_wie, Vocabulary.BELANG_WIE, "belang_wie")
    locked = _lock(
        Participation.objects.filter(pk=participation.pk),
        expected_version=expected_version,
        original=original,
        current=importance_state,
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    reason = "Belangrijkheid bewerkt"
    _save_participation(locked, user, reason)
    _stamp(locked, user, reason)
    locked.belang_waarom.set(waarom)
    locked.belang_wie.set(wie)
    return locked


@transaction.atomic
def update_governance(
    *,
    user: User,
    participation: Participation,
    fields: dict[str, Any],
    seats: list[SeatRow],
    expected_version: int,
    original: dict[str, str] | None = None,
) -> Participation:
    """Bestuur en toezicht: delegatie/mandaat, rol- en taakverdeling, afspraken, toezicht, and
    the representation and votes per board. The votes of the municipality are never more than
    the total: the error names the row."""
    _require_editor(user, participation)
    unknown = set(fields) - set(GOVERNANCE_FIELDS)
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    toezicht = fields.get("toezichtarrangement")
    if toezicht is not None and getattr(toezicht, "vocabulary", None) != Vocabulary.TOEZICHT:
        raise ValidationError({"toezichtarrangement": "Kies een toezichtarrangement uit de lijst."})
    too_many = [
        f"Bestuursorgaan {n} ({row.orgaan}): het aantal stemmen voor de gemeente ({row.stemmen}) "
        f"is groter dan het totaal aantal stemmen ({row.stemmen_totaal})."
        for n, row in enumerate(seats, start=1)
        if row.stemmen is not None
        and row.stemmen_totaal is not None
        and row.stemmen > row.stemmen_totaal
    ]
    if too_many:
        raise ValidationError(too_many)
    locked = _lock(
        Participation.objects.filter(pk=participation.pk),
        expected_version=expected_version,
        original=original,
        current=governance_state,
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    reason = "Bestuur en toezicht bewerkt"
    _save_participation(locked, user, reason)
    existing = {seat.pk: seat for seat in locked.board_seats.all()}

    def build(row: SeatRow, number: int) -> BoardSeat:
        values = {k: v for k, v in asdict(row).items() if k != "id"}
        return BoardSeat(pk=row.id, participation=locked, order=number - 1, **values)

    _sync_rows(
        existing=existing,
        rows=seats,
        build=build,
        describe=lambda row, n: f"Bestuursorgaan {n}",
        user=user,
        reason=reason,
    )
    return locked


@transaction.atomic
def update_process(
    *,
    user: User,
    participation: Participation,
    steps: list[ProcessRow],
    expected_version: int,
    original: dict[str, str] | None = None,
) -> Participation:
    """Proces: who does what when (kaderbrief, zienswijze, jaarrekening)."""
    _require_editor(user, participation)
    locked = _lock(
        Participation.objects.filter(pk=participation.pk),
        expected_version=expected_version,
        original=original,
        current=process_state,
    )
    reason = "Proces bewerkt"
    _save_participation(locked, user, reason)
    existing = {entry.pk: entry for entry in locked.process_entries.all()}

    def build(row: ProcessRow, number: int) -> ProcessEntry:
        values = {k: v for k, v in asdict(row).items() if k != "id"}
        return ProcessEntry(pk=row.id, participation=locked, **values)

    _sync_rows(
        existing=existing,
        rows=steps,
        build=build,
        describe=lambda row, n: f"Stap {n}",
        user=user,
        reason=reason,
    )
    return locked


# --- The shared record ----------------------------------------------------------------------


@transaction.atomic
def update_partnership(
    *,
    user: User,
    partnership: Partnership,
    fields: dict[str, Any],
    onderwerpen: Iterable[int],
    aard: Iterable[int],
    municipality_ids: Iterable[int],
    organisation_ids: Iterable[int],
    new_organisations: Iterable[str] = (),
    expected_version: int,
    original: dict[str, str] | None = None,
) -> Partnership:
    """The shared record, for the partnership's coördinator (or the beheerder).

    A municipality added to the participants gets its (empty) perspective. Removing one is
    refused: its perspective, years and figures would go with it; ending a participation is a
    step of its own. The centrumgemeente is one of the participants. The slug never changes
    (the afkorting may), so every address stays the same."""
    if not can_coordinate(user, partnership):
        raise PermissionDenied(
            "Alleen de coördinator van de samenwerking wijzigt de gedeelde gegevens."
        )
    unknown = set(fields) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    onderwerpen = _terms(onderwerpen, Vocabulary.ONDERWERP, "onderwerpen")
    aard = _terms(aard, Vocabulary.AARD, "aard")
    for name in ("vorm", "bbv_categorie"):
        term = fields.get(name)
        if term is not None and getattr(term, "vocabulary", None) != PARTNERSHIP_TERMS[name]:
            raise ValidationError({name: "Kies alleen uit de lijst."})
    locked = _lock(
        Partnership.objects.filter(pk=partnership.pk),
        expected_version=expected_version,
        original=original,
        current=partnership_state,
    )
    wanted = {int(pk) for pk in municipality_ids}
    participants = {m.pk: m for m in locked.municipalities.all()}
    removed = sorted(str(m) for pk, m in participants.items() if pk not in wanted)
    if removed:
        raise ValidationError(
            {
                "municipalities": (
                    f"{', '.join(removed)} {'neemt' if len(removed) == 1 else 'nemen'} deel: "
                    "hier kunt u geen deelnemer weghalen, want dan zou ook het perspectief "
                    "met de jaren en bedragen verdwijnen. Beëindig de deelname van de gemeente "
                    "in plaats daarvan; haar gegevens blijven dan bewaard."
                )
            }
        )
    added = list(Municipality.objects.filter(pk__in=wanted - set(participants)))
    if len(added) != len(wanted - set(participants)):
        raise ValidationError({"municipalities": "Kies alleen gemeenten uit de lijst."})
    centre = fields.get("centrumgemeente")
    if centre is not None and centre.pk not in wanted:
        raise ValidationError(
            {
                "centrumgemeente": (
                    f"{centre} neemt niet deel aan de samenwerking: de centrumgemeente is een "
                    "van de deelnemende gemeenten."
                )
            }
        )
    organisations = {int(pk) for pk in organisation_ids}
    if Organisation.objects.filter(pk__in=organisations).count() != len(organisations):
        raise ValidationError({"organisations": "Kies alleen organisaties uit de lijst."})
    slug = locked.slug
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.slug = slug
    locked.full_clean()
    reason = "Gedeelde gegevens bewerkt"
    _stamp(locked, user, reason)
    save_versioned(locked)
    for name in {name.strip() for name in new_organisations if name.strip()}:
        organisations.add(_organisation(name).pk)
    _stamp(locked, user, reason)
    locked.onderwerpen.set(onderwerpen)
    locked.aard.set(aard)
    locked.organisations.set(organisations)
    for municipality in added:
        participation = Participation(partnership=locked, municipality=municipality)
        participation.full_clean()
        _stamp(participation, user, f"{municipality} neemt deel aan {locked.afkorting}").save()
    return locked


def _organisation(name: str) -> Organisation:
    """An organisation by its name (case-insensitive), made when it is new."""
    found = Organisation.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    organisation = Organisation(name=name, slug=_free_slug(name))
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {"new_organisations": [f"{name}: {m}" for m in exc.messages]}
        ) from exc
    organisation.save()
    return organisation


def _free_slug(name: str) -> str:
    base = slugify(name)[:190] or "organisatie"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
