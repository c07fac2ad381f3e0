"""Import of money lines: a line of a money table per table and year with its three columns.
Rows are planned by `collaborations.resources`' machinery and written through
`finance.services.save_table_year`, so an import checks what the grid checks — the clerk's
municipality or the partnership's coördinator, the open year — and keeps its history."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q

from collaborations.models import Participation
from collaborations.resources import (
    ChoiceWidget,
    ImportRow,
    KeyedResource,
    MunicipalityWidget,
    NumberWidget,
    PartnershipWidget,
    TextWidget,
    YearWidget,
    key_field,
    label_key,
    value_field,
)
from collaborations.services import require_open
from core.formatting import export_amount
from finance.models import FinanceAmount, FinanceRow, FinanceTableYear, Kind, Table
from finance.money import EMPTY, NVT, Cell, parse_cell
from finance.owners import is_shared, owner_fields
from finance.permissions import can_edit_table
from finance.selectors import table_version
from finance.services import GridRow, save_table_year

from .bulk import merge_table_year

TABLE_ALIASES = {
    "kosten": Table.KOSTEN,
    "inbreng financiele middelen": Table.KOSTEN,
    "resultaten": Table.RESULTATEN,
}
WHOLE_TABLE_NVT = "Hele tabel n.v.t."  # the category of a row: the whole table is n.v.t.


class CellWidget(NumberWidget):
    """A cell of a money table: an amount (zero is an amount), 'n.v.t.', or empty — not
    filled in. Three states, kept apart as the grid keeps them."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) or value is None:
            return parse_cell(value, lambda text: super(CellWidget, self).clean(text))
        return Cell(amount=super().clean(value))

    def render(self, value, obj=None, **kwargs):
        cell = value or EMPTY
        if kwargs.get("force_native_type"):
            return export_amount(cell)
        return "n.v.t." if cell.not_applicable else super().render(cell.amount)


