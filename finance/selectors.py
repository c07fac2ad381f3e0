"""Every read of the finance app: the only place for select_related/prefetch/annotate.

`finance_page` gathers what section C shows of money for one year — four tables for three years,
the split key, the consistency signals and the chart data — in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum
from django.http import Http404

from collaborations.models import Participation, YearRecord

from . import charts, verdeelmodel
from .models import (
    PERSPECTIVE_TABLES,
    AllocationModel,
    AllocationVariant,
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    Kind,
    Measure,
    ReportBundle,
    SplitKeyComponent,
    Table,
)
from .money import EMPTY, NVT, Cell, difference, percent_change, total

FIRST_COLUMN = {
    Table.KOSTEN: "Financiële middelen",
    Table.BATEN: "Categorie opbrengsten",
}
BLOCK_HEADINGS = ("Lopend jaar", "Voorgaand jaar", "Twee jaar terug")
PAGE_TABLES = (
    Table.KOSTEN,
    Table.BATEN,
    Table.RESULTATEN,
    Table.EIGEN_VERMOGEN,
    Table.VREEMD_VERMOGEN,
)


def columns(year: int) -> list[tuple[int, str, str]]:
    """(year, kind, header) of the three columns of a year block: B Y, R Y, B Y+1."""
    return [
        (year, Kind.BEGROTING, f"Begroting {year}"),
        (year, Kind.REALISATIE, f"Realisatie {year}"),
        (year + 1, Kind.BEGROTING, f"Begroting {year + 1}"),
    ]


@dataclass
class RowView:
    label: str
    cells: list[Cell]
    variance: Decimal | None  # realisatie − begroting of the year
    variance_percent: Decimal | None
    change: Decimal | None  # begroting of the year − begroting of the year before
    change_percent: Decimal | None


@dataclass
class YearBlock:
    heading: str
    year: int
    headers: list[str]
    state: str  # "rows", "nvt" or "leeg" (nothing filled in for this year)
    rows: list[RowView] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    total_variance: Decimal | None = None
    total_variance_percent: Decimal | None = None
    total_change: Decimal | None = None
    total_change_percent: Decimal | None = None


@dataclass
class TableView:
    code: str
    title: str
    first_column: str
    shared: bool
    blocks: list[YearBlock]


@dataclass
class KeySignal:
    line: str
    year: int
    key_amount: Decimal
    table_amount: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        return None if self.table_amount is None else self.table_amount - self.key_amount


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    svg: str
    categories: list[str]
    series: list[charts.Series]


@dataclass
class FinancePage:
    year: int
    tables: list[TableView]
    split_key: list[SplitKeyComponent]
    signals: list[KeySignal]
    charts: list[Chart]

    def table(self, code: str) -> TableView:
        return next(t for t in self.tables if t.code == code)


def _owner_q(participation: Participation) -> Q:
    return Q(participation=participation, table__in=PERSPECTIVE_TABLES) | Q(
        partnership_id=participation.partnership_id, participation__isnull=True
    )


def _amount_index(lines: set[int], years: range) -> dict[tuple[int, int, str], Cell]:
    index: dict[tuple[int, int, str], Cell] = {}
    for amount in FinanceAmount.objects.filter(line_id__in=lines, year__in=list(years)):
        index[(amount.line_id, amount.year, amount.kind)] = (
            NVT if amount.not_applicable else Cell(amount=amount.amount)
        )
    return index


def _year_block(
    heading: str, year: int, table_year: FinanceTableYear | None, amounts: dict
) -> YearBlock:
    cols = columns(year)
    block = YearBlock(
        heading=f"{heading} ({year})", year=year, headers=[h for *_, h in cols], state="leeg"
    )
    if table_year is None:
        return block
    if table_year.not_applicable:
        block.state = "nvt"
        return block
    block.state = "rows"
    for row in table_year.rows.all():
        cells = [amounts.get((row.line_id, y, kind), EMPTY) for y, kind, _ in cols]
        previous = amounts.get((row.line_id, year - 1, Kind.BEGROTING), EMPTY)
        block.rows.append(
            RowView(
                label=row.line.label,
                cells=cells,
                variance=difference(cells[0], cells[1]),
                variance_percent=percent_change(cells[0], cells[1]),
                change=difference(previous, cells[0]),
                change_percent=percent_change(previous, cells[0]),
            )
        )
    block.totals = [total(r.cells[i] for r in block.rows) for i in range(3)]
    previous_total = total(
        amounts.get((r.line_id, year - 1, Kind.BEGROTING), EMPTY) for r in table_year.rows.all()
    )
    block.total_variance = difference(block.totals[0], block.totals[1])
    block.total_variance_percent = percent_change(block.totals[0], block.totals[1])
    block.total_change = difference(previous_total, block.totals[0])
    block.total_change_percent = percent_change(previous_total, block.totals[0])
    return block


def table_years(participation: Participation, table: str, years: list[int]):
    """The table-years of one table (perspective or shared) with their rows and lines."""
    owner = (
        Q(participation=participation)
        if table in PERSPECTIVE_TABLES
        else Q(partnership_id=participation.partnership_id)
    )
    return FinanceTableYear.objects.filter(owner, table=table, year__in=years).prefetch_related(
        Prefetch("rows", queryset=FinanceRow.objects.select_related("line"))
    )


def _totals_by_year(participation: Participation, table: str) -> dict[tuple[int, str], Decimal]:
    owner = (
        Q(line__participation=participation)
        if table in PERSPECTIVE_TABLES
        else Q(line__partnership_id=participation.partnership_id)
    )
    rows = (
        FinanceAmount.objects.filter(owner, line__table=table, amount__isnull=False)
        .values("year", "kind")
        .annotate(sum=Sum("amount"))
    )
    return {(r["year"], r["kind"]): r["sum"] for r in rows}


def _chart(
    chart_id: str, title: str, what: str, totals: dict, kind_chart: str, upto: int
) -> Chart | None:
    years = sorted({y for y, _ in totals if y <= upto + 1})
    if not years:
        return None
    categories = [str(y) for y in years]
    series = [
        charts.Series("Begroting", [totals.get((y, Kind.BEGROTING)) for y in years]),
        charts.Series("Realisatie", [totals.get((y, Kind.REALISATIE)) for y in years]),
    ]
    description = (
        f"{what} per jaar, begroting en realisatie, van {years[0]} tot en met {years[-1]}."
    )
    draw = charts.bar_chart if kind_chart == "bar" else charts.line_chart
    return Chart(
        chart_id,
        title,
        description,
        draw(chart_id, title, description, categories, series),
        categories,
        series,
    )


def finance_page(
    participation: Participation,
    record: YearRecord | None,
    year: int,
    *,
    show_empty: bool = False,
    id_prefix: str = "",
) -> FinancePage:
    years = [year, year - 1, year - 2]
    all_table_years = list(
        FinanceTableYear.objects.filter(_owner_q(participation), year__in=years).prefetch_related(
            Prefetch("rows", queryset=FinanceRow.objects.select_related("line"))
        )
    )
    by_key = {(ty.table, ty.year): ty for ty in all_table_years}
    line_ids = {row.line_id for ty in all_table_years for row in ty.rows.all()}
    components: list[SplitKeyComponent] = []
    if record is not None:
        components = list(record.split_key_components.select_related("kosten_line"))
        line_ids |= {c.kosten_line_id for c in components if c.kosten_line_id}
    key_years = {c.applies_to_year for c in components}
    amounts = _amount_index(
        line_ids, range(min([year - 3, *key_years]), max([year + 1, *key_years]) + 1)
    )
    tables = []
    for table in PAGE_TABLES:
        blocks = [
            _year_block(BLOCK_HEADINGS[i], y, by_key.get((table, y)), amounts)
            for i, y in enumerate(years)
        ]
        if (
            table == Table.VREEMD_VERMOGEN
            and not show_empty
            and all(b.state == "leeg" for b in blocks)
        ):
            continue  # a BBV addition the wiki did not have: shown to readers once it is filled
        tables.append(
            TableView(
                code=table,
                title=Table(table).label,
                first_column=FIRST_COLUMN.get(table, "Categorie"),
                shared=table not in PERSPECTIVE_TABLES,
                blocks=blocks,
            )
        )
    signals = key_signals(components, amounts)
    chart_list = [
        _chart(
            f"{id_prefix}grafiek-resultaten",
            "Financiële resultaten van de samenwerking: begroting en realisatie",
            "De totale financiering van de samenwerking",
            _totals_by_year(participation, Table.RESULTATEN),
            "bar",
            year,
        ),
        _chart(
            f"{id_prefix}grafiek-bijdrage",
            f"Bijdrage van {participation.municipality.name} per jaar",
            f"De kosten (inbreng financiële middelen) van {participation.municipality.name}",
            _totals_by_year(participation, Table.KOSTEN),
            "line",
            year,
        ),
    ]
    return FinancePage(
        year=year,
        tables=tables,
        split_key=components,
        signals=signals,
        charts=[c for c in chart_list if c is not None],
    )


def key_signals(components: list[SplitKeyComponent], amounts: dict) -> list[KeySignal]:
    """Where the key's computed amounts and the Kosten line for the same year disagree."""
    sums: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    labels: dict[int, str] = {}
    for c in components:
        if c.kosten_line_id is None:
            continue
        sums[(c.kosten_line_id, c.applies_to_year)] += c.computed_amount
        labels[c.kosten_line_id] = c.kosten_line.label
    signals = []
    for (line_id, key_year), key_amount in sums.items():
        cell = amounts.get((line_id, key_year, Kind.BEGROTING), EMPTY)
        if cell.amount != key_amount:
            signals.append(KeySignal(labels[line_id], key_year, key_amount, cell.amount))
    return signals


