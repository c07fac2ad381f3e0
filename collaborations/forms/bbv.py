"""The forms of section C's parts "Verbonden partij" (the BBV figures) and "Risico's" (the risk
register, a table of rows). Both carry the year record's `version` (optimistic locking) and the
values they showed (`original`), and save through `collaborations.services.bbv`.

An amount has three states, as in the money tables: empty is *niet ingevuld*, "n.v.t." is *niet
van toepassing*, and any number — also 0 — is an amount."""

from __future__ import annotations

import json
from decimal import Decimal

from django import forms

from collaborations import iv3
from collaborations.models import BbvFigures, Risk, YearRecord
from collaborations.models.bbv import BBV_AMOUNTS, BBV_TEXTS, EconomicCategory
from collaborations.risks import PROBABILITY_CHOICES
from collaborations.services import bbv as services
from core.forms import DutchDecimalField, VersionedForm
from core.locking import as_text

from . import KIES
from .records import RowForm, RowFormSet

NVT_TEXT = "n.v.t."
NVT_WORDS = {"nvt", "n.v.t.", "n.v.t", "niet van toepassing"}
AMOUNT_HELP = "Een bedrag in euro's; leeg is niet ingevuld, “n.v.t.” is niet van toepassing."


class AmountOrNvtField(DutchDecimalField):
    """An amount, "n.v.t." or nothing → (amount or None, n.v.t.?)."""

    def prepare_value(self, value):
        if isinstance(value, tuple):
            amount, nvt = value
            return NVT_TEXT if nvt else super().prepare_value(amount)
        return super().prepare_value(value)

    def to_python(self, value):
        if isinstance(value, str) and value.strip().lower() in NVT_WORDS:
            return (None, True)
        return (super().to_python(value), False)


def _area(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "utrecht-textarea"})


class BbvForm(VersionedForm):
    """BBV art. 15 per verbonden partij, for this year."""

    service = staticmethod(services.update_bbv)

    def __init__(self, data=None, *, record: YearRecord, **kwargs):
        self.record = record
        figures = getattr(record, "bbv", None) if _has_bbv(record) else None
        initial = {"version": record.version, "original": json.dumps(self.current_values(record))}
        if figures is not None:
            initial |= {name: getattr(figures, name) for name in BBV_TEXTS}
            initial |= {
                name: (getattr(figures, name), getattr(figures, f"{name}_nvt"))
                for name, _ in BBV_AMOUNTS
            }
        kwargs.setdefault("initial", initial)
        super().__init__(data, **kwargs)
        model = BbvFigures._meta
        for name in ("bestuurlijk_belang_begin", "bestuurlijk_belang_eind"):
            self.fields[name] = forms.CharField(
                label=model.get_field(name).verbose_name.capitalize(),
                required=False,
                max_length=model.get_field(name).max_length,
                widget=_area(2),
                help_text="Bijvoorbeeld: de burgemeester is lid van het algemeen bestuur, "
                "één stem van vijftien.",
            )
        for name, label in BBV_AMOUNTS:
            self.fields[name] = AmountOrNvtField(label=label, required=False, help_text=AMOUNT_HELP)
        self.fields["financieel_belang_begin"].help_text = (
            "Het bedrag dat de gemeente kwijt is of moet bijdragen als de partij failliet gaat "
            "of haar verplichtingen niet nakomt. " + AMOUNT_HELP
        )
        self.fields["ontwikkelingen"] = forms.CharField(
            label="Ontwikkelingen",
            required=False,
            max_length=model.get_field("ontwikkelingen").max_length,
            widget=_area(4),
            help_text="Beleidsmatige, bestuurlijke en financiële ontwikkelingen bij de partij.",
        )
        self.fields["programma"] = forms.CharField(
            label="Programma van de gemeente",
            required=False,
            max_length=model.get_field("programma").max_length,
            help_text="Het programma van de begroting waaraan de partij bijdraagt.",
        )
        self.fields["taakveld"] = forms.ChoiceField(
            label="Iv3-taakveld van de bijdrage",
            required=False,
            choices=[("", KIES), *iv3.taakveld_choices()],
        )
        default = iv3.default_category(_form_code(record))
        default_label = EconomicCategory(default).label if default else "geen"
        self.fields["economische_categorie"] = forms.ChoiceField(
            label="Economische categorie van de bijdrage",
            required=False,
            choices=[("", f"Afgeleid uit de vorm ({default_label})"), *EconomicCategory.choices],
            help_text="4.3.3 voor een openbaar lichaam of bedrijfsvoeringsorganisatie, 4.3.2 "
            "voor betalingen aan een centrumgemeente.",
        )
        self.order_fields(
            ["version", "original", "bestuurlijk_belang_begin", "bestuurlijk_belang_eind"]
            + [name for name, _ in BBV_AMOUNTS]
            + ["ontwikkelingen", "programma", "taakveld", "economische_categorie"]
        )

    @staticmethod
    def current_values(record: YearRecord) -> dict[str, str]:
        return {name: as_text(value) for name, value in services.bbv_state(record).items()}

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in BBV_TEXTS}
        for name, _ in BBV_AMOUNTS:
            values[name], values[f"{name}_nvt"] = data[name] or (None, False)
        return {"record": self.record, "values": values}


