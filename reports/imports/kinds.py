"""The kinds of import: which resource reads them, its sheet in a workbook, and who may import
them (the permissions of the apps, read once per request)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from allocation.resources import MeasureResource, ProductionResource
from collaborations.permissions import User, grants, is_beheerder
from collaborations.resources import KeyedResource, PartnershipResource
from finance.resources import MoneyResource, SplitKeyResource


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
            "samenwerkingen",
            "Samenwerkingen met deelnemers",
            PartnershipResource,
            "de beheerder",
            is_beheerder,
            "De gedeelde gegevens van een samenwerking en haar deelnemende gemeenten.",
        ),
        ImportKind(
            "bedragen",
            "Bedragen van de financiële tabellen",
            MoneyResource,
            "de invoerders van de gemeente (Kosten, Baten) en de coördinator van de "
            "samenwerking (de gedeelde tabellen)",
            lambda user: _clerk(user) or _coordinator(user),
            "Begroting, realisatie en begroting volgend jaar per tabel, categorie en jaar.",
        ),
        ImportKind(
            "verdeelsleutel",
            "Verdeelsleutel van de gemeente",
            SplitKeyResource,
            "de invoerders van de gemeente",
            _clerk,
            "De onderdelen van de verdeelsleutel per samenwerking en jaar.",
        ),
        ImportKind(
            "maten",
            "Maten voor het verdeelmodel",
            MeasureResource,
            "de coördinator van de samenwerking",
            _coordinator,
            "Inwoners, objectieve budgetten en andere maten per gemeente en jaar.",
        ),
        ImportKind(
            "productie",
            "Productieaantallen per dienst en periode",
            ProductionResource,
            "de coördinator van de samenwerking",
            _coordinator,
            "Aantallen per dienst, gemeente en periode (2016, 2016-K1) voor het verdeelmodel.",
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
