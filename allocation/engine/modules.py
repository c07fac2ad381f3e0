"""*Modules*: a partnership with a basic package and extra modules, each with its own
participants and key.

Each module is an ordinary ``verdeelmodel/1`` definition with its own ``deelnemers``, run on its
own; ``allocate_modules`` puts the results side by side: per participant its amount in every
module (``None`` where it does not take part, which is not the same as 0), its total over the
modules, and the total per module. A document of format ``verdeelmodel-modules/1`` holds the
modules together (``docs/allocation-format.md``, section 15).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

from . import _json
from ._reader import Node, optional_text
from .definition import parse_definition
from .engine import allocate
from .errors import DefinitionError
from .model import Definition
from .result import AllocationResult
from .rounding import ENGINE_CONTEXT, ZERO

MODULES_FORMAT = "verdeelmodel-modules/1"


@dataclass(frozen=True)
class ModuleRun:
    """One module (``basis``, ``jeugd``, ...) and the engine's result for it."""

    code: str
    name: str
    result: AllocationResult


@dataclass(frozen=True)
class ModuleDefinition:
    """One module of a ``verdeelmodel-modules/1`` document, not yet run."""

    code: str
    name: str
    definition: Definition
    description: str = ""


@dataclass(frozen=True)
class ModuleTotals:
    """The modules side by side.

    ``amounts[participant][module]`` is the rounded amount, or ``None`` when the participant does
    not take part in that module; ``totals`` per participant over the modules it takes part in;
    ``module_totals`` per module code; ``total`` over everything.
    """

    modules: tuple[ModuleRun, ...]
    participants: tuple[str, ...]
    amounts: Mapping[str, Mapping[str, Decimal | None]]
    totals: Mapping[str, Decimal]
    module_totals: Mapping[str, Decimal]
    total: Decimal

    def amount(self, participant: str, module: str) -> Decimal | None:
        return self.amounts[participant][module]

    def modules_of(self, participant: str) -> tuple[str, ...]:
        """The codes of the modules ``participant`` takes part in."""
        return tuple(code for code, value in self.amounts[participant].items() if value is not None)


def allocate_modules(modules: Sequence[ModuleRun]) -> ModuleTotals:
    """Combine the results of separately run modules (codes must be unique).

    Participants are listed in order of first appearance, so those of the first module (the
    basic package) come first.
    """
    runs = tuple(modules)
    if not runs:
        raise DefinitionError("geef minstens één module", "modules")
    codes: list[str] = []
    for position, run in enumerate(runs):
        if not isinstance(run, ModuleRun):
            raise DefinitionError("verwacht een ModuleRun", f"modules[{position}]")
        if not isinstance(run.code, str) or not run.code.strip():
            raise DefinitionError("een module heeft een code nodig", f"modules[{position}].code")
        if run.code in codes:
            raise DefinitionError(
                f"module '{run.code}' komt twee keer voor", f"modules[{position}].code"
            )
        codes.append(run.code)
    participants = tuple(dict.fromkeys(p.name for run in runs for p in run.result.participants))
    per_module = {run.code: run.result.amounts() for run in runs}
    amounts = {name: {code: per_module[code].get(name) for code in codes} for name in participants}
    with localcontext(ENGINE_CONTEXT):
        totals = {
            name: sum((value for value in row.values() if value is not None), ZERO)
            for name, row in amounts.items()
        }
        module_totals = {run.code: run.result.total for run in runs}
        total = sum(module_totals.values(), ZERO)
    return ModuleTotals(runs, participants, amounts, totals, module_totals, total)


def run_modules(modules: Sequence[ModuleDefinition]) -> ModuleTotals:
    """Run every module's definition and combine the results."""
    return allocate_modules(
        [ModuleRun(module.code, module.name, allocate(module.definition)) for module in modules]
    )


def parse_modules(document: object, *, base_dir: Path | None = None) -> list[ModuleDefinition]:
    """The modules of a ``verdeelmodel-modules/1`` document, each definition parsed.

    A module's ``definitie`` is a ``verdeelmodel/1`` object or the name of a definition file
    (resolved against ``base_dir``, default the current directory); errors in it carry the path
    ``modules[n].definitie…``.
    """
    base = base_dir or Path.cwd()
    root = Node(document).obj(
        required=("formaat", "modules"), optional=("naam", "omschrijving", "toelichting", "bron")
    )
    version = root.req("formaat").text()
    if version != MODULES_FORMAT:
        raise root.req("formaat").error(
            f"onbekend formaat '{version}'; verwacht '{MODULES_FORMAT}'"
        )
    items = root.req("modules").items()
    if not items:
        raise root.req("modules").error("geef minstens één module")
    modules: list[ModuleDefinition] = []
    for item in items:
        item.obj(required=("code", "definitie"), optional=("naam", "omschrijving"))
        code_node = item.req("code")
        code = code_node.text()
        if any(module.code == code for module in modules):
            raise code_node.error(f"module '{code}' komt twee keer voor")
        modules.append(
            ModuleDefinition(
                code=code,
                name=optional_text(item, "naam") or code,
                definition=_definition(item.req("definitie"), base),
                description=optional_text(item, "omschrijving"),
            )
        )
    return modules


def load_modules_file(path: str | Path) -> list[ModuleDefinition]:
    """Parse a modules document from a file; definition and ``invoer`` files next to it."""
    path = Path(path)
    return parse_modules(_json.load_file(path), base_dir=path.parent)


def _definition(node: Node, base_dir: Path) -> Definition:
    try:
        if isinstance(node.value, str):
            path = base_dir / node.text()
            data: Any = _json.load_file(path)
            return parse_definition(data, base_dir=path.parent)
        node.mapping()
        return parse_definition(node.value, base_dir=base_dir)
    except DefinitionError as error:
        if error.path == node.path:  # raised for ``node`` itself
            raise
        raise DefinitionError(error.message, _under(node.path, error.path)) from None


def _under(prefix: str, path: str) -> str:
    if not path:
        return prefix
    return f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}"
