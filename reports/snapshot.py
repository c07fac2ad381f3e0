"""Freezing a year page into a published version, and reading it back.

`freeze` turns the context the section C fragments render (section C, the money tables with
their blocks, totals and variances, the split key, the charts, the adopted contribution) into
plain JSON; `thaw` builds the same objects again, so the web page, the PDF and the bundle render
a published version with the very same fragments, without reading any working data.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from types import SimpleNamespace

from collaborations.models import MotiveAnswer, Participation, Term, YearRecord
from collaborations.selectors import MotiveView, YearPage
from collaborations.services import COPIED_TEXT_FIELDS
from core import charts
from finance.models import SplitKeyComponent, Table
from finance.money import EMPTY, NVT, Cell, FillState
from finance.presentation import Chart, FinancePage, RowView, TableView, YearBlock
from reports import bbv as bbv_view

# 2: with the BBV figures, the risks and the risk profile ("bbv", "risks", "risk_profile");
# a version of format 1 thaws with none of them (shown as niet ingevuld)
FORMAT = 2
# every answer of section C (texts, choices, the share), as the services know them
RECORD_FIELDS = COPIED_TEXT_FIELDS
SECTION_PREFIXES = [
    ("beoogd_", "Beoogde resultaten: "),
    ("feitelijk_", "Feitelijke resultaten: "),
    ("kosten_baten_", "Kosten en baten: "),
    ("evenwicht_", "Aandeel van de gemeente: "),
    ("aandeel_", "Aandeel van de gemeente: "),
]
KEY_FIELDS = ["kind", "omschrijving", "basis", "base_amount", "share_percent", "fixed_amount"]


def _d(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _D(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _cell(cell: Cell) -> list:
    return [_d(cell.amount), cell.not_applicable]


def _uncell(data: list) -> Cell:
    return Cell(amount=_D(data[0]), not_applicable=data[1])


# --- freeze -------------------------------------------------------------------------------


def freeze(context: dict) -> dict:
    """The JSON of what a year page shows (the context of `reports.selectors.year`)."""
    record: YearRecord = context["record"]
    page: YearPage = context["page"]
    finance: FinancePage | None = context["finance"]
    contribution = context["contribution"]
    return {
        "format": FORMAT,
        **bbv_view.freeze(context["bbv"], context["risks"], context["risk_profile"]),
        "record": {
            name: _d(v) if isinstance(v := getattr(record, name), Decimal) else v
            for name in RECORD_FIELDS
        },
        "motives": [
            {
                "motive": m.motive.pk,
                "submotives": [t.pk for t in m.submotives],
                "answer": [m.answer.antwoord, m.answer.toelichting] if m.answer else None,
                "important": m.belangrijk,
            }
            for m in page.motives
        ],
        "important": [t.pk for t in page.belangrijkste],
        "finance": None if finance is None else _freeze_finance(finance),
        "contribution": None
        if contribution is None
        else {
            "model_name": contribution.model.name,
            "model_year": contribution.model.year,
            "variant_code": contribution.variant.code,
            "variant_name": contribution.variant.name,
            "amount": _d(contribution.amount),
            "error": getattr(contribution, "error", ""),
        },
    }


def _freeze_finance(finance: FinancePage) -> dict:
    return {
        "year": finance.year,
        "tables": [
            {
                "code": t.code,
                "title": t.title,
                "first_column": t.first_column,
                "shared": t.shared,
                "blocks": [_freeze_block(b) for b in t.blocks],
            }
            for t in finance.tables
            # an empty Vreemd vermogen is shown to clerks only (finance_page's show_empty)
            if not (
                t.code == Table.VREEMD_VERMOGEN
                and all(b.state == FillState.EMPTY for b in t.blocks)
            )
        ],
        "split_key": [
            {
                **{
                    name: _d(v) if isinstance(v := getattr(c, name), Decimal) else v
                    for name in KEY_FIELDS
                },
                "applies_to_year": c.applies_to_year,
            }
            for c in finance.split_key
        ],
        "charts": [
            {
                "chart_id": c.chart_id,
                "title": c.title,
                "description": c.description,
                "svg": c.svg,
                "categories": c.categories,
                "series": [[s.name, [_d(v) for v in s.values]] for s in c.series],
            }
            for c in finance.charts
        ],
    }


def _freeze_block(block: YearBlock) -> dict:
    return {
        "heading": block.heading,
        "year": block.year,
        "headers": block.headers,
        "state": str(block.state),
        "rows": [
            [
                r.label,
                [_cell(c) for c in r.cells],
                _d(r.variance),
                _d(r.variance_percent),
                _d(r.change),
                _d(r.change_percent),
            ]
            for r in block.rows
        ],
        "totals": [_cell(c) for c in block.totals],
        "total": [
            _d(block.total_variance),
            _d(block.total_variance_percent),
            _d(block.total_change),
            _d(block.total_change_percent),
        ],
    }


SHARED_CHART = "grafiek-resultaten"


def merge_shared(published: dict, fresh: dict) -> dict:
    """A version's snapshot with the partnership's shared part (the shared tables, their chart,
    the adopted contribution) taken from `fresh`, and the municipality's own part kept."""
    merged = json.loads(json.dumps(published))
    fresh_finance = fresh.get("finance") or {}
    if merged.get("finance") and fresh_finance:
        shared = {t["code"]: t for t in fresh_finance["tables"] if t["shared"]}
        own = [t for t in merged["finance"]["tables"] if not t["shared"]]
        order = [t["code"] for t in fresh_finance["tables"]]
        tables = own + list(shared.values())
        merged["finance"]["tables"] = sorted(
            tables, key=lambda t: order.index(t["code"]) if t["code"] in order else len(order)
        )
        fresh_charts = {c["chart_id"]: c for c in fresh_finance["charts"]}
        merged["finance"]["charts"] = [
            fresh_charts.get(c["chart_id"], c) if c["chart_id"].endswith(SHARED_CHART) else c
            for c in merged["finance"]["charts"]
        ]
    merged["contribution"] = fresh.get("contribution")
    return merged


