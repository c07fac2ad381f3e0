"""Find a municipality by CBS code or name, the way spreadsheets and CBS files name them.

Imports key their rows on a municipality as people and CBS write it (`GM0983`, `0983`, `983`,
`Venlo`, `sudwest-fryslan`), never on a database id. A municipality that has merged is refused
with its successor named, so a figure never lands on a municipality that no longer exists; the
mergers come from `data/gemeentelijke_herindelingen.json` (CBS, 2015–2023).
"""

import difflib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

from .deadlines import format_date

if TYPE_CHECKING:  # the parsers import the pure helpers before the app registry is ready
    from .models import Municipality

__all__ = [
    "Merger",
    "MunicipalityFinder",
    "find_municipality",
    "mergers",
    "normalise_code",
    "normalise_name",
]

HERINDELINGEN = Path(__file__).resolve().parent / "data" / "gemeentelijke_herindelingen.json"

_CODE = re.compile(r"^(?:GM)?\s*(\d{1,4})$", re.IGNORECASE)


@dataclass(frozen=True)
class Merger:
    """A municipality that ceased to exist on `date` and went into `successors` (code, name)."""

    cbs_code: str
    name: str
    date: date
    successors: tuple[tuple[str, str], ...]

    def applies_to(self, year: int | None) -> bool:
        """True when figures of `year` can no longer be about this municipality (None: today)."""
        return year is None or date(year, 1, 1) >= self.date

    def message(self) -> str:
        """Rijnwaarden is op 1 januari 2018 opgegaan in Zevenaar; gebruik Zevenaar (GM0299)."""
        when = format_date(self.date)
        if len(self.successors) == 1:
            code, name = self.successors[0]
            return f"{self.name} is op {when} opgegaan in {name}; gebruik {name} ({code})."
        names = [f"{name} ({code})" for code, name in self.successors]
        listed = ", ".join(names[:-1]) + " en " + names[-1]
        return (
            f"{self.name} is op {when} verdeeld over {listed}; gebruik de gemeente waar het "
            "gebied nu onder valt."
        )


def normalise_code(key: str) -> str | None:
    """`GM0983`, `gm983`, `0983` and `983` all give `GM0983`; anything else None."""
    match = _CODE.match(key.strip())
    return f"GM{int(match.group(1)):04d}" if match else None


def normalise_name(text: str) -> str:
    """Ignores case, accents, punctuation, spacing: `Súdwest-Fryslân` = `sudwest fryslan`."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^\w]+", " ", plain.casefold()).split())


@lru_cache(maxsize=1)
def mergers() -> tuple[Merger, ...]:
    """Every merger in the project's data file (read once per process)."""
    rows = json.loads(HERINDELINGEN.read_text(encoding="utf-8"))["herindelingen"]
    return tuple(
        Merger(
            cbs_code=row["cbs_code"],
            name=row["naam"],
            date=date.fromisoformat(row["datum"]),
            successors=tuple((part["cbs_code"], part["naam"]) for part in row["opgegaan_in"]),
        )
        for row in rows
    )


class MunicipalityFinder:
    """Looks up many keys against the municipalities read once (one query), as an import needs."""

    def __init__(self, municipalities: "Iterable[Municipality] | None" = None) -> None:
        from .selectors import municipality_choices

        found = list(municipality_choices() if municipalities is None else municipalities)
        self._by_code = {m.cbs_code.upper(): m for m in found}
        self._by_name = {normalise_name(m.name): m for m in found}
        self._merged_by_code = {merger.cbs_code: merger for merger in mergers()}
        self._merged_by_name = {normalise_name(merger.name): merger for merger in mergers()}

    @property
    def municipalities(self) -> "list[Municipality]":
        """Every municipality of the dashboard, by name."""
        return sorted(self._by_code.values(), key=lambda m: m.name)

    def merged(self, municipality: "Municipality", year: int | None = None) -> bool:
        """True when `municipality` no longer existed in `year` (None: today)."""
        merger = self._merged_by_code.get(municipality.cbs_code.upper())
        return merger is not None and merger.applies_to(year)

    def find(self, key: str, *, year: int | None = None) -> "Municipality":
        """The municipality `key` names, or a ValidationError in Dutch.

        `year` is the year the figures are about: figures of Rijnwaarden for 2017 are fine while
        Rijnwaarden is in the database, for 2018 (or without a year) they are refused.
        """
        text = " ".join(str(key or "").split())
        if not text:
            raise ValidationError(
                "Geen gemeente opgegeven: vul een CBS-code (zoals GM0983) of een naam in.",
                code="empty",
            )
        code = normalise_code(text)
        if code is not None:
            found = self._by_code.get(code)
            merger = self._merged_by_code.get(code)
        else:
            found = self._by_name.get(normalise_name(text))
            merger = (
                self._merged_by_code.get(found.cbs_code.upper())
                if found
                else self._merged_by_name.get(normalise_name(text))
            )
        if merger is not None and (found is None or merger.applies_to(year)):
            raise ValidationError(
                merger.message(),
                code="merged",
                params={"name": merger.name, "cbs_code": merger.cbs_code},
            )
        if found is not None:
            return found
        raise ValidationError(self._unknown(text, code), code="unknown")

    def suggest(self, name: str) -> "Municipality | None":
        """The one municipality whose name is close to `name` (difflib), for "bedoelt u …?"."""
        close = difflib.get_close_matches(normalise_name(name), self._by_name, n=1, cutoff=0.75)
        return self._by_name[close[0]] if close else None

    def _unknown(self, text: str, code: str | None) -> str:
        if code is not None:
            return f"Er is geen gemeente met CBS-code {code} in het dashboard."
        message = f"Onbekende gemeente '{text}'"
        municipality = self.suggest(text)
        if municipality is not None:
            return f"{message}; bedoelt u {municipality.name} ({municipality.cbs_code})?"
        return f"{message}: gebruik de naam of de CBS-code (zoals GM0983)."


def find_municipality(key: str, *, year: int | None = None) -> "Municipality":
    """The municipality named by CBS code (GM0983, 0983, 983) or name; see MunicipalityFinder."""
    return MunicipalityFinder().find(key, year=year)
