"""Template filters for Dutch output: `{{ bedrag|euro }}`, `{{ aandeel|procent }}`.

Loaded as a template builtin (settings.TEMPLATES), so templates need no `{% load %}`.
"""

from decimal import Decimal

from django import template

from dashboard.formatting import format_money, format_number, format_percent

register = template.Library()


@register.filter
def euro(value: Decimal | int | None, decimals: int = 0) -> str:
    """`€ 1.281.406`; an empty string for None (templates decide how to show "not filled in")."""
    if value is None or value == "":
        return ""
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
    from django.utils.safestring import mark_safe

    if value is None or (isinstance(value, str) and not value.strip()):
        return mark_safe('<span class="leeg">Niet ingevuld</span>')
    return linebreaksbr(value, autoescape=autoescape)
