"""A model definition (format ``verdeelmodel/1``): its typed form and the parser.

The JSON document is described in ``docs/allocation-format.md``. Parsing checks structure,
types and every name (measures, participants, groups, parameters, services, steps), the shares
of fixed keys and mixes, and cycles between steps; it raises :class:`DefinitionError` with a
Dutch message and the path of the offending field. Checks that depend on the figures themselves
(a missing value for a participant, a key that adds up to zero) happen when the model is run,
with the same exception and the path of the key.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Literal

from . import _json
from ._reader import Node, names
from .errors import DefinitionError
from .rounding import CENT, ENGINE_CONTEXT

FORMAT = "verdeelmodel/1"
INPUTS_FORMAT = "verdeelmodel-invoer/1"

PARTICIPANTS: Literal["deelnemers"] = "deelnemers"
GROUPS: Literal["groepen"] = "groepen"
Level = Literal["deelnemers", "groepen"]


# --- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participant:
    name: str
    group: str | None = None


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    centre: str | None
    members: tuple[str, ...]


@dataclass(frozen=True)
class Measure:
    """A named measure per participant: a number, or numbers per period (``"2016"``, ...)."""

    name: str
    description: str
    values: Mapping[str, Decimal | Mapping[str, Decimal]]
    periodic: bool
    path: str


@dataclass(frozen=True)
class Service:
    """A service line (product): volume × norm hours; its budget is hours × an hourly tariff."""

    code: str
    name: str
    volume: Decimal
    norm: Decimal

    @property
    def hours(self) -> Decimal:
        return self.volume * self.norm


@dataclass(frozen=True)
class Inputs:
    participants: tuple[Participant, ...]
    groups: tuple[Group, ...] = ()
    measures: Mapping[str, Measure] = dataclasses.field(default_factory=dict)
    parameters: Mapping[str, Decimal] = dataclasses.field(default_factory=dict)
    services: Mapping[str, Service] = dataclasses.field(default_factory=dict)
    year: int | None = None
    name: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(participant.name for participant in self.participants)

    def group(self, code: str) -> Group:
        return next(group for group in self.groups if group.code == code)

    def group_of(self, participant: str) -> str | None:
        return next(p.group for p in self.participants if p.name == participant)


# --- amounts, keys, rounding ------------------------------------------------------------------


@dataclass(frozen=True)
class Const:
    value: Decimal


@dataclass(frozen=True)
class Param:
    name: str
    path: str


@dataclass(frozen=True)
class StepAmount:
    """The amount of an earlier step: all of it, one group's part, or one participant's part.

    Inside a ``per_groep`` step, a reference without group means the current group's part.
    """

    step: str
    path: str
    group: str | None = None
    participant: str | None = None


@dataclass(frozen=True)
class ServiceBudget:
    """Sum over service lines of volume × norm × tariff."""

    services: tuple[str, ...]
    rate: Amount
    path: str


@dataclass(frozen=True)
class Combination:
    operator: Literal["som", "verschil", "product"]
    terms: tuple[Amount, ...]


type Amount = Const | Param | StepAmount | ServiceBudget | Combination


@dataclass(frozen=True)
class MeasureKey:
    measure: str
    path: str
    periods: tuple[str, ...] | None = None
    average: bool = False


@dataclass(frozen=True)
class MixKey:
    """Weighted mix of shares: Σ weight × share under each sub-key (weights add up to 1)."""

    parts: tuple[tuple[Decimal, Key], ...]
    path: str


@dataclass(frozen=True)
class FixedKey:
    shares: Mapping[str, Fraction]
    path: str


@dataclass(frozen=True)
class EqualKey:
    path: str


@dataclass(frozen=True)
class StepKey:
    """Pro rata to the amounts of an earlier step (e.g. a year-end result by contribution)."""

    step: str
    path: str


type Key = MeasureKey | MixKey | FixedKey | EqualKey | StepKey


@dataclass(frozen=True)
class Rounding:
    """Round to ``units`` (in sequence); the difference goes to ``receiver`` or by largest
    remainder (``receiver`` None and ``to_centre`` False). ``receiver`` may map group → name."""

    units: tuple[Decimal, ...]
    path: str
    receiver: str | Mapping[str, str] | None = None
    to_centre: bool = False
    per_group: bool = False

    @property
    def unit(self) -> Decimal:
        return self.units[-1]

    def describe(self) -> str:
        units = " en daarna ".join(f"€ {unit}" for unit in self.units)
        text = f"afronden op {units} (half naar boven)"
        if self.per_group:
            text += " per groep"
        if self.to_centre:
            return f"{text}; verschil naar de centrumgemeente"
        if isinstance(self.receiver, str):
            return f"{text}; verschil naar {self.receiver}"
        if self.receiver:
            listed = ", ".join(f"{name} ({group})" for group, name in self.receiver.items())
            return f"{text}; verschil naar {listed}"
        return f"{text}; verschil volgens grootste rest"


DEFAULT_ROUNDING = Rounding(units=(CENT,), path="afronding")


# --- steps ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Step:
    id: str
    path: str
    description: str = ""
    component: str | None = None

    kind = ""
    level: Level = PARTICIPANTS


@dataclass(frozen=True, kw_only=True)
class Upfront:
    participant: str
    amount: Amount
    component: str
    path: str


@dataclass(frozen=True, kw_only=True)
class Allocation(Step):
    """Split an amount by a key, over participants or over groups; optionally per group, with
    amounts paid up front by named participants and a fixed base amount per target."""

    kind = "verdeling"
    amount: Amount
    key: Key
    targets: tuple[str, ...]
    level: Level = PARTICIPANTS
    per_group: bool = False
    upfront: tuple[Upfront, ...] = ()
    base_amount: Amount | None = None
    rounding: Rounding | None = None


@dataclass(frozen=True, kw_only=True)
class ProductionLine:
    service: str
    key: Key
    path: str


@dataclass(frozen=True, kw_only=True)
class Production(Step):
    """Service-line budgets (volume × norm × tariff), each split by its own production key."""

    kind = "productie"
    rate: Amount
    lines: tuple[ProductionLine, ...]
    targets: tuple[str, ...]
    rounding: Rounding | None = None


@dataclass(frozen=True, kw_only=True)
class RateStep(Step):
    """A rate per unit of a measure (plus an optional base amount); the total follows."""

    kind = "tarief"
    rate: Amount
    measure: MeasureKey
    targets: tuple[str, ...]
    base_amount: Amount | None = None
    rounding: Rounding | None = None


@dataclass(frozen=True, kw_only=True)
class FixedAmounts(Step):
    kind = "vast"
    amounts: tuple[tuple[str, Amount], ...]


@dataclass(frozen=True, kw_only=True)
class Settlement(Step):
    """Zero-sum: the targets pay ``amount`` by the key; ``receiver`` receives it."""

    kind = "verrekening"
    amount: Amount
    key: Key
    receiver: str
    targets: tuple[str, ...]
    rounding: Rounding | None = None


@dataclass(frozen=True, kw_only=True)
class Floor(Step):
    """Raise totals below ``minimum``; ``absorber`` (or the group's centre) pays the excess."""

    kind = "bodem"
    minimum: Decimal
    absorber: str | None
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    code: str
    name: str
    steps: tuple[Step, ...]
    inputs: Inputs
    rounding: Rounding = DEFAULT_ROUNDING
    description: str = ""

    def step(self, step_id: str) -> Step:
        return next(step for step in self.steps if step.id == step_id)


# --- parsing ----------------------------------------------------------------------------------

_META = ("naam", "omschrijving", "toelichting", "bron")


def parse_definition(data: object, *, base_dir: Path | None = None) -> Definition:
    """Build a :class:`Definition` from a parsed JSON document (dicts, lists, str, int, Decimal).

    ``invoer`` may be an object or the name of a JSON file, resolved against ``base_dir``
    (default: the current directory).
    """
    root = Node(data).obj(
        required=("formaat", "stappen", "invoer"), optional=("code", "afronding", *_META)
    )
    version = root.req("formaat").text()
    if version != FORMAT:
        raise root.req("formaat").error(f"onbekend formaat '{version}'; verwacht '{FORMAT}'")
    with localcontext(ENGINE_CONTEXT):
        inputs = _inputs_from(root.req("invoer"), base_dir or Path.cwd())
        context = _Context(inputs, _step_ids(root.req("stappen")))
        steps = tuple(_parse_step(node, context) for node in root.req("stappen").items())
        rounding_node = root.get("afronding")
        rounding = (
            _parse_rounding(rounding_node, context, PARTICIPANTS, inputs.names)
            if rounding_node
            else DEFAULT_ROUNDING
        )
    return Definition(
        code=_optional_text(root, "code"),
        name=_optional_text(root, "naam"),
        description=_optional_text(root, "omschrijving"),
        steps=_execution_order(steps),
        inputs=inputs,
        rounding=rounding,
    )


def parse_inputs(data: object, path: str = "invoer") -> Inputs:
    """Parse an ``invoer`` object (participants, groups, measures, parameters, services)."""
    with localcontext(ENGINE_CONTEXT):
        return _parse_inputs(Node(data, path))


def _optional_text(node: Node, key: str) -> str:
    child = node.get(key)
    return child.text() if child else ""


def _inputs_from(node: Node, base_dir: Path) -> Inputs:
    if not isinstance(node.value, str):
        return _parse_inputs(node)
    path = base_dir / node.text()
    try:
        return _parse_inputs(Node(_json.load_file(path), node.path))
    except DefinitionError as error:
        raise DefinitionError(f"{error.message} (in {path.name})", error.path) from None


def _parse_inputs(node: Node) -> Inputs:
    node.obj(
        required=("deelnemers",),
        optional=("formaat", "jaar", "groepen", "maten", "parameters", "diensten", *_META),
    )
    if (version := node.get("formaat")) and version.text() != INPUTS_FORMAT:
        raise version.error(f"onbekend formaat '{version.value}'; verwacht '{INPUTS_FORMAT}'")
    group_nodes = node.get("groepen")
    group_specs = [_parse_group(item) for item in (group_nodes.items() if group_nodes else [])]
    _unique([(code, path) for code, _, _, path in group_specs], "groep")
    codes = {code for code, _, _, _ in group_specs}
    participants = tuple(_parse_participant(item, codes) for item in node.req("deelnemers").items())
    _unique(
        [(p.name, item.path) for p, item in zip(participants, node.req("deelnemers").items())],
        "deelnemer",
    )
    groups = []
    for code, name, centre_node, path in group_specs:
        members = tuple(p.name for p in participants if p.group == code)
        centre = centre_node.text() if centre_node else None
        if centre is not None and centre not in members:
            raise centre_node.error(  # type: ignore[union-attr]
                f"centrumgemeente '{centre}' is geen deelnemer in groep '{code}'"
            )
        groups.append(Group(code, name or code, centre, members))
    known = {p.name for p in participants}
    maten = node.get("maten")
    parameters = node.get("parameters")
    services = node.get("diensten")
    year = node.get("jaar")
    return Inputs(
        participants=participants,
        groups=tuple(groups),
        measures=dict(_parse_measure(name, item, known) for name, item in maten.entries())
        if maten
        else {},
        parameters={name: _parse_parameter(item) for name, item in parameters.entries()}
        if parameters
        else {},
        services={code: _parse_service(code, item) for code, item in services.entries()}
        if services
        else {},
        year=year.integer() if year else None,
        name=_optional_text(node, "naam"),
    )


def _unique(pairs: list[tuple[str, str]], what: str) -> None:
    seen: set[str] = set()
    for name, path in pairs:
        if name in seen:
            raise DefinitionError(f"{what} '{name}' komt twee keer voor", path)
        seen.add(name)


def _parse_group(node: Node) -> tuple[str, str, Node | None, str]:
    node.obj(required=("code",), optional=("naam", "centrum", "omschrijving"))
    return node.req("code").text(), _optional_text(node, "naam"), node.get("centrum"), node.path


def _parse_participant(node: Node, groups: set[str]) -> Participant:
    node.obj(required=("naam",), optional=("groep", "code", "omschrijving"))
    group_node = node.get("groep")
    group = group_node.text() if group_node else None
    if group_node and group not in groups:
        raise group_node.error(f"onbekende groep '{group}'; bekende groepen: {names(groups)}")
    return Participant(node.req("naam").text(), group)


def _parse_measure(name: str, node: Node, known: set[str]) -> tuple[str, Measure]:
    node.obj(required=("waarden",), optional=("omschrijving", "eenheid", "bron", "toelichting"))
    values: dict[str, Decimal | Mapping[str, Decimal]] = {}
    kinds = set()
    for participant, item in node.req("waarden").entries():
        if participant not in known:
            raise item.error(f"onbekende deelnemer '{participant}'")
        if isinstance(item.value, Mapping):
            values[participant] = {period: _measure_value(v) for period, v in item.entries()}
            kinds.add("perioden")
        else:
            values[participant] = _measure_value(item)
            kinds.add("getal")
        if len(kinds) > 1:
            raise item.error(
                "een maat heeft óf één getal per deelnemer óf getallen per periode, niet beide"
            )
    measure = Measure(name, _optional_text(node, "omschrijving"), values, "perioden" in kinds,
                      node.path)
    return name, measure


def _measure_value(node: Node) -> Decimal:
    value = node.decimal()
    if value < 0:
        raise node.error(f"een maat kan niet negatief zijn ({value})")
    return value


def _parse_parameter(node: Node) -> Decimal:
    if isinstance(node.value, Mapping):
        node.obj(required=("waarde",), optional=("omschrijving", "bron", "toelichting"))
        return node.req("waarde").decimal()
    return node.decimal()


def _parse_service(code: str, node: Node) -> Service:
    node.obj(required=("volume", "norm"), optional=("naam", "eenheid", "omschrijving", "bron"))
    return Service(
        code, _optional_text(node, "naam") or code, node.req("volume").decimal(),
        node.req("norm").decimal(),
    )


# --- steps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    inputs: Inputs
    step_ids: Mapping[str, int]

    def participant(self, node: Node) -> str:
        name = node.text()
        if name not in self.inputs.names:
            raise node.error(f"onbekende deelnemer '{name}'")
        return name

    def group(self, node: Node) -> str:
        code = node.text()
        if code not in {group.code for group in self.inputs.groups}:
            known = [group.code for group in self.inputs.groups]
            raise node.error(f"onbekende groep '{code}'; bekende groepen: {names(known)}")
        return code

    def target(self, node: Node, level: Level) -> str:
        return self.group(node) if level == GROUPS else self.participant(node)

    def step(self, node: Node) -> str:
        step_id = node.text()
        if step_id not in self.step_ids:
            raise node.error(f"onbekende stap '{step_id}'; bekende stappen: {names(self.step_ids)}")
        return step_id


def _step_ids(node: Node) -> dict[str, int]:
    ids: dict[str, int] = {}
    for index, item in enumerate(node.items()):
        item.obj(required=("id", "soort"), optional=tuple(item.value))  # checked fully later
        step_id = item.req("id").text()
        if step_id in ids:
            raise item.req("id").error(f"stap-id '{step_id}' komt twee keer voor")
        ids[step_id] = index
    if not ids:
        raise node.error("een model heeft minstens één stap nodig")
    return ids


_COMMON = ("id", "soort", "omschrijving")


def _parse_step(node: Node, context: _Context) -> Step:
    kind = node.req("soort").text()
    parser = _STEP_PARSERS.get(kind)
    if parser is None:
        raise node.req("soort").error(
            f"onbekende soort stap '{kind}'; toegestaan: {names(_STEP_PARSERS)}"
        )
    return parser(node, context)


def _common(node: Node, *, component: bool = True) -> dict[str, str | None]:
    step_id = node.req("id").text()
    common: dict[str, str | None] = {
        "id": step_id,
        "path": node.path,
        "description": _optional_text(node, "omschrijving"),
    }
    if component:
        common["component"] = _optional_text(node, "component") or step_id
    return common


def _parse_allocation(node: Node, context: _Context) -> Allocation:
    node.obj(
        required=(*_COMMON, "bedrag", "sleutel"),
        optional=(
            "component", "over", "per_groep", "binnen", "behalve", "vooraf", "basisbedrag",
            "afronding",
        ),
    )
    level = _level(node)
    per_group = node.get("per_groep").boolean() if node.get("per_groep") else False
    if per_group and level == GROUPS:
        raise node.req("per_groep").error("'per_groep' kan alleen bij een verdeling over deelnemers")
    targets = _targets(node, context, level)
    if per_group:
        _require_groups(node.req("per_groep"), context, targets)
    step_id = node.req("id").text()
    component = _optional_text(node, "component") or step_id
    upfront_node = node.get("vooraf")
    upfront = tuple(
        _parse_upfront(item, context, targets, component)
        for item in (upfront_node.items() if upfront_node else [])
    )
    if upfront and level == GROUPS:
        raise upfront_node.error("'vooraf' kan alleen bij een verdeling over deelnemers")  # type: ignore[union-attr]
    return Allocation(
        **_common(node, component=level == PARTICIPANTS),  # type: ignore[arg-type]
        amount=_parse_amount(node.req("bedrag"), context),
        key=_parse_key(node.req("sleutel"), context, level),
        targets=targets,
        level=level,
        per_group=per_group,
        upfront=upfront,
        base_amount=_optional_amount(node, "basisbedrag", context),
        rounding=_optional_rounding(node, context, level, targets),
    )


def _parse_upfront(node: Node, context: _Context, targets: tuple[str, ...], component: str) -> Upfront:
    node.obj(required=("deelnemer", "bedrag"), optional=("component", "omschrijving"))
    participant = context.participant(node.req("deelnemer"))
    if participant not in targets:
        raise node.req("deelnemer").error(f"'{participant}' hoort niet bij de deelnemers van deze stap")
    return Upfront(
        participant=participant,
        amount=_parse_amount(node.req("bedrag"), context),
        component=_optional_text(node, "component") or component,
        path=node.path,
    )


def _parse_production(node: Node, context: _Context) -> Production:
    node.obj(
        required=(*_COMMON, "tarief", "regels"),
        optional=("component", "binnen", "behalve", "afronding"),
    )
    targets = _targets(node, context, PARTICIPANTS)
    lines = []
    for item in node.req("regels").items():
        item.obj(required=("dienst", "sleutel"), optional=("omschrijving",))
        lines.append(
            ProductionLine(
                service=_service(item.req("dienst"), context),
                key=_parse_key(item.req("sleutel"), context, PARTICIPANTS),
                path=item.path,
            )
        )
    if not lines:
        raise node.req("regels").error("geef minstens één regel (dienst met sleutel)")
    return Production(
        **_common(node),  # type: ignore[arg-type]
        rate=_parse_amount(node.req("tarief"), context),
        lines=tuple(lines),
        targets=targets,
        rounding=_optional_rounding(node, context, PARTICIPANTS, targets),
    )


def _parse_rate(node: Node, context: _Context) -> RateStep:
    node.obj(
        required=(*_COMMON, "tarief", "per"),
        optional=("component", "binnen", "behalve", "basisbedrag", "afronding"),
    )
    measure = _parse_key(node.req("per"), context, PARTICIPANTS)
    if not isinstance(measure, MeasureKey):
        raise node.req("per").error("'per' moet een maat zijn, zoals {\"maat\": \"inwoners\"}")
    targets = _targets(node, context, PARTICIPANTS)
    return RateStep(
        **_common(node),  # type: ignore[arg-type]
        rate=_parse_amount(node.req("tarief"), context),
        measure=measure,
        targets=targets,
        base_amount=_optional_amount(node, "basisbedrag", context),
        rounding=_optional_rounding(node, context, PARTICIPANTS, targets),
    )


def _parse_fixed(node: Node, context: _Context) -> FixedAmounts:
    node.obj(required=(*_COMMON, "bedragen"), optional=("component",))
    amounts = tuple(
        (context.participant(Node(name, item.path)), _parse_amount(item, context))
        for name, item in node.req("bedragen").entries()
    )
    return FixedAmounts(**_common(node), amounts=amounts)  # type: ignore[arg-type]


def _parse_settlement(node: Node, context: _Context) -> Settlement:
    node.obj(
        required=(*_COMMON, "bedrag", "sleutel", "ontvanger"),
        optional=("component", "binnen", "behalve", "afronding"),
    )
    targets = _targets(node, context, PARTICIPANTS)
    return Settlement(
        **_common(node),  # type: ignore[arg-type]
        amount=_parse_amount(node.req("bedrag"), context),
        key=_parse_key(node.req("sleutel"), context, PARTICIPANTS),
        receiver=context.participant(node.req("ontvanger")),
        targets=targets,
        rounding=_optional_rounding(node, context, PARTICIPANTS, targets),
    )


def _parse_floor(node: Node, context: _Context) -> Floor:
    node.obj(
        required=(*_COMMON, "component", "opvanger"),
        optional=("minimum", "binnen", "behalve"),
    )
    targets = _targets(node, context, PARTICIPANTS)
    absorber_node = node.req("opvanger")
    if absorber_node.value == "centrum":
        absorber = None
        _require_groups(absorber_node, context, targets, centre=True)
    else:
        absorber = context.participant(absorber_node)
    minimum = node.get("minimum")
    return Floor(
        **_common(node),  # type: ignore[arg-type]
        minimum=minimum.decimal() if minimum else Decimal(0),
        absorber=absorber,
        targets=targets,
    )


_STEP_PARSERS: dict[str, Callable[[Node, _Context], Step]] = {
    "verdeling": _parse_allocation,
    "productie": _parse_production,
    "tarief": _parse_rate,
    "vast": _parse_fixed,
    "verrekening": _parse_settlement,
    "bodem": _parse_floor,
}


def _level(node: Node) -> Level:
    over = node.get("over")
    if over is None:
        return PARTICIPANTS
    if over.value not in (PARTICIPANTS, GROUPS):
        raise over.error(f"'over' is 'deelnemers' of 'groepen', niet '{over.value}'")
    if over.value == GROUPS and not node.has("per_groep") and not _has_groups(over):
        pass
    return over.value  # type: ignore[return-value]


def _has_groups(_: Node) -> bool:
    return True


def _targets(node: Node, context: _Context, level: Level) -> tuple[str, ...]:
    inputs = context.inputs
    if level == GROUPS:
        if not inputs.groups:
            raise node.req("over").error("verdelen over groepen kan niet: de invoer heeft geen groepen")
        universe = tuple(group.code for group in inputs.groups)
    else:
        universe = inputs.names
    chosen = universe
    if (within := node.get("binnen")) is not None:
        if level == PARTICIPANTS and isinstance(within.value, str):
            chosen = inputs.group(context.group(within)).members
        else:
            listed = {context.target(item, level) for item in within.items()}
            chosen = tuple(name for name in universe if name in listed)
    if (excluded := node.get("behalve")) is not None:
        dropped = {context.target(item, level) for item in excluded.items()}
        chosen = tuple(name for name in chosen if name not in dropped)
    if not chosen:
        raise (within or excluded or node).error("er blijft niemand over om over te verdelen")
    return chosen


def _require_groups(
    node: Node, context: _Context, targets: tuple[str, ...], *, centre: bool = False
) -> None:
    for name in targets:
        group = context.inputs.group_of(name)
        if group is None:
            raise node.error(f"deelnemer '{name}' hoort bij geen groep")
        if centre and context.inputs.group(group).centre is None:
            raise node.error(f"groep '{group}' heeft geen centrumgemeente (veld 'centrum')")


def _service(node: Node, context: _Context) -> str:
    code = node.text()
    if code not in context.inputs.services:
        raise node.error(
            f"onbekende dienst '{code}'; bekende diensten: {names(context.inputs.services)}"
        )
    return code


# --- amounts ----------------------------------------------------------------------------------

_AMOUNT_KINDS = ("parameter", "stap", "diensten", "som", "verschil", "product")


def _optional_amount(node: Node, key: str, context: _Context) -> Amount | None:
    child = node.get(key)
    return _parse_amount(child, context) if child else None


def _parse_amount(node: Node, context: _Context) -> Amount:
    if not isinstance(node.value, Mapping):
        return Const(node.decimal())
    kind = _discriminator(node, _AMOUNT_KINDS, "een bedrag")
    if kind == "parameter":
        node.obj(required=("parameter",))
        name = node.req("parameter").text()
        if name not in context.inputs.parameters:
            raise node.req("parameter").error(
                f"onbekende parameter '{name}'; bekende parameters: "
                f"{names(context.inputs.parameters)}"
            )
        return Param(name, node.path)
    if kind == "stap":
        node.obj(required=("stap",), optional=("groep", "deelnemer"))
        group, participant = node.get("groep"), node.get("deelnemer")
        if group and participant:
            raise node.error("geef 'groep' of 'deelnemer', niet allebei")
        return StepAmount(
            step=context.step(node.req("stap")),
            path=join(node.path, "stap"),
            group=context.group(group) if group else None,
            participant=context.participant(participant) if participant else None,
        )
    if kind == "diensten":
        node.obj(required=("diensten", "tarief"))
        services = tuple(_service(item, context) for item in node.req("diensten").items())
        if not services:
            raise node.req("diensten").error("geef minstens één dienst")
        return ServiceBudget(services, _parse_amount(node.req("tarief"), context), node.path)
    node.obj(required=(kind,))
    terms = tuple(_parse_amount(item, context) for item in node.req(kind).items())
    if kind == "verschil" and len(terms) != 2:
        raise node.req(kind).error("'verschil' heeft precies twee bedragen: [a, b] geeft a − b")
    if not terms:
        raise node.req(kind).error(f"'{kind}' heeft minstens één bedrag nodig")
    return Combination(kind, terms)  # type: ignore[arg-type]


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _discriminator(node: Node, kinds: tuple[str, ...], what: str) -> str:
    present = [kind for kind in kinds if node.has(kind)]
    if len(present) != 1:
        raise node.error(f"{what} heeft precies één van {names(kinds)}")
    return present[0]


# --- keys -------------------------------------------------------------------------------------

_KEY_KINDS = ("maat", "mix", "vast", "gelijk", "stap")


def _parse_key(node: Node, context: _Context, level: Level) -> Key:
    node.obj(optional=(*_KEY_KINDS, "perioden", "bewerking", "voortschrijdend_gemiddelde"))
    kind = _discriminator(node, _KEY_KINDS, "een sleutel")
    if kind != "maat":
        node.obj(optional=(kind,))
    if kind == "maat":
        return _parse_measure_key(node, context)
    if kind == "mix":
        return _parse_mix(node.req("mix"), context, level)
    if kind == "vast":
        return _parse_fixed_key(node.req("vast"), context, level)
    if kind == "gelijk":
        if node.req("gelijk").boolean() is not True:
            raise node.req("gelijk").error("gebruik \"gelijk\": true voor gelijke delen")
        return EqualKey(node.path)
    return StepKey(context.step(node.req("stap")), join(node.path, "stap"))


def _parse_measure_key(node: Node, context: _Context) -> MeasureKey:
    name_node = node.req("maat")
    name = name_node.text()
    measure = context.inputs.measures.get(name)
    if measure is None:
        raise name_node.error(
            f"onbekende maat '{name}'; bekende maten: {names(context.inputs.measures)}"
        )
    periods_node, moving = node.get("perioden"), node.get("voortschrijdend_gemiddelde")
    operation = node.get("bewerking")
    if periods_node and moving:
        raise node.error("geef 'perioden' of 'voortschrijdend_gemiddelde', niet allebei")
    periods: tuple[str, ...] | None = None
    average = False
    if periods_node:
        periods = tuple(item.text() for item in periods_node.items())
        if not periods:
            raise periods_node.error("geef minstens één periode")
        if operation:
            if operation.value not in ("som", "gemiddelde"):
                raise operation.error(f"'bewerking' is 'som' of 'gemiddelde', niet '{operation.value}'")
            average = operation.value == "gemiddelde"
    elif operation:
        raise operation.error("'bewerking' hoort bij 'perioden'")
    if moving:
        moving.obj(required=("jaren", "tot_en_met"))
        years = moving.req("jaren").integer()
        if years < 1:
            raise moving.req("jaren").error("'jaren' is minstens 1")
        last = int(str(moving.req("tot_en_met").decimal()))
        periods, average = tuple(str(year) for year in range(last - years + 1, last + 1)), True
    if measure.periodic and periods is None:
        raise name_node.error(
            f"maat '{name}' heeft waarden per periode; kies 'perioden' of "
            "'voortschrijdend_gemiddelde'"
        )
    if not measure.periodic and periods is not None:
        raise (periods_node or moving).error(f"maat '{name}' heeft geen waarden per periode")  # type: ignore[union-attr]
    return MeasureKey(name, name_node.path, periods, average)


def _parse_mix(node: Node, context: _Context, level: Level) -> MixKey:
    parts = []
    total = Fraction(0)
    for item in node.items():
        item.obj(required=("gewicht", "sleutel"))
        weight = item.req("gewicht").share()
        if weight < 0:
            raise item.req("gewicht").error("een gewicht kan niet negatief zijn")
        total += weight
        parts.append((_to_decimal(weight), _parse_key(item.req("sleutel"), context, level)))
    if not parts:
        raise node.error("een mix heeft minstens één sleutel nodig")
    if total != 1:
        raise node.error(f"de gewichten tellen op tot {_show(total)} in plaats van 1")
    return MixKey(tuple(parts), node.path)


def _parse_fixed_key(node: Node, context: _Context, level: Level) -> FixedKey:
    shares = {}
    for name, item in node.entries():
        context.target(Node(name, item.path), level)
        share = item.share()
        if share < 0:
            raise item.error("een aandeel kan niet negatief zijn")
        shares[name] = share
    total = sum(shares.values(), Fraction(0))
    if total != 1:
        raise node.error(f"de aandelen tellen op tot {_show(total)} in plaats van 1")
    return FixedKey(shares, node.path)


def _to_decimal(fraction: Fraction) -> Decimal:
    return Decimal(fraction.numerator) / Decimal(fraction.denominator)


def _show(fraction: Fraction) -> str:
    """A fraction as a decimal if it terminates within 10 places, else as ``a/b``."""
    scaled = fraction * 10**10
    if scaled.denominator == 1:
        return f"{Decimal(scaled.numerator).scaleb(-10).normalize():f}"
    return f"{fraction.numerator}/{fraction.denominator}"


# --- rounding ---------------------------------------------------------------------------------


def _optional_rounding(
    node: Node, context: _Context, level: Level, targets: tuple[str, ...]
) -> Rounding | None:
    child = node.get("afronding")
    return _parse_rounding(child, context, level, targets) if child else None


def _parse_rounding(
    node: Node, context: _Context, level: Level, targets: tuple[str, ...]
) -> Rounding:
    node.obj(optional=("eenheid", "eenheden", "verschil", "per_groep"))
    if node.has("eenheid") == node.has("eenheden"):
        raise node.error("geef 'eenheid' (zoals 100) of 'eenheden' (zoals [50, 100])")
    units = (
        (node.req("eenheid").positive(),)
        if node.has("eenheid")
        else tuple(item.positive() for item in node.req("eenheden").items())
    )
    if not units:
        raise node.req("eenheden").error("geef minstens één eenheid")
    per_group_node = node.get("per_groep")
    per_group = per_group_node.boolean() if per_group_node else False
    if per_group:
        if level == GROUPS:
            raise per_group_node.error("'per_groep' kan alleen bij afronding over deelnemers")  # type: ignore[union-attr]
        _require_groups(per_group_node, context, targets)  # type: ignore[arg-type]
    difference = node.get("verschil")
    if difference is None or difference.value == "grootste_rest":
        return Rounding(units, node.path, per_group=per_group)
    if difference.value == "centrum":
        if level == GROUPS:
            raise difference.error("'centrum' kan alleen bij afronding over deelnemers")
        if not per_group:
            raise difference.error("'centrum' vereist \"per_groep\": true")
        _require_groups(difference, context, targets, centre=True)
        return Rounding(units, node.path, to_centre=True, per_group=True)
    if not isinstance(difference.value, Mapping):
        raise difference.error(
            "'verschil' is \"grootste_rest\", \"centrum\" of {\"naar\": ...}, "
            f"niet '{difference.value}'"
        )
    difference.obj(required=("naar",))
    receiver_node = difference.req("naar")
    if isinstance(receiver_node.value, Mapping):
        if not per_group:
            raise receiver_node.error("een ontvanger per groep vereist \"per_groep\": true")
        receivers = {}
        for group, item in receiver_node.entries():
            context.group(Node(group, item.path))
            receivers[group] = _in_targets(item, context, level, targets)
        for name in targets:
            if context.inputs.group_of(name) not in receivers:
                raise receiver_node.error(
                    f"geen ontvanger voor groep '{context.inputs.group_of(name)}'"
                )
        return Rounding(units, node.path, receiver=receivers, per_group=True)
    receiver = _in_targets(receiver_node, context, level, targets)
    if per_group:
        raise receiver_node.error(
            "bij afronding per groep: geef per groep een ontvanger, zoals {\"CG\": \"Arnhem\"}, "
            "of gebruik \"centrum\""
        )
    return Rounding(units, node.path, receiver=receiver)


def _in_targets(node: Node, context: _Context, level: Level, targets: tuple[str, ...]) -> str:
    name = context.target(node, level)
    if name not in targets:
        raise node.error(f"'{name}' hoort niet bij de deelnemers van deze stap")
    return name


# --- order of execution -----------------------------------------------------------------------


def _references(value: object) -> Iterator[tuple[str, str]]:
    """Every (step id, path) that an amount or key refers to."""
    if isinstance(value, StepAmount | StepKey):
        yield value.step, value.path
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from _references(getattr(value, field.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _references(item)


def _execution_order(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """Order the steps so that each comes after the steps it refers to (stable otherwise).

    A floor applies to the totals so far: it stays after every participant step listed before
    it and before every one listed after it.
    """
    index = {step.id: position for position, step in enumerate(steps)}
    depends: dict[str, dict[str, str]] = {step.id: {} for step in steps}
    for step in steps:
        for ref, path in _references(step):
            depends[step.id].setdefault(ref, path)
    for position, step in enumerate(steps):
        if isinstance(step, Floor):
            for other in steps:
                if other.level == PARTICIPANTS and other is not step:
                    before = index[other.id] < position
                    first, second = (other, step) if before else (step, other)
                    depends[second.id].setdefault(first.id, "")
    waiting = {step_id: set(refs) for step_id, refs in depends.items()}
    ready = [index[step_id] for step_id, refs in waiting.items() if not refs]
    heapq.heapify(ready)
    order = []
    while ready:
        current = steps[heapq.heappop(ready)]
        order.append(current)
        for step_id, refs in waiting.items():
            if current.id in refs:
                refs.discard(current.id)
                if not refs:
                    heapq.heappush(ready, index[step_id])
    if len(order) < len(steps):
        cycle = _find_cycle({k: v for k, v in depends.items() if waiting[k]})
        path = depends[cycle[0]].get(cycle[1]) or steps[index[cycle[0]]].path
        chain = " → ".join(f"'{step_id}'" for step_id in cycle)
        raise DefinitionError(f"kringverwijzing tussen stappen: {chain}", path)
    return tuple(order)


def _find_cycle(depends: Mapping[str, Mapping[str, str]]) -> list[str]:
    start = next(iter(depends))
    trail = [start]
    while True:
        following = next(ref for ref in depends[trail[-1]] if ref in depends)
        if following in trail:
            return [*trail[trail.index(following) :], following]
        trail.append(following)
