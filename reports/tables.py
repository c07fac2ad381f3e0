"""The totaaloverzicht as a django-tables2 table: sortable, with totals, exportable.

`render_*` gives the Dutch text for the page; `value_*` gives real numbers for xlsx/csv.
"""

from decimal import Decimal

import django_tables2 as tables

from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html

from core.exports import safe_text
from core.templatetags.nl import NOT_FILLED_IN, euro, procentverschil, verschil
from finance.money import Cell, percent_change

STATUS = {"gepubliceerd": "Gepubliceerd", "concept": "Concept"}


def _visible(record, name: str) -> Decimal | None:
    if getattr(record, "has_published", True) is False:
        return None  # the public sees money only of partnerships with published data
    return getattr(record, name)


def _sum(table, name: str) -> Decimal | None:
    values = [_visible(r, name) for r in table.data]
    values = [v for v in values if v is not None]
    return sum(values, Decimal(0)) if values else None


class MoneyColumn(tables.Column):
    """Right-aligned; rendered even when empty, so "not filled in" shows as "…", not "—".

    `numeric` tells the table template to right-align the cells (cheaper than per-cell attrs).
    """

    numeric = True

    def __init__(self, *args, **kwargs):
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
    samenwerking = tables.Column(
        verbose_name="Samenwerking", accessor="partnership__name", order_by="partnership__name"
    )
    onderwerpen = tables.Column(verbose_name="Onderwerpen", accessor="pk", orderable=False)
    vorm = tables.Column(
        verbose_name="Vorm", accessor="partnership__vorm__label", default="Niet ingevuld"
    )
    bbv = tables.Column(
        verbose_name="BBV-categorie",
        accessor="partnership__bbv_categorie__label",
        default="Niet ingedeeld",
    )
    verbonden = tables.Column(verbose_name="Verbonden partij")
    belangrijkheid = tables.Column(verbose_name="Belangrijk voor", accessor="pk", orderable=False)
    begroting = MoneyColumn(verbose_name="Bijdrage begroting {jaar}")
    realisatie_vorig = MoneyColumn(verbose_name="Bijdrage realisatie {vorig}")
    verschil = MoneyColumn(verbose_name="Begroting t.o.v. {vorig}")
    verschil_pct = MoneyColumn(verbose_name="Begroting t.o.v. {vorig} (%)")
    status = tables.Column(verbose_name="Status {jaar}", accessor="status_jaar", default="")

    class Meta:
        template_name = "partials/table.html"
        attrs = {"class": "utrecht-table money", "th": {"class": "utrecht-table__header-cell"}}
        orderable = True
        empty_text = "Geen samenwerkingen gevonden met deze filters."

    def __init__(self, *args, year: int, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.municipality = municipality
        self.detail_prefix = reverse("reports:overview", args=[municipality.slug])
        self.caption = f"Samenwerkingen van {municipality.name}: bijdrage {year}"
        for column in ("begroting", "realisatie_vorig", "verschil", "verschil_pct", "status"):
            bound = self.columns[column]
            bound.column.verbose_name = str(bound.column.verbose_name).format(
                jaar=year, vorig=year - 1
            )
        self.columns["begroting"].column.footer = lambda table: euro(_sum(table, "begroting"))
        self.columns["realisatie_vorig"].column.footer = lambda table: euro(
            _sum(table, "realisatie_vorig")
        )

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

    # --- page rendering -------------------------------------------------------------------

    def render_samenwerking(self, record):
        url = f"{self.detail_prefix}{record.partnership.slug}/"
        return format_html(
            '<a class="utrecht-link" href="{}">{} ({})</a>',
            url,
            record.partnership.name,
            record.partnership.afkorting,
        )

    def render_onderwerpen(self, record):
        return "; ".join(t.label for t in record.partnership.onderwerp_list) or "—"

    def render_belangrijkheid(self, record):
        return "; ".join(t.label for t in record.belang_wie_list) or "—"

    def render_verbonden(self, value):
        return {"ja": "Ja", "nee": "Nee"}.get(value, "Onbekend")

    def _money(self, record, name):
        value = _visible(record, name)
        return euro(value) if value is not None else NOT_FILLED_IN

    def render_begroting(self, record):
        return self._money(record, "begroting")

    def render_realisatie_vorig(self, record):
        return self._money(record, "realisatie_vorig")

    def render_verschil(self, record):
        return verschil(_visible(record, "verschil"))

    def render_verschil_pct(self, record):
        return procentverschil(self.value_verschil_pct(record))

    def render_status(self, record):
        status = STATUS.get(record.status_jaar, "Niet ingevuld")
        if record.status_jaar and not record.nagekeken_jaar:
            status += ", niet nagekeken"
        return status

    # --- export: real numbers -------------------------------------------------------------

    def value_samenwerking(self, record):
        return safe_text(f"{record.partnership.name} ({record.partnership.afkorting})")

    def value_onderwerpen(self, record):
        return safe_text(self.render_onderwerpen(record))

    def value_belangrijkheid(self, record):
        return safe_text(self.render_belangrijkheid(record))

    def value_vorm(self, value):
        return safe_text(value or "")

    def value_bbv(self, value):
        return safe_text(value or "")

    def value_begroting(self, record):
        return _visible(record, "begroting")

    def value_realisatie_vorig(self, record):
        return _visible(record, "realisatie_vorig")

    def value_verschil(self, record):
        return _visible(record, "verschil")

    def value_verschil_pct(self, record):
        """Exact: (begroting − begroting vorig jaar) / begroting vorig jaar × 100."""
        change = percent_change(
            Cell(amount=_visible(record, "begroting_vorig")),
            Cell(amount=_visible(record, "begroting")),
        )
        return None if change is None else round(change, 1)

    def value_status(self, record):
        return self.render_status(record)
