"""The verdeelmodel's computation pages for the coördinator: what-if questions over the stored
model, answered with the engine — `…/verdeelmodel/indexatie/` (the budget indexed by wages and
prices, and what a variant then asks), `…/modules/` (a basic package plus extra modules with
their own participants and key) and `…/uittreding/` (a municipality leaves: the
herverdeeleffect and two indications of its exit sum). GET forms: they read, they save nothing.

Shared here: loading the model (coördinator or beheerder only), the `Scenario` every page
computes on, and the page's shell (breadcrumbs, error summary, 400 on invalid input, an engine
refusal as a Dutch message instead of a 500)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from allocation import engine, selectors
from allocation.comparison import Comparison
from allocation.consistency import BUDGET, parameter_value
from allocation.forms.scenarios import (
    EQUAL,
    HUNDRED,
    MAX_MODULES,
    ExitForm,
    IndexationForm,
    ModuleForm,
    ModulesBasisForm,
)
from allocation.models import AllocationModel, AllocationVariant
from allocation.permissions import require_allocation_manager
from collaborations import selectors as collab_selectors
from core.formatting import format_money, format_percent

from .comparison import broken
from .inputs import CoordinatorMixin

# --- what every page computes on ----------------------------------------------------------


@dataclass
class Scenario:
    """The stored model with its engine inputs and every variant's current result."""

    model: AllocationModel
    inputs: dict
    comparison: Comparison

    @property
    def names(self) -> list[str]:
        return [p["naam"] for p in self.inputs.get("deelnemers", [])]

    @property
    def adopted_code(self) -> str:
        adopted = self.comparison.adopted
        return adopted.code if adopted else ""

    def variant_choices(self, only=lambda variant: True) -> list[tuple[str, str]]:
        return [(v.code, v.name) for v in self.comparison.variants if only(v)]

    def variant(self, code: str) -> AllocationVariant:
        return next(v for v in self.comparison.variants if v.code == code)

    def result(self, code: str) -> engine.AllocationResult:
        return self.comparison.results[self.comparison.variants.index(self.variant(code))]

    def definition(self, code: str, inputs: dict | None = None) -> engine.Definition:
        """The variant's definition, over the stored inputs or proposed (unsaved) ones."""
        return selectors.variant_definition(self.variant(code), inputs or self.inputs)


class ScenarioView(CoordinatorMixin, View):
    """A computation page: `compute` builds the forms and the result from the query."""

    template_name = ""
    title = ""

    def load(self, municipality_slug: str, slug: str, year: int):
        participation = collab_selectors.get_participation(municipality_slug, slug)
        model = selectors.get_allocation_model(slug, year)
        require_allocation_manager(self.request.user, model.partnership, "met dit model rekenen")
        return participation, model

    def compute(self, query: Mapping, scenario: Scenario, participation) -> tuple[list, dict]:
        """(the page's forms, the rest of the context)."""
        raise NotImplementedError

    def get(self, request: HttpRequest, municipality_slug: str, slug: str, year: int):
        participation, model = self.load(municipality_slug, slug, year)
        inputs = selectors.model_inputs(model)
        try:
            comparison = selectors.comparison(model, inputs=inputs)
        except engine.DefinitionError as exc:
            return broken(request, participation, model, exc)
        forms_, extra = self.compute(
            request.GET, Scenario(model, inputs, comparison), participation
        )
        invalid = any(form.is_bound and not form.is_valid() for form in forms_)
        return self.page(request, participation, model, forms_, extra, 400 if invalid else 200)

    def page(self, request, participation, model, forms_, extra, status) -> HttpResponse:
        context = self.base_context(participation, model, self.title)
        compare = context["compare_url"]
        context["crumbs"] = [*context["crumbs"][:-1], (f"Verdeelmodel {model.year}", compare)]
        context["crumbs"].append((self.title, None))
        items = [item for form in forms_ if form.is_bound for item in form.error_summary()]
        return render(
            request,
            self.template_name,
            {**context, "error_items": items, **extra},
            status=status,
        )


def engine_message(exc: engine.DefinitionError) -> str:
    """The engine's Dutch message as a sentence (without the path, which is for the model's
    author)."""
    text = exc.message
    return f"{text[:1].upper()}{text[1:]}."