def table_cells(snapshot: dict, code: str) -> tuple[Cell, Cell, Cell]:
    """A table's TOTAAL cells in the version's own year: begroting, realisatie, begroting next
    year — an amount, n.v.t. (the year's table is n.v.t., or every cell of the column is) or
    not filled in."""
    finance = snapshot.get("finance") or {}
    for table in finance.get("tables", []):
        if table["code"] == code and table["blocks"]:
            block = table["blocks"][0]
            if block.get("state") == FillState.NOT_APPLICABLE:
                return NVT, NVT, NVT
            if block["totals"]:
                first, second, third = (_uncell(t) for t in block["totals"])
                return first, second, third
    return EMPTY, EMPTY, EMPTY


def table_totals(
    snapshot: dict, code: str
) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """A table's totals in the version's own year: begroting, realisatie, begroting next year
    (None where there is no amount)."""
    first, second, third = table_cells(snapshot, code)
    return first.amount, second.amount, third.amount


def contribution_cells(snapshot: dict) -> tuple[Cell, Cell, Cell]:
    """Kosten TOTAAL of the version's own year: begroting, realisatie, begroting next year."""
    return table_cells(snapshot, Table.KOSTEN)


def key_figures(snapshot: dict) -> dict[str, Decimal | None]:
    """The figures the comparison pages show, as the version was published."""
    kosten = table_totals(snapshot, Table.KOSTEN)
    resultaten = table_totals(snapshot, Table.RESULTATEN)
    eigen = table_totals(snapshot, Table.EIGEN_VERMOGEN)
    return {
        "bijdrage_begroting": kosten[0],
        "bijdrage_realisatie": kosten[1],
        "resultaten_begroting": resultaten[0],
        "resultaten_realisatie": resultaten[1],
        "eigen_vermogen": eigen[1],
    }


# --- thaw ---------------------------------------------------------------------------------


