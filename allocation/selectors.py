"""Every read of the allocation app: stored models, their measures, the adopted contribution.

The computations over engine results (comparison, settlement, cost price, trail) are pure and
live in `allocation.comparison`; these functions fetch what they need and call them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404

from collaborations.models import Municipality, Participation
from collaborations.permissions import User, can_read_drafts

from . import engine
from .comparison import Comparison, Contribution, build_comparison, settle
from .models import (
    AllocationModel,
    AllocationPublication,
    AllocationVariant,
    Measure,
    Settlement,
    SettlementLine,
)
from .permissions import can_manage_allocation


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


def comparison(
    model: AllocationModel,
    *,
    inputs: dict | None = None,
    variants: list[AllocationVariant] | None = None,
) -> Comparison:
    """Every variant side by side per participant, with group subtotals and the
    redistribution effect (herverdeeleffect) against the adopted variant.

    `inputs` and `variants` (unsaved) let a form show the effect of a change before it is
    saved: the same comparison over the proposed inputs or definitions."""
    inputs = inputs if inputs is not None else model_inputs(model)
    variants = variants if variants is not None else list(model.variants.all())
    shared = engine.parse_inputs(inputs)  # read once for all variants
    results = [engine.allocate(engine.build_definition(v.definition, shared)) for v in variants]
    return build_comparison(model, variants, results, inputs)


@dataclass(frozen=True)
class ModelState:
    """A verdeelmodel as one reader sees it. The coordinator works on the model itself (the
    working state); everyone else reads its newest publication, or the one asked for. For a
    publication `model` is an unsaved copy holding the published name, source, inputs and cost
    price, and `variants` are unsaved variants: the same comparison, explanation and PDF code
    serves both."""

    model: AllocationModel
    variants: list[AllocationVariant]
    inputs: dict
    publication: AllocationPublication | None  # what is shown; None: the working state
    latest: AllocationPublication | None  # the newest publication, for the banner

    @property
    def working(self) -> bool:
        return self.publication is None

    def variant(self, code: str) -> AllocationVariant | None:
        return next((v for v in self.variants if v.code == code), None)

    def comparison(self) -> Comparison:
        return comparison(self.model, inputs=self.inputs, variants=self.variants)


def publications(model: AllocationModel) -> list[AllocationPublication]:
    """Newest first, with who published them."""
    return list(model.publications.select_related("published_by"))


def published_state(
    model: AllocationModel, publication: AllocationPublication, latest
) -> ModelState:
    """The model as `publication` froze it (name, inputs, variants), rebuilt without reading any
    working data; `latest` is the newest publication, so a page can say a newer one exists."""
    snapshot = publication.inputs
    copy = AllocationModel(
        pk=model.pk,
        partnership=model.partnership,
        year=model.year,
        name=snapshot.get("model", {}).get("name", model.name),
        bron=snapshot.get("model", {}).get("bron", model.bron),
        inputs={k: v for k, v in snapshot["invoer"].items() if k != "maten"},
        cost_price=snapshot.get("model", {}).get("cost_price", {}),
    )
    variants = [
        AllocationVariant(
            model=copy,
            code=v["code"],
            name=v["name"],
            omschrijving=v.get("omschrijving", ""),
            definition=v["definition"],
            order=v.get("order", 0),
            adopted=v.get("adopted", False),
        )
        for v in publication.variants
    ]
    return ModelState(copy, variants, snapshot["invoer"], publication, latest)


def requested_version(raw: str | None) -> int | None:
    """The `?versie=N` of a page: None when absent, Http404 when it is no version number."""
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) < 100_000:
        raise Http404("Er is geen versie met dit nummer.")
    return int(raw)


def model_state(
    model: AllocationModel, user: User, *, number: int | None = None
) -> ModelState | None:
    """What `user` sees of the model: version `number` when asked (Http404 if there is none),
    else the working state for its managers and the newest publication for everyone else;
    None when nothing is published yet."""
    latest = model.publications.select_related("published_by").first()
    if number is not None:
        asked = model.publications.select_related("published_by").filter(number=number).first()
        if asked is None:
            raise Http404(f"Er is geen versie {number} van dit verdeelmodel.")
        return published_state(model, asked, latest)
    if can_manage_allocation(user, model.partnership):
        variants = list(model.variants.all())
        return ModelState(model, variants, model_inputs(model), None, latest)
    if latest is None:
        return None
    return published_state(model, latest, latest)


def publication_snapshot(model: AllocationModel) -> tuple[dict, list[dict]]:
    """The working state as a publication keeps it: inputs with measures, and the variants."""
    inputs = {
        "invoer": model_inputs(model),
        "model": {"name": model.name, "bron": model.bron, "cost_price": model.cost_price},
    }
    variants = [
        {
            "code": v.code,
            "name": v.name,
            "omschrijving": v.omschrijving,
            "definition": v.definition,
            "order": v.order,
            "adopted": v.adopted,
        }
        for v in model.variants.all()
    ]
    return inputs, variants


def unpublished_changes(model: AllocationModel, latest: AllocationPublication | None) -> list[str]:
    """In words, what the working state has that the newest publication does not: the
    coordinator sees it before publishing, the public does not see it at all."""
    if latest is None:
        return ["Er is nog niets gepubliceerd: alleen de coördinator ziet dit verdeelmodel."]
    inputs, variants = publication_snapshot(model)
    old_inputs = latest.inputs
    changes = []
    now, then = inputs["invoer"], old_inputs["invoer"]
    if _plain(now.get("parameters")) != _plain(then.get("parameters")):
        changes.append("de begroting of de parameters")
    changed = sorted(
        code
        for code in set(now.get("maten", {})) | set(then.get("maten", {}))
        if _plain(now.get("maten", {}).get(code)) != _plain(then.get("maten", {}).get(code))
    )
    if changed:
        changes.append("de maten " + ", ".join(changed))
    if _plain({k: v for k, v in now.items() if k not in ("parameters", "maten")}) != _plain(
        {k: v for k, v in then.items() if k not in ("parameters", "maten")}
    ):
        changes.append("de deelnemers, regio's of diensten")
    old = {v["code"]: v for v in latest.variants}
    new = {v["code"]: v for v in variants}
    for code in sorted(set(new) - set(old)):
        changes.append(f"variant {code} is nieuw")
    for code in sorted(set(old) - set(new)):
        changes.append(f"variant {code} is verwijderd")
    for code in sorted(set(old) & set(new)):
        if _plain({**old[code], "adopted": None}) != _plain({**new[code], "adopted": None}):
            changes.append(f"variant {code} is gewijzigd")
    adopted = (
        next((c for c, v in new.items() if v["adopted"]), None),
        next((c for c, v in old.items() if v["adopted"]), None),
    )
    if adopted[0] != adopted[1]:
        changes.append(
            f"vastgesteld is nu variant {adopted[0]}" if adopted[0] else "geen variant vastgesteld"
        )
    return changes


def _plain(value: object) -> object:
    """A JSON value as it is stored (Decimals as text): the working state and a publication
    read back from the database compare equal when they hold the same figures."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))


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


