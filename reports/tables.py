"""The totaaloverzicht as a django-tables2 table: sortable, with totals, exportable.

django-tables2 orders the rows, builds the headers and the totals row, and exports (`value_*`
give real numbers for xlsx/csv). The page's cells skip its per-cell machinery (about 0,3 ms a
row, half the page's time for 500 partnerships): `body_rows` formats each row once and the
template writes them in one loop (docs/performance.md). A record is a dict from
`reports.selectors.overview.overview`.
"""

from decimal import Decimal
from typing import TypedDict

import django_tables2 as tables

from django.db.models import F
from django.urls import reverse
from django.utils.functional import cached_property

from collaborations.models import YearRecord
from collaborations.risks import PROFILE_LABELS
from core.exports import Column, Kind, Sheet
from core.formatting import export_amount
from core.templatetags.nl import euro, euro_of_leeg, procentverschil, verschil
from finance.money import Cell, percent_change
from reports.selectors.overview import OverviewLabels

STATUS = dict(YearRecord.Status.choices)
VERBONDEN = {"ja": "Ja", "nee": "Nee"}


def _visible(record: dict, name: str) -> Decimal | None:
    if record.get("has_published", True) is False:
        return None  # the public sees money only of partnerships with published data
    return record[name]


def _cell(record: dict, name: str) -> Cell:
    """A contribution of the row in its three states: an amount, n.v.t. or not filled in."""
    amount = _visible(record, name)
    return Cell(
        amount=amount, not_applicable=amount is None and bool(_visible(record, f"{name}_nvt"))
    )


def _sum(table, name: str) -> Decimal | None:
    values = [_visible(r, name) for r in table.data]
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


def _labels(labels: list[str]) -> str:
    return "; ".join(labels) or "—"


def _status(record: dict) -> str:
    status = STATUS.get(record["status_jaar"], "Niet ingevuld")
    if record["status_jaar"] and not record["nagekeken_jaar"]:
        status += ", niet nagekeken"
    return status


def _verschil_pct(record: dict) -> Decimal | None:
    """Exact: (begroting − begroting vorig jaar) / begroting vorig jaar × 100, to one decimal."""
    change = percent_change(
        Cell(amount=_visible(record, "begroting_vorig")),
        Cell(amount=_visible(record, "begroting")),
    )
    return None if change is None else round(change, 1)


class OverviewRow(TypedDict):
    """One row of the page with every cell as text, so the template only looks up keys.

    A dict rather than an object: the template language tries `row["name"]` before attributes.
    Plain strings are escaped by the template; the amounts (`euro_of_leeg`) are safe markup.
    """

    slug: str
    name: str
    afkorting: str
    onderwerpen: str
    vorm: str
    bbv: str
    verbonden: str
    belangrijkheid: str
    begroting: str
    realisatie_vorig: str
    verschil: str
    verschil_pct: str
    status: str
    risicoprofiel: str


class MoneyColumn(tables.Column):
    """Right-aligned header and total. `empty_values=()`: the export calls `value_*` for every
    row, also when the amount is empty (an empty cell) or not selected (verschil_pct)."""

    def __init__(self, *args, export_kind: Kind = Kind.EURO, places: int = 0, **kwargs):
        self.export_column = (export_kind, places)  # how the export writes it
        kwargs.setdefault("empty_values", ())
        kwargs.setdefault(
            "attrs",
            {
                "th": {"class": "utrecht-table__header-cell utrecht-table__header-cell--numeric"},
                "tf": {"class": "utrecht-table__cell utrecht-table__cell--numeric"},
            },
        )
        super().__init__(*args, **kwargs)


