"""Import of the municipality's split key (verdeelsleutel): one row per component of a year's
key, identified by what is shared ('Wat wordt gedeeld'). Written through
`finance.services.save_split_key`, so the clerk's municipality and the open year are checked as
the split-key form checks them; a component not in the file stays as it is."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError

from collaborations.models import Participation, YearRecord
from collaborations.permissions import user_can_edit
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
from collaborations.services import create_year_record, require_open
from finance.models import SplitKeyComponent
from finance.services import KeyComponentInput, save_split_key

Kind = SplitKeyComponent.Kind
KIND_ALIASES = {"percentage": Kind.AANDEEL, "aandeel": Kind.AANDEEL, "vast": Kind.VAST}
VALUES = (
    "kind",
    "basis",
    "base_amount",
    "share_percent",
    "fixed_amount",
    "applies_to_year",
    "kosten_line",
)


class SplitKeyResource(KeyedResource):
    """Verdeelsleutel: per municipality, partnership and year of section C the components of
    its key — a share of a base amount, or a fixed amount — with the budget year they apply to
    and the Kosten line they pay for."""

    title = "Verdeelsleutel"
    key_fields = ("municipality", "partnership", "year", "omschrijving")
    required_columns = ("Soort",)

    municipality = key_field("municipality", "Gemeente", MunicipalityWidget(year_column="Jaar"))
    partnership = key_field("partnership", "Samenwerking", PartnershipWidget())
    year = key_field("year", "Jaar", YearWidget())
    omschrijving = key_field(
        "omschrijving",
        "Wat wordt gedeeld",
        TextWidget(max_length=200, required=True, what="wat er wordt gedeeld"),
    )
    kind = value_field(
        "kind", "Soort", ChoiceWidget(Kind.choices, what="soort", aliases=KIND_ALIASES)
    )
    basis = value_field("basis", "Grondslag", TextWidget(max_length=200))
    base_amount = value_field("base_amount", "Te verdelen bedrag", NumberWidget())
    share_percent = value_field(
        "share_percent",
        "Aandeel van de gemeente (%)",
        NumberWidget(
            places=6,
            minimum=Decimal(0),
            maximum=Decimal(100),
            what="percentage",
            number_format="procent",
        ),
    )
    fixed_amount = value_field("fixed_amount", "Vast bedrag", NumberWidget())
    applies_to_year = value_field("applies_to_year", "Begrotingsjaar", YearWidget())
    kosten_line = value_field("kosten_line", "Regel in Kosten", TextWidget(max_length=200))

    class Meta(KeyedResource.Meta):
        fields = ("municipality", "partnership", "year", "omschrijving", *VALUES)

    descriptions = {
        "Gemeente": "CBS-code (GM0983) of naam",
        "Samenwerking": "Afkorting, zoals ZVH",
        "Jaar": "Het jaar van sectie C",
        "Wat wordt gedeeld": "Bijvoorbeeld: bijdrage Veiligheidshuis",
        "Soort": "Percentage van een bedrag, of Vast bedrag",
        "Grondslag": "Bijvoorbeeld: op basis van uitstroom ex-gedetineerden",
        "Te verdelen bedrag": "Bij een percentage: het bedrag dat wordt verdeeld",
        "Aandeel van de gemeente (%)": "Bij een percentage: het aandeel, zoals 48,62%",
        "Vast bedrag": "Bij een vast bedrag: het bedrag",
        "Begrotingsjaar": "Het jaar waarvan de begroting met deze sleutel is verdeeld",
        "Regel in Kosten": "De regel van de tabel Kosten die dit betaalt (mag leeg)",
    }
    example = {
        "Gemeente": "GM0983",
        "Samenwerking": "ZVH",
        "Jaar": 2017,
        "Wat wordt gedeeld": "Bijdrage Veiligheidshuis",
        "Soort": "Percentage van een bedrag",
        "Grondslag": "Op basis van inwoners",
        "Te verdelen bedrag": Decimal("510245"),
        "Aandeel van de gemeente (%)": Decimal("48.62"),
        "Begrotingsjaar": 2017,
        "Regel in Kosten": "Bijdrage Veiligheidshuis",
    }

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._components: dict[int, dict[str, SplitKeyComponent]] = {}

    @classmethod
    def export_rows(cls, participations: list[Participation]) -> list[ImportRow]:
        components = SplitKeyComponent.objects.filter(
            year_record__participation__in=participations
        ).select_related(
            "kosten_line",
            "year_record__participation__municipality",
            "year_record__participation__partnership",
        )
        rows = [_row(c, c.year_record) for c in components]
        rows.sort(key=lambda r: (r.partnership.afkorting.casefold(), r.year, r.order))
        return rows

    def find(self, values: dict) -> ImportRow | None:
        participation = self.participation(values["partnership"], values["municipality"])
        record = self.year_record(participation, values["year"])
        if record is None:
            return None
        if record.pk not in self._components:
            self._components[record.pk] = {
                label_key(c.omschrijving): c
                for c in record.split_key_components.select_related("kosten_line")
            }
        found = self._components[record.pk].get(label_key(values["omschrijving"]))
        return None if found is None else _row(found, record, participation)

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        if new:
            instance.participation = self.participation(instance.partnership, instance.municipality)
            instance.record = self.year_record(instance.participation, instance.year)
            for name in VALUES:
                setattr(instance, name, "" if name in ("basis", "kosten_line") else None)
        return instance, new

    def check(self, row: ImportRow, is_new: bool) -> None:
        municipality = row.participation.municipality
        if not user_can_edit(self.user, municipality):
            raise ValidationError(
                f"de verdeelsleutel wijzigen alleen de invoerders van {municipality}"
            )
        missing = {}
        if row.kind is None:
            missing["kind"] = "vul de soort in: Percentage van een bedrag of Vast bedrag"
        elif row.kind == Kind.AANDEEL:
            for name, what in (
                ("base_amount", "het te verdelen bedrag"),
                ("share_percent", "het aandeel"),
            ):
                if getattr(row, name) is None:
                    missing[name] = f"vul {what} in (bij een percentage van een bedrag)"
        elif row.fixed_amount is None:
            missing["fixed_amount"] = "vul het vaste bedrag in"
        if row.applies_to_year is None:
            missing["applies_to_year"] = "vul het begrotingsjaar in"
        if missing:
            raise ValidationError(missing)
        if row.record is None:
            note = (
                f"{municipality} heeft in {row.partnership.afkorting} nog geen jaar {row.year}: "
                "het wordt aangemaakt als concept."
            )
            if note not in self.notes:
                self.notes.append(note)
            return
        try:
            require_open(row.record)
        except ValidationError as exc:
            raise ValidationError(
                f"{municipality} in {row.partnership.afkorting}: {' '.join(exc.messages)}"
            ) from None

    def apply(self) -> None:
        """One save of the key per year: the stored components in their order, the file's in
        their place (or after them when new)."""
        groups: dict[tuple[int, int], list[ImportRow]] = defaultdict(list)
        for row in self.plan:
            groups[(row.participation.pk, row.year)].append(row)
        for rows in groups.values():
            participation, year = rows[0].participation, rows[0].year
            record = YearRecord.objects.filter(participation=participation, year=year).first()
            if record is None:
                record = create_year_record(user=self.user, participation=participation, year=year)
            components = {
                label_key(c.omschrijving): _input(_row(c, record, participation))
                for c in record.split_key_components.select_related("kosten_line")
            }
            for row in rows:
                components[label_key(row.omschrijving)] = _input(row)
            save_split_key(
                user=self.user,
                record=record,
                components=list(components.values()),
                expected_version=record.version,
            )


def _row(component: SplitKeyComponent, record: YearRecord, participation=None) -> ImportRow:
    participation = participation or record.participation
    return ImportRow(
        municipality=participation.municipality,
        partnership=participation.partnership,
        participation=participation,
        record=record,
        year=record.year,
        omschrijving=component.omschrijving,
        kind=component.kind,
        basis=component.basis,
        base_amount=component.base_amount,
        share_percent=component.share_percent,
        fixed_amount=component.fixed_amount,
        applies_to_year=component.applies_to_year,
        kosten_line=component.kosten_line.label if component.kosten_line else "",
        order=(component.order, component.pk),
        is_new=False,
    )


def _input(row: ImportRow) -> KeyComponentInput:
    return KeyComponentInput(
        omschrijving=row.omschrijving,
        basis=row.basis or "",
        kind=row.kind,
        base_amount=row.base_amount,
        share_percent=row.share_percent,
        fixed_amount=row.fixed_amount,
        applies_to_year=row.applies_to_year,
        kosten_line_label=row.kosten_line or "",
    )
