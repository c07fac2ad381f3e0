"""Parsing a model definition (format ``verdeelmodel/1``) into the types of ``model``.

The JSON document is described in ``docs/allocation-format.md``. Parsing checks structure,
types and every name (measures, participants, groups, parameters, services, steps), the shares
of fixed keys and mixes, and cycles between steps; it raises :class:`DefinitionError` with a
Dutch message and the path of the offending field. Checks that depend on the figures themselves
(a missing value for a participant, a key that adds up to zero) happen when the model is run,
with the same exception and the path of the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from . import _json
from ._order import execution_order
from ._reader import Node, names, optional_items, optional_text
from ._steps import StepContext, parse_rounding, parse_step, step_ids
from .errors import DefinitionError
from .model import (
    DEFAULT_ROUNDING,
    FORMAT,
    INPUTS_FORMAT,
    PARTICIPANTS,
    Definition,
    Group,
    Inputs,
    Measure,
    Participant,
    Service,
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
        context = StepContext(inputs, step_ids(root.req("stappen")))
        steps = tuple(parse_step(node, context) for node in root.req("stappen").items())
        rounding_node = root.get("afronding")
        rounding = (
            parse_rounding(rounding_node, context, PARTICIPANTS, inputs.names)
            if rounding_node
            else DEFAULT_ROUNDING
        )
    return Definition(
        code=optional_text(root, "code"),
        name=optional_text(root, "naam"),
        description=optional_text(root, "omschrijving"),
        steps=execution_order(steps),
        inputs=inputs,
        rounding=rounding,
    )


def build_definition(
    model: Mapping[str, Any],
    inputs: Mapping[str, Any] | str | Inputs,
    *,
    base_dir: Path | None = None,
) -> Definition:
    """A definition from a model (the document without ``invoer``, as stored per variant) and
    inputs (an ``invoer`` object, e.g. built from the database, a file name, or inputs already
    read by :func:`parse_inputs` — the variants of one model share them, so reading 342
    municipalities' measures happens once, not once per variant)."""
    if "invoer" in model:
        raise DefinitionError("het model bevat al 'invoer'; geef de invoer apart", "invoer")
    return parse_definition({**model, "invoer": inputs}, base_dir=base_dir)


def parse_inputs(data: object, path: str = "invoer") -> Inputs:
    """Parse an ``invoer`` object (participants, groups, measures, parameters, services)."""
    with localcontext(ENGINE_CONTEXT):
        return _parse_inputs(Node(data, path))


def _inputs_from(node: Node, base_dir: Path) -> Inputs:
    if isinstance(node.value, Inputs):  # read once, shared by the variants of one model
        return node.value
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
    group_nodes = optional_items(node, "groepen")
    codes = _unique_names(group_nodes, "code", "groep")
    participant_nodes = node.req("deelnemers").items()
    _unique_names(participant_nodes, "naam", "deelnemer")
    participants = tuple(_parse_participant(item, codes) for item in participant_nodes)
    known = {participant.name for participant in participants}
    year = node.get("jaar")
    parameters = _entries(node, "parameters")
    return Inputs(
        participants=participants,
        groups=tuple(_parse_group(item, participants) for item in group_nodes),
        measures={
            name: _parse_measure(name, item, known) for name, item in _entries(node, "maten")
        },
        parameters={name: _parse_parameter(item) for name, item in parameters},
        parameter_descriptions={
            name: description
            for name, item in parameters
            if isinstance(item.value, Mapping)
            and (description := optional_text(item, "omschrijving"))
        },
        services={code: _parse_service(code, item) for code, item in _entries(node, "diensten")},
        year=year.integer() if year else None,
        name=optional_text(node, "naam"),
    )


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
    return Group(code, optional_text(node, "naam") or code, centre, members)


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
    waarden = node.req("waarden").mapping()
    for key, raw in waarden.value.items():
        participant = str(key)
        if participant not in known:
            raise waarden.child(raw, participant).error(f"onbekende deelnemer '{participant}'")
        if isinstance(raw, Mapping):
            item = waarden.child(raw, participant)
            values[participant] = {
                str(period): _measure_number(value, item, str(period))
                for period, value in raw.items()
            }
            kinds.add("perioden")
        else:
            values[participant] = _measure_number(raw, waarden, participant)
            kinds.add("getal")
        if len(kinds) > 1:
            raise waarden.child(raw, participant).error(
                "een maat heeft óf één getal per deelnemer óf getallen per periode, niet beide"
            )
    unit = node.value.get("eenheid")  # free text, only used to word explanations
    return Measure(
        name,
        optional_text(node, "omschrijving"),
        values,
        "perioden" in kinds,
        node.path,
        unit=unit if isinstance(unit, str) else "",
    )


def _measure_number(value: object, parent: Node, key: str) -> Decimal:
    """A measure's value (per period). The common case — a non-negative integer or Decimal — is
    read without building a node: a model of 342 municipalities × 12 service lines × 3 years has
    12.000 of them, read again for every variant; anything else goes the careful way for its
    error message."""
    if type(value) is int and value >= 0:
        return Decimal(value)
    if type(value) is Decimal and value.is_finite() and value >= 0:
        return value
    return _measure_value(parent.child(value, key))


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
        optional_text(node, "naam") or code,
        node.req("volume").decimal(),
        node.req("norm").decimal(),
    )
