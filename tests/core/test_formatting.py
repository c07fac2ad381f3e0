"""Dutch formatting and number input (pure module, no database)."""

from decimal import Decimal

import pytest

from core.formatting import (
    NumberParseError,
    format_money,
    format_number,
    format_percent,
    parse_decimal,
    quantize_half_up,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1281406, "€ 1.281.406"),
        (Decimal("0"), "€ 0"),
        (Decimal("999"), "€ 999"),
        (Decimal("1000"), "€ 1.000"),
        (Decimal("-4863"), "€ −4.863"),
        (Decimal("248081.12"), "€ 248.081"),
        (Decimal("0.5"), "€ 1"),  # half up, as Excel
    ],
)
def test_money_is_formatted_the_dutch_way(value, expected):
    assert format_money(value) == expected


def test_money_with_cents():
    assert format_money(Decimal("1234567.891"), 2) == "€ 1.234.567,89"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("48.62"), "48,62%"),
        (Decimal("48.6200"), "48,62%"),  # stored with 4 places, shown as entered
        (Decimal("61.57"), "61,57%"),
        (Decimal("62"), "62%"),
        (Decimal("0.5"), "0,5%"),
    ],
)
def test_percent_keeps_the_precision_entered(value, expected):
    assert format_percent(value) == expected


def test_number_with_decimals_groups_thousands():
    assert format_number(Decimal("3934261.94"), 2) == "3.934.261,94"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.281.406", Decimal("1281406")),
        ("1281406", Decimal("1281406")),
        ("€ 1.281.406,00", Decimal("1281406.00")),
        ("€1.281.406,-", Decimal("1281406")),
        ("1.281.406,--", Decimal("1281406")),
        ("1 281 406", Decimal("1281406")),
        ("1\u00a0281\u00a0406", Decimal("1281406")),
        ("€ 1.234.567,89", Decimal("1234567.89")),
        ("-4.863", Decimal("-4863")),
        ("−4.863", Decimal("-4863")),
        ("-/- 4.863", Decimal("-4863")),
        ("1.500", Decimal("1500")),  # dots between groups of three: thousands
        ("1.5", Decimal("1.5")),  # a single dot before 1, 2 or 4+ digits: a decimal point
        ("12.25", Decimal("12.25")),
        ("0,5", Decimal("0.5")),
        (",5", Decimal("0.5")),
    ],
)
def test_parse_accepts_every_common_dutch_form(text, expected):
    assert parse_decimal(text) == expected


def test_parse_percent_only_where_allowed():
    assert parse_decimal("48,62%", allow_percent=True) == Decimal("48.62")
    with pytest.raises(NumberParseError):
        parse_decimal("48,62%")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("12,3,4", "meer dan één komma"),
        ("1,234.5", "punt na de komma"),
        ("12.34.5", "onverwachte plaats"),
        ("abc", "geen getal"),
        ("", "Vul een getal in"),
        ("€", "Vul een getal in"),
    ],
)
def test_parse_rejects_with_a_dutch_message(text, fragment):
    with pytest.raises(NumberParseError, match=fragment):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("2622866.67", "50", "2622850"),
        ("2622850", "100", "2622900"),  # half up: 26228.5 → 26229
        ("51250.01", "100", "51300"),
        ("38049.83", "100", "38000"),
        ("248081.12", "1", "248081"),
        ("0.005", "0.01", "0.01"),
    ],
)
def test_quantize_half_up(value, unit, expected):
    assert quantize_half_up(Decimal(value), unit) == Decimal(expected)


@pytest.mark.parametrize(
    ("stored", "percent", "shown"),
    [
        (Decimal("510245"), False, "510.245"),
        (Decimal("510245.00"), False, "510.245"),
        (Decimal("1234.50"), False, "1.234,5"),
        (Decimal("-4863"), False, "-4.863"),
        (Decimal("48.620000"), True, "48,62%"),
        (Decimal("61.571"), True, "61,571%"),
        (Decimal("1E+3"), False, "1.000"),
    ],
)
def test_a_stored_number_is_shown_back_as_people_type_it(stored, percent, shown):
    from core.forms import DutchDecimalField

    field = DutchDecimalField(allow_percent=percent, decimal_places=6)
    assert field.prepare_value(stored) == shown
    assert field.clean(shown) == stored  # and reads back as the same number
