"""Parsing the steps of a definition: amounts, keys, targets and rounding (part of
``definition``; split off to keep modules small)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

from ._reader import Node, join_path, names, optional_items, optional_text
from .model import (
    GROUPS,
    PARTICIPANTS,
    Allocation,
    Amount,
    Combination,
    Const,
    EqualKey,
    FixedAmounts,
    FixedKey,
    Floor,
    Inputs,
    Key,
    Level,
    MeasureKey,
    MixKey,
    Param,
    Production,
    ProductionLine,
    RateStep,
    Rounding,
    ServiceBudget,
    Settlement,
    Step,
    StepAmount,
    StepKey,
    Upfront,
    fraction_to_decimal,
    show_fraction,
)

# --- parsing ----------------------------------------------------------------------------------


# --- steps ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepContext:
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


def step_ids(node: Node) -> dict[str, int]:
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


def parse_step(node: Node, context: StepContext) -> Step:
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
        "description": optional_text(node, "omschrijving"),
    }
    if component:
        common["component"] = optional_text(node, "component") or step_id
    return common


def _parse_allocation(node: Node, context: StepContext) -> Allocation:
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
        for item in optional_items(node, "vooraf")
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
    node: Node, context: StepContext, targets: tuple[str, ...], component: str
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
        component=optional_text(node, "component") or component,
        path=node.path,
    )


def _parse_production(node: Node, context: StepContext) -> Production:
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


def _parse_rate(node: Node, context: StepContext) -> RateStep:
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


def _parse_fixed(node: Node, context: StepContext) -> FixedAmounts:
    node.obj(required=(*_COMMON, "bedragen"), optional=_COMMON_OPTIONAL)
    amounts = tuple(
        (context.participant(Node(name, item.path)), _parse_amount(item, context))
        for name, item in node.req("bedragen").entries()
    )
    return FixedAmounts(**_common(node), amounts=amounts)


def _parse_settlement(node: Node, context: StepContext) -> Settlement:
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


def _parse_floor(node: Node, context: StepContext) -> Floor:
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


_STEP_PARSERS: dict[str, Callable[[Node, StepContext], Step]] = {
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


def _targets(node: Node, context: StepContext, level: Level) -> tuple[str, ...]:
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
    node: Node, context: StepContext, targets: tuple[str, ...], *, centre: bool = False
) -> None:
    for name in targets:
        group = context.inputs.group_of(name)
        if group is None:
            raise node.error(f"deelnemer '{name}' hoort bij geen groep")
        if centre and context.inputs.group(group).centre is None:
            raise node.error(f"groep '{group}' heeft geen centrumgemeente (veld 'centrum')")


def _service(node: Node, context: StepContext) -> str:
    code = node.text()
    if code not in context.inputs.services:
        raise node.error(
            f"onbekende dienst '{code}'; bekende diensten: {names(context.inputs.services)}"
        )
    return code


# --- amounts ----------------------------------------------------------------------------------

_AMOUNT_KINDS = ("parameter", "stap", "diensten", "som", "verschil", "product")


def _optional_amount(node: Node, key: str, context: StepContext) -> Amount | None:
    child = node.get(key)
    return _parse_amount(child, context) if child else None


def _parse_amount(node: Node, context: StepContext) -> Amount:
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


def _parse_key(node: Node, context: StepContext, level: Level) -> Key:
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


def _parse_measure_key(node: Node, context: StepContext) -> MeasureKey:
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


def _parse_mix(node: Node, context: StepContext, level: Level) -> MixKey:
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


def _parse_fixed_key(node: Node, context: StepContext, level: Level) -> FixedKey:
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
    node: Node, context: StepContext, level: Level, targets: tuple[str, ...]
) -> Rounding | None:
    child = node.get("afronding")
    return parse_rounding(child, context, level, targets) if child else None


def parse_rounding(
    node: Node, context: StepContext, level: Level, targets: tuple[str, ...]
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


def _in_targets(node: Node, context: StepContext, level: Level, targets: tuple[str, ...]) -> str:
    name = context.target(node, level)
    if name not in targets:
        raise node.error(f"'{name}' hoort niet bij de deelnemers van deze stap")
    return name
