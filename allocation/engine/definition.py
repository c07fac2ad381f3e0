"""Parsing a model definition (format ``verdeelmodel/1``) into the types of ``model``.

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
from typing import Any, cast

from . import _json
from ._reader import Node, join_path, names
from .errors import DefinitionError
from .model import (
    DEFAULT_ROUNDING,
    FORMAT,
    GROUPS,
    INPUTS_FORMAT,
    PARTICIPANTS,
    Allocation,
    Amount,
    Combination,
    Const,
    Definition,
    EqualKey,
    FixedAmounts,
    FixedKey,
    Floor,
    Group,
    Inputs,
    Key,
    Level,
    Measure,
    MeasureKey,
    MixKey,
    Param,
    Participant,
    Production,
    ProductionLine,
    RateStep,
    Rounding,
    Service,
    ServiceBudget,
    Settlement,
    Step,
    StepAmount,
    StepKey,
    Upfront,
    fraction_to_decimal,
    show_fraction,
)
from .rounding import ENGINE_CONTEXT

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


def build_definition(
    model: Mapping[str, Any], inputs: Mapping[str, Any] | str, *, base_dir: Path | None = None
) -> Definition:
    """A definition from a model (the document without ``invoer``, as stored per variant) and
    inputs (an ``invoer`` object, e.g. built from the database, or a file name)."""
    if "invoer" in model:
        raise DefinitionError("het model bevat al 'invoer'; geef de invoer apart", "invoer")
    return parse_definition({**model, "invoer": inputs}, base_dir=base_dir)


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
    group_nodes = _items(node, "groepen")
    codes = _unique_names(group_nodes, "code", "groep")
    participant_nodes = node.req("deelnemers").items()
    _unique_names(participant_nodes, "naam", "deelnemer")
    participants = tuple(_parse_participant(item, codes) for item in participant_nodes)
    known = {participant.name for participant in participants}
    year = node.get("jaar")
    return Inputs(
        participants=participants,
        groups=tuple(_parse_group(item, participants) for item in group_nodes),
        measures={
            name: _parse_measure(name, item, known) for name, item in _entries(node, "maten")
        },
        parameters={name: _parse_parameter(item) for name, item in _entries(node, "parameters")},
        services={code: _parse_service(code, item) for code, item in _entries(node, "diensten")},
        year=year.integer() if year else None,
        name=_optional_text(node, "naam"),
    )


def _items(node: Node, key: str) -> list[Node]:
    child = node.get(key)
    return child.items() if child else []


def _entries(node: Node, key: str) -> list[tuple[str, Node]]:
    child = node.get(key)
    return list(child.entries()) if child else []


def _unique_names(nodes: list[Node], field: str, what: str) -> list[str]:
    seen: list[str] = []
    for item in nodes:
        name_node = item.mapping().req(field)
        if name_node.text() in seen:
            raise name_node.error(f"{what} '{name_node.value}' komt twee keer voor")
        seen.append(name_node.value)
    return seen


def _parse_group(node: Node, participants: tuple[Participant, ...]) -> Group:
    node.obj(required=("code",), optional=("naam", "centrum", "omschrijving"))
    code = node.req("code").text()
    members = tuple(p.name for p in participants if p.group == code)
    centre_node = node.get("centrum")
    centre = centre_node.text() if centre_node else None
    if centre_node and centre not in members:
        raise centre_node.error(f"centrumgemeente '{centre}' is geen deelnemer in groep '{code}'")
    return Group(code, _optional_text(node, "naam") or code, centre, members)


def _parse_participant(node: Node, groups: list[str]) -> Participant:
    node.obj(required=("naam",), optional=("groep", "code", "omschrijving"))
    group_node = node.get("groep")
    group = group_node.text() if group_node else None
    if group_node and group not in groups:
        raise group_node.error(f"onbekende groep '{group}'; bekende groepen: {names(groups)}")
    return Participant(node.req("naam").text(), group)


def _parse_measure(name: str, node: Node, known: set[str]) -> Measure:
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
    return Measure(
        name, _optional_text(node, "omschrijving"), values, "perioden" in kinds, node.path
    )


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
        code,
        _optional_text(node, "naam") or code,
        node.req("volume").decimal(),
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
        known = [group.code for group in self.inputs.groups]
        if code not in known:
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
        step_id = item.mapping().req("id").text()
        if step_id in ids:
            raise item.req("id").error(f"stap-id '{step_id}' komt twee keer voor")
        ids[step_id] = index
    if not ids:
        raise node.error("een model heeft minstens één stap nodig")
    return ids


_COMMON = ("id", "soort")
_COMMON_OPTIONAL = ("omschrijving", "component")


def _parse_step(node: Node, context: _Context) -> Step:
    kind = node.req("soort").text()
    parser = _STEP_PARSERS.get(kind)
    if parser is None:
        raise node.req("soort").error(
            f"onbekende soort stap '{kind}'; toegestaan: {names(_STEP_PARSERS)}"
        )
    return parser(node, context)


def _common(node: Node, *, component: bool = True) -> dict[str, Any]:
    """The fields every step has: id, path, description and (for participant steps) component."""
    step_id = node.req("id").text()
    common: dict[str, Any] = {
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
            *_COMMON_OPTIONAL,
            "over",
            "per_groep",
            "binnen",
            "behalve",
            "vooraf",
            "basisbedrag",
            "afronding",
        ),
    )
    level = _level(node)
    per_group = node.get("per_groep").boolean() if node.get("per_groep") else False
    if per_group and level == GROUPS:
        raise node.req("per_groep").error(
            "'per_groep' kan alleen bij een verdeling over deelnemers"
        )
    targets = _targets(node, context, level)
    if per_group:
        _require_groups(node.req("per_groep"), context, targets)
    if level == GROUPS and node.has("vooraf"):
        raise node.req("vooraf").error("'vooraf' kan alleen bij een verdeling over deelnemers")
    common = _common(node, component=level == PARTICIPANTS)
    upfront = tuple(
        _parse_upfront(item, context, targets, common.get("component", ""))
        for item in _items(node, "vooraf")
    )
    return Allocation(
        **common,
        amount=_parse_amount(node.req("bedrag"), context),
        key=_parse_key(node.req("sleutel"), context, level),
        targets=targets,
        level=level,
        per_group=per_group,
        upfront=upfront,
        base_amount=_optional_amount(node, "basisbedrag", context),
        rounding=_optional_rounding(node, context, level, targets),
    )


def _parse_upfront(
    node: Node, context: _Context, targets: tuple[str, ...], component: str
) -> Upfront:
    node.obj(required=("deelnemer", "bedrag"), optional=("component", "omschrijving"))
    participant = context.participant(node.req("deelnemer"))
    if participant not in targets:
        raise node.req("deelnemer").error(
            f"'{participant}' hoort niet bij de deelnemers van deze stap"
        )
    return Upfront(
        participant=participant,
        amount=_parse_amount(node.req("bedrag"), context),
        component=_optional_text(node, "component") or component,
        path=node.path,
    )


def _parse_production(node: Node, context: _Context) -> Production:
    node.obj(
        required=(*_COMMON, "tarief", "regels"),
        optional=(*_COMMON_OPTIONAL, "binnen", "behalve", "afronding"),
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
        **_common(node),
        rate=_parse_amount(node.req("tarief"), context),
        lines=tuple(lines),
        targets=targets,
        rounding=_optional_rounding(node, context, PARTICIPANTS, targets),
    )


def _parse_rate(node: Node, context: _Context) -> RateStep:
    node.obj(
        required=(*_COMMON, "tarief", "per"),
        optional=(*_COMMON_OPTIONAL, "binnen", "behalve", "basisbedrag", "afronding"),
    )
    measure = _parse_key(node.req("per"), context, PARTICIPANTS)
    if not isinstance(measure, MeasureKey):
        raise node.req("per").error('\'per\' moet een maat zijn, zoals {"maat": "inwoners"}')
    targets = _targets(node, context, PARTICIPANTS)
    return RateStep(
        **_common(node),
        rate=_parse_amount(node.req("tarief"), context),
        measure=measure,
        targets=targets,
        base_amount=_optional_amount(node, "basisbedrag", context),
        rounding=_optional_rounding(node, context, PARTICIPANTS, targets),
    )


def _parse_fixed(node: Node, context: _Context) -> FixedAmounts:
    node.obj(required=(*_COMMON, "bedragen"), optional=_COMMON_OPTIONAL)
    amounts = tuple(
        (context.participant(Node(name, item.path)), _parse_amount(item, context))
        for name, item in node.req("bedragen").entries()
    )
    return FixedAmounts(**_common(node), amounts=amounts)


def _parse_settlement(node: Node, context: _Context) -> Settlement:
    node.obj(
        required=(*_COMMON, "bedrag", "sleutel", "ontvanger"),
        optional=(*_COMMON_OPTIONAL, "binnen", "behalve", "afronding"),
    )
    targets = _targets(node, context, PARTICIPANTS)
    return Settlement(
        **_common(node),
        amount=_parse_amount(node.req("bedrag"), context),
        key=_parse_key(node.req("sleutel"), context, PARTICIPANTS),
        receiver=context.participant(node.req("ontvanger")),
        targets=targets,
        rounding=_optional_rounding(node, context, PARTICIPANTS, targets),
    )


def _parse_floor(node: Node, context: _Context) -> Floor:
    node.obj(
        required=(*_COMMON, "component", "opvanger"),
        optional=("omschrijving", "minimum", "binnen", "behalve"),
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
        **_common(node),
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
    return cast(Level, over.value)


def _targets(node: Node, context: _Context, level: Level) -> tuple[str, ...]:
    inputs = context.inputs
    if level == GROUPS:
        if not inputs.groups:
            raise node.req("over").error(
                "verdelen over groepen kan niet: de invoer heeft geen groepen"
            )
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
            path=join_path(node.path, "stap"),
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
    return Combination(kind, terms)


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
            raise node.req("gelijk").error('gebruik "gelijk": true voor gelijke delen')
        return EqualKey(node.path)
    return StepKey(context.step(node.req("stap")), join_path(node.path, "stap"))


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
                raise operation.error(
                    f"'bewerking' is 'som' of 'gemiddelde', niet '{operation.value}'"
                )
            average = operation.value == "gemiddelde"
    elif operation:
        raise operation.error("'bewerking' hoort bij 'perioden'")
    if moving:
        moving.obj(required=("jaren", "tot_en_met"))
        years = moving.req("jaren").integer()
        if years < 1:
            raise moving.req("jaren").error("'jaren' is minstens 1")
        last = moving.req("tot_en_met").integer()
        periods, average = tuple(str(year) for year in range(last - years + 1, last + 1)), True
    if measure.periodic and periods is None:
        raise name_node.error(
            f"maat '{name}' heeft waarden per periode; kies 'perioden' of "
            "'voortschrijdend_gemiddelde'"
        )
    if not measure.periodic and periods is not None:
        raise name_node.error(f"maat '{name}' heeft geen waarden per periode")
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
        parts.append((fraction_to_decimal(weight), _parse_key(item.req("sleutel"), context, level)))
    if not parts:
        raise node.error("een mix heeft minstens één sleutel nodig")
    if total != 1:
        raise node.error(f"de gewichten tellen op tot {show_fraction(total)} in plaats van 1")
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
        raise node.error(f"de aandelen tellen op tot {show_fraction(total)} in plaats van 1")
    return FixedKey(shares, node.path)


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
    per_group = False
    if (per_group_node := node.get("per_groep")) is not None:
        per_group = per_group_node.boolean()
        if per_group and level == GROUPS:
            raise per_group_node.error("'per_groep' kan alleen bij afronding over deelnemers")
        if per_group:
            _require_groups(per_group_node, context, targets)
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
            '\'verschil\' is "grootste_rest", "centrum" of {"naar": ...}, '
            f"niet '{difference.value}'"
        )
    difference.obj(required=("naar",))
    receiver_node = difference.req("naar")
    if isinstance(receiver_node.value, Mapping):
        if not per_group:
            raise receiver_node.error('een ontvanger per groep vereist "per_groep": true')
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
            'bij afronding per groep: geef per groep een ontvanger, zoals {"CG": "Arnhem"}, '
            'of gebruik "centrum"'
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
