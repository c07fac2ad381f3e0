"""Money-table arithmetic and charts (pure modules)."""

from decimal import Decimal

import pytest

from core import charts
from core.formatting import parse_decimal
from finance.money import EMPTY, NVT, Cell, difference, parse_cell, percent_change, total


def test_three_states_stay_apart_from_zero():
    zero = Cell(amount=Decimal(0))
    assert [EMPTY.state, NVT.state, zero.state] == ["leeg", "nvt", "ingevuld"]
    assert total([EMPTY, EMPTY]) == EMPTY  # nothing filled in: no total, not € 0
    assert total([NVT, NVT]) == NVT
    assert total([zero, EMPTY]) == zero  # zero is a figure
    with pytest.raises(ValueError):
        Cell(amount=Decimal(1), not_applicable=True)


def test_total_adds_the_filled_in_amounts_exactly():
    cells = [Cell(amount=Decimal("266733")), Cell(amount=Decimal("1014673")), EMPTY, NVT]
    assert total(cells).amount == Decimal("1281406")
    assert total([Cell(amount=Decimal("0.1"))] * 3).amount == Decimal("0.3")  # no float drift


def test_variance_and_change():
    begroting, realisatie = Cell(amount=Decimal(200)), Cell(amount=Decimal(150))
    assert difference(begroting, realisatie) == Decimal(-50)
    assert percent_change(begroting, realisatie) == Decimal(-25)
    assert difference(begroting, EMPTY) is None
    assert percent_change(Cell(amount=Decimal(0)), realisatie) is None


@pytest.mark.parametrize(
    ("text", "state", "amount"),
    [
        ("", "leeg", None),
        ("…", "leeg", None),
        ("n.v.t.", "nvt", None),
        ("NVT", "nvt", None),
        ("0", "ingevuld", Decimal(0)),
        ("€ 1.234.567,89", "ingevuld", Decimal("1234567.89")),
    ],
)
def test_grid_cells_read_every_state(text, state, amount):
    cell = parse_cell(text, parse_decimal)
    assert (cell.state, cell.amount) == (state, amount)


def test_chart_is_accessible_svg_with_the_figures():
    svg = charts.bar_chart(
        "g1",
        "Financiële resultaten",
        "Begroting en realisatie per jaar",
        ["2016", "2017"],
        [
            charts.Series("Begroting", [Decimal("1682862"), Decimal("1754264")]),
            charts.Series("Realisatie", [Decimal("1682862"), None]),
        ],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert 'aria-labelledby="g1-title g1-desc"' in svg
    assert '<title id="g1-title">Financiële resultaten</title>' in svg
    assert "€ 1.754.264" in svg  # each bar carries its figure
    assert svg.count("<rect x=") == 3 + 2  # three bars (one value missing) and two legend keys
    line = charts.line_chart(
        "g2",
        "Bijdrage",
        "Per jaar",
        ["2016", "2017"],
        [charts.Series("Realisatie", [Decimal(1), Decimal(2)])],
    )
    assert "<polyline" in line and line.count("<circle") == 3
