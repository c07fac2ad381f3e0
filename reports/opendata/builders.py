"""The open data's rows, from the published data a selector read: one dict per row with the
fields of `schema` (in its order), the same for JSON and for CSV.

A version's figures come from its frozen snapshot (`reports.snapshot`, format 1): the first
block of each table is the version's own year, a cell is `[amount, not_applicable]`. Nothing
here reads the database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from collaborations.models import YearVersion
from finance.money import FillState

from .schema import (
    ALLOCATIONS,
    AMOUNTS,
    EMPTY,
    FILLED,
    KINDS,
    NOT_APPLICABLE,
    TABLE_TOTALS,
    YEAR_VERSIONS,
    Resource,
)
from .selectors import OpenData

TEXTS = ("beoogd_kern", "feitelijk_kern", "verdeelsleutel_tekst")


def timestamp(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC to the second: 2026-03-01T09:30:00Z."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _figure(cell: list | None, table_state: str) -> tuple[Decimal | None, str]:
    """An amount and its status: n.v.t. (the cell or the whole table), not filled in, or an
    amount (0 included)."""
    if table_state == FillState.NOT_APPLICABLE or (cell is not None and cell[1]):
        return None, NOT_APPLICABLE
    if cell is None or cell[0] is None:
        return None, EMPTY
    return Decimal(cell[0]), FILLED


def _table_status(state: str) -> str:
    return {FillState.FILLED: FILLED, FillState.NOT_APPLICABLE: NOT_APPLICABLE}.get(state, EMPTY)


def _own_blocks(version: YearVersion) -> list[tuple[dict, dict]]:
    """(table, block of the version's own year) for every table of the snapshot."""
    finance = version.snapshot.get("finance") or {}
    return [(t, t["blocks"][0]) for t in finance.get("tables", []) if t["blocks"]]


def _keys(version: YearVersion) -> dict:
    return {
        "gemeente_code": version.participation.municipality.cbs_code,
        "samenwerking": version.participation.partnership.slug,
        "jaar": version.year,
        "versie": version.number,
    }


def _amounts_with_status(prefix: str, cells: list, state: str) -> dict:
    row = {}
    for index, kind in enumerate(KINDS):
        name = f"{prefix}{kind}"
        amount, status = _figure(cells[index] if index < len(cells) else None, state)
        row[name], row[f"{name}_status"] = amount, status
    return row


def year_version_rows(data: OpenData, page_url: Callable[[YearVersion], str]) -> list[dict]:
    rows = []
    for version in data.versions:
        participation = version.participation
        record = version.snapshot.get("record", {})
        kosten = next((b for t, b in _own_blocks(version) if t["code"] == "kosten"), None)
        state = kosten["state"] if kosten else FillState.EMPTY
        share = record.get("aandeel_percentage")
        rows.append(
            {
                "gemeente_code": participation.municipality.cbs_code,
                "gemeente": participation.municipality.name,
                "samenwerking": participation.partnership.slug,
                "samenwerking_naam": participation.partnership.name,
                "afkorting": participation.partnership.afkorting,
                "jaar": version.year,
                "versie": version.number,
                "vastgesteld_op": timestamp(version.adopted_at),
                "gepubliceerd_op": timestamp(version.published_at),
                **_amounts_with_status("bijdrage_", kosten["totals"] if kosten else [], state),
                "aandeel_percentage": None if share is None else Decimal(share),
                **{name: record.get(name) or None for name in TEXTS},
                "toelichting": version.note or None,
                "pagina": page_url(version),
            }
        )
    return rows


def table_rows(data: OpenData) -> list[dict]:
    rows = []
    for version in data.versions:
        for table, block in _own_blocks(version):
            rows.append(
                {
                    **_keys(version),
                    "tabel": table["code"],
                    "tabel_naam": table["title"],
                    "gedeeld": bool(table["shared"]),
                    "status": _table_status(block["state"]),
                    **_amounts_with_status("totaal_", block["totals"], block["state"]),
                }
            )
    return rows


def amount_rows(data: OpenData) -> list[dict]:
    rows = []
    for version in data.versions:
        for table, block in _own_blocks(version):
            for order, line in enumerate(block["rows"], start=1):
                label, cells = line[0], line[1]
                for index, kind in enumerate(KINDS):
                    amount, status = _figure(cells[index], block["state"])
                    rows.append(
                        {
                            **_keys(version),
                            "tabel": table["code"],
                            "volgorde": order,
                            "regel": label,
                            "soort": kind,
                            "boekjaar": block["year"] + (1 if kind == KINDS[2] else 0),
                            "bedrag": amount,
                            "status": status,
                        }
                    )
    return rows


def allocation_rows(data: OpenData) -> list[dict]:
    rows = []
    for published in data.models:
        comparison = published.comparison
        if comparison is None:
            continue
        publication, model = published.publication, published.publication.model
        for group in comparison.groups:
            for row in group.rows:
                if data.participant is not None and row.name != data.participant:
                    continue
                for variant, amount in zip(comparison.variants, row.amounts, strict=True):
                    rows.append(
                        {
                            "samenwerking": model.partnership.slug,
                            "samenwerking_naam": model.partnership.name,
                            "jaar": model.year,
                            "publicatie": publication.number,
                            "gepubliceerd_op": timestamp(publication.published_at),
                            "model": comparison.model.name,
                            "variant": variant.code,
                            "variant_naam": variant.name,
                            "vastgesteld": bool(variant.adopted),
                            "groep": group.code,
                            "groep_naam": group.name if group.code else None,
                            "deelnemer": row.name,
                            "gemeente_code": data.codes.get(row.name),
                            "bijdrage": amount,
                        }
                    )
    return rows


def resource_rows(
    resource: Resource, data: OpenData, page_url: Callable[[YearVersion], str]
) -> list[dict]:
    """The rows of one resource of the scope."""
    if resource is YEAR_VERSIONS:
        return year_version_rows(data, page_url)
    if resource is TABLE_TOTALS:
        return table_rows(data)
    if resource is AMOUNTS:
        return amount_rows(data)
    if resource is ALLOCATIONS:
        return allocation_rows(data)
    raise LookupError(resource.name)