def table_year_for_edit(participation: Participation, table: str, year: int, copy: bool = False):
    """The grid of one table-year: (table_year or None, previous year's table or None, lines,
    cells by (line, year, kind)). With `copy` and no table yet, last year's lines are offered —
    with the figures already entered for them (the begroting of this year, entered last year)."""
    table_year = table_years(participation, table, [year]).first()
    previous = None if table_year else table_years(participation, table, [year - 1]).first()
    if table_year is not None:
        lines = [r.line for r in table_year.rows.all()]
    elif copy and previous is not None:
        lines = [r.line for r in previous.rows.all()]
    else:
        lines = []
    amounts = _amount_index({line.pk for line in lines}, range(year, year + 2))
    return table_year, previous, lines, amounts


def perspective_lines(participation: Participation, table: str) -> list[FinanceLine]:
    return list(
        FinanceLine.objects.filter(participation=participation, table=table).order_by("label")
    )


def get_table(code: str) -> Table:
    try:
        return Table(code.replace("-", "_"))
    except ValueError as exc:
        raise Http404("Onbekende tabel.") from exc


# --- Allocation models (verdeelmodel) ------------------------------------------------------


def allocation_model(partnership_id: int, year: int) -> AllocationModel | None:
    return (
        AllocationModel.objects.filter(partnership_id=partnership_id, year=year)
        .prefetch_related("variants")
        .first()
    )


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
        entry = maten.setdefault(
            m.code,
            {"omschrijving": m.omschrijving, "eenheid": m.eenheid, "bron": m.bron, "waarden": {}},
        )
        name = m.municipality.name
        if m.period:
            entry["waarden"].setdefault(name, {})[m.period] = m.value
        else:
            entry["waarden"][name] = m.value
    return {**model.inputs, "maten": maten}


