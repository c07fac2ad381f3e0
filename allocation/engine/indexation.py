"""*Indexatie*: a budget indexed by a weighted mix of price indices (wages, prices, ...).

``indexed = base × (1 + Σ weight × index / 100)``: each component (e.g. wages 70% at +3.2%,
material costs 30% at +2.1%) contributes ``base × weight × index / 100``. The increase is
rounded half up to the cent and the contributions add up to it exactly (largest remainder, as
everywhere in the engine); ``indexed = base + increase``. A chain of years indexes each year on
the previous year's (rounded) indexed budget. ``docs/allocation-format.md``, section 14.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from ._reader import Node
from .errors import DefinitionError
from .model import fraction_to_decimal, show_fraction
from .rounding import CENT, ENGINE_CONTEXT, ONE, ZERO, distribute

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class IndexComponent:
    """A part of the budget (``weight``: ``Decimal("0.7")``, ``"70%"``, ``"2/3"``) and its
    index as a percentage (``Decimal("3.2")`` is +3.2%), with the source of the figure."""

    name: str
    weight: Decimal | str
    index: Decimal | str
    source: str = ""


@dataclass(frozen=True)
class IndexContribution:
    """What one component adds: ``exact = base × weight × index / 100``; ``amount`` rounded."""

    name: str
    weight: Decimal
    index: Decimal
    source: str
    exact: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Indexation:
    """``indexed = base + increase``; ``percentage`` is the combined index Σ weight × index."""

    base: Decimal
    components: tuple[IndexContribution, ...]
    percentage: Decimal
    increase: Decimal
    indexed: Decimal
    exact: Decimal
    year: int | None = None


@dataclass(frozen=True)
class IndexSeries:
    """A chain of yearly indexations; ``percentage`` is the compound change from ``base`` to
    ``indexed`` (of the exact factors, so unaffected by rounding on the way)."""

    base: Decimal
    years: tuple[Indexation, ...]
    indexed: Decimal
    percentage: Decimal

    def year(self, year: int) -> Indexation:
        return next(item for item in self.years if item.year == year)


def index_budget(
    base: Decimal, components: Sequence[IndexComponent], *, unit: Decimal = CENT
) -> Indexation:
    """Index ``base`` by the weighted ``components`` (their weights add up to exactly 1)."""
    amount = Node(base, "basis").decimal()
    unit = Node(unit, "eenheid").positive()
    return _index(amount, _components(components, "componenten"), unit, None)


def _index(
    amount: Decimal,
    parsed: list[tuple[str, Decimal, Decimal, str]],
    unit: Decimal,
    year: int | None,
) -> Indexation:
    with localcontext(ENGINE_CONTEXT):
        exact = {
            str(i): amount * weight * rate / HUNDRED
            for i, (_, weight, rate, _) in enumerate(parsed)
        }
        increase, rounded = distribute(exact, (unit,))
        contributions = tuple(
            IndexContribution(name, weight, rate, source, exact[str(i)], rounded[str(i)])
            for i, (name, weight, rate, source) in enumerate(parsed)
        )
        return Indexation(
            base=amount,
            components=contributions,
            percentage=sum((weight * rate for _, weight, rate, _ in parsed), ZERO),
            increase=increase,
            indexed=amount + increase,
            exact=amount + sum(exact.values(), ZERO),
            year=year,
        )


def index_series(
    base: Decimal,
    per_year: Mapping[int, Sequence[IndexComponent]],
    *,
    unit: Decimal = CENT,
) -> IndexSeries:
    """Index ``base`` year after year (in ascending order of year), each year on the previous
    year's rounded indexed budget, as a budget is built up in practice."""
    if not isinstance(per_year, Mapping) or not per_year:
        raise DefinitionError("geef de indexcijfers van minstens één jaar", "jaren")
    for year in per_year:
        if isinstance(year, bool) or not isinstance(year, int):
            raise DefinitionError(f"een jaar is een geheel getal, niet '{year}'", "jaren")
    start = Node(base, "basis").decimal()
    unit = Node(unit, "eenheid").positive()
    parsed = {year: _components(per_year[year], f"jaren.{year}") for year in sorted(per_year)}
    current = start
    years = []
    factor = ONE
    with localcontext(ENGINE_CONTEXT):
        for year, components in parsed.items():
            step = _index(current, components, unit, year)
            years.append(step)
            factor *= ONE + step.percentage / HUNDRED
            current = step.indexed
        return IndexSeries(
            base=start,
            years=tuple(years),
            indexed=current,
            percentage=(factor - ONE) * HUNDRED,
        )


def _components(
    components: Sequence[IndexComponent], path: str
) -> list[tuple[str, Decimal, Decimal, str]]:
    if isinstance(components, str | Mapping) or not isinstance(components, Sequence):
        raise DefinitionError("verwacht een lijst van componenten", path)
    if not components:
        raise DefinitionError("geef minstens één component (gewicht en indexcijfer)", path)
    parsed = []
    seen: set[str] = set()
    total = Fraction(0)
    for position, component in enumerate(components):
        where = f"{path}[{position}]"
        if not isinstance(component, IndexComponent):
            raise DefinitionError("verwacht een IndexComponent", where)
        name = component.name.strip() if isinstance(component.name, str) else ""
        if not name:
            raise DefinitionError("een component heeft een naam nodig", f"{where}.naam")
        if name in seen:
            raise DefinitionError(f"component '{name}' komt twee keer voor", f"{where}.naam")
        seen.add(name)
        weight_node = Node(component.weight, f"{where}.gewicht")
        weight = weight_node.share()
        if weight < 0:
            raise weight_node.error("een gewicht kan niet negatief zijn")
        total += weight
        rate = Node(component.index, f"{where}.index").decimal()
        with localcontext(ENGINE_CONTEXT):
            parsed.append((name, fraction_to_decimal(weight), rate, component.source))
    if total != 1:
        raise DefinitionError(
            f"de gewichten tellen op tot {show_fraction(total)} in plaats van 1", path
        )
    return parsed