def measure_overview(model: AllocationModel) -> list[dict]:
    """The measures of the model's participants and year: code, description, source,
    reference date, periods and how many participants have a value (for the inputs page)."""
    names = [p["naam"] for p in model.inputs.get("deelnemers", [])]
    overview: dict[str, dict] = {}
    rows = Measure.objects.filter(year=model.year, municipality__name__in=names).values(
        "code", "omschrijving", "bron", "peildatum", "period", "municipality__name"
    )
    for row in rows.order_by("code", "period"):
        entry = overview.setdefault(
            row["code"],
            {
                "code": row["code"],
                "omschrijving": row["omschrijving"],
                "bron": row["bron"],
                "peildatum": row["peildatum"],
                "periods": [],
                "filled": set(),
            },
        )
        if row["period"] and row["period"] not in entry["periods"]:
            entry["periods"].append(row["period"])
        entry["filled"].add(row["municipality__name"])
    return [
        {**entry, "filled": len(entry["filled"]), "participants": len(names)}
        for entry in overview.values()
    ]


def measure_meta(model: AllocationModel, code: str) -> dict | None:
    """Description, unit, source and reference date of one measure of the model's year."""
    names = [p["naam"] for p in model.inputs.get("deelnemers", [])]
    return (
        Measure.objects.filter(year=model.year, code=code, municipality__name__in=names)
        .values("omschrijving", "eenheid", "bron", "peildatum")
        .first()
    )


