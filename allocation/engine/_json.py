"""Parsing JSON text exactly (numbers with a fraction become Decimal) with Dutch error messages."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from .errors import DefinitionError

_REASONS = {
    "Expecting value": "waarde verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Expecting property name enclosed in double quotes": (
        "veldnaam tussen dubbele aanhalingstekens verwacht"
    ),
    "Unterminated string starting at": "tekst zonder afsluitend aanhalingsteken",
    "Invalid control character at": "ongeldig stuurteken in tekst",
    "Invalid \\escape": "ongeldige escape in tekst",
    "Extra data": "extra tekens na het einde van het document",
    "Illegal trailing comma before end of object": "komma voor het einde van een object",
    "Illegal trailing comma before end of array": "komma voor het einde van een lijst",
}


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def loads(text: str, source: str = "") -> Any:
    """Parse JSON text; non-integers become ``Decimal``. Raises DefinitionError (Dutch)."""
    where = f" in {source}" if source else ""
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        reason = _REASONS.get(error.msg, error.msg)
        raise DefinitionError(
            f"ongeldige JSON{where}: {reason} op regel {error.lineno}, kolom {error.colno} "
            f"(teken {error.pos})"
        ) from None
    except ValueError as error:
        raise DefinitionError(f"ongeldige JSON{where}: '{error}' is geen geldig getal") from None


def load_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DefinitionError(
            f"bestand '{path}' kan niet worden gelezen ({error.strerror})"
        ) from None
    except UnicodeDecodeError:
        raise DefinitionError(f"bestand '{path}' is geen UTF-8-tekst") from None
    return loads(text, path.name)
