"""The view-model of the *paragraaf verbonden partijen* (BBV art. 15), pure: it reads no
database. `reports.selectors.paragraph` gathers the published versions; this module groups the
parties in the four BBV groups and computes the totals the council reads (per group, per Iv3
taakveld, the expected risk amounts for the weerstandsvermogen).

Only adopted, published versions go in: a party without one for the year is listed in its group
as *nog niet gepubliceerd*, with no figures. Unknown amounts stay unknown: a total counts only
the known amounts and says how many were missing, never treating "niet ingevuld" as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from collaborations import iv3
from finance.money import Cell

# The four groups of BBV art. 15 / the NVvR format, in this order; codes of the BBV vocabulary.
GROUPS: list[tuple[str, str]] = [
    ("gemeenschappelijke-regeling", "Gemeenschappelijke regelingen"),
    ("vennootschap-cooperatie", "Vennootschappen en coöperaties"),
    ("stichting-vereniging", "Stichtingen en verenigingen"),
    ("overige", "Overige verbonden partijen"),
]
OTHER = "overige"  # a party without a BBV category is counted here, and marked as such
NO_TAAKVELD = "Geen taakveld gekozen"


@dataclass
class Party:
    """One verbonden partij in the paragraph: its published version, or none."""

    name: str
    afkorting: str
    slug: str
    vorm: str
    vestigingsplaats: str
    group: str
    group_assumed: bool  # no BBV category recorded: placed under *overige*
    year: int
    version_number: int | None = None
    adopted_at: datetime | None = None
    published_at: datetime | None = None
    public_interest: str = ""  # beoogd (begroting) or feitelijk (jaarstukken) kern
    # the Kosten TOTAAL as published: a finance.money.Cell (amount, n.v.t. or not filled in)
    contribution_budget: Cell | Decimal | None = None
    contribution_actual: Cell | Decimal | None = None
    bbv: object = None  # reports.bbv.BbvView
    risks: list = field(default_factory=list)  # [reports.bbv.RiskView]
    risk_profile: object = None  # reports.bbv.RiskProfile

    @property
    def published(self) -> bool:
        return self.version_number is not None

    @property
    def idp(self) -> str:
        """Keeps element ids unique when every party shares one page."""
        return f"vp-{self.slug}-"


@dataclass
class Total:
    """A sum of known amounts; `missing` counts the parties whose amount is not known."""

    amount: Decimal | None = None
    missing: int = 0

    def add(self, value: Cell | Decimal | None) -> None:
        """Add an amount; not filled in counts as missing, n.v.t. as neither."""
        if isinstance(value, Cell):
            if value.amount is None:
                self.missing += 0 if value.not_applicable else 1
                return
            value = value.amount
        if value is None:
            self.missing += 1
        else:
            self.amount = (self.amount or Decimal(0)) + value


@dataclass
class Group:
    code: str
    label: str
    parties: list[Party] = field(default_factory=list)
    budget: Total = field(default_factory=Total)
    actual: Total = field(default_factory=Total)


@dataclass
class TaakveldRow:
    code: str
    label: str
    category: str
    parties: list[str] = field(default_factory=list)
    budget: Total = field(default_factory=Total)
    actual: Total = field(default_factory=Total)


@dataclass
class RiskRow:
    party: Party
    count: int
    expected: Decimal | None
    unknown_effects: int


@dataclass
class Paragraph:
    municipality: object
    year: int
    edition: str  # reports.models.Edition
    edition_label: str
    policy_text: str
    policy_published_at: datetime | None
    groups: list[Group]
    budget: Total
    actual: Total
    taakvelden: list[TaakveldRow]
    risks: list[RiskRow]
    risk_total: Total

    @property
    def parties(self) -> list[Party]:
        return [p for g in self.groups for p in g.parties]

    @property
    def published_parties(self) -> list[Party]:
        return [p for p in self.parties if p.published]

    @property
    def unpublished_parties(self) -> list[Party]:
        return [p for p in self.parties if not p.published]

    @property
    def jaarstukken(self) -> bool:
        return self.edition == "jaarstukken"


def build(
    *,
    municipality,
    year: int,
    edition: str,
    edition_label: str,
    parties: list[Party],
    policy_text: str = "",
    policy_published_at: datetime | None = None,
) -> Paragraph:
    """Group the parties (by name within a group) and add everything up."""
    groups = {code: Group(code, label) for code, label in GROUPS}
    budget, actual = Total(), Total()
    taakvelden: dict[tuple[str, str], TaakveldRow] = {}
    risk_rows, risk_total = [], Total()
    for party in sorted(parties, key=lambda p: p.name.casefold()):
        group = groups.get(party.group) or groups[OTHER]
        group.parties.append(party)
        if not party.published:
            continue
        for total in (group.budget, budget):
            total.add(party.contribution_budget)
        for total in (group.actual, actual):
            total.add(party.contribution_actual)
        code = party.bbv.taakveld if party.bbv else ""
        category = party.bbv.economische_categorie if party.bbv else ""
        row = taakvelden.setdefault(
            (code, category),
            TaakveldRow(code, party.bbv.taakveld_label if code else NO_TAAKVELD, category),
        )
        row.parties.append(party.afkorting or party.name)
        row.budget.add(party.contribution_budget)
        row.actual.add(party.contribution_actual)
        if party.risks:
            expected = party.risk_profile.total_expected if party.risk_profile else None
            unknown = sum(1 for r in party.risks if r.expected_amount is None)
            risk_rows.append(RiskRow(party, len(party.risks), expected, unknown))
            risk_total.add(expected)
    ordered = sorted(
        taakvelden.values(), key=lambda r: (r.code == "", iv3.sort_key(r.code), r.category)
    )
    return Paragraph(
        municipality=municipality,
        year=year,
        edition=edition,
        edition_label=edition_label,
        policy_text=policy_text,
        policy_published_at=policy_published_at,
        groups=list(groups.values()),
        budget=budget,
        actual=actual,
        taakvelden=ordered,
        risks=risk_rows,
        risk_total=risk_total,
    )