def refuse(form: forms.Form, name: str, exc: engine.DefinitionError) -> None:
    """An engine refusal of what a field holds: the field's error, so the page answers 400."""
    form.add_error(name, engine_message(exc))


def decimals_of(amount: Decimal) -> int:
    """0 for whole euros, else 2: how an amount is shown."""
    return 0 if amount == amount.to_integral_value() else 2


def total(values) -> Decimal:
    return sum((v for v in values if v is not None), Decimal(0))


# --- indexatie ----------------------------------------------------------------------------

WAGE_WORDS = ("loon", "lonen", "salaris", "cao", "personeel")
PRICE_WORDS = ("prijs", "prijzen", "materi", "cpi")


@dataclass(frozen=True)
class IndexFigure:
    """A parameter of the model that holds an index figure (in %), with where it comes from."""

    code: str
    label: str
    value: Decimal
    source: str
    kind: str  # "loon", "prijs" or ""

    @property
    def text(self) -> str:
        source = f"; bron: {self.source}" if self.source else ""
        return f"Uit het model: {self.label}, {format_percent(self.value)}{source}."


def index_figures(inputs: Mapping) -> list[IndexFigure]:
    """The parameters whose code or description names an index (`loonindex`, "Prijsindex
    2019"), so the page can offer the figures the model already holds."""
    parameters = inputs.get("parameters") or {}
    found = []
    for code, entry in parameters.items():
        meta = entry if isinstance(entry, dict) else {}
        label = meta.get("omschrijving") or code
        words = f"{code} {label}".lower()
        value = parameter_value(parameters, code)
        if "index" not in words or value is None:
            continue
        kind = next(
            (
                k
                for k, ws in (("loon", WAGE_WORDS), ("prijs", PRICE_WORDS))
                if any(w in words for w in ws)
            ),
            "",
        )
        source = meta.get("bron") or meta.get("toelichting") or ""
        found.append(IndexFigure(code, label, value, source, kind))
    return found


def uses_parameter(node: object, name: str) -> bool:
    """Whether a stored definition refers to the parameter anywhere (`{"parameter": name}`)."""
    if isinstance(node, Mapping):
        return node.get("parameter") == name or any(uses_parameter(v, name) for v in node.values())
    if isinstance(node, list):
        return any(uses_parameter(item, name) for item in node)
    return False


def with_parameter(inputs: dict, code: str, value: Decimal) -> dict:
    """The engine's inputs with one parameter replaced by a proposed (unsaved) value."""
    parameters = dict(inputs.get("parameters") or {})
    entry = parameters.get(code)
    entry = dict(entry) if isinstance(entry, dict) else {}
    parameters[code] = {**entry, "waarde": str(value)}
    return {**inputs, "parameters": parameters}


def indexation_words(step: engine.Indexation) -> str:
    """One year's indexation in words and figures, as a finance officer would check it."""
    base = format_money(step.base, decimals_of(step.base))
    factors = " + ".join(
        f"{format_percent(c.weight * HUNDRED)} × {format_percent(c.index)}" for c in step.components
    )
    parts = " + ".join(f"{format_money(c.amount, 2)} ({c.name})" for c in step.components)
    return (
        f"{base} × (1 + {factors}) = {base} × (1 + {format_percent(step.percentage)}) = "
        f"{base} + {parts} = {format_money(step.indexed, 2)}"
    )