class OverviewTable(tables.Table):
    """Columns, ordering, totals and export of the totaaloverzicht; the cells via `body_rows`.

    templates/reports/overview.html writes the cells of `body_rows` in the order of these
    columns: a new column needs a cell there too.
    """

    samenwerking = tables.Column(
        verbose_name="Samenwerking", accessor="name", order_by="partnership__name"
    )
    onderwerpen = tables.Column(verbose_name="Onderwerpen", accessor="pk", orderable=False)
    vorm = tables.Column(
        verbose_name="Vorm",
        accessor="vorm",
        order_by="partnership__vorm__label",
        default="Niet ingevuld",
    )
    bbv = tables.Column(
        verbose_name="BBV-categorie",
        accessor="bbv",
        order_by="partnership__bbv_categorie__label",
        default="Niet ingedeeld",
    )
    verbonden = tables.Column(verbose_name="Verbonden partij")
    belangrijkheid = tables.Column(verbose_name="Belangrijk voor", accessor="pk", orderable=False)
    begroting = MoneyColumn(verbose_name="Bijdrage begroting {jaar}")
    realisatie_vorig = MoneyColumn(verbose_name="Bijdrage realisatie {vorig}")
    verschil = MoneyColumn(verbose_name="Begroting t.o.v. {vorig}")
    verschil_pct = MoneyColumn(
        verbose_name="Begroting t.o.v. {vorig} (%)", export_kind=Kind.PERCENT, places=1
    )
    status = tables.Column(verbose_name="Status {jaar}", accessor="status_jaar", default="")
    risicoprofiel = tables.Column(
        verbose_name="Risicoprofiel {jaar}", accessor="pk", orderable=False
    )

    class Meta:
        attrs = {"class": "utrecht-table money", "th": {"class": "utrecht-table__header-cell"}}
        orderable = True
        empty_text = "Geen samenwerkingen gevonden met deze filters."

    def __init__(self, *args, year: int, municipality, labels: OverviewLabels, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.municipality = municipality
        self.labels = labels
        self.detail_prefix = reverse("reports:overview", args=[municipality.slug])
        self.caption = f"Samenwerkingen van {municipality.name}: bijdrage {year}"
        columns = ("begroting", "realisatie_vorig", "verschil", "verschil_pct", "status")
        for column in (*columns, "risicoprofiel"):
            bound = self.columns[column]
            bound.column.verbose_name = str(bound.column.verbose_name).format(
                jaar=year, vorig=year - 1
            )
        self.columns["begroting"].column.footer = lambda table: euro(_sum(table, "begroting"))
        self.columns["realisatie_vorig"].column.footer = lambda table: euro(
            _sum(table, "realisatie_vorig")
        )

    # --- page rendering: every row formatted once -------------------------------------------

    @cached_property
    def body_rows(self) -> list[OverviewRow]:
        """The rows in the table's order, with the columns' rules: an empty vorm is "Niet
        ingevuld", an empty status stays empty, money the public may not see is "niet
        ingevuld" (and its difference empty)."""
        onderwerpen, belang_wie = self.labels.onderwerpen, self.labels.belang_wie
        rows: list[OverviewRow] = []
        for record in self.data:
            rows.append(
                {
                    "slug": record["slug"],
                    "name": record["name"],
                    "afkorting": record["afkorting"],
                    "onderwerpen": _labels(onderwerpen.get(record["partnership_id"], [])),
                    "vorm": record["vorm"] or "Niet ingevuld",
                    "bbv": record["bbv"] or "Niet ingedeeld",
                    "verbonden": VERBONDEN.get(record["verbonden"], "Onbekend"),
                    "belangrijkheid": _labels(belang_wie.get(record["pk"], [])),
                    "begroting": euro_of_leeg(_cell(record, "begroting")),
                    "realisatie_vorig": euro_of_leeg(_cell(record, "realisatie_vorig")),
                    "verschil": verschil(_visible(record, "verschil")),
                    "verschil_pct": procentverschil(_verschil_pct(record)),
                    "status": _status(record) if record["status_jaar"] else "",
                    "risicoprofiel": self.value_risicoprofiel(record),
                }
            )
        return rows

    # --- ordering: empty amounts last in both directions (PostgreSQL puts NULLs first) -------

    def _order_nulls_last(self, queryset, name: str, is_descending: bool):
        expression = (
            F(name).desc(nulls_last=True) if is_descending else F(name).asc(nulls_last=True)
        )
        return queryset.order_by(expression, "partnership__name"), True

    def order_begroting(self, queryset, is_descending):
        return self._order_nulls_last(queryset, "begroting", is_descending)

    def order_realisatie_vorig(self, queryset, is_descending):
        return self._order_nulls_last(queryset, "realisatie_vorig", is_descending)

    def order_verschil(self, queryset, is_descending):
        return self._order_nulls_last(queryset, "verschil", is_descending)

    def order_verschil_pct(self, queryset, is_descending):
        return self._order_nulls_last(queryset, "verschil_pct", is_descending)

    # --- export: real numbers (the writer keeps text from starting a formula) ---------------

    def export_sheet(self) -> Sheet:
        """The table as a sheet to download: the values of `value_*` in the table's order,
        amounts as euros and the change as a percentage (core.exports)."""
        names = [c.name for c in self.columns.iterall() if not c.column.exclude_from_export]
        header, *rows = self.as_values()
        columns = []
        for name, title in zip(names, header, strict=True):
            kind, places = getattr(self.columns[name].column, "export_column", (Kind.TEXT, 0))
            columns.append(Column(str(title), kind, places))
        return Sheet(f"Samenwerkingen {self.year}", columns, rows)

    def value_samenwerking(self, record):
        return f"{record['name']} ({record['afkorting']})"

    def value_onderwerpen(self, record):
        return _labels(self.labels.onderwerpen.get(record["partnership_id"], []))

    def value_belangrijkheid(self, record):
        return _labels(self.labels.belang_wie.get(record["pk"], []))

    def value_vorm(self, value):
        return value or ""

    def value_bbv(self, value):
        return value or ""

    def value_verbonden(self, value):
        return VERBONDEN.get(value, "Onbekend")

    def value_begroting(self, record):
        return export_amount(_cell(record, "begroting"))

    def value_realisatie_vorig(self, record):
        return export_amount(_cell(record, "realisatie_vorig"))

    def value_verschil(self, record):
        return _visible(record, "verschil")

    def value_verschil_pct(self, record):
        return _verschil_pct(record)

    def value_status(self, record):
        return _status(record)

    def value_risicoprofiel(self, record):
        code = self.labels.risk_profiles.get(record["pk"])
        return PROFILE_LABELS.get(code or "", "Niet bepaald")