def _has_bbv(record: YearRecord) -> bool:
    try:
        record.bbv  # noqa: B018 - the reverse one-to-one raises when there is none
    except BbvFigures.DoesNotExist:
        return False
    return True


def _form_code(record: YearRecord) -> str:
    vorm = record.participation.partnership.vorm
    return vorm.code if vorm else ""


class RiskRowForm(RowForm):
    row_word = "Risico"
    omschrijving = forms.CharField(
        label="Omschrijving",
        max_length=Risk._meta.get_field("omschrijving").max_length,
        widget=_area(2),
        error_messages={"required": "Beschrijf het risico."},
    )
    kans = forms.TypedChoiceField(
        label="Kans",
        choices=[("", KIES), *PROBABILITY_CHOICES],
        coerce=int,
        error_messages={
            "required": "Kies de kans: 10%, 30%, 50%, 70% of 90%.",
            "invalid_choice": "Kies de kans: 10%, 30%, 50%, 70% of 90%.",
        },
    )
    effect = DutchDecimalField(label="Financieel effect (€)", required=False, min_value=Decimal(0))
    maatregelen = forms.CharField(
        label="Beheersmaatregelen",
        required=False,
        max_length=Risk._meta.get_field("maatregelen").max_length,
        widget=_area(2),
    )


RiskFormSet = forms.formset_factory(RiskRowForm, formset=RowFormSet, extra=1, can_delete=True)


class RisksForm(VersionedForm):
    """The risk register of the year: a table of risks (a formset, `self.formset`)."""

    service = staticmethod(services.update_risks)
    rows = (
        "Risico's",
        "Eén rij per risico. Kies de kans; het verwachte bedrag (kans × effect) wordt berekend. "
        "Laat het effect leeg als het onbekend is.",
        "Risico toevoegen",
    )

    def __init__(self, data=None, *, record: YearRecord, **kwargs):
        self.record = record
        kwargs.setdefault(
            "initial",
            {"version": record.version, "original": json.dumps(self.current_values(record))},
        )
        super().__init__(data, **kwargs)
        initial = [
            {"id": r.pk, **{n: getattr(r, n) for n in RiskRowForm.base_fields if n != "id"}}
            for r in record.risks.all()
        ]
        self.formset = RiskFormSet(data, initial=initial, prefix="risico")

    @staticmethod
    def current_values(record: YearRecord) -> dict[str, str]:
        return {name: as_text(value) for name, value in services.risks_state(record).items()}

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.formset.is_valid()])

    def error_summary(self):
        return super().error_summary() + self.formset.error_summary()

    def service_kwargs(self) -> dict:
        return {"record": self.record, "risks": self.formset.rows(services.RiskRow)}
