"""Exports with real numbers (xlsx, csv in both dialects, through `core.http.requested_export`):
the comparison of allocation variants and a kept settlement. Imports (django-import-export, on
`collaborations.resources`' machinery): the measures of a verdeelmodel per municipality and
year, and production counts per service line and period, written through
`allocation.services.inputs.update_measure` (the coördinator; every variant recomputed)."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError

from allocation.models import AllocationModel, Measure
from allocation.permissions import can_manage_allocation
from allocation.selectors import inputs_with_measure
from allocation.services.inputs import MeasureMeta, check_variants, measure_cells, update_measure
from collaborations.models import Participation
from collaborations.resources import (
    DateWidget,
    ImportRow,
    KeyedResource,
    MunicipalityWidget,
    NumberWidget,
    PartnershipWidget,
    TextWidget,
    YearWidget,
    key_field,
    value_field,
)
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


# --- Imports: measures and production counts ------------------------------------------------

MEASURE_MAX = Decimal("9999999999999999.9999")  # Measure.value: 20 digits, 4 decimals
META = ("omschrijving", "eenheid", "bron", "peildatum")
_NONE = {"omschrijving": "", "eenheid": "", "bron": "", "peildatum": None}


class CodeWidget(TextWidget):
    """A measure's code as the verdeelmodel names it (inwoners, duvo, meldingen_triage)."""

    def clean(self, value, row=None, **kwargs):
        code = super().clean(value, row, **kwargs)
        if not re.fullmatch(r"[-a-zA-Z0-9_]+", code):
            raise ValueError(
                f"'{code}' is geen code van een maat; gebruik letters, cijfers, - en _ "
                "(zoals inwoners of meldingen_triage)"
            )
        return code