def thaw(snapshot: dict, participation: Participation, year: int, *, id_prefix: str = "") -> dict:
    """The context of a year page, built from a published version (no working data read)."""
    fields = {
        name: _D(v) if name == "aandeel_percentage" else v for name, v in snapshot["record"].items()
    }
    record = YearRecord(
        participation=participation,
        year=year,
        status=YearRecord.Status.GEPUBLICEERD,
        nagekeken=True,
        **fields,
    )
    term_ids = (
        {m["motive"] for m in snapshot["motives"]}
        | {t for m in snapshot["motives"] for t in m["submotives"]}
        | set(snapshot["important"])
    )
    terms = Term.objects.in_bulk(term_ids)
    motives = []
    for m in snapshot["motives"]:
        if m["motive"] not in terms:
            continue
        answer = None
        if m["answer"]:
            answer = MotiveAnswer(antwoord=m["answer"][0], toelichting=m["answer"][1])
        motives.append(
            MotiveView(
                motive=terms[m["motive"]],
                submotives=[terms[t] for t in m["submotives"] if t in terms],
                answer=answer,
                belangrijk=m["important"],
            )
        )
    page = YearPage(
        participation=participation,
        year=year,
        record=record,
        years=[],
        motives=motives,
        belangrijkste=[terms[t] for t in snapshot["important"] if t in terms],
    )
    contribution = None
    if snapshot.get("contribution"):
        c = snapshot["contribution"]
        contribution = SimpleNamespace(
            model=SimpleNamespace(name=c["model_name"], year=c["model_year"]),
            variant=SimpleNamespace(code=c["variant_code"], name=c["variant_name"]),
            amount=_D(c["amount"]),
            error=c.get("error", ""),
        )
    finance = snapshot.get("finance")
    bbv, risks, risk_profile = bbv_view.from_snapshot(snapshot)
    return {
        "page": page,
        "record": record,
        "bbv": bbv,
        "risks": risks,
        "risk_profile": risk_profile,
        "finance": None if finance is None else _thaw_finance(finance, id_prefix),
        "contribution": contribution,
    }


def _thaw_finance(data: dict, id_prefix: str) -> FinancePage:
    tables = [
        TableView(
            code=t["code"],
            title=t["title"],
            first_column=t["first_column"],
            shared=t["shared"],
            blocks=[_thaw_block(b) for b in t["blocks"]],
        )
        for t in data["tables"]
    ]
    split_key = [
        SplitKeyComponent(
            **{
                name: _D(c[name]) if name.endswith(("amount", "percent")) else c[name]
                for name in KEY_FIELDS
            },
            applies_to_year=c["applies_to_year"],
        )
        for c in data["split_key"]
    ]
    chart_list = []
    for c in data["charts"]:
        chart_id = f"{id_prefix}{c['chart_id']}"
        svg = c["svg"].replace(f'"{c["chart_id"]}', f'"{chart_id}') if id_prefix else c["svg"]
        # versions frozen before the charts lost their inline <style> (blocked by the CSP)
        svg = re.sub(r"<style>.*?</style>", "", svg)
        chart_list.append(
            Chart(
                chart_id=chart_id,
                title=c["title"],
                description=c["description"],
                svg=svg,
                categories=c["categories"],
                series=[
                    charts.Series(name, [_D(v) for v in values]) for name, values in c["series"]
                ],
            )
        )
    return FinancePage(
        year=data["year"], tables=tables, split_key=split_key, signals=[], charts=chart_list
    )


def _thaw_block(data: dict) -> YearBlock:
    block = YearBlock(
        heading=data["heading"],
        year=data["year"],
        headers=data["headers"],
        state=FillState(data["state"]),
        rows=[
            RowView(
                label=r[0],
                cells=[_uncell(c) for c in r[1]],
                variance=_D(r[2]),
                variance_percent=_D(r[3]),
                change=_D(r[4]),
                change_percent=_D(r[5]),
            )
            for r in data["rows"]
        ],
        totals=[_uncell(c) for c in data["totals"]],
    )
    (
        block.total_variance,
        block.total_variance_percent,
        block.total_change,
        block.total_change_percent,
    ) = (_D(v) for v in data["total"])
    return block