class IndexationView(ScenarioView):
    """`…/verdeelmodel/indexatie/`: the budget indexed by a weighted wage and price index, for
    one or more years, and what a variant then asks of every municipality."""

    template_name = "allocation/indexation.html"
    title = "Indexatie"

    def compute(self, query, scenario, participation):
        model = scenario.model
        budget = parameter_value(scenario.inputs.get("parameters") or {}, BUDGET)
        figures = index_figures(scenario.inputs)
        offered = {
            field_name: next(f for f in figures if f.kind == kind)
            for field_name, kind in (("loonindex", "loon"), ("prijsindex", "prijs"))
            if any(f.kind == kind for f in figures)
        }
        eligible = scenario.variant_choices(lambda v: uses_parameter(v.definition, BUDGET))
        codes = [code for code, _ in eligible]
        form = IndexationForm(
            query,
            variants=eligible,
            offered={name: figure.text for name, figure in offered.items()},
            initial={
                "basis": budget,
                "variant": scenario.adopted_code if scenario.adopted_code in codes else "",
                **{name: figure.value for name, figure in offered.items()},
            },
        )
        context = {
            "form": form,
            "budget": budget,
            "figures": figures,
            "left_out": [v.code for v in scenario.comparison.variants if v.code not in codes],
        }
        if not (form.is_bound and form.is_valid()):
            return [form], context
        data = form.cleaned_data
        components = [
            engine.IndexComponent("lonen", data["loongewicht"] / HUNDRED, data["loonindex"]),
            engine.IndexComponent("prijzen", data["prijsgewicht"] / HUNDRED, data["prijsindex"]),
        ]
        years = range(model.year + 1, model.year + 1 + (data.get("jaren") or 1))
        try:
            series = engine.index_series(data["basis"], dict.fromkeys(years, components))
        except engine.DefinitionError as exc:  # the form checks what the engine asks; a guard
            form.add_error(None, engine_message(exc))
            return [form], context
        context.update(
            series=series,
            last_year=series.years[-1].year,
            words=[(step.year, indexation_words(step)) for step in series.years],
        )
        if data.get("variant"):
            context.update(self.effect(scenario, data["variant"], series.indexed))
        return [form], context

    def effect(self, scenario: Scenario, code: str, indexed: Decimal) -> dict:
        """The variant run with the budget parameter replaced by the indexed budget."""
        current = scenario.result(code)
        try:
            after = engine.allocate(
                scenario.definition(code, with_parameter(scenario.inputs, BUDGET, indexed))
            )
        except engine.DefinitionError as exc:
            return {"error": f"Zo kan variant {code} niet rekenen: {engine_message(exc)}"}
        now, new = current.amounts(), after.amounts()
        rows = [(name, now[name], new[name], new[name] - now[name]) for name in new]
        gap = after.total - indexed
        note = ""
        if gap:
            note = (
                f"Na afronding op {format_money(after.unit, decimals_of(after.unit))} verdeelt "
                f"de variant {format_money(after.total, decimals_of(after.total))}: "
                f"{format_money(abs(gap), 2)} {'meer' if gap > 0 else 'minder'} dan het "
                "geïndexeerde budget."
            )
        return {
            "variant": scenario.variant(code),
            "rows": rows,
            "totals": (current.total, after.total, after.total - current.total),
            "rounding_note": note,
            "decimals": max(decimals_of(v) for row in rows for v in row[1:]),
        }


# --- modules ------------------------------------------------------------------------------


def measure_choices(inputs: Mapping) -> list[tuple[str, str]]:
    """The model's measures with one value per participant (not per period), as keys."""
    return [
        (code, entry.get("omschrijving") or code)
        for code, entry in (inputs.get("maten") or {}).items()
        if not any(isinstance(v, Mapping) for v in entry.get("waarden", {}).values())
    ]


def module_definition(
    number: int, name: str, amount: Decimal, key: str, participants: list[str], inputs: Mapping
) -> engine.Definition:
    """An extra module as its own `verdeelmodel/1` definition: its amount split over its own
    participants by a measure of the model or in equal shares, to the cent."""
    chosen = [n for n in (p["naam"] for p in inputs.get("deelnemers", [])) if n in participants]
    maten = {}
    if key != EQUAL:
        values = inputs["maten"][key].get("waarden", {})
        maten[key] = {"waarden": {n: values[n] for n in chosen if n in values}}
    return engine.build_definition(
        {
            "formaat": engine.FORMAT,
            "code": f"module-{number}",
            "naam": name,
            "stappen": [
                {
                    "id": "module",
                    "soort": "verdeling",
                    "bedrag": str(amount),
                    "sleutel": {"gelijk": True} if key == EQUAL else {"maat": key},
                }
            ],
        },
        {"deelnemers": [{"naam": n} for n in chosen], "maten": maten},
    )


