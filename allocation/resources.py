"""Exports with real numbers (xlsx, csv): the comparison of allocation variants."""

from __future__ import annotations

from decimal import Decimal

import tablib

from core.exports import safe_text


def comparison_dataset(comparison) -> tablib.Dataset:
    """One row per participant: amounts per variant, the herverdeeleffect against the adopted
    variant in € and in € per inwoner. Numbers stay numbers (Decimal → number cells)."""
    codes = [v.code for v in comparison.variants]
    headers = ["Gemeente", "Groep", "Inwoners"]
    headers += [f"Bijdrage {c}" for c in codes]
    adopted = comparison.adopted
    if adopted is not None:
        headers += [f"Verschil {c} t.o.v. {adopted.code}" for c in codes]
        headers += [f"Verschil {c} per inwoner" for c in codes]
    data = tablib.Dataset(headers=headers, title="Vergelijking varianten")
    for group in comparison.groups:
        for row in group.rows:
            cells: list = [safe_text(row.name), safe_text(group.code or ""), _num(row.inhabitants)]
            cells += [_num(a) for a in row.amounts]
            if adopted is not None:
                cells += [_num(e) for e in row.effects]
                cells += [_num(e, 2) for e in row.effects_per_inhabitant]
            data.append(cells)
        subtotal: list = [safe_text(f"Subtotaal {group.name}"), safe_text(group.code or ""), None]
        subtotal += [_num(s) for s in group.subtotals]
        if adopted is not None:
            subtotal += [_num(e) for e in group.effects] + [None] * len(codes)
        data.append(subtotal)
    total: list = ["Totaal", "", None, *[_num(t) for t in comparison.totals]]
    if adopted is not None:
        total += [None] * (2 * len(codes))
    data.append(total)
    return data


def _num(value: Decimal | None, places: int | None = None) -> int | float | None:
    """A number cell. Whole euros become ints; per-inhabitant amounts are rounded to cents
    (a float only at this last step, for the spreadsheet cell)."""
    if value is None:
        return None
    if places is not None:
        return float(round(value, places))
    return int(value) if value == value.to_integral_value() else float(value)


def settlement_dataset(settlement) -> tablib.Dataset:
    """A kept settlement: one row per participant with its weight (grondslag) and its share,
    then the total, which is the result to the cent. Numbers stay numbers."""
    data = tablib.Dataset(
        headers=["Gemeente", "Grondslag", "Aandeel in het resultaat"],
        title=f"Verrekening {settlement.model.year}"[:31],
    )
    for line in settlement.lines.all():
        data.append([safe_text(line.name), _num(line.weight.normalize()), _num(line.amount)])
    data.append(["Totaal", None, _num(settlement.amount)])
    return data
