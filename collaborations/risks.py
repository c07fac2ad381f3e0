"""The risk register's rules, pure Python (no Django, no database): the expected amount of a
risk, the risk profile of a party and the steering regime it sets.

The rule (documented in docs/architecture.md, "Risico's en relatiearrangement"):

* **Expected amount** of a risk = probability class × financial effect, exact to the cent
  (`Decimal`, rounded half up to cents); unknown when the effect is unknown.
* **Risk profile** from two scores of 1–3, added:
  - *belang* (the municipality's financieel belang, the expected end of the year, else the
    start): below € 250.000 → 1, below € 2.500.000 → 2, from € 2.500.000 → 3;
  - *risico* (the sum of the expected amounts): relative to the financieel belang when that is
    above zero — below 1 % → 1, below 5 % → 2, from 5 % → 3 —, else absolute — below € 50.000
    → 1, below € 500.000 → 2, from € 500.000 → 3. A risk with an unknown effect and a
    probability of 50 % or more makes the score at least 2.
  - an unknown belang scores as the risico score (it neither lowers nor raises it).
  Sum 2–3 → laag, 4 → midden, 5–6 → hoog. No risks and no financieel belang: not determined
  (None, "niet bepaald").
* The profile sets the **relatiearrangement** (1 laag, 2 midden, 3 hoog): `ARRANGEMENTS` says
  what the council receives and when.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PROBABILITY_CLASSES = (10, 30, 50, 70, 90)
PROBABILITY_CHOICES = [(p, f"{p}%") for p in PROBABILITY_CLASSES]
CENT = Decimal("0.01")

LAAG, MIDDEN, HOOG = "laag", "midden", "hoog"
PROFILE_LABELS = {LAAG: "Laag", MIDDEN: "Midden", HOOG: "Hoog"}
PROFILE_CHOICES = list(PROFILE_LABELS.items())

# the thresholds of the rule above
INTEREST_STEPS = (Decimal(250_000), Decimal(2_500_000))
RELATIVE_STEPS = (Decimal("0.01"), Decimal("0.05"))
ABSOLUTE_STEPS = (Decimal(50_000), Decimal(500_000))
UNKNOWN_EFFECT_FLOOR_FROM = 50  # a probability from which an unknown effect scores 2 or more


@dataclass(frozen=True)
class Arrangement:
    number: int
    name: str
    council_receives: str
    when: str


ARRANGEMENTS = {
    LAAG: Arrangement(
        1,
        "Relatiearrangement 1 (basis)",
        "De begroting en de jaarrekening van de partij, met de zienswijze van het college; "
        "de paragraaf verbonden partijen.",
        "Bij de begroting (vóór de zienswijze) en bij de jaarrekening.",
    ),
    MIDDEN: Arrangement(
        2,
        "Relatiearrangement 2 (extra informatie)",
        "Als arrangement 1, en een halfjaarlijkse voortgangsrapportage over de financiën, de "
        "risico's en de beheersmaatregelen.",
        "Bij de begroting, bij de jaarrekening en halverwege het jaar (bij de bestuursrapportage).",
    ),
    HOOG: Arrangement(
        3,
        "Relatiearrangement 3 (intensief)",
        "Als arrangement 2, en een kwartaalrapportage, een jaarlijkse bespreking met de raad "
        "en een onderzoek naar de beheersing als de risico's daarom vragen.",
        "Elk kwartaal, bij de begroting en de jaarrekening, en direct bij een wezenlijke "
        "wijziging van een risico.",
    ),
}


def expected_amount(probability: int | None, effect: Decimal | None) -> Decimal | None:
    """probability % × effect, to the cent; None when the effect is unknown."""
    if effect is None or probability is None:
        return None
    return (Decimal(probability) * Decimal(effect) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def total_expected(risks: Iterable[tuple[int, Decimal | None]]) -> Decimal | None:
    """The sum of the known expected amounts of (probability, effect) pairs; None if none."""
    amounts = [a for p, e in risks if (a := expected_amount(p, e)) is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _step(value: Decimal, steps: tuple[Decimal, Decimal]) -> int:
    return 1 if value < steps[0] else 2 if value < steps[1] else 3


def risk_profile(
    risks: Iterable[tuple[int, Decimal | None]], interest: Decimal | None
) -> str | None:
    """laag, midden or hoog from the risks ((probability, effect) pairs, effect None when
    unknown) and the municipality's financieel belang (None when unknown); None when there
    is nothing to judge."""
    risks = list(risks)
    if not risks and interest is None:
        return None
    expected = total_expected(risks) or Decimal(0)
    if interest is not None and interest > 0:
        risk_score = _step(expected / interest, RELATIVE_STEPS)
    else:
        risk_score = _step(expected, ABSOLUTE_STEPS)
    if any(e is None and p >= UNKNOWN_EFFECT_FLOOR_FROM for p, e in risks):
        risk_score = max(risk_score, 2)
    interest_score = risk_score if interest is None else _step(interest, INTEREST_STEPS)
    total = risk_score + interest_score
    return LAAG if total <= 3 else MIDDEN if total == 4 else HOOG


def arrangement(profile: str | None) -> Arrangement | None:
    return ARRANGEMENTS.get(profile) if profile else None
