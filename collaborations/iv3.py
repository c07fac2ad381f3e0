"""The Iv3 taakvelden (codes and names, from `data/iv3_taakvelden.json`) and the default
economic category of a contribution. Pure: reads the project's data file once, no database."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "iv3_taakvelden.json"

# the partnership's form (`Partnership.vorm`'s code) → the economic category of a contribution
CATEGORY_BY_FORM = {
    "openbaar-lichaam": "4.3.3",
    "bedrijfsvoeringsorganisatie": "4.3.3",
    "centrumgemeente": "4.3.2",
}


@cache
def taakvelden() -> dict[str, str]:
    """code → name, in the list's order (0.1 Bestuur … 8.3 Wonen en bouwen)."""
    rows = json.loads(DATA_FILE.read_text(encoding="utf-8"))["taakvelden"]
    return {code: name for code, name in rows}


def taakveld_label(code: str) -> str:
    """ "1.1 Crisisbeheersing en brandweer"; an unknown code as it is."""
    name = taakvelden().get(code)
    return f"{code} {name}" if name else code


def taakveld_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in taakvelden().items()]


def default_category(form_code: str | None) -> str:
    """4.3.3 for an openbaar lichaam or bedrijfsvoeringsorganisatie, 4.3.2 for a
    centrumgemeente construction, "" (no default) for any other form."""
    return CATEGORY_BY_FORM.get(form_code or "", "")


def sort_key(code: str) -> tuple[int, int]:
    """Taakveld codes in the list's order (0.10 after 0.9); unknown codes last."""
    order = list(taakvelden())
    return (order.index(code), 0) if code in order else (len(order), 0)
