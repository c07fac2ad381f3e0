"""Arbitrary text in the money grid and the split key, posted by a clerk of Venlo: never an error
500. A refused form changes no stored figure; an accepted one stores exactly the Decimal value of
what was typed (the Dutch notation of `core.formatting.parse_decimal`); well-formed input with the
right versions is always accepted. Each example runs in a savepoint that is rolled back."""

from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from django.db import transaction
from django.urls import reverse

from collaborations.models import Participation, YearRecord
from core.formatting import parse_decimal
from finance.models import (
    FinanceAmount,
    FinanceLine,
    FinanceRow,
    FinanceTableYear,
    Kind,
    SplitKeyComponent,
)
from finance.money import FillState, parse_cell

pytestmark = pytest.mark.django_db

fuzz = hypothesis_settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the project
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
YEAR = 2017
MAX_AMOUNT = Decimal("999999999999.99")
REFUSED_OR_SAVED = {302, 400, 409}  # saved; refused with errors; "this loses figures: sure?"


# --- What is typed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Typed:
    """A cell's text, and what it means when it was made to be well-formed (None: unknown)."""

    text: str
    meaning: Decimal | str | None = None  # a Decimal, "empty" or "nvt"


def _grouped(digits: str, separator: str) -> str:
    groups = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return separator.join([digits, *groups])


@st.composite
def dutch(draw, values, *, percent: bool = False) -> Typed:
    """A number as people type it: `€ 1.281.406`, `-/- 4.863,5`, `1 500,-`, `12.25`, `48,62%`."""
    value = draw(values)
    integer, _, fraction = f"{abs(value):f}".partition(".")
    if fraction and draw(st.booleans()):
        fraction = fraction.rstrip("0")
    # a pasted English figure: one dot and not three decimals (`1.500` is fifteen hundred)
    english = bool(fraction) and len(fraction) != 3 and draw(st.booleans())
    if english:
        body = f"{integer}.{fraction}"
    else:
        body = _grouped(integer, draw(st.sampled_from(["", ".", " ", "\u00a0"])))
        suffixes = ["", ",-", ",--", ",00", ",0"]
        body += f",{fraction}" if fraction else draw(st.sampled_from(suffixes))
    if value < 0:
        sign = draw(st.sampled_from(["-", "−", "-/-", "–", "- "]))
    else:
        sign = draw(st.sampled_from(["", "+"]))
    euro = "" if percent else draw(st.sampled_from(["", "€ ", "€", "EUR "]))
    end = draw(st.sampled_from(["", "%", " %"])) if percent else ""
    pad = draw(st.sampled_from(["", " ", "\t"]))
    return Typed(f"{pad}{euro}{sign}{body}{end}{pad}", value)


