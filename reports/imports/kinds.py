"""The kinds of import: which resource reads them, its sheet in a workbook, and who may import
them (the permissions of the apps, read once per request)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from collaborations.permissions import User, grants, is_beheerder
from collaborations.resources import KeyedResource
from finance.resources import MoneyResource


def _clerk(user: User) -> bool:
    return is_beheerder(user) or bool(grants(user).get("invoerder:m"))


def _coordinator(user: User) -> bool:
    return is_beheerder(user) or bool(grants(user).get("coordinator:p"))


@dataclass(frozen=True)
class ImportKind:
    slug: str
    label: str  # "Bedragen van de financiële tabellen"
    resource: type[KeyedResource]
    who: str  # who may import it, in words
    allowed: Callable[[User], bool]
    summary: str

    @property
    def title(self) -> str:
        return self.resource.title


# In the order a workbook is applied: partnerships first (the other sheets name them).
KINDS = {
    kind.slug: kind
    for kind in (
        ImportKind(
            "bedragen",
            "Bedragen van de financiële tabellen",
            MoneyResource,
            "de invoerders van de gemeente (Kosten, Baten) en de coördinator van de "
            "samenwerking (de gedeelde tabellen)",
            lambda user: _clerk(user) or _coordinator(user),
            "Begroting, realisatie en begroting volgend jaar per tabel, categorie en jaar.",
        ),
    )
}


def kind_for_sheet(title: str) -> ImportKind | None:
    """The kind a workbook's sheet holds, by its name (case ignored)."""
    wanted = title.strip().casefold()
    for kind in KINDS.values():
        if kind.title.casefold() == wanted:
            return kind
    return None
