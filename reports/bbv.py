"""The view-model of a year's BBV figures and risk register, pure (reads no database): built
from the working records (`from_record`) or from a published version's snapshot
(`from_snapshot`), so the year page, the PDF and the paragraph render both alike.

The year context (`reports.selectors.year.year_context`, `working_context`, `version_context`
and `snapshot.thaw`) holds three keys:

* ``bbv`` — a `BbvView` (never None when the year has a record; all *niet ingevuld* for a
  version published before the BBV figures existed):
  ``bestuurlijk_belang_begin``, ``bestuurlijk_belang_eind`` (text);
  ``financieel_belang_begin``, ``financieel_belang_eind``, ``eigen_vermogen_begin``,
  ``eigen_vermogen_eind``, ``vreemd_vermogen_begin``, ``vreemd_vermogen_eind``,
  ``resultaat`` (each a `finance.money.Cell`: ``.amount`` Decimal or None, ``.state``
  "ingevuld" / "nvt" / "leeg"); ``ontwikkelingen``, ``programma`` (text); ``taakveld`` (code,
  "" when not chosen) and ``taakveld_label`` ("1.1 Crisisbeheersing en brandweer");
  ``economische_categorie`` (the code in force, "4.3.3", "4.3.2" or ""),
  ``economische_categorie_label`` and ``economische_categorie_afgeleid`` (True: derived from the
  partnership's form, not chosen); ``interest`` (the financieel belang the risk profile uses:
  the end of the year, else the start; Decimal or None); ``filled`` (anything entered);
  ``amounts`` ((label, Cell) pairs in order).
* ``risks`` — a list of `RiskView`: ``omschrijving``, ``kans`` (10/30/50/70/90),
  ``kans_label`` ("30%"), ``effect`` (Decimal or None: unknown), ``maatregelen``,
  ``expected_amount`` (kans × effect to the cent, None when the effect is unknown).
* ``risk_profile`` — a `RiskProfile`: ``code`` ("laag", "midden", "hoog" or None: niet
  bepaald), ``label`` ("Laag" … "Niet bepaald"), ``total_expected`` (the sum of the known
  expected amounts, Decimal or None), ``arrangement`` (`collaborations.risks.Arrangement` or
  None: ``number`` 1–3, ``name``, ``council_receives``, ``when``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from collaborations import iv3, risks
from collaborations.models import BbvFigures
from collaborations.models.bbv import BBV_AMOUNTS, EconomicCategory
from finance.money import EMPTY, Cell

TEXTS = ("bestuurlijk_belang_begin", "bestuurlijk_belang_eind", "ontwikkelingen", "programma")


@dataclass
class BbvView:
    bestuurlijk_belang_begin: str = ""
    bestuurlijk_belang_eind: str = ""
    financieel_belang_begin: Cell = EMPTY
    financieel_belang_eind: Cell = EMPTY
    eigen_vermogen_begin: Cell = EMPTY
    eigen_vermogen_eind: Cell = EMPTY
    vreemd_vermogen_begin: Cell = EMPTY
    vreemd_vermogen_eind: Cell = EMPTY
    resultaat: Cell = EMPTY
    ontwikkelingen: str = ""
    programma: str = ""
    taakveld: str = ""
    chosen_category: str = ""  # as entered; "" derives it from the form
    default_category: str = ""

    @property
    def taakveld_label(self) -> str:
        return iv3.taakveld_label(self.taakveld) if self.taakveld else ""

    @property
    def economische_categorie(self) -> str:
        return self.chosen_category or self.default_category

    @property
    def economische_categorie_afgeleid(self) -> bool:
        return not self.chosen_category and bool(self.default_category)

    @property
    def economische_categorie_label(self) -> str:
        code = self.economische_categorie
        return EconomicCategory(code).label if code in EconomicCategory.values else code

    @property
    def amounts(self) -> list[tuple[str, Cell]]:
        return [(label, getattr(self, name)) for name, label in BBV_AMOUNTS]

    @property
    def interest(self) -> Decimal | None:
        end, start = self.financieel_belang_eind, self.financieel_belang_begin
        return end.amount if end.amount is not None else start.amount

    @property
    def filled(self) -> bool:
        return (
            any(getattr(self, name) for name in TEXTS)
            or bool(self.taakveld or self.chosen_category)
            or any(cell.state != "leeg" for _, cell in self.amounts)
        )


@dataclass
class RiskView:
    omschrijving: str
    kans: int
    effect: Decimal | None = None
    maatregelen: str = ""

    @property
    def kans_label(self) -> str:
        return f"{self.kans}%"

    @property
    def expected_amount(self) -> Decimal | None:
        return risks.expected_amount(self.kans, self.effect)


@dataclass
class RiskProfile:
    code: str | None
    total_expected: Decimal | None = None
    arrangement: risks.Arrangement | None = field(default=None)

    @property
    def label(self) -> str:
        return risks.PROFILE_LABELS.get(self.code or "", "Niet bepaald")


def profile_of(bbv: BbvView, risk_list: list[RiskView], code: str | None = "") -> RiskProfile:
    """The profile computed from the figures, or `code` as frozen in a version."""
    pairs = [(r.kans, r.effect) for r in risk_list]
    if code == "":
        code = risks.risk_profile(pairs, bbv.interest)
    return RiskProfile(
        code=code, total_expected=risks.total_expected(pairs), arrangement=risks.arrangement(code)
    )


def _form_code(participation) -> str:
    vorm = participation.partnership.vorm
    return vorm.code if vorm else ""


def from_record(record, participation) -> tuple[BbvView, list[RiskView], RiskProfile]:
    """From the working data (`record.bbv`, `record.risks`, loaded by the selector)."""
    default = iv3.default_category(_form_code(participation))
    try:
        figures = record.bbv
    except BbvFigures.DoesNotExist:
        figures = None
    bbv = BbvView(default_category=default)
    if figures is not None:
        for name in TEXTS:
            setattr(bbv, name, getattr(figures, name))
        for name, _ in BBV_AMOUNTS:
            setattr(
                bbv,
                name,
                Cell(amount=getattr(figures, name), not_applicable=getattr(figures, f"{name}_nvt")),
            )
        bbv.taakveld = figures.taakveld
        bbv.chosen_category = figures.economische_categorie
    risk_list = [
        RiskView(
            omschrijving=r.omschrijving, kans=r.kans, effect=r.effect, maatregelen=r.maatregelen
        )
        for r in record.risks.all()
    ]
    return bbv, risk_list, profile_of(bbv, risk_list)


def _d(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _D(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def freeze(bbv: BbvView, risk_list: list[RiskView], profile: RiskProfile) -> dict:
    """The snapshot's part: {"bbv": …, "risks": […], "risk_profile": code}."""
    return {
        "bbv": {
            **{name: getattr(bbv, name) for name in TEXTS},
            **{
                name: [_d(getattr(bbv, name).amount), getattr(bbv, name).not_applicable]
                for name, _ in BBV_AMOUNTS
            },
            "taakveld": bbv.taakveld,
            "economische_categorie": bbv.chosen_category,
            "default_category": bbv.default_category,
        },
        "risks": [[r.omschrijving, r.kans, _d(r.effect), r.maatregelen] for r in risk_list],
        "risk_profile": profile.code,
    }


def from_snapshot(snapshot: dict) -> tuple[BbvView, list[RiskView], RiskProfile]:
    """From a version; one published before the BBV figures (format 1) has none of them."""
    data = snapshot.get("bbv")
    bbv = BbvView()
    if data:
        for name in TEXTS:
            setattr(bbv, name, data.get(name, ""))
        for name, _ in BBV_AMOUNTS:
            amount, nvt = data.get(name, [None, False])
            setattr(bbv, name, Cell(amount=_D(amount), not_applicable=nvt))
        bbv.taakveld = data.get("taakveld", "")
        bbv.chosen_category = data.get("economische_categorie", "")
        bbv.default_category = data.get("default_category", "")
    risk_list = [
        RiskView(omschrijving=o, kans=k, effect=_D(e), maatregelen=m)
        for o, k, e, m in snapshot.get("risks", [])
    ]
    code = snapshot.get("risk_profile") if "risk_profile" in snapshot else ""
    return bbv, risk_list, profile_of(bbv, risk_list, code)


EMPTY_FROZEN = freeze(BbvView(), [], RiskProfile(None))["bbv"]
