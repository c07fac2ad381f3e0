"""The allocation engine (*verdeelmodel*): how a partnership's costs are split over its
participants. Plain Python, exact ``Decimal`` arithmetic, no Django.

Typical use::

    from allocation.engine import allocate, load_definition_file, render_table

    result = allocate(load_definition_file(DATA_DIR / "vt2018" / "A.json"))
    print(render_table(result))

The JSON format of a definition is documented in ``docs/allocation-format.md``.
"""

from pathlib import Path

from .cli import (
    format_euro,
    load_definition,
    load_definition_file,
    load_definition_text,
    read_document,
    render_table,
    result_to_dict,
    result_to_json,
    run,
)
from .definition import build_definition, parse_definition, parse_inputs
from .engine import allocate
from .errors import DefinitionError
from .exit import (
    ExitEffect,
    ExitLine,
    ExitMethod,
    ExitParticipantEffect,
    exit_effect,
    without_participant,
)
from .indexation import (
    Indexation,
    IndexComponent,
    IndexContribution,
    IndexSeries,
    index_budget,
    index_series,
)
from .model import FORMAT, INPUTS_FORMAT, Definition, Inputs
from .modules import (
    MODULES_FORMAT,
    ModuleDefinition,
    ModuleRun,
    ModuleTotals,
    allocate_modules,
    load_modules_file,
    parse_modules,
    run_modules,
)
from .phasein import PhaseIn, PhaseInYear, phase_in
from .result import (
    AllocationResult,
    GroupResult,
    ParticipantResult,
    RoundingTrail,
    StepResult,
    TrailLine,
)
from .rounding import distribute, round_half_up, round_in_steps
from .settlement import ResultSettlement, settle, settle_result

#: The project's own data: ``vt2018/<variant>.json`` definitions, ``vt2018/invoer.json`` and
#: ``vt2018_published.json`` (published figures used as test expectations).
DATA_DIR = Path(__file__).resolve().parent / "data"

#: The Veilig Thuis Gelderland-Midden 2018 variants, in the report's order.
VT2018_VARIANTS = ("A", "A-jeugd", "B", "C1", "C2")

__all__ = [
    "DATA_DIR",
    "FORMAT",
    "INPUTS_FORMAT",
    "MODULES_FORMAT",
    "VT2018_VARIANTS",
    "AllocationResult",
    "Definition",
    "DefinitionError",
    "ExitEffect",
    "ExitLine",
    "ExitMethod",
    "ExitParticipantEffect",
    "GroupResult",
    "IndexComponent",
    "IndexContribution",
    "IndexSeries",
    "Indexation",
    "Inputs",
    "ModuleDefinition",
    "ModuleRun",
    "ModuleTotals",
    "ParticipantResult",
    "PhaseIn",
    "PhaseInYear",
    "ResultSettlement",
    "RoundingTrail",
    "StepResult",
    "TrailLine",
    "allocate",
    "allocate_modules",
    "build_definition",
    "distribute",
    "exit_effect",
    "format_euro",
    "index_budget",
    "index_series",
    "load_definition",
    "load_definition_file",
    "load_definition_text",
    "load_modules_file",
    "parse_definition",
    "parse_inputs",
    "parse_modules",
    "phase_in",
    "read_document",
    "render_table",
    "result_to_dict",
    "result_to_json",
    "round_half_up",
    "round_in_steps",
    "run",
    "run_modules",
    "settle",
    "settle_result",
    "without_participant",
]
