"""Template filters for Dutch output: `{{ bedrag|euro }}`, `{{ aandeel|procent }}`.

Loaded as a template builtin (settings.TEMPLATES), so templates need no `{% load %}`.
"""

from decimal import Decimal

from django import template
from django.utils.safestring import SafeString, mark_safe

from core.formatting import (
    NOT_APPLICABLE_TEXT,
    amount_state,
    format_amount,
    format_money,
    format_number,
    format_percent,
)

register = template.Library()

# "Not filled in" in a table cell: an ellipsis for the eye, words for a screen reader. The one
# markup for it, in pages, PDFs and django-tables2 cells alike.
NOT_FILLED_IN = mark_safe(
    '<span aria-hidden="true">…</span><span class="visually-hidden">niet ingevuld</span>'
)


# "Not applicable": the abbreviation everyone in the field reads, with its words for the mouse.
NOT_APPLICABLE = mark_safe(f'<abbr title="niet van toepassing">{NOT_APPLICABLE_TEXT}</abbr>')


@register.simple_tag
def niet_ingevuld() -> SafeString:
    """`{% niet_ingevuld %}`: the markup of an amount that is not filled in."""
    return NOT_FILLED_IN


@register.filter
def euro_of_leeg(value, decimals: int | None = None) -> str:
    """The one rendering of an amount on pages, comparisons and PDFs, in its three states:
    `€ 1.281.406` (zero stays `€ 0`), `n.v.t.` for a cell that is not applicable, and the
    "not filled in" markup for None or an empty cell. `value` is a cell (`finance.money.Cell`,
    or anything with `amount` and `not_applicable`) or an amount."""
    amount, not_applicable = amount_state(value)
    if amount is None:
        return NOT_APPLICABLE if not_applicable else NOT_FILLED_IN
    return format_amount(amount, decimals)


@register.filter
def euro(value: Decimal | int | None, decimals: int | None = None) -> str:
    """`€ 1.281.406`, or `€ 1.234.567,89` when the amount has cents (never rounded away).

    An empty string for None: templates decide how to show "not filled in".
    """
    if value is None or value == "":
        return ""
    if decimals is None:
        decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    return format_money(value, decimals)


@register.filter
def getal(value: Decimal | int | None, decimals: int = 0) -> str:
    if value is None or value == "":
        return ""
    return format_number(value, decimals)


@register.filter
def procent(value: Decimal | int | None, decimals: int | None = None) -> str:
    if value is None or value == "":
        return ""
    return format_percent(value, decimals)


@register.filter(needs_autoescape=True)
def tekst(value: object, autoescape: bool = True) -> str:
    """Free text with line breaks, or a plain "Niet ingevuld" — never an empty heading."""
    from django.template.defaultfilters import linebreaksbr

    if value is None or (isinstance(value, str) and not value.strip()):
        return mark_safe('<span class="leeg">Niet ingevuld</span>')
    return linebreaksbr(value, autoescape=autoescape)


def _filled(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


@register.simple_tag
def ingevuld_en_leeg(*pairs) -> dict:
    """`{% ingevuld_en_leeg "Inhoud" inhoud "Proces" proces as delen %}`: the answers that are
    filled in as (label, value) in `delen.filled`, the labels of the others in `delen.empty` —
    for one line "Niet ingevuld: Proces, …" instead of a "Niet ingevuld" per answer."""
    labels, values = pairs[::2], pairs[1::2]
    return {
        "filled": [(label, v) for label, v in zip(labels, values, strict=True) if _filled(v)],
        "empty": [label for label, v in zip(labels, values, strict=True) if not _filled(v)],
    }


@register.filter
def verschil(value: Decimal | None) -> str:
    """A difference in euros with its sign: `+€ 4.782`, `−€ 4.782`, `€ 0`."""
    if value is None:
        return ""
    if value > 0:
        return "+" + format_money(value)
    if value < 0:
        return "−" + format_money(-value)
    return format_money(value)


@register.filter
def procentverschil(value: Decimal | None) -> str:
    """A change in percent with one decimal and its sign: `+2,5%`."""
    if value is None:
        return ""
    text = format_percent(abs(value), 1)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


@register.filter
def index(sequence, position: int):
    """`{{ values|index:i }}`: the element at a position (for parallel lists in tables)."""
    try:
        return sequence[position]
    except (IndexError, TypeError):
        return None


@register.filter
def verschil_centen(value: Decimal | None) -> str:
    """A difference with its sign, to the cent: `+€ 12,35`."""
    if value is None:
        return ""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + format_money(abs(value), 2)


@register.filter
def mul100(value: Decimal | None) -> Decimal | None:
    """A fraction as a percentage number: 0.0535 → 5.35 (then `|procent`)."""
    return None if value is None else Decimal(value) * 100


@register.filter
def get(mapping, key):
    """`{{ amounts|get:name }}`: a value from a mapping by a variable key."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None