def variant_definition(variant: AllocationVariant, inputs: dict | None = None):
    inputs = inputs if inputs is not None else model_inputs(variant.model)
    return verdeelmodel.build_definition(variant.definition, inputs)


@dataclass
class ComparisonRow:
    name: str
    group: str | None
    amounts: list[Decimal]
    effects: list[Decimal | None]  # against the adopted variant
    inhabitants: Decimal | None

    def per_inhabitant(self, value: Decimal | None) -> Decimal | None:
        if value is None or not self.inhabitants:
            return None
        return value / self.inhabitants

    @property
    def effects_per_inhabitant(self) -> list[Decimal | None]:
        return [self.per_inhabitant(e) for e in self.effects]


@dataclass
class ComparisonGroup:
    code: str | None
    name: str
    rows: list[ComparisonRow]
    subtotals: list[Decimal]
    effects: list[Decimal | None]


@dataclass
class Comparison:
    model: AllocationModel
    variants: list[AllocationVariant]
    results: list  # AllocationResult per variant
    adopted_index: int | None
    groups: list[ComparisonGroup]
    totals: list[Decimal]

    @property
    def adopted(self) -> AllocationVariant | None:
        return None if self.adopted_index is None else self.variants[self.adopted_index]

    def pairs(self):
        return list(zip(self.variants, self.results, strict=True))


