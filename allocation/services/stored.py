"""Every write of the allocation app: store a model with its measures and variants, adopt a
variant. Keyword-only, atomic, validated (every definition goes through the engine first)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from allocation import engine
from allocation.models import AllocationModel, AllocationVariant, Measure
from allocation.permissions import can_manage_allocation
from collaborations.models import Municipality, Partnership
from collaborations.permissions import User
from core.locking import NOT_CHECKED, StaleVersionError


@dataclass(frozen=True)
class VariantInput:
    code: str
    name: str
    omschrijving: str
    definition: dict


def _without_inputs(definition: dict) -> dict:
    """A stored variant holds only its steps; the inputs come from the model and the measures."""
    return {key: value for key, value in definition.items() if key != "invoer"}


def _check_definition(definition: dict, inputs: dict, code: str) -> None:
    try:
        engine.build_definition(_without_inputs(definition), inputs)
    except engine.DefinitionError as exc:
        raise ValidationError(f"Variant {code}: {exc}") from exc


@transaction.atomic
def save_allocation_model(
    *,
    partnership: Partnership,
    year: int,
    name: str,
    bron: str,
    inputs: dict,
    variants: list[VariantInput],
    cost_price: dict | None = None,
    adopted_code: str | None = None,
) -> AllocationModel:
    """Store a model with its measures (`inputs["maten"]` → `Measure` rows per municipality) and
    its variants; every variant is checked by the engine before anything is saved."""
    for variant in variants:
        try:
            AllocationVariant._meta.get_field("code").clean(variant.code, None)
        except ValidationError as exc:
            raise ValidationError(f"Variant {variant.code}: {' '.join(exc.messages)}") from exc
        _check_definition(variant.definition, inputs, variant.code)
    names = [p["naam"] for p in inputs.get("deelnemers", [])]
    municipalities = {m.name: m for m in Municipality.objects.filter(name__in=names)}
    missing = sorted(set(names) - set(municipalities))
    if missing:
        raise ValidationError(f"Onbekende gemeenten in het verdeelmodel: {', '.join(missing)}.")
    for code, measure in inputs.get("maten", {}).items():
        meta = {
            "omschrijving": measure.get("omschrijving", ""),
            "eenheid": measure.get("eenheid", ""),
            "bron": measure.get("bron", ""),
        }
        for participant, value in measure.get("waarden", {}).items():
            periods = value if isinstance(value, dict) else {"": value}
            for period, number in periods.items():
                Measure.objects.update_or_create(
                    municipality=municipalities[participant],
                    code=code,
                    year=year,
                    period=period,
                    defaults={"value": Decimal(str(number)), **meta},
                )
    stored_inputs = {k: v for k, v in inputs.items() if k != "maten"}
    model, _ = AllocationModel.objects.update_or_create(
        partnership=partnership,
        year=year,
        defaults={"name": name, "bron": bron, "inputs": stored_inputs, "cost_price": cost_price},
    )
    model.variants.exclude(code__in=[v.code for v in variants]).delete()
    _unadopt_all(model, keep=None)
    for order, variant in enumerate(variants):
        AllocationVariant.objects.update_or_create(
            model=model,
            code=variant.code,
            defaults={
                "name": variant.name,
                "omschrijving": variant.omschrijving,
                "definition": _without_inputs(variant.definition),
                "order": order,
                "adopted": variant.code == adopted_code,
            },
        )
    return model


def _unadopt_all(model: AllocationModel, keep: AllocationVariant | None) -> None:
    """Clear the adopted flag one variant at a time, so the history keeps each change."""
    for other in model.variants.filter(adopted=True).exclude(pk=getattr(keep, "pk", None)):
        other.adopted = False
        other.save(update_fields=["adopted"])


@transaction.atomic
def adopt_variant(
    *, user: User, variant: AllocationVariant, expected_adopted: object = NOT_CHECKED
) -> AllocationVariant:
    """Make this variant the adopted one of its model; its amounts become the contributions.

    `expected_adopted` is the code of the variant the page showed as adopted (None: none): if
    someone adopted another one since, the save is refused instead of silently winning."""
    model = AllocationModel.objects.select_for_update().get(pk=variant.model_id)
    if not can_manage_allocation(user, model.partnership):
        raise PermissionDenied(
            "Alleen de coördinator van de samenwerking kan een variant vaststellen."
        )
    if expected_adopted is not NOT_CHECKED:
        current = model.variants.filter(adopted=True).values_list("code", flat=True).first()
        if current != (expected_adopted or None):
            what = f"variant {current}" if current else "geen variant"
            raise StaleVersionError(
                f"Iemand anders heeft intussen {what} vastgesteld. Bekijk de vergelijking "
                "opnieuw en kies dan.",
                code="stale",
            )
    _unadopt_all(model, keep=variant)
    variant.refresh_from_db()
    if not variant.adopted:
        variant.adopted = True
        variant.save(update_fields=["adopted"])
    return variant
