"""Dutch formatting and parsing of money, numbers and percentages.

Pure Python (no Django imports) so that pages, PDFs, exports and the allocation engine's
command-line output all format the same way, and so that it can be tested on its own.

Formatting: `€ 1.281.406`, `48,62%`, `1.234,5`; negatives with a minus sign; years are never
grouped (format them with `str`, not with these functions).

Parsing (`parse_decimal`) accepts every common Dutch way of typing an amount and decides the
ambiguous cases by one documented rule (see docs/architecture.md, "Number input"):

* a comma is always the decimal separator; at most one comma;
* dots are thousands separators when every group after the first has exactly three digits
  (`1.500` → 1500, `1.281.406` → 1281406);
* a single dot followed by one, two or more than three digits, with no comma, is read as a
  decimal point (`1.5` → 1.5, `12.25` → 12.25): people paste English-formatted figures;
* `€`, spaces (also non-breaking and thin spaces), a trailing `,-` or `,--` and a trailing `%`
  (only where allowed) are ignored; `-`, `−` or `-/-` in front means negative.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MINUS = "−"  # U+2212, the typographic minus sign
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


class NumberParseError(ValueError):
    """The text is not a number in any accepted form; the message is Dutch and user-facing."""


def quantize_half_up(value: Decimal, unit: Decimal | str = "1") -> Decimal:
    """Round half up (as Excel's ROUND) to a multiple of `unit` (0.01, 1, 50, 100, ...).

    Halves go away from zero. The one rounding function of the project: the allocation engine
    uses it too (as `allocation.engine.rounding.round_half_up`).
    """
    unit = Decimal(unit)
    if unit <= 0:
        raise ValueError("unit must be positive")
    return (value / unit).to_integral_value(rounding=ROUND_HALF_UP) * unit


def _group(integer_digits: str) -> str:
    groups: list[str] = []
    while len(integer_digits) > 3:
        groups.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    groups.insert(0, integer_digits)
    return ".".join(groups)


def format_number(value: Decimal | int, decimals: int = 0) -> str:
    """`1281406` → `1.281.406`; `Decimal('1234.5')`, 1 → `1.234,5`; negatives get `−`."""
    amount = Decimal(value)
    if decimals >= 0:
        amount = quantize_half_up(amount, Decimal(1).scaleb(-decimals))
    negative = amount < 0
    text = f"{abs(amount):.{max(decimals, 0)}f}"
    integer, _, fraction = text.partition(".")
    result = _group(integer) + ("," + fraction if fraction else "")
    return (MINUS if negative and amount != 0 else "") + result


def format_money(value: Decimal | int, decimals: int = 0) -> str:
    """`€ 1.281.406`; `€ −1.234` for a negative amount; `decimals=2` gives `€ 1.234,56`."""
    return "€ " + format_number(value, decimals)


def format_percent(value: Decimal | int, decimals: int | None = None) -> str:
    """`48,62%`. Without `decimals` the precision entered is kept (trailing zeros dropped)."""
    amount = Decimal(value)
    if decimals is None:
        normalized = amount.normalize()
        exponent = normalized.as_tuple().exponent
        decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(amount, decimals) + "%"


# --- an amount that may be n.v.t. or not filled in: three states, never folded into one ---------

NOT_APPLICABLE_TEXT = "n.v.t."
NOT_FILLED_IN_TEXT = "niet ingevuld"


def amount_state(value) -> tuple[Decimal | None, bool]:
    """(amount, not applicable) of a cell (anything with `amount` and `not_applicable`, such as
    `finance.money.Cell`), of an amount, or of None (not filled in)."""
    if value is None or value == "":
        return None, False
    if hasattr(value, "not_applicable"):
        amount = value.amount
        return (None if amount is None else Decimal(amount)), bool(value.not_applicable)
    return Decimal(value), False


def format_amount(value, decimals: int | None = None) -> str:
    """The plain text of an amount in any of its states: `€ 0`, `n.v.t.` or `niet ingevuld`.
    Without `decimals` the cents show only when there are cents."""
    amount, not_applicable = amount_state(value)
    if amount is None:
        return NOT_APPLICABLE_TEXT if not_applicable else NOT_FILLED_IN_TEXT
    if decimals is None:
        decimals = 0 if amount == amount.to_integral_value() else 2
    return format_money(amount, decimals)


def export_amount(value) -> Decimal | str | None:
    """The value of an amount in an export (CSV, xlsx): the number (0 included), the text
    `n.v.t.`, or an empty cell for not filled in — what the import reads back the same way."""
    amount, not_applicable = amount_state(value)
    if amount is None and not_applicable:
        return NOT_APPLICABLE_TEXT
    return amount


def parse_decimal(text: str, *, allow_percent: bool = False) -> Decimal:
    """Read a Dutch-typed number; raise NumberParseError with a Dutch message if impossible."""
    original = text
    cleaned = _SPACES.sub("", text or "")
    cleaned = cleaned.replace("€", "").replace("EUR", "").replace("eur", "")
    if allow_percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    negative = False
    for prefix in ("-/-", "-", MINUS, "–"):
        if cleaned.startswith(prefix):
            negative = True
            cleaned = cleaned[len(prefix) :]
            break
    if cleaned.startswith("+"):
        cleaned = cleaned[1:]
    cleaned = re.sub(r",-{1,2}$", "", cleaned)
    if not cleaned:
        raise NumberParseError("Vul een getal in.")
    if not re.fullmatch(r"[0-9.,]+", cleaned):
        raise NumberParseError(
            f"“{original.strip()}” is geen getal. Gebruik cijfers, bijvoorbeeld 1.281.406 of "
            "1281406,50."
        )
    if cleaned.count(",") > 1:
        raise NumberParseError(
            f"“{original.strip()}” bevat meer dan één komma. De komma scheidt de decimalen, "
            "bijvoorbeeld 1.234,56."
        )
    integer, comma, fraction = cleaned.partition(",")
    if "." in fraction:
        raise NumberParseError(
            f"“{original.strip()}” heeft een punt na de komma. Schrijf bedragen als 1.234,56."
        )
    if "." in integer:
        groups = integer.split(".")
        thousands = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        if thousands:
            integer = "".join(groups)
        elif len(groups) == 2 and not comma:
            integer, fraction, comma = groups[0] or "0", groups[1], ","
        else:
            raise NumberParseError(
                f"“{original.strip()}” heeft punten op een onverwachte plaats. Gebruik de punt "
                "alleen tussen groepen van drie cijfers, bijvoorbeeld 1.281.406."
            )
    if not integer and not fraction:
        raise NumberParseError(f"“{original.strip()}” is geen getal.")
    try:
        number = Decimal(f"{integer or '0'}.{fraction}" if comma else integer)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex above
        raise NumberParseError(f"“{original.strip()}” is geen getal.") from exc
    return -number if negative else number