class MeasureResource(KeyedResource):
    """Maten: a measure of a municipality for the verdeelmodel of a partnership and year (one
    value a year: inwoners, objective budgets). An empty value removes it: unknown, never 0.
    Description, unit, source and reference date hold for the whole measure of the model, as
    on the measure's page; columns left out keep what is stored."""

    title = "Maten"
    key_fields = ("partnership", "year", "municipality", "code")
    required_columns = ("Waarde",)
    periodic = False

    partnership = key_field("partnership", "Samenwerking", PartnershipWidget())
    year = key_field("year", "Jaar", YearWidget())
    municipality = key_field("municipality", "Gemeente", MunicipalityWidget(year_column="Jaar"))
    code = key_field("code", "Maat", CodeWidget(max_length=60, required=True, what="de maat"))
    value = value_field(
        "value",
        "Waarde",
        NumberWidget(
            places=4, minimum=Decimal(0), maximum=MEASURE_MAX, what="getal", number_format="getal"
        ),
    )
    omschrijving = value_field("omschrijving", "Omschrijving", TextWidget(max_length=200))
    eenheid = value_field("eenheid", "Eenheid", TextWidget(max_length=40))
    bron = value_field("bron", "Bron", TextWidget(max_length=300))
    peildatum = value_field("peildatum", "Peildatum", DateWidget())

    class Meta(KeyedResource.Meta):
        fields = ("partnership", "year", "municipality", "code", "value", *META)

    descriptions = {
        "Samenwerking": "Afkorting van de samenwerking met het verdeelmodel, zoals VTGM",
        "Jaar": "Het begrotingsjaar van het verdeelmodel",
        "Gemeente": "CBS-code (GM0202) of naam van een deelnemer",
        "Maat": "Code van de maat, zoals inwoners of duvo",
        "Waarde": "Een getal van 0 of meer; leeg = onbekend",
        "Periode": "Zoals 2016 of 2016-K1",
        "Omschrijving": "Geldt voor de hele maat",
        "Eenheid": "Zoals inwoners, EUR of aantal",
        "Bron": "Zoals CBS StatLine, 1 januari 2017",
        "Peildatum": "Een datum, zoals 1-1-2017",
    }
    example = {
        "Samenwerking": "VTGM",
        "Jaar": 2018,
        "Gemeente": "GM0202",
        "Maat": "inwoners",
        "Waarde": Decimal("153818"),
        "Omschrijving": "Aantal inwoners",
        "Eenheid": "inwoners",
        "Bron": "CBS StatLine",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._models: dict[tuple[int, int], AllocationModel | None] = {}
        self._stored: dict[int, dict[tuple, Measure]] = {}
        self._meta_seen: dict[tuple, tuple[int, tuple]] = {}

    @classmethod
    def export_rows(cls, participations: list[Participation]) -> list[ImportRow]:
        """The measures of these municipalities for every verdeelmodel they take part in."""
        by_partnership = {p.partnership_id: p for p in participations}
        rows = []
        models = AllocationModel.objects.filter(partnership_id__in=by_partnership)
        for model in models.select_related("partnership"):
            names = {d["naam"] for d in model.inputs.get("deelnemers", [])}
            municipality = by_partnership[model.partnership_id].municipality
            if municipality.name not in names:
                continue
            measures = Measure.objects.filter(
                municipality=municipality, year=model.year
            ).select_related("municipality")
            for m in measures.exclude(period="") if cls.periodic else measures.filter(period=""):
                rows.append(_measure_row(model, m))
        rows.sort(key=lambda r: (r.partnership.afkorting.casefold(), r.year, r.code, r.period))
        return rows

    def model(self, values: dict) -> AllocationModel:
        key = (values["partnership"].pk, values["year"])
        if key not in self._models:
            self._models[key] = (
                AllocationModel.objects.filter(partnership=values["partnership"], year=key[1])
                .select_related("partnership")
                .first()
            )
        model = self._models[key]
        if model is None:
            raise ValidationError(
                {
                    "partnership": f"{values['partnership'].afkorting} heeft geen verdeelmodel "
                    f"voor {values['year']}"
                }
            )
        return model

    def find(self, values: dict) -> ImportRow | None:
        model = self.model(values)
        names = {d["naam"] for d in model.inputs.get("deelnemers", [])}
        municipality = values["municipality"]
        if municipality.name not in names:
            raise ValidationError(
                {
                    "municipality": f"{municipality} is geen deelnemer van het verdeelmodel van "
                    f"{model.partnership.afkorting} {model.year}"
                }
            )
        if model.pk not in self._stored:
            self._stored[model.pk] = {
                (m.municipality_id, m.code, m.period): m
                for m in Measure.objects.filter(
                    year=model.year, municipality__name__in=names
                ).select_related("municipality")
            }
        period = values.get("period", "")
        stored = self._stored[model.pk]
        other_kind = any(
            code == values["code"] and bool(p) != self.periodic for (_, code, p) in stored
        )
        if other_kind:
            raise ValidationError(
                {
                    "code": f"de maat {values['code']} heeft "
                    + ("één waarde per jaar, geen perioden" if self.periodic else "perioden")
                    + f"; lees die in als {'Maten' if self.periodic else 'Productie'}"
                }
            )
        found = stored.get((municipality.pk, values["code"], period))
        return None if found is None else _measure_row(model, found)

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        instance.model = self.model(instance.__dict__)
        if new:
            instance.value = None
            instance.period = getattr(instance, "period", "")
            meta = self._stored_meta(instance.model, instance.code)
            for name in META:
                setattr(instance, name, meta.get(name))
        return instance, new

    def _stored_meta(self, model: AllocationModel, code: str) -> dict:
        for (_, stored_code, _), m in self._stored.get(model.pk, {}).items():
            if stored_code == code:
                return {name: getattr(m, name) for name in META}
        return {"omschrijving": "", "eenheid": "", "bron": "", "peildatum": None}

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        given = tuple(getattr(instance, name) for name in META if self.has(name))
        key = (instance.model.pk, instance.code)
        earlier = self._meta_seen.setdefault(key, (self.sheet_row, given))
        if earlier[1] != given:
            raise ValidationError(
                f"omschrijving, eenheid, bron en peildatum van {instance.code} verschillen van "
                f"rij {earlier[0]}; ze gelden voor de hele maat"
            )

    def check(self, row: ImportRow, is_new: bool) -> None:
        if not can_manage_allocation(self.user, row.model.partnership):
            raise ValidationError(
                f"de maten van het verdeelmodel wijzigt alleen de coördinator van "
                f"{row.model.partnership.afkorting}"
            )
        if not row.omschrijving:
            raise ValidationError(
                {"omschrijving": f"vul de omschrijving van de maat {row.code} in"}
            )

    def _groups(self) -> dict[tuple, list[ImportRow]]:
        groups: dict[tuple, list[ImportRow]] = defaultdict(list)
        for row in self.plan:
            groups[(row.model.pk, row.code)].append(row)
        return groups

    def _values(self, rows: list[ImportRow]) -> dict:
        values = measure_cells(rows[0].model, rows[0].code)
        for row in rows:
            values.setdefault(row.municipality.name, {})[row.period] = row.value
        return values

    def _measure_meta(self, rows: list[ImportRow]) -> MeasureMeta:
        first = rows[0]
        return MeasureMeta(
            omschrijving=first.omschrijving or "",
            eenheid=first.eenheid or "",
            bron=first.bron or "",
            peildatum=first.peildatum,
        )

    def after_import(self, dataset, result, **kwargs):
        """Every variant must still compute, as `update_measure` will check after each measure
        in turn: the preview checks the same states in the same order (each measure with the
        ones before it already in), so a file that would break a variant is refused before
        anything is confirmed."""
        applied: dict[int, dict] = {}
        for rows in self._groups().values():
            model, code = rows[0].model, rows[0].code
            meta, values = self._measure_meta(rows), self._values(rows)
            inputs = inputs_with_measure(model, code, meta, values)
            inputs["maten"].update(applied.get(model.pk, {}))
            try:
                check_variants(model, inputs)
            except ValidationError as exc:
                self.errors.append(
                    f"Maat {code} van {model.partnership.afkorting} {model.year}: "
                    + " ".join(exc.messages)
                )
            applied.setdefault(model.pk, {})[code] = inputs["maten"][code]
            stored = self._stored_meta(model, code)
            if any(self.has(n) and getattr(meta, n) != (stored[n] or _NONE[n]) for n in META):
                self.notes.append(
                    f"Omschrijving, eenheid, bron en peildatum van {code} gelden voor de hele "
                    f"maat: ze worden bij alle deelnemers van {model.partnership.afkorting} "
                    f"{model.year} bijgewerkt, ook bij gemeenten die niet in het bestand staan."
                )

    def apply(self) -> None:
        for rows in self._groups().values():
            update_measure(
                user=self.user,
                model=rows[0].model,
                code=rows[0].code,
                meta=self._measure_meta(rows),
                values=self._values(rows),
                original=None,
            )


class ProductionResource(MeasureResource):
    """Productie: production counts of a service line (a measure with periods, such as
    meldingen_triage for 2016 and 2017, or per quarter 2016-K1) per municipality."""

    title = "Productie"
    key_fields = ("partnership", "year", "municipality", "code", "period")
    required_columns = ("Aantal",)
    periodic = True

    period = key_field(
        "period", "Periode", TextWidget(max_length=20, required=True, what="de periode")
    )
    value = value_field(
        "value",
        "Aantal",
        NumberWidget(
            places=4, minimum=Decimal(0), maximum=MEASURE_MAX, what="aantal", number_format="getal"
        ),
    )

    class Meta(KeyedResource.Meta):
        fields = ("partnership", "year", "municipality", "code", "period", "value", *META)

    descriptions = {
        **MeasureResource.descriptions,
        "Maat": "Code van de productiemaat van een dienst, zoals meldingen_triage",
        "Aantal": "Het aantal in de periode; leeg = onbekend",
    }
    example = {
        **MeasureResource.example,
        "Maat": "onderzoeken",
        "Periode": "2016",
        "Aantal": Decimal("120"),
        "Omschrijving": "Onderzoeken per jaar",
        "Eenheid": "aantal",
        "Bron": "Registratie Veilig Thuis",
        "Waarde": None,
    }


def _measure_row(model: AllocationModel, m: Measure) -> ImportRow:
    return ImportRow(
        partnership=model.partnership,
        year=model.year,
        municipality=m.municipality,
        code=m.code,
        period=m.period,
        value=m.value,
        omschrijving=m.omschrijving,
        eenheid=m.eenheid,
        bron=m.bron,
        peildatum=m.peildatum,
        model=model,
        is_new=False,
    )
