"""Exports with real numbers (xlsx, csv in both dialects, through `core.http.requested_export`):
the comparison of allocation variants and a kept settlement."""

from __future__ import annotations

from decimal import Decimal

from core.exports import Column, Kind, Sheet

CENT = Decimal("0.01")


def comparison_sheet(comparison) -> Sheet:
    """One row per participant: amounts per variant, the herverdeeleffect against the adopted
    variant in € and in € per inwoner (to the cent); group subtotals and the total. Numbers
    stay Decimals up to the file."""
    codes = [v.code for v in comparison.variants]
    columns = [Column("Gemeente"), Column("Groep"), Column("Inwoners", Kind.NUMBER)]
    columns += [Column(f"Bijdrage {c}", Kind.EURO) for c in codes]
    adopted = comparison.adopted
    if adopted is not None:
        columns += [Column(f"Verschil {c} t.o.v. {adopted.code}", Kind.EURO) for c in codes]
        columns += [Column(f"Verschil {c} per inwoner", Kind.EURO, places=2) for c in codes]
    sheet = Sheet("Vergelijking varianten", columns)
    for group in comparison.groups:
        for row in group.rows:
            cells: list = [row.name, group.code or "", row.inhabitants, *row.amounts]
            if adopted is not None:
                cells += row.effects
                cells += [_cents(e) for e in row.effects_per_inhabitant]
            sheet.rows.append(cells)
        subtotal: list = [f"Subtotaal {group.name}", group.code or "", None, *group.subtotals]
        if adopted is not None:
            subtotal += [*group.effects, *[None] * len(codes)]
        sheet.rows.append(subtotal)
    total: list = ["Totaal", "", None, *comparison.totals]
    if adopted is not None:
        total += [None] * (2 * len(codes))
    sheet.rows.append(total)
    return sheet


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT)


def settlement_sheet(settlement) -> Sheet:
    """A kept settlement: one row per participant with its weight (grondslag) and its share to
    the cent, then the total, which is the result to the cent."""
    sheet = Sheet(
        f"Verrekening {settlement.model.year}",
        [
            Column("Gemeente"),
            Column("Grondslag", Kind.NUMBER, places=None),
            Column("Aandeel in het resultaat", Kind.EURO, places=2),
        ],
    )
    for line in settlement.lines.all():
        sheet.rows.append([line.name, line.weight, line.amount])
    sheet.rows.append(["Totaal", None, settlement.amount])
    return sheet