def comparison(model: AllocationModel) -> Comparison:
    """Every variant side by side per participant, with group subtotals and the
    redistribution effect (herverdeeleffect) against the adopted variant."""
    inputs = model_inputs(model)
    variants = list(model.variants.all())
    results = [verdeelmodel.allocate(variant_definition(v, inputs)) for v in variants]
    adopted_index = next((i for i, v in enumerate(variants) if v.adopted), None)
    inhabitants = inputs["maten"].get("inwoners", {}).get("waarden", {})
    group_names = {g["code"]: g.get("naam", g["code"]) for g in inputs.get("groepen", [])}
    groups: list[ComparisonGroup] = []
    by_code: dict[str | None, ComparisonGroup] = {}
    for participant in inputs.get("deelnemers", []):
        name, code = participant["naam"], participant.get("groep")
        amounts = [r.participant(name).amount for r in results]
        base = amounts[adopted_index] if adopted_index is not None else None
        effects = [None if base is None else a - base for a in amounts]
        row = ComparisonRow(name, code, amounts, effects, _decimal_or_none(inhabitants.get(name)))
        if code not in by_code:
            by_code[code] = ComparisonGroup(code, group_names.get(code, "Deelnemers"), [], [], [])
            groups.append(by_code[code])
        by_code[code].rows.append(row)
    for group in groups:
        group.subtotals = [
            sum((r.amounts[i] for r in group.rows), Decimal(0)) for i in range(len(variants))
        ]
        group.effects = [
            None if adopted_index is None else s - group.subtotals[adopted_index]
            for s in group.subtotals
        ]
    totals = [r.total for r in results]
    return Comparison(model, variants, results, adopted_index, groups, totals)


def _decimal_or_none(value) -> Decimal | None:
    return None if value is None else Decimal(value)


@dataclass
class Contribution:
    model: AllocationModel
    variant: AllocationVariant
    amount: Decimal


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
    amounts = verdeelmodel.allocate(variant_definition(variant)).amounts()
    name = participation.municipality.name
    return Contribution(variant.model, variant, amounts[name]) if name in amounts else None


def settlement(
    comparison_: Comparison, amount: Decimal, key: str
) -> list[tuple[str, Decimal, Decimal]]:
    """A year-end result split pro rata to each participant's contribution under the adopted
    variant (key "bijdrage"), or to a measure (e.g. "inwoners"): (name, weight, share)."""
    if comparison_.adopted_index is None:
        return []
    result = comparison_.results[comparison_.adopted_index]
    weights = None
    if key != "bijdrage":
        values = model_inputs(comparison_.model)["maten"].get(key, {}).get("waarden", {})
        weights = {name: Decimal(v) for name, v in values.items() if not isinstance(v, dict)}
    settled = verdeelmodel.settle_result(result, amount, key=weights)
    used = weights or {p.name: p.amount for p in result.participants}
    return [(name, used.get(name, Decimal(0)), part) for name, part in settled.parts.items()]


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


@dataclass
class ServiceLineView:
    code: str
    name: str
    volume: Decimal
    norm: Decimal
    hours: Decimal
    budget: Decimal | None


@dataclass
class CostPriceView:
    lines: list[ServiceLineView]
    hours_exact: Decimal
    hours_printed: Decimal  # the sum of the hours rounded per line, as a report prints them
    fte: Decimal
    budget: Decimal | None
    allocation_rate: Decimal | None  # begroting / uren
    scales: list
    build_up: object | None  # verdeelmodel.costprice.CostPrice