def inputs_with_measure(model: AllocationModel, code: str, meta, values: dict) -> dict:
    """The engine's inputs with one measure replaced by proposed (unsaved) values."""
    inputs = model_inputs(model)
    entry: dict = {"omschrijving": meta.omschrijving, "waarden": {}}
    for name, periods in values.items():
        filled = {period: v for period, v in periods.items() if v is not None}
        if "" in filled:
            entry["waarden"][name] = filled[""]
        elif filled:
            entry["waarden"][name] = filled
    return {**inputs, "maten": {**inputs["maten"], code: entry}}


# --- Kept settlements -------------------------------------------------------------------------


def sees_concept_settlements(
    user: User, model: AllocationModel, municipality: Municipality | None
) -> bool:
    """A kept settlement in concept is for the partnership's coördinator and the readers of the
    drafts of the municipality whose page shows it; everyone sees the adopted (vastgestelde)."""
    return can_manage_allocation(user, model.partnership) or can_read_drafts(user, municipality)


def kept_settlements(model: AllocationModel, *, include_concepts: bool) -> list[Settlement]:
    """The kept settlements of the model's year, newest first."""
    rows = model.settlements.all()
    if not include_concepts:
        rows = rows.filter(status=Settlement.Status.VASTGESTELD)
    return list(rows)


def get_settlement(model: AllocationModel, pk: int, *, include_concepts: bool) -> Settlement:
    """One kept settlement of the model with its frozen lines (and who saved it); a concept is
    unknown (404) to whoever may not see it."""
    settlement = (
        Settlement.objects.filter(model=model, pk=pk)
        .select_related("model__partnership", "created_by", "updated_by")
        .prefetch_related("lines")
        .first()
    )
    if settlement is None or (
        settlement.status == Settlement.Status.CONCEPT and not include_concepts
    ):
        raise Http404("Deze verrekening bestaat niet (meer).")
    return settlement


def deleted_settlements(model: AllocationModel, limit: int = 10) -> list:
    """The settlements of the model that were deleted and not put back: the history row of each
    deletion (newest first), for the way back."""
    existing = Settlement.objects.filter(model=model).values("id")
    rows = (
        Settlement.history.filter(model_id=model.pk, history_type="-")
        .exclude(id__in=existing)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    seen: set[int] = set()
    deleted = []
    for row in rows[: limit * 4]:
        if row.id not in seen:
            seen.add(row.id)
            deleted.append(row)
    return deleted[:limit]


@dataclass
class ParticipantSettlement:
    """A kept settlement as one participant's year page shows it: the whole result and its part."""

    settlement: Settlement
    line: SettlementLine


def participant_settlements(
    participation: Participation, year: int, user: User
) -> list[ParticipantSettlement]:
    """The kept settlements of the partnership's year that concern the participant, with its
    part (one query; concepts only for those who may see them)."""
    lines = (
        SettlementLine.objects.filter(
            municipality_id=participation.municipality_id,
            settlement__model__partnership_id=participation.partnership_id,
            settlement__model__year=year,
        )
        .select_related("settlement__model")
        .order_by("-settlement__created_at", "-settlement_id")
    )
    found = [ParticipantSettlement(line.settlement, line) for line in lines]
    if any(f.settlement.status == Settlement.Status.CONCEPT for f in found):
        partnership = participation.partnership
        if not (
            can_manage_allocation(user, partnership)
            or can_read_drafts(user, participation.municipality)
        ):
            found = [f for f in found if f.settlement.status == Settlement.Status.VASTGESTELD]
    return found
