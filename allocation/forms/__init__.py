"""Forms of the verdeelmodel pages."""

from decimal import Decimal

from django import forms

from core.formatting import NumberParseError, parse_decimal
from core.forms import DutchDecimalField, ErrorSummaryMixin, error_items


class SettlementForm(ErrorSummaryMixin, forms.Form):
    """Settle a year-end result: a deficit (positive) or surplus (negative) split pro rata."""

    resultaat = DutchDecimalField(
        label="Te verrekenen resultaat (€)",
        help_text="Een tekort als positief bedrag, een overschot met een minteken: −120.000.",
    )
    sleutel = forms.ChoiceField(label="Verdelen")

    def __init__(self, *args, measures: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sleutel"].choices = measures


CODE_HELP = (
    "Kleine letters, cijfers en _; zo verwijzen de varianten ernaar (bijvoorbeeld begroting)."
)


class ParameterForm(ErrorSummaryMixin, forms.Form):
    """One parameter of the model: the budget, a tariff, an amount paid up front."""

    code = forms.SlugField(label="Code", max_length=60, help_text=CODE_HELP)
    omschrijving = forms.CharField(label="Omschrijving", max_length=200, required=False)
    waarde = DutchDecimalField(label="Waarde", decimal_places=6, min_value=Decimal(0))
    bron = forms.CharField(label="Bron", max_length=300, required=False)


class BaseParameterFormSet(forms.BaseFormSet):
    def error_summary(self) -> list[tuple[str, str, str]]:
        """Every error named by its row and column: "Rij 2, Waarde: …"."""
        items = [("", "", str(e)) for e in self.non_form_errors()]
        for number, form in enumerate(self.forms, start=1):
            row = form["code"].value() or f"rij {number}"
            items += [
                (anchor, f"Parameter {row}, {label}" if label else f"Parameter {row}", message)
                for anchor, label, message in error_items(form)
            ]
        return items

    def clean(self):
        codes = [
            f.cleaned_data.get("code")
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        doubles = sorted({c for c in codes if c and codes.count(c) > 1})
        if doubles:
            raise forms.ValidationError(
                f"Elke parameter mag maar één keer voorkomen: {', '.join(doubles)}."
            )


ParameterFormSet = forms.formset_factory(
    ParameterForm, formset=BaseParameterFormSet, extra=1, can_delete=True, max_num=60
)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class PasteError(ValueError):
    """A pasted column that cannot be read: the message names the line."""


def read_pasted_column(text: str, names: list[str]) -> dict[str, Decimal | None]:
    """A column pasted from a spreadsheet: either one value per line in the participants'
    order, or lines "naam<tab>waarde" (also ";"), in any order. Empty values stay unknown."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    named = any("\t" in line or ";" in line for line in lines)
    values: dict[str, Decimal | None] = {}
    by_lower = {n.lower(): n for n in names}
    if not named and len(lines) != len(names):
        raise PasteError(
            f"Er zijn {len(lines)} regels geplakt voor {len(names)} gemeenten. Plak één waarde "
            "per gemeente in de volgorde van de tabel, of regels met naam en waarde."
        )
    for number, line in enumerate(lines, start=1):
        if named:
            name, _, raw = line.replace(";", "\t").partition("\t")
            name = name.strip()
            if not name:
                continue
            if name.lower() not in by_lower:
                raise PasteError(f"Regel {number}: “{name}” is geen deelnemer van dit model.")
            name = by_lower[name.lower()]
        else:
            name, raw = names[number - 1], line
        raw = raw.strip()
        if not raw:
            values[name] = None
            continue
        try:
            values[name] = parse_decimal(raw)
        except NumberParseError as exc:
            raise PasteError(f"Regel {number} ({name}): {exc}") from exc
        if values[name] < 0:
            raise PasteError(f"Regel {number} ({name}): een maat kan niet negatief zijn.")
    return values


class MeasureForm(ErrorSummaryMixin, forms.Form):
    """One measure for every participant of the model (and every period, for production
    counts), with its description, source and reference date; or pasted as a column."""

    omschrijving = forms.CharField(label="Omschrijving", max_length=200)
    eenheid = forms.CharField(label="Eenheid", max_length=40, required=False)
    bron = forms.CharField(label="Bron", max_length=300, required=False)
    peildatum = forms.DateField(
        label="Peildatum",
        required=False,
        help_text="Bijvoorbeeld 1-1-2017.",
        input_formats=["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(format="%d-%m-%Y"),
    )
    plakken = forms.CharField(
        label="Een kolom plakken (optioneel)",
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Uit een spreadsheet: één waarde per gemeente in de volgorde van de tabel, of "
        "per regel naam en waarde. Wat u plakt, vervangt de waarden in de tabel.",
    )
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, names: list[str], periods: list[str], new: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.names, self.periods = names, periods or [""]
        if new:
            self.fields = {
                "code": forms.SlugField(label="Code", max_length=60, help_text=CODE_HELP),
                **self.fields,
            }
        for index, name in enumerate(names):
            for column, period in enumerate(self.periods):
                label = name if not period else f"{name}, {period}"
                self.fields[self.cell_name(index, column)] = DutchDecimalField(
                    label=label, required=False, decimal_places=4, min_value=Decimal(0)
                )

    @staticmethod
    def cell_name(index: int, column: int) -> str:
        return f"w_{index}_{column}"

    def rows(self):
        """Per participant its name and its cells, for the table."""
        return [
            (name, [self[self.cell_name(i, c)] for c in range(len(self.periods))])
            for i, name in enumerate(self.names)
        ]

    def clean(self):
        cleaned = super().clean()
        pasted = cleaned.get("plakken", "")
        if pasted.strip():
            if len(self.periods) > 1:
                self.add_error(
                    "plakken", "Plakken kan alleen bij een maat met één waarde per jaar."
                )
                return cleaned
            try:
                column = read_pasted_column(pasted, self.names)
            except PasteError as exc:
                self.add_error("plakken", str(exc))
                return cleaned
            for index, name in enumerate(self.names):
                if name in column:
                    cleaned[self.cell_name(index, 0)] = column[name]
        return cleaned

    def values(self) -> dict[str, dict[str, Decimal | None]]:
        return {
            name: {
                period: self.cleaned_data.get(self.cell_name(i, c))
                for c, period in enumerate(self.periods)
            }
            for i, name in enumerate(self.names)
        }