def cost_price_view(model: AllocationModel) -> CostPriceView | None:
    """Production norms (volume × norm → hours → fte) and the cost price per hour (salary mix
    → social charges, travel, direct costs, overhead, risk), from the stored model."""
    from .verdeelmodel import costprice

    services_ = model.inputs.get("diensten") or {}
    if not services_:
        return None
    parameters = model.inputs.get("parameters", {})

    def param(name: str) -> Decimal | None:
        value = parameters.get(name)
        value = value.get("waarde") if isinstance(value, dict) else value
        return None if value is None else Decimal(str(value))

    tariff, budget = param("uurtarief"), param("begroting")
    lines = []
    for code, service in services_.items():
        volume, norm = Decimal(str(service["volume"])), Decimal(str(service["norm"]))
        hours = costprice.production_hours(volume, norm)
        lines.append(
            ServiceLineView(
                code,
                service.get("naam", code),
                volume,
                norm,
                hours,
                costprice.line_budget(hours, tariff) if tariff else None,
            )
        )
    hours_exact = sum((line.hours for line in lines), Decimal(0))
    hours_printed = sum((verdeelmodel.round_half_up(line.hours) for line in lines), Decimal(0))
    scales = [
        costprice.SalaryScale(
            s.get("omschrijving", code),
            Decimal(str(s["maandsalaris"])),
            Decimal(str(s["percentage"])) / 100,
        )
        for code, s in ((model.cost_price or {}).get("salarismix") or {}).items()
    ]
    build_up = costprice.cost_price(costprice.salary_mix(scales)) if scales else None
    return CostPriceView(
        lines=lines,
        hours_exact=hours_exact,
        hours_printed=hours_printed,
        fte=costprice.fte(hours_printed),
        budget=budget,
        allocation_rate=costprice.allocation_rate(budget, hours_printed) if budget else None,
        scales=scales,
        build_up=build_up,
    )


@dataclass
class TrailStepView:
    step: object  # verdeelmodel StepResult
    lines: list


def trail_view(result, only: str | None = None) -> list[TrailStepView]:
    """The explanation trail; with `only`, the lines about that participant (and its group)."""
    group = None
    if only:
        if only not in result.amounts():
            raise Http404("Deze deelnemer hoort niet bij het verdeelmodel.")
        group = result.participant(only).group
    steps = []
    for step in result.steps:
        lines = [line for line in step.lines if only is None or line.target in {only, group}]
        steps.append(TrailStepView(step, lines))
    return steps


def allocation_years(partnership_id: int) -> list[int]:
    return list(
        AllocationModel.objects.filter(partnership_id=partnership_id)
        .order_by("year")
        .values_list("year", flat=True)
    )


# --- Totaaloverzicht --------------------------------------------------------------------------