amounts = st.one_of(
    st.integers(-10_000_000, 10_000_000).map(Decimal),  # whole euros, as most figures are
    st.decimals(-10_000, 10_000, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(-MAX_AMOUNT, MAX_AMOUNT, places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from([Decimal(0), Decimal(1500), Decimal("0.5"), MAX_AMOUNT, -MAX_AMOUNT]),
)
shares = st.decimals(0, 100, places=6, allow_nan=False, allow_infinity=False)
wide_shares = st.decimals(-1000, 1000, places=8, allow_nan=False, allow_infinity=False)
WORDS = [
    Typed("", "empty"),
    Typed("…", "empty"),
    Typed("...", "empty"),
    Typed(" - ", "empty"),
    Typed("n.v.t.", "nvt"),
    Typed("NVT", "nvt"),
    Typed("niet van toepassing", "nvt"),
]
NOT_QUITE = [
    "1e5", "1E-2", "NaN", "nan", "Infinity", "-inf", "sNaN", "١٢٣", "１２３", "½", "0x10", "1_000",
    "9" * 40, "0," + "9" * 40, "1.2.3", "12,3,4", "1,234.5", "1.23,4", ",5", "5,", ".", ",", "€",
    "%", "-/-", "--5", "+-5", "\x00", "1\x00", "1.000.000.000.000", "999.999.999.999,995",
    "-999.999.999.999,99", "1 000 000 000 000", "0,001", "12,345", "48,62%", "n.v.t. 5", "5 n.v.t.",
]  # fmt: skip
noise = st.one_of(
    st.sampled_from(NOT_QUITE),
    st.text(max_size=40),
    st.text(alphabet="0123456789.,-−–+/€% \u00a0eEnNvt", max_size=25),
).map(Typed)
money_cell = st.one_of(st.sampled_from(WORDS), dutch(amounts))
hidden_noise = st.one_of(
    st.sampled_from(["", " ", "0", "-1", "99", "1.0", "1,0", "abc", "\x00", "9" * 30, "½"]),
    st.text(max_size=12),
)


def hidden(correct: int | None):
    """The version the page showed, or anything else."""
    right = "" if correct is None else str(correct)
    return st.one_of(st.just(right), st.just(f" {right} "), hidden_noise)


# --- The database before and after ------------------------------------------------------------


def stored_figures() -> tuple:
    """Every money figure, line, row, table version and split key component."""
    return (
        sorted(
            FinanceAmount.objects.values_list("line_id", "year", "kind", "amount", "not_applicable")
        ),
        sorted(FinanceLine.objects.values_list("id", "table", "label")),
        sorted(FinanceRow.objects.values_list("table_year_id", "line_id", "order")),
        sorted(FinanceTableYear.objects.values_list("id", "version", "not_applicable")),
        sorted(
            SplitKeyComponent.objects.values_list(
                "year_record_id",
                "order",
                "kind",
                "base_amount",
                "share_percent",
                "fixed_amount",
                "applies_to_year",
                "kosten_line_id",
            )
        ),
        sorted(YearRecord.objects.values_list("id", "version")),
    )


def posted_and_saved(client, url: str, data: dict, mode: str) -> bool:
    """POST the form: never a 500; well-formed input is saved; a refusal changes no figure."""
    before = stored_figures()
    response = client.post(url, data)
    event(f"{mode}: {response.status_code}")
    assert response.status_code in REFUSED_OR_SAVED
    if mode == WELL_FORMED:
        assert response.status_code == 302, response.context["error_items"]
    if response.status_code != 302:
        assert stored_figures() == before
        return False
    return True


@contextmanager
def rolled_back():
    """One example: whatever it saves is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def expected_cell(typed: Typed) -> Decimal | str:
    """What the grid must store for a cell: the meaning it was made with, else the parse."""
    if typed.meaning is not None:
        return typed.meaning
    cell = parse_cell(typed.text, parse_decimal)
    return {FillState.EMPTY: "empty", FillState.NOT_APPLICABLE: "nvt"}.get(cell.state, cell.amount)


def stored_cell(line: FinanceLine, year: int, kind: str) -> Decimal | str:
    amount = FinanceAmount.objects.filter(line=line, year=year, kind=kind).first()
    if amount is None:
        return "empty"
    return "nvt" if amount.not_applicable else amount.amount


# --- The grid ---------------------------------------------------------------------------------


@pytest.fixture
def venlo_zvh(demo, reopen) -> Participation:
    """Venlo's ZVH with its published 2017 reopened for corrections."""
    participation = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    reopen(participation.years.get(year=YEAR))
    return participation


# How much is wrong in one post: nothing (then it must be saved), a few fields, or anything.
WELL_FORMED, A_FEW_WRONG, ANYTHING = "well-formed", "a few wrong", "anything"
modes = st.sampled_from([WELL_FORMED, A_FEW_WRONG, ANYTHING])


def typed_values(draw, mode: str, fields: list[tuple]) -> list[Typed]:
    """Per field a (good, wrong) pair of strategies: all good, all good but two, or any mix."""
    if mode == ANYTHING:
        return [draw(st.one_of(good, wrong)) for good, wrong in fields]
    bad = draw(st.sets(st.integers(0, len(fields) - 1), max_size=2)) if mode == A_FEW_WRONG else ()
    return [draw(wrong if i in bad else good) for i, (good, wrong) in enumerate(fields)]


def hidden_values(draw, mode: str, correct: dict, optional: set) -> dict[str, str]:
    """The hidden fields as the page had them, one of them changed, or anything (an optional
    one may be left out)."""
    changed = draw(st.sampled_from([None, *correct])) if mode == A_FEW_WRONG else None
    values = {}
    for name, right in correct.items():
        if mode == ANYTHING or name == changed:
            if name in optional and draw(st.booleans()):
                continue
            values[name] = draw(hidden(right))
        else:
            values[name] = "" if right is None else str(right)
    return values


@st.composite
def grid_input(draw, labels: list[str], versions: dict):
    """The rows the grid showed with every cell typed anew, and the hidden fields."""
    mode = draw(modes)
    cells = typed_values(draw, mode, [(money_cell, noise)] * (3 * len(labels)))
    rows = [(label, *cells[3 * i : 3 * i + 3]) for i, label in enumerate(labels)]
    correct = {
        **{f"regel-{i}-ORDER": i + 1 for i in range(len(rows))},
        **{name: versions[name] for name in ("version", "version_previous", "version_next")},
    }
    data = {
        "regel-TOTAL_FORMS": str(len(rows)),
        "regel-INITIAL_FORMS": "0",
        "regel-MIN_NUM_FORMS": "0",
        "regel-MAX_NUM_FORMS": "1000",
        **hidden_values(draw, mode, correct, optional={"version_previous", "version_next"}),
    }
    for i, (label, begroting, realisatie, volgend) in enumerate(rows):
        data[f"regel-{i}-label"] = label
        data[f"regel-{i}-begroting"] = begroting.text
        data[f"regel-{i}-realisatie"] = realisatie.text
        data[f"regel-{i}-begroting_volgend"] = volgend.text
    return mode, rows, data


@pytest.mark.parametrize("table", ["kosten", "baten"])
def test_the_grid_takes_any_text_without_an_error_500(clerk_client, venlo_zvh, table):
    url = reverse("finance:grid", args=["venlo", "zvh", YEAR, table])
    shown = clerk_client.get(url).context
    labels = [form.initial["label"] for form in shown["formset"].forms if form.initial]
    versions = shown["meta_form"].initial
    assert labels, "the demo year has lines in this table"

    @fuzz
    @given(grid_input(labels, versions))
    def post_anything(posted):
        mode, rows, data = posted
        with rolled_back():
            if not posted_and_saved(clerk_client, url, data, mode):
                return
            lines = {
                line.label: line
                for line in FinanceLine.objects.filter(participation=venlo_zvh, table=table)
            }
            for label, begroting, realisatie, volgend in rows:
                line = lines[label]
                assert stored_cell(line, YEAR, Kind.BEGROTING) == expected_cell(begroting)
                assert stored_cell(line, YEAR, Kind.REALISATIE) == expected_cell(realisatie)
                assert stored_cell(line, YEAR + 1, Kind.BEGROTING) == expected_cell(volgend)

    post_anything()


# --- The split key ----------------------------------------------------------------------------

KINDS = ["aandeel", "vast"]


@st.composite
def split_key_input(draw, labels: list[str], version: int):
    """One to three components, every amount and share typed anew, and the hidden version."""
    mode = draw(modes)
    count = draw(st.integers(1, 3))
    kinds = [draw(st.sampled_from(KINDS)) for _ in range(count)]
    if mode == ANYTHING:
        kinds = [draw(st.sampled_from([kind, "verdeeld"])) for kind in kinds]
    # per component: the base amount, the share, the fixed amount and the year it applies to
    money, share = dutch(amounts), dutch(shares, percent=True)
    wrong_share = st.one_of(dutch(wide_shares, percent=True), noise)
    year = st.just(Typed("2018"))
    blank = st.just(Typed(""))
    fields = [
        pair
        for kind in kinds
        for pair in (
            (money if kind == "aandeel" else blank, noise),
            (share if kind == "aandeel" else blank, wrong_share),
            (money if kind == "vast" else blank, noise),
            (year, hidden_noise.map(Typed)),
        )
    ]
    typed = typed_values(draw, mode, fields)
    components = [
        {
            "kind": kind,
            "base_amount": typed[4 * i],
            "share_percent": typed[4 * i + 1],
            "fixed_amount": typed[4 * i + 2],
            "applies_to_year": typed[4 * i + 3],
            "kosten_line_label": draw(st.sampled_from(["", *labels])),
        }
        for i, kind in enumerate(kinds)
    ]
    data = {
        "sleutel-TOTAL_FORMS": str(count),
        "sleutel-INITIAL_FORMS": "0",
        "sleutel-MIN_NUM_FORMS": "0",
        "sleutel-MAX_NUM_FORMS": "1000",
        **hidden_values(draw, mode, {"version": version}, optional=set()),
    }
    for i, component in enumerate(components):
        data[f"sleutel-{i}-omschrijving"] = f"onderdeel {i + 1}"
        data[f"sleutel-{i}-basis"] = ""
        for name, value in component.items():
            data[f"sleutel-{i}-{name}"] = value.text if isinstance(value, Typed) else value
    return mode, components, data


def key_value(typed: Typed, *, percent: bool = False) -> Decimal | None:
    """What a DutchDecimalField makes of the text (it is stripped; empty is None)."""
    if isinstance(typed.meaning, Decimal):
        return typed.meaning
    text = typed.text.strip()
    return parse_decimal(text, allow_percent=percent) if text else None


def test_the_split_key_takes_any_text_without_an_error_500(clerk_client, venlo_zvh):
    record = YearRecord.objects.get(participation=venlo_zvh, year=YEAR)
    url = reverse("finance:split-key", args=["venlo", "zvh", YEAR])
    labels = list(
        FinanceLine.objects.filter(participation=venlo_zvh, table="kosten").values_list(
            "label", flat=True
        )
    )

    @fuzz
    @given(split_key_input(labels, record.version))
    def post_anything(posted):
        mode, components, data = posted
        with rolled_back():
            if not posted_and_saved(clerk_client, url, data, mode):
                return
            saved = list(record.split_key_components.order_by("order"))
            assert len(saved) == len(components)
            for component, sent in zip(saved, components, strict=True):
                assert component.kind == sent["kind"]
                if sent["kind"] == "aandeel":
                    assert component.base_amount == key_value(sent["base_amount"])
                    assert component.share_percent == key_value(sent["share_percent"], percent=True)
                    assert component.fixed_amount is None
                else:
                    assert component.fixed_amount == key_value(sent["fixed_amount"])
                    assert component.base_amount is None and component.share_percent is None

    post_anything()
