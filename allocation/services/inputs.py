"""Writes of a verdeelmodel's inputs: the parameters (the budget first) and the measures per
municipality. Only the partnership's coördinator writes them; every variant is recomputed
with the new inputs before anything is saved, so a change that would break a variant is
refused with the variant named. django-simple-history keeps every earlier state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from allocation import engine, selectors
from allocation.models import AllocationModel, Measure
from allocation.permissions import require_allocation_manager
from collaborations.models import Municipality
from collaborations.permissions import User
from core.locking import FieldConflict, as_text, lock_versioned, save_versioned


@dataclass(frozen=True)
class ParameterInput:
    code: str
    value: Decimal
    omschrijving: str = ""
    bron: str = ""


@dataclass(frozen=True)
class MeasureMeta:
    omschrijving: str
    eenheid: str = ""
    bron: str = ""
    peildatum: date | None = None


def _require_coordinator(user: User, model: AllocationModel) -> None:
    require_allocation_manager(user, model.partnership, "het verdeelmodel wijzigen")


def check_variants(model: AllocationModel, inputs: dict) -> None:
    """Every variant of the model must still compute with these inputs."""
    for variant in model.variants.all():
        try:
            engine.allocate(engine.build_definition(variant.definition, inputs))
        except engine.DefinitionError as exc:
            raise ValidationError(
                f"Met deze invoer kan variant {variant.code} niet worden berekend: {exc}"
            ) from exc


def parameters_document(parameters: list[ParameterInput]) -> dict:
    """The `parameters` object of the format: a value with its description and source."""
    document = {}
    for p in parameters:
        entry: dict = {"waarde": str(p.value)}
        if p.omschrijving:
            entry["omschrijving"] = p.omschrijving
        if p.bron:
            entry["bron"] = p.bron
        document[p.code] = entry
    return document


@transaction.atomic
def update_parameters(
    *,
    user: User,
    model: AllocationModel,
    parameters: list[ParameterInput],
    expected_version: int,
) -> AllocationModel:
    """Replace the model's parameters (the budget, tariffs, up-front amounts). A parameter a
    variant still uses cannot be removed; a save on a replaced version is refused."""
    _require_coordinator(user, model)
    codes = [p.code for p in parameters]
    if len(set(codes)) != len(codes):
        raise ValidationError("Elke parameter mag maar één keer voorkomen.")
    locked = lock_versioned(
        AllocationModel.objects.filter(pk=model.pk),
        expected_version=expected_version,
        what="de parameters",
    )
    inputs = {**selectors.model_inputs(locked), "parameters": parameters_document(parameters)}
    check_variants(locked, inputs)
    locked.inputs = {**locked.inputs, "parameters": parameters_document(parameters)}
    locked.full_clean()
    save_versioned(locked, update_fields=["inputs"])
    return locked


Cells = dict[str, dict[str, Decimal | None]]  # municipality → period ("" for one value) → value


def measure_cells(model: AllocationModel, code: str) -> Cells:
    """The stored values of one measure for the model's participants and year."""
    names = [p["naam"] for p in model.inputs.get("deelnemers", [])]
    cells: Cells = {name: {} for name in names}
    rows = Measure.objects.filter(
        year=model.year, code=code, municipality__name__in=names
    ).values_list("municipality__name", "period", "value")
    for name, period, value in rows:
        cells[name][period] = value
    return cells


@transaction.atomic
def update_measure(
    *,
    user: User,
    model: AllocationModel,
    code: str,
    meta: MeasureMeta,
    values: Cells,
    original: Cells | None,
) -> int:
    """Set one measure for the model's participants: a value per municipality (and period).
    An empty value removes it (unknown, not zero). `original` holds what the form showed: a
    cell someone else changed since is a conflict, shown beside the user's input. Returns the
    number of values changed."""
    _require_coordinator(user, model)
    try:
        Measure._meta.get_field("code").clean(code, None)
    except ValidationError as exc:
        raise ValidationError(f"Maat: {' '.join(exc.messages)}") from exc
    names = [p["naam"] for p in model.inputs.get("deelnemers", [])]
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise ValidationError(f"Geen deelnemer van het verdeelmodel: {', '.join(unknown)}.")
    AllocationModel.objects.select_for_update().filter(pk=model.pk).first()
    now = measure_cells(model, code)
    if original is not None:
        changed = {
            f"{name}|{period}": as_text(now[name].get(period))
            for name, periods in original.items()
            if name in now
            for period, shown in periods.items()
            if as_text(now[name].get(period)) != as_text(shown)
        }
        if changed:
            raise FieldConflict(changed)
    municipalities = {m.name: m for m in Municipality.objects.filter(name__in=names)}
    # the engine sees the new values before they are saved: a variant they break is named
    check_variants(model, selectors.inputs_with_measure(model, code, meta, values))
    count = 0
    for name, periods in values.items():
        for period, value in periods.items():
            existing = Measure.objects.filter(
                municipality=municipalities[name], code=code, year=model.year, period=period
            ).first()
            if value is None:
                if existing is not None:
                    existing.delete()
                    count += 1
                continue
            fields = {
                "value": value,
                "omschrijving": meta.omschrijving,
                "eenheid": meta.eenheid,
                "bron": meta.bron,
                "peildatum": meta.peildatum,
            }
            if existing is not None and all(getattr(existing, k) == v for k, v in fields.items()):
                continue  # no history row for a value that did not change
            measure = existing or Measure(
                municipality=municipalities[name], code=code, year=model.year, period=period
            )
            for key, field_value in fields.items():
                setattr(measure, key, field_value)
            measure.full_clean()
            measure.save()
            count += 1
    return count