def count_differences(old: dict, new: dict) -> int:
    """How many texts, answers and figures differ between two snapshots (for "3 wijzigingen
    sinds versie 2"); totals, variances and charts are left out (they follow from the figures)."""
    return len(_differences(_essence(old), _essence(new)))


def differences(old: dict, new: dict, limit: int = 25) -> tuple[int, list[str]]:
    """How many values differ, and what, in words ("Beoogde resultaten: kern", "Kosten 2017:
    beschermd wonen, Begroting 2018", … at most `limit`): one comparison for both."""
    paths = _differences(_essence(old), _essence(new))
    described = list(dict.fromkeys(_describe(path) for path in paths))[:limit]
    return len(paths), described


def _essence(snapshot: dict) -> dict:
    """The entered values only: texts, answers, cells and the split key."""
    data = {k: v for k, v in snapshot.items() if k not in ("finance", "format", "risk_profile")}
    # a version from before the BBV figures had none: the same as all niet ingevuld
    data["bbv"] = {
        k: v
        for k, v in (snapshot.get("bbv") or bbv_view.EMPTY_FROZEN).items()
        if k != "default_category"  # follows from the partnership's form
    }
    data.setdefault("risks", [])
    finance = snapshot.get("finance")
    if finance:
        data["tables"] = {
            table["code"]: {
                str(block["year"]): {
                    "state": block["state"],
                    "rows": {row[0]: row[1] for row in block["rows"]},
                }
                for block in table["blocks"]
            }
            for table in finance["tables"]
        }
        data["split_key"] = finance["split_key"]
    return data


def _describe(path: str) -> str:
    parts = path.strip("/").split("/")
    if parts[0] == "record" and len(parts) > 1:
        field = YearRecord._meta.get_field(parts[1])
        label = str(field.verbose_name)
        section = next((t for p, t in SECTION_PREFIXES if parts[1].startswith(p)), "")
        return f"{section}{label[:1].upper() + label[1:] if not section else label}"
    if parts[0] in ("motives", "important"):
        return "Motieven voor samenwerking"
    if parts[0] == "tables" and len(parts) >= 2:
        title = Table(parts[1]).label if parts[1] in Table.values else parts[1]
        if len(parts) >= 5 and parts[3] == "rows":
            year = int(parts[2])
            columns = [f"Begroting {year}", f"Realisatie {year}", f"Begroting {year + 1}"]
            column = columns[int(parts[5])] if len(parts) > 5 and parts[5].isdigit() else ""
            return f"{title} {year}: {parts[4]}{', ' + column if column else ''}"
        return f"{title}{' ' + parts[2] if len(parts) > 2 else ''}"
    if parts[0] == "bbv":
        return "Verbonden partij (BBV-gegevens)"
    if parts[0] == "risks":
        return "Risico's"
    if parts[0] == "split_key":
        return "Verdeelsleutel"
    if parts[0] == "contribution":
        return "Bijdrage volgens het vastgestelde verdeelmodel"
    return parts[0]


def _differences(a, b, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        keys = set(a) | set(b)
        return [d for k in sorted(keys) for d in _differences(a.get(k), b.get(k), f"{path}/{k}")]
    if isinstance(a, list) and isinstance(b, list) and not _is_leaf_list(a, b):
        out = [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=False))
            for d in _differences(x, y, f"{path}/{i}")
        ]
        longer = a if len(a) > len(b) else b
        out += [f"{path}/{i}" for i in range(min(len(a), len(b)), len(longer))]
        return out
    return [] if a == b else [path]


def _is_leaf_list(a: list, b: list) -> bool:
    """A cell ([amount, n.v.t.]) or a list of ids counts as one value."""
    return all(not isinstance(x, dict | list) for x in [*a, *b])
