"""Every read of the allocation app: stored models, their measures, the adopted contribution.

The computations over engine results (comparison, settlement, cost price, trail) are pure and
live in `allocation.comparison`; these functions fetch what they need and call them.
"""

from __future__ import annotations

from decimal import Decimal

from django.http import Http404

from collaborations.models import Participation

from . import engine
from .comparison import Comparison, Contribution, build_comparison, settle
from .models import AllocationModel, AllocationVariant, Measure


def get_allocation_model(partnership_slug: str, year: int) -> AllocationModel:
    model = (
        AllocationModel.objects.filter(partnership__slug=partnership_slug, year=year)
        .select_related("partnership")
        .prefetch_related("variants")
        .first()
    )
    if model is None:
        raise Http404(f"Er is geen verdeelmodel voor {year}.")
    return model


def model_inputs(model: AllocationModel) -> dict:
    """The engine's inputs: the stored groups, participants, parameters and service lines,
    with the measures of the participants for the model's year from the `Measure` table."""
    names = [p["naam"] for p in model.inputs.get("deelnemers", [])]
    maten: dict[str, dict] = {}
    measures = Measure.objects.filter(year=model.year, municipality__name__in=names).select_related(
        "municipality"
    )
    for m in measures:
        if m.code not in maten:
            # the engine wants descriptive texts absent rather than empty
            meta = {"omschrijving": m.omschrijving, "eenheid": m.eenheid, "bron": m.bron}
            maten[m.code] = {**{k: v for k, v in meta.items() if v}, "waarden": {}}
        entry = maten[m.code]
        name = m.municipality.name
        if m.period:
            entry["waarden"].setdefault(name, {})[m.period] = m.value
        else:
            entry["waarden"][name] = m.value
    return {**model.inputs, "maten": maten}


def variant_definition(variant: AllocationVariant, inputs: dict | None = None):
    inputs = inputs if inputs is not None else model_inputs(variant.model)
    return engine.build_definition(variant.definition, inputs)


def comparison(model: AllocationModel) -> Comparison:
    """Every variant side by side per participant, with group subtotals and the
    redistribution effect (herverdeeleffect) against the adopted variant."""
    inputs = model_inputs(model)
    variants = list(model.variants.all())
    results = [engine.allocate(variant_definition(v, inputs)) for v in variants]
    return build_comparison(model, variants, results, inputs)


def adopted_contribution(participation: Participation, year: int) -> Contribution | None:
    """The participant's amount under the adopted variant of the partnership's model for the
    year, for its *aandeel van de gemeente*."""
    variant = (
        AllocationVariant.objects.filter(
            model__partnership_id=participation.partnership_id, model__year=year, adopted=True
        )
        .select_related("model")
        .first()
    )
    if variant is None:
        return None
    try:
        amounts = engine.allocate(variant_definition(variant)).amounts()
    except engine.DefinitionError as exc:
        return Contribution(
            variant.model,
            variant,
            None,
            error=f"De vastgestelde variant {variant.code} kan nu niet worden berekend ({exc}). "
            "De regionaal financieel adviseur is gevraagd het verdeelmodel te herstellen.",
        )
    name = participation.municipality.name
    return Contribution(variant.model, variant, amounts[name]) if name in amounts else None


def settlement(
    comparison_: Comparison, amount: Decimal, key: str
) -> list[tuple[str, Decimal, Decimal]]:
    """A year-end result split pro rata to each participant's contribution under the adopted
    variant (key "bijdrage"), or to a measure of the model's year (e.g. "inwoners")."""
    weights = None
    if key != "bijdrage":
        values = model_inputs(comparison_.model)["maten"].get(key, {}).get("waarden", {})
        weights = {name: Decimal(v) for name, v in values.items() if not isinstance(v, dict)}
    return settle(comparison_, amount, weights)


def measure_choices(model: AllocationModel) -> list[tuple[str, str]]:
    """The measures available for the model's participants and year (code, description)."""
    names = [p["naam"] for p in model.inputs.get("deelnemers", [])]
    rows = (
        Measure.objects.filter(year=model.year, municipality__name__in=names, period="")
        .values_list("code", "omschrijving")
        .distinct()
        .order_by("code")
    )
    return list(rows)


def allocation_years(partnership_id: int) -> list[int]:
    return list(
        AllocationModel.objects.filter(partnership_id=partnership_id)
        .order_by("year")
        .values_list("year", flat=True)
    )
