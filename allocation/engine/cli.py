"""Helpers for command-line use (no Django): load a definition, run it, show or export the result.

``manage.py allocate`` wraps these; they work just as well from a plain script.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from core.formatting import format_money

from . import _json
from .definition import parse_definition
from .engine import allocate
from .model import Definition
from .result import AllocationResult, RoundingTrail, StepResult
from .rounding import CENT, ENGINE_CONTEXT, ONE, ZERO, round_half_up

RESULT_FORMAT = "verdeelmodel-resultaat/1"


# --- loading ----------------------------------------------------------------------------------


def read_document(path: str | Path) -> Any:
    """Read a JSON file exactly (numbers with a fraction become Decimal); DefinitionError if the
    file cannot be read or is not valid JSON. Useful for ``invoer.json`` and stored models."""
    return _json.load_file(Path(path))


def load_definition_text(text: str, *, base_dir: Path | None = None) -> Definition:
    """Parse and validate a definition from JSON text (e.g. read from stdin).

    A file named in ``invoer`` is resolved against ``base_dir`` (default: current directory).
    Invalid JSON raises DefinitionError with the line and column.
    """
    return parse_definition(_json.loads(text), base_dir=base_dir)


def load_definition_file(path: str | Path) -> Definition:
    """Parse and validate a definition file; ``invoer`` may name a file next to it."""
    path = Path(path)
    return parse_definition(_json.load_file(path), base_dir=path.parent)


def load_definition(
    source: str | Path | Mapping[str, Any], *, base_dir: Path | None = None
) -> Definition:
    """Load from a parsed document, a path, or JSON text (a string starting with ``{``)."""
    if isinstance(source, Mapping):
        return parse_definition(source, base_dir=base_dir)
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return load_definition_text(source, base_dir=base_dir)
    return load_definition_file(source)


def run(source: str | Path | Mapping[str, Any]) -> AllocationResult:
    """Load a definition and run it."""
    return allocate(load_definition(source))


# --- JSON -------------------------------------------------------------------------------------


def money(amount: Decimal, unit: Decimal = CENT) -> str:
    """An amount as a decimal string with (at least) cents: ``"1275000.00"``."""
    rounded = amount.quantize(min(unit, CENT))
    return str(rounded if rounded else rounded.copy_abs())


def exact(value: Decimal) -> str:
    """An unrounded value as a plain decimal string without trailing zeros."""
    text = f"{value if value else value.copy_abs():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def result_to_dict(result: AllocationResult) -> dict[str, Any]:
    """The result as JSON-able data; amounts are decimal strings (see docs/allocation-format.md)."""
    with localcontext(ENGINE_CONTEXT):
        return _result_to_dict(result)


def _result_to_dict(result: AllocationResult) -> dict[str, Any]:
    unit = result.unit
    return {
        "formaat": RESULT_FORMAT,
        "code": result.code,
        "name": result.name,
        "year": result.year,
        "unit": exact(unit),
        "components": list(result.components),
        "participants": [
            {
                "name": p.name,
                "group": p.group,
                "amount": money(p.amount, unit),
                "components": _components(p.components),
                "exact": exact(p.exact_total),
            }
            for p in result.participants
        ],
        "groups": [
            {
                "code": g.code,
                "name": g.name,
                "centre": g.centre,
                "members": list(g.members),
                "amount": money(g.amount, unit),
                "components": _components(g.components),
                "exact": exact(g.exact_total),
            }
            for g in result.groups
        ],
        "total": money(result.total, unit),
        "exact_total": exact(result.exact_total),
        "rounding": _rounding(result.rounding),
        "trail": [_step(step) for step in result.steps],
    }


def result_to_json(result: AllocationResult, indent: int | None = 2) -> str:
    return json.dumps(result_to_dict(result), ensure_ascii=False, indent=indent)


def _components(components: Mapping[str, Decimal]) -> dict[str, str]:
    return {name: money(round_half_up(value, CENT)) for name, value in components.items()}


def _rounding(trail: RoundingTrail | None) -> dict[str, Any] | None:
    if trail is None:
        return None
    return {
        "rule": trail.rule,
        "wholes": [
            {"group": group, "exact": exact(before), "rounded": exact(after)}
            for group, before, after in trail.wholes
        ],
        "receivers": list(trail.receivers),
        "rounded": {target: exact(value) for target, value in trail.rounded.items()},
    }


def _step(step: StepResult) -> dict[str, Any]:
    return {
        "step": step.id,
        "kind": step.kind,
        "description": step.description,
        "level": step.level,
        "component": step.component,
        "lines": [
            {
                "target": line.target,
                "base": exact(line.base),
                "key": line.key,
                "share": exact(line.share),
                "amount": exact(line.amount),
                "detail": line.detail,
            }
            for line in step.lines
        ],
        "amounts": {target: exact(value) for target, value in step.amounts.items()},
        "rounding": _rounding(step.rounding),
    }


# --- plain-text table -------------------------------------------------------------------------


def format_euro(amount: Decimal, decimals: int = 0) -> str:
    """Dutch notation: ``€ 1.281.406`` or, with decimals, ``€ 1.281.406,00``."""
    with localcontext(ENGINE_CONTEXT):
        return format_money(amount, decimals)


def render_table(result: AllocationResult) -> str:
    """A readable table: per participant the components and the (rounded) amount, per group a
    subtotal, and the total."""
    with localcontext(ENGINE_CONTEXT):
        return _render_table(result)


def _render_table(result: AllocationResult) -> str:
    decimals = 0 if result.unit >= ONE else 2
    headers = ["Deelnemer", "Groep", *result.components, "Bedrag"]
    rows: list[list[str]] = []

    def row(label: str, group: str, components: Mapping[str, Decimal], amount: Decimal) -> None:
        parts = [format_euro(components.get(c, ZERO)) for c in result.components]
        rows.append([label, group, *parts, format_euro(amount, decimals)])

    for group in result.groups:
        for name in group.members:
            p = result.participant(name)
            row(p.name, group.code, p.components, p.amount)
        row(f"Subtotaal {group.code}", "", group.components, group.amount)
        rows.append([])
    ungrouped = [p for p in result.participants if p.group is None]
    for p in ungrouped:
        row(p.name, "", p.components, p.amount)
    totals = {
        c: sum((p.components.get(c, ZERO) for p in result.participants), ZERO)
        for c in result.components
    }
    row("Totaal", "", totals, result.total)

    widths = [max(len(r[i]) for r in [headers, *rows] if r) for i in range(len(headers))]

    def line(cells: list[str]) -> str:
        left = [cells[i].ljust(widths[i]) for i in range(2)]
        right = [cells[i].rjust(widths[i]) for i in range(2, len(cells))]
        return "  ".join(left + right).rstrip()

    title = " — ".join(part for part in (result.name or "Verdeling", result.code) if part)
    if result.year:
        title += f" ({result.year})"
    out = [title, f"Afronding: {result.rounding.rule}", "", line(headers)]
    out.append("  ".join("-" * width for width in widths))
    out += [line(r) if r else "" for r in rows]
    return "\n".join(out).rstrip() + "\n"