def default_overview_year(municipality) -> int:
    """The newest year with a budgeted contribution of the municipality, else this year."""
    from django.utils import timezone

    latest = (
        FinanceAmount.objects.filter(
            line__participation__municipality=municipality,
            line__table=Table.KOSTEN,
            kind=Kind.BEGROTING,
            amount__isnull=False,
        )
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year


def _kosten_total(year: int, kind: str):
    from django.db.models import DecimalField, OuterRef, Subquery

    amounts = (
        FinanceAmount.objects.filter(
            line__participation=OuterRef("pk"),
            line__table=Table.KOSTEN,
            year=year,
            kind=kind,
            amount__isnull=False,
        )
        .order_by()
        .values("line__participation")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Subquery(amounts, output_field=DecimalField(max_digits=18, decimal_places=2))


def overview(municipality, user, year: int):
    """All partnerships of a municipality with its contribution: begroting of the year,
    realisatie of the year before, the change against the year before, the data's status.
    One query for the rows plus two prefetches, whatever the number of partnerships."""
    from django.db.models import (
        Case,
        CharField,
        DecimalField,
        Exists,
        ExpressionWrapper,
        F,
        OuterRef,
        Subquery,
        Value,
        When,
    )

    from collaborations.models import YearRecord
    from collaborations.selectors import user_can_edit

    records = YearRecord.objects.filter(participation=OuterRef("pk"), year=year)
    queryset = (
        Participation.objects.filter(municipality=municipality)
        .select_related("partnership__vorm", "partnership__bbv_categorie", "municipality")
        .prefetch_related(
            Prefetch("partnership__onderwerpen", to_attr="onderwerp_list"),
            Prefetch("belang_wie", to_attr="belang_wie_list"),
        )
        .annotate(
            begroting=_kosten_total(year, Kind.BEGROTING),
            begroting_vorig=_kosten_total(year - 1, Kind.BEGROTING),
            realisatie_vorig=_kosten_total(year - 1, Kind.REALISATIE),
            status_jaar=Subquery(records.values("status")[:1], output_field=CharField()),
            nagekeken_jaar=Subquery(records.values("nagekeken")[:1]),
            verbonden=Case(
                When(bestuurlijk_belang=True, financieel_belang=True, then=Value("ja")),
                When(bestuurlijk_belang=False, then=Value("nee")),
                When(financieel_belang=False, then=Value("nee")),
                default=Value("onbekend"),
                output_field=CharField(),
            ),
        )
        .annotate(
            verschil=F("begroting") - F("begroting_vorig"),
            verschil_pct=Case(
                When(begroting_vorig=0, then=Value(None)),
                # for sorting only (SQLite divides integers); pages show the exact Decimal
                default=ExpressionWrapper(
                    (F("begroting") - F("begroting_vorig"))
                    * Value(Decimal("100.0000"))
                    / F("begroting_vorig"),
                    output_field=DecimalField(max_digits=18, decimal_places=4),
                ),
                output_field=DecimalField(max_digits=18, decimal_places=4),
            ),
        )
        .order_by("partnership__name")
    )
    if not user_can_edit(user, municipality):
        published = YearRecord.objects.filter(
            participation=OuterRef("pk"), status=YearRecord.Status.GEPUBLICEERD
        )
        queryset = queryset.annotate(has_published=Exists(published))
    return queryset


# --- Comparisons ----------------------------------------------------------------------------


@dataclass
class KeyFigures:
    bijdrage_begroting: Decimal | None = None
    bijdrage_realisatie: Decimal | None = None
    resultaten_begroting: Decimal | None = None
    resultaten_realisatie: Decimal | None = None
    eigen_vermogen: Decimal | None = None
    inwoners: Decimal | None = None

    @property
    def per_inwoner(self) -> Decimal | None:
        amount = self.bijdrage_realisatie or self.bijdrage_begroting
        if amount is None or not self.inwoners:
            return None
        return amount / self.inwoners


@dataclass
class CompareColumn:
    label: str
    participation: Participation
    figures: dict[int, KeyFigures]


@dataclass
class CompareView:
    years: list[int]
    columns: list[CompareColumn]
    charts: list[Chart]


def compare(participations: list[Participation], years: list[int], label) -> CompareView:
    """Key figures per participation and year, in four queries whatever the number of columns."""
    from collections import defaultdict as dd

    ids = [p.pk for p in participations]
    partnership_ids = {p.partnership_id for p in participations}
    kosten = (
        FinanceAmount.objects.filter(
            line__participation_id__in=ids,
            line__table=Table.KOSTEN,
            year__in=years,
            amount__isnull=False,
        )
        .values("line__participation_id", "year", "kind")
        .annotate(total=Sum("amount"))
    )
    shared = (
        FinanceAmount.objects.filter(
            line__partnership_id__in=partnership_ids,
            line__table__in=[Table.RESULTATEN, Table.EIGEN_VERMOGEN],
            year__in=years,
            amount__isnull=False,
        )
        .values("line__partnership_id", "line__table", "year", "kind")
        .annotate(total=Sum("amount"))
    )
    municipality_ids = {p.municipality_id for p in participations}
    inhabitants: dict[int, list[tuple[int, Decimal]]] = dd(list)
    for m in Measure.objects.filter(
        municipality_id__in=municipality_ids, code="inwoners", period="", year__lte=max(years)
    ).order_by("year"):
        inhabitants[m.municipality_id].append((m.year, m.value))
    figures: dict[tuple[int, int], KeyFigures] = dd(KeyFigures)
    for row in kosten:
        f = figures[(row["line__participation_id"], row["year"])]
        if row["kind"] == Kind.BEGROTING:
            f.bijdrage_begroting = row["total"]
        else:
            f.bijdrage_realisatie = row["total"]
    shared_by: dict[tuple[int, int], dict] = dd(dict)
    for row in shared:
        shared_by[(row["line__partnership_id"], row["year"])][(row["line__table"], row["kind"])] = (
            row["total"]
        )
    columns = []
    for p in participations:
        per_year = {}
        for year in years:
            f = figures[(p.pk, year)]
            s = shared_by.get((p.partnership_id, year), {})
            f.resultaten_begroting = s.get((Table.RESULTATEN, Kind.BEGROTING))
            f.resultaten_realisatie = s.get((Table.RESULTATEN, Kind.REALISATIE))
            f.eigen_vermogen = s.get((Table.EIGEN_VERMOGEN, Kind.REALISATIE))
            known = [v for y, v in inhabitants.get(p.municipality_id, []) if y <= year]
            f.inwoners = known[-1] if known else None
            per_year[year] = f
        columns.append(CompareColumn(label(p), p, per_year))
    categories = [str(y) for y in years]
    chart_series = [
        charts.Series(
            c.label,
            [c.figures[y].bijdrage_realisatie or c.figures[y].bijdrage_begroting for y in years],
        )
        for c in columns
    ]
    description = "Bijdrage (realisatie, anders begroting) per jaar, per kolom van de vergelijking."
    chart = Chart(
        "grafiek-vergelijking",
        "Bijdrage per jaar",
        description,
        charts.line_chart(
            "grafiek-vergelijking", "Bijdrage per jaar", description, categories, chart_series
        ),
        categories,
        chart_series,
    )
    return CompareView(years, columns, [chart])


# --- The year page's data, for the web page and the PDF alike -----------------------------


def year_context(participation: Participation, year: int, user, id_prefix: str = "") -> dict:
    """Everything the section C fragments need (collaborations/_year_sections.html).

    `id_prefix` keeps element ids unique when several partnerships share one document."""
    from collaborations import selectors as collab

    from .services import can_edit_table

    page = collab.year_page(participation, year, user)
    can_edit = collab.user_can_edit(user, participation.municipality)
    record = page.record
    return {
        "page": page,
        "participation": participation,
        "partnership": participation.partnership,
        "municipality": participation.municipality,
        "record": record,
        "finance": finance_page(
            participation, record, year, show_empty=can_edit, id_prefix=id_prefix
        )
        if record
        else None,
        "idp": id_prefix,
        "contribution": adopted_contribution(participation, year) if record else None,
        "can_edit": can_edit,
        "can_edit_shared": can_edit_table(user, participation, Table.RESULTATEN),
    }


# --- PDF bundles --------------------------------------------------------------------------


def data_version(municipality, year: int, participations) -> str:
    """A fingerprint of everything a bundle shows: changes when any of its data changes."""
    import hashlib

    from django.db.models import Count, Max
    from django.db.models import Sum as DbSum

    from collaborations.models import YearRecord

    ids = [p.pk for p in participations]
    partnership_ids = [p.partnership_id for p in participations]
    records = YearRecord.objects.filter(participation_id__in=ids, year=year).aggregate(
        n=Count("id"), v=DbSum("version"), t=Max("updated_at")
    )
    tables = FinanceTableYear.objects.filter(
        Q(participation_id__in=ids) | Q(partnership_id__in=partnership_ids),
        year__in=[year, year - 1, year - 2],
    ).aggregate(n=Count("id"), v=DbSum("version"))
    adopted = list(
        AllocationVariant.objects.filter(
            model__partnership_id__in=partnership_ids, model__year=year, adopted=True
        ).values_list("pk", flat=True)
    )
    key = repr((sorted(ids), year, records, tables, adopted))
    return hashlib.sha256(key.encode()).hexdigest()


def bundle_participations(municipality, slugs: list[str]) -> list[Participation]:
    qs = (
        Participation.objects.filter(municipality=municipality)
        .select_related("partnership", "municipality")
        .order_by("partnership__name")
    )
    if slugs:
        qs = qs.filter(partnership__slug__in=slugs)
    return list(qs)


def get_bundle(municipality, pk: int) -> ReportBundle:
    try:
        return ReportBundle.objects.get(pk=pk, municipality=municipality)
    except ReportBundle.DoesNotExist as exc:
        raise Http404("Deze bundel bestaat niet.") from exc