class MoneyResource(KeyedResource):
    """Bedragen: one line (category) of a money table in one year, with its Begroting,
    Realisatie and the Begroting of the next year — the three columns of the grid.

    A line not in the file stays as it is; a column not in the file is left as it is stored;
    an empty cell is 'not filled in' (and removes a figure), 'n.v.t.' is n.v.t., 0 is € 0.
    The category 'Hele tabel n.v.t.' makes the whole table not applicable that year."""

    title = "Bedragen"
    key_fields = ("municipality", "partnership", "table", "label", "year")
    required_columns = ()

    municipality = key_field(
        "municipality", "Gemeente", MunicipalityWidget(year_column="Jaar", required=False)
    )
    partnership = key_field("partnership", "Samenwerking", PartnershipWidget())
    table = key_field(
        "table", "Tabel", ChoiceWidget(Table.choices, what="tabel", aliases=TABLE_ALIASES)
    )
    label = key_field(
        "label", "Categorie", TextWidget(max_length=200, required=True, what="de categorie")
    )
    year = key_field("year", "Jaar", YearWidget())
    begroting = value_field("begroting", "Begroting", CellWidget())
    realisatie = value_field("realisatie", "Realisatie", CellWidget())
    begroting_volgend = value_field("begroting_volgend", "Begroting volgend jaar", CellWidget())

    class Meta(KeyedResource.Meta):
        fields = (
            "municipality",
            "partnership",
            "table",
            "label",
            "year",
            "begroting",
            "realisatie",
            "begroting_volgend",
        )

    descriptions = {
        "Gemeente": "CBS-code (GM0983) of naam; leeg bij de gedeelde tabellen",
        "Samenwerking": "Afkorting, zoals ZVH",
        "Tabel": "Kosten, Baten, Financiële resultaten, Eigen vermogen of Vreemd vermogen",
        "Categorie": "Naam van de regel; 'Hele tabel n.v.t.' als de tabel dat jaar niet van "
        "toepassing is",
        "Jaar": "Het jaar van de tabel (1990–2100)",
        "Begroting": "Bedrag in euro's; leeg = niet ingevuld, n.v.t. = niet van toepassing",
        "Realisatie": "Bedrag in euro's; leeg = niet ingevuld, n.v.t. = niet van toepassing",
        "Begroting volgend jaar": "Begroting van het jaar erna (dezelfde als in die tabel)",
    }
    example = {
        "Gemeente": "GM0983",
        "Samenwerking": "ZVH",
        "Tabel": "Kosten (inbreng financiële middelen)",
        "Categorie": "Bijdrage Veiligheidshuis",
        "Jaar": 2017,
        "Begroting": Decimal("266733"),
        "Realisatie": Decimal("266733"),
        "Begroting volgend jaar": Decimal("270000"),
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._stored: dict[tuple, dict] = {}
        self._budgets: dict[tuple, tuple[int, Cell]] = {}

    def column_label(self, attribute: str, row: ImportRow | None) -> str:
        year = getattr(row, "year", None) if row is not None else None
        if year is not None and attribute in ("begroting", "realisatie", "begroting_volgend"):
            kind, shown = {
                "begroting": ("Begroting", year),
                "realisatie": ("Realisatie", year),
                "begroting_volgend": ("Begroting", year + 1),
            }[attribute]
            return f"{kind} {shown}"
        return super().column_label(attribute, row)

    @classmethod
    def export_rows(cls, participations: list[Participation]) -> list[ImportRow]:
        return money_rows(participations)

    # --- reading what is stored ---------------------------------------------------------

    def _owner(self, values: dict) -> Participation:
        partnership, municipality, table = (
            values["partnership"],
            values["municipality"],
            values["table"],
        )
        if municipality is None:
            if not is_shared(table):
                raise ValidationError(
                    {
                        "municipality": f"vul de gemeente in: {Table(table).label} hoort bij een "
                        "gemeente"
                    }
                )
            participations = self.participations_of(partnership)
            if not participations:
                raise ValidationError(
                    {"partnership": f"{partnership.afkorting} heeft geen deelnemers"}
                )
            return participations[0]
        return self.participation(partnership, municipality)

    def _table(self, participation: Participation, table: str) -> dict:
        """Everything stored of one owner's table, read once: its table-years, rows, lines
        and amounts (four queries)."""
        owner = owner_fields(participation, table)
        key = (owner["participation"] or owner["partnership"], table)
        found = self._stored.get(key)
        if found is None:
            years = {ty.year: ty for ty in FinanceTableYear.objects.filter(**owner, table=table)}
            rows = {
                (r.table_year.year, label_key(r.line.label)): r.line
                for r in FinanceRow.objects.filter(table_year__in=years.values()).select_related(
                    "line", "table_year"
                )
            }
            amounts = {
                (a.line_id, a.year, a.kind): NVT if a.not_applicable else Cell(amount=a.amount)
                for a in FinanceAmount.objects.filter(line__in=set(rows.values()))
            }
            found = {"years": years, "rows": rows, "amounts": amounts}
            self._stored[key] = found
        return found

    def find(self, values: dict) -> ImportRow | None:
        participation = self._owner(values)
        stored = self._table(participation, values["table"])
        year, name = values["year"], label_key(values["label"])
        context = {"participation": participation, "whole_table": name == _WHOLE}
        table_year = stored["years"].get(year)
        if context["whole_table"]:
            values = {**values, "label": WHOLE_TABLE_NVT}
            if table_year is None:
                return None
            cell = NVT if table_year.not_applicable else EMPTY
            return ImportRow(
                **values,
                **context,
                is_new=False,
                begroting=cell,
                realisatie=cell,
                begroting_volgend=cell,
                version=table_year.version,
            )
        line = stored["rows"].get((year, name))
        if line is None:
            return None
        amounts = stored["amounts"]
        return ImportRow(
            **{**values, "label": line.label},
            **context,
            is_new=False,
            begroting=amounts.get((line.pk, year, Kind.BEGROTING), EMPTY),
            realisatie=amounts.get((line.pk, year, Kind.REALISATIE), EMPTY),
            begroting_volgend=amounts.get((line.pk, year + 1, Kind.BEGROTING), EMPTY),
            version=table_year.version,
        )

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        if new:
            instance.participation = self._owner(instance.__dict__)
            instance.whole_table = label_key(instance.label) == _WHOLE
            if instance.whole_table:
                instance.label = WHOLE_TABLE_NVT
            instance.begroting = instance.realisatie = instance.begroting_volgend = EMPTY
        return instance, new

    def state_of(self, row: ImportRow) -> str:
        return f"{super().state_of(row)}@{getattr(row, 'version', None)}"

    # --- reading the file's row -----------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if instance.whole_table:
            cells = (instance.begroting, instance.realisatie, instance.begroting_volgend)
            if any(cell.filled for cell in cells):
                raise ValidationError(
                    {
                        "label": "een rij met categorie n.v.t. maakt de hele tabel niet van "
                        "toepassing; laat de bedragen leeg of vul n.v.t. in"
                    }
                )
            instance.begroting = instance.realisatie = instance.begroting_volgend = NVT
            return
        self._same_budget(instance, instance.year, "begroting", instance.begroting)
        self._same_budget(
            instance, instance.year + 1, "begroting_volgend", instance.begroting_volgend
        )

    def _same_budget(self, instance: ImportRow, year: int, attribute: str, cell: Cell) -> None:
        """The begroting of a year is one figure, shown by the row of that year and, as
        'Begroting volgend jaar', by the row of the year before: the two must agree."""
        if not self.has(attribute):
            return
        key = (instance.participation.pk, instance.table, label_key(instance.label), year)
        earlier = self._budgets.get(key)
        if earlier is None:
            self._budgets[key] = (self.sheet_row, cell)
        elif earlier[1] != cell:
            widget = self.fields[attribute].widget
            raise ValidationError(
                {
                    attribute: f"{widget.render(cell)} verschilt van rij {earlier[0]} "
                    f"({widget.render(earlier[1])}): het is dezelfde begroting {year}"
                }
            )

    def check(self, row: ImportRow, is_new: bool) -> None:
        if not can_edit_table(self.user, row.participation, row.table):
            who = (
                f"de coördinator van {row.partnership.afkorting}"
                if is_shared(row.table)
                else f"de invoerders van {row.participation.municipality}"
            )
            raise ValidationError(f"deze tabel wijzigt alleen {who}")
        if not is_shared(row.table):
            record = self.year_record(row.participation, row.year)
            if record is not None:
                try:
                    require_open(record)
                except ValidationError as exc:
                    raise ValidationError(
                        f"{row.participation.municipality} in {row.partnership.afkorting}: "
                        + " ".join(exc.messages)
                    ) from None

    # --- writing --------------------------------------------------------------------------

    def apply(self) -> None:
        """Per table and year, oldest year first: the file's lines set or added, the table's
        other lines left as they are (`merge_table_year`, in bulk), only the columns the file
        has; the row 'Hele tabel n.v.t.' saves the table as n.v.t. the way the grid does."""
        groups: dict[tuple, list[ImportRow]] = defaultdict(list)
        for row in self.plan:
            owner = owner_fields(row.participation, row.table)
            owner_pk = (owner["participation"] or owner["partnership"]).pk
            groups[(row.year, row.table, owner_pk)].append(row)
        columns = tuple(self.has(attribute) for attribute in _COLUMNS)
        for (year, table, _), rows in sorted(groups.items(), key=lambda item: item[0][:2]):
            participation = rows[0].participation
            if any(r.whole_table for r in rows):
                save_table_year(
                    user=self.user,
                    participation=participation,
                    table=table,
                    year=year,
                    rows=[],
                    not_applicable=True,
                    expected_version=table_version(participation, table, year),
                )
                continue
            merge_table_year(
                user=self.user,
                participation=participation,
                table=table,
                year=year,
                lines=[
                    GridRow(r.label, (r.begroting, r.realisatie, r.begroting_volgend)) for r in rows
                ],
                columns=columns,
                reason=self.reason,
            )


_COLUMNS = ("begroting", "realisatie", "begroting_volgend")
_WHOLE = label_key(WHOLE_TABLE_NVT)


def money_rows(participations: list[Participation]) -> list[ImportRow]:
    """Every table-year of these perspectives (Kosten, Baten) and of their partnerships'
    shared tables, as rows of the import: lines in the order of the grid, a table that is
    n.v.t. as one row 'n.v.t.' (five queries)."""
    by_pk = {p.pk: p for p in participations}
    first = {}
    for p in participations:
        first.setdefault(p.partnership_id, p)
    table_years = list(
        FinanceTableYear.objects.filter(
            Q(participation__in=participations)
            | Q(partnership_id__in=first, participation__isnull=True)
        ).select_related("partnership")
    )
    rows = defaultdict(list)
    for r in FinanceRow.objects.filter(table_year__in=table_years).select_related("line"):
        rows[r.table_year_id].append(r)
    lines = {r.line_id for found in rows.values() for r in found}
    amounts = {
        (a.line_id, a.year, a.kind): NVT if a.not_applicable else Cell(amount=a.amount)
        for a in FinanceAmount.objects.filter(line_id__in=lines)
    }
    order = {code: index for index, code in enumerate(Table.values)}
    out = []
    for ty in table_years:
        participation = by_pk.get(ty.participation_id) or first[ty.partnership_id]
        owner = {
            "municipality": None if is_shared(ty.table) else participation.municipality,
            "partnership": participation.partnership,
            "participation": participation,
            "table": ty.table,
            "year": ty.year,
        }
        if ty.not_applicable:
            out.append(
                ImportRow(
                    **owner,
                    label=WHOLE_TABLE_NVT,
                    begroting=NVT,
                    realisatie=NVT,
                    begroting_volgend=NVT,
                    order=-1,
                )
            )
            continue
        for r in rows[ty.pk]:
            out.append(
                ImportRow(
                    **owner,
                    label=r.line.label,
                    begroting=amounts.get((r.line_id, ty.year, Kind.BEGROTING), EMPTY),
                    realisatie=amounts.get((r.line_id, ty.year, Kind.REALISATIE), EMPTY),
                    begroting_volgend=amounts.get((r.line_id, ty.year + 1, Kind.BEGROTING), EMPTY),
                    order=(r.order, r.pk),
                )
            )
    out.sort(
        key=lambda row: (
            row.partnership.afkorting.casefold(),
            order[row.table],
            row.municipality.name if row.municipality else "",
            row.year,
            row.order if row.order != -1 else (-1, 0),
        )
    )
    return out