class ModulesView(ScenarioView):
    """`…/verdeelmodel/modules/`: a basic package (a variant, all participants) plus extra
    modules, each with its own amount, key and participants, side by side per municipality."""

    template_name = "allocation/modules.html"
    title = "Modules"

    def compute(self, query, scenario, participation):
        keys = measure_choices(scenario.inputs)
        basis = ModulesBasisForm(
            query, variants=scenario.variant_choices(), initial={"variant": scenario.adopted_code}
        )
        modules = [
            ModuleForm(query if basis.is_bound else None, number=n, keys=keys, names=scenario.names)
            for n in range(1, MAX_MODULES + 1)
        ]
        context = {"basis_form": basis, "modules": modules}
        forms_ = [basis, *modules]
        if not basis.is_bound or any(f.is_bound and not f.is_valid() for f in forms_):
            return forms_, context
        filled = [form for form in modules if not form.is_empty()]
        if not filled:
            modules[0].add_error(None, "Vul minstens één module in: naam, bedrag en deelnemers.")
            return forms_, context
        code = basis.cleaned_data["variant"]
        runs = [engine.ModuleRun("basis", "Basispakket", scenario.result(code))]
        for form in filled:
            data = form.cleaned_data
            try:
                definition = module_definition(
                    form.number,
                    data["naam"],
                    data["bedrag"],
                    data["sleutel"],
                    data["deelnemers"],
                    scenario.inputs,
                )
                runs.append(
                    engine.ModuleRun(f"m{form.number}", data["naam"], engine.allocate(definition))
                )
            except engine.DefinitionError as exc:  # e.g. a measure that adds up to 0
                refuse(form, "sleutel", exc)
        if any(form.errors for form in filled):
            return forms_, context
        totals = engine.allocate_modules(runs)
        columns = [
            [totals.amount(name, run.code) for name in totals.participants]
            for run in totals.modules
        ]
        columns.append([totals.totals[name] for name in totals.participants])
        sums = [*(totals.module_totals[run.code] for run in totals.modules), totals.total]
        decimals = [
            max(decimals_of(v) for v in [*column, sums[i]] if v is not None)
            for i, column in enumerate(columns)
        ]
        context.update(
            variant=scenario.variant(code),
            totals=totals,
            rows=[
                (name, [(column[i], decimals[c]) for c, column in enumerate(columns)])
                for i, name in enumerate(totals.participants)
            ],
            column_totals=list(zip(sums, decimals, strict=True)),
        )
        return forms_, context


# --- uittreding ---------------------------------------------------------------------------


class ExitView(ScenarioView):
    """`…/verdeelmodel/uittreding/`: what a municipality's leaving does to the others under a
    variant, and two indications of its exit sum with their parameters stated."""

    template_name = "allocation/exit.html"
    title = "Uittreding"

    def compute(self, query, scenario, participation):
        names = scenario.names
        here = participation.municipality.name
        form = ExitForm(
            query,
            variants=scenario.variant_choices(),
            participants=names,
            initial={"variant": scenario.adopted_code, "uittreder": here if here in names else ""},
        )
        context: dict = {"form": form}
        if not (form.is_bound and form.is_valid()):
            return [form], context
        data = form.cleaned_data
        try:
            effect = engine.exit_effect(
                scenario.definition(data["variant"]),
                data["uittreder"],
                years=data["jaren"],
                decline=data["afbouw"] / HUNDRED,
                bridging_years=data["overbruggingsjaren"],
                direct_costs=data.get("directe_kosten"),
                fixed_share=data["aandeel_vaste_kosten"] / HUNDRED,
            )
        except engine.DefinitionError as exc:
            if exc.path in ExitForm.ENGINE_FIELDS:
                refuse(form, exc.path, exc)
            else:  # the variant cannot do without this municipality: said, not a 500
                context["error"] = (
                    f"Zo kan de uittreding van {data['uittreder']} onder variant "
                    f"{data['variant']} niet worden berekend: {engine_message(exc)}"
                )
            return [form], context
        more = effect.redistributed
        context.update(
            variant=scenario.variant(data["variant"]),
            effect=effect,
            redistributed=f"{format_money(abs(more))} {'meer' if more >= 0 else 'minder'}",
            before_total=total(e.before for e in effect.effects),
            after_total=total(e.after for e in effect.effects),
            methods=[effect.method_a, effect.method_b],
        )
        return [form], context


__all__ = ["ExitView", "IndexationView", "ModulesView", "Scenario", "ScenarioView"]
