"""The editable grid of a money table, and the structured split key."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from core.formatting import NumberParseError, format_number, parse_decimal
from core.forms import DutchDecimalField, FormSetErrorSummaryMixin, VersionedForm, amount_error

from .models import SplitKeyComponent
from .money import Cell, FillState, parse_cell
from .services import GridRow, KeyComponentInput


class CellField(forms.CharField):
    """A grid cell: empty or "…" = not filled in, "n.v.t." = not applicable, else an amount."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"inputmode": "decimal", "autocomplete": "off", "class": "grid-cell"}
        )

    def to_python(self, value) -> Cell:
        try:
            cell = parse_cell(value, parse_decimal)
        except NumberParseError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        problem = None if cell.amount is None else amount_error(cell.amount)
        if problem:
            raise ValidationError(problem, code="invalid")
        return cell


def cell_text(cell: Cell | None) -> str:
    """How a stored cell is shown in the grid input: 1.281.406 / 1.234.567,89 / n.v.t. / ''."""
    if cell is None or cell.state == FillState.EMPTY:
        return ""
    if cell.state == FillState.NOT_APPLICABLE:
        return "n.v.t."
    decimals = 0 if cell.amount == cell.amount.to_integral_value() else 2
    return format_number(cell.amount, decimals)


class GridRowForm(forms.Form):
    label = forms.CharField(required=False, max_length=200)
    begroting = CellField()
    realisatie = CellField()
    begroting_volgend = CellField()

    def __init__(self, *args, headers: list[str], first_column: str, **kwargs):
        super().__init__(*args, **kwargs)
        number = (self.prefix or "").rsplit("-", 1)[-1]
        row = f"Regel {int(number) + 1}" if number.isdigit() else "Nieuwe regel"
        self.row_name = row
        self.fields["label"].label = f"{row}, {first_column}"
        for name, header in zip(
            ("begroting", "realisatie", "begroting_volgend"), headers, strict=True
        ):
            self.fields[name].label = f"{row}, {header}"

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not data.get("label", "").strip() and all(
            data.get(n, Cell()).state == FillState.EMPTY
            for n in ("begroting", "realisatie", "begroting_volgend")
        )


class BaseGridFormSet(FormSetErrorSummaryMixin, forms.BaseFormSet):
    def __init__(self, *args, headers: list[str], first_column: str, **kwargs):
        self.headers = headers
        self.first_column = first_column
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"headers": self.headers, "first_column": self.first_column}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = f"{form.row_name}, volgorde"
        form.fields["DELETE"].label = f"{form.row_name} verwijderen"

    def clean(self):
        for form in self.forms:
            if not form.is_valid() or form in self.deleted_forms:
                continue
            if not form.cleaned_data.get("label", "").strip() and not form.is_blank():
                form.add_error("label", "Vul een categorie in voor de bedragen op deze regel.")

    def grid_rows(self) -> list[GridRow]:
        forms_in_order = [f for f in self.ordered_forms if not f.is_blank()]
        return [
            GridRow(
                label=f.cleaned_data["label"].strip(),
                cells=(
                    f.cleaned_data["begroting"],
                    f.cleaned_data["realisatie"],
                    f.cleaned_data["begroting_volgend"],
                ),
            )
            for f in forms_in_order
        ]


GridFormSet = forms.formset_factory(
    GridRowForm, formset=BaseGridFormSet, extra=2, can_order=True, can_delete=True
)


class TableMetaForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # the versions of last year's and next year's table, which show figures this grid writes
    version_previous = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version_next = forms.IntegerField(required=False, widget=forms.HiddenInput)
    confirm_loss = forms.BooleanField(
        label="Ja, verwijder deze regels met hun bedragen", required=False
    )
    not_applicable = forms.BooleanField(
        label="Deze tabel is dit jaar niet van toepassing (n.v.t.)", required=False
    )


class SplitKeyForm(forms.Form):
    kind = forms.ChoiceField(label="Soort", choices=SplitKeyComponent.Kind.choices)
    omschrijving = forms.CharField(label="Wat wordt gedeeld", max_length=200)
    basis = forms.CharField(label="Grondslag", max_length=200, required=False)
    base_amount = DutchDecimalField(label="Te verdelen bedrag (€)", required=False)
    share_percent = DutchDecimalField(
        label="Aandeel van de gemeente (%)", required=False, allow_percent=True, decimal_places=6
    )
    fixed_amount = DutchDecimalField(label="Vast bedrag (€)", required=False)
    applies_to_year = forms.IntegerField(label="Begrotingsjaar", min_value=1990, max_value=2100)
    kosten_line_label = forms.ChoiceField(label="Hoort bij regel in Kosten", required=False)

    def __init__(self, *args, line_choices: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        number = (self.prefix or "").rsplit("-", 1)[-1]
        self.row_name = f"Onderdeel {int(number) + 1}" if number.isdigit() else "Onderdeel"
        self.fields["kosten_line_label"].choices = [("", "— geen —")] + [
            (label, label) for label in line_choices
        ]
        for field in self.fields.values():
            field.label = f"{self.row_name}: {field.label}"

    def clean(self):
        data = super().clean()
        if data.get("kind") == SplitKeyComponent.Kind.AANDEEL:
            for name in ("base_amount", "share_percent"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "Vul dit in voor een percentage van een bedrag.")
        elif data.get("kind") == SplitKeyComponent.Kind.VAST and data.get("fixed_amount") is None:
            self.add_error("fixed_amount", "Vul het vaste bedrag in.")
        return data

    def to_input(self) -> KeyComponentInput:
        d = self.cleaned_data
        return KeyComponentInput(
            omschrijving=d["omschrijving"],
            basis=d["basis"],
            kind=d["kind"],
            base_amount=d["base_amount"],
            share_percent=d["share_percent"],
            fixed_amount=d["fixed_amount"],
            applies_to_year=d["applies_to_year"],
            kosten_line_label=d["kosten_line_label"],
        )


class BaseSplitKeyFormSet(FormSetErrorSummaryMixin, forms.BaseFormSet):
    def __init__(self, *args, line_choices: list[str], **kwargs):
        self.line_choices = line_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"line_choices": self.line_choices}


SplitKeyFormSet = forms.formset_factory(
    SplitKeyForm, formset=BaseSplitKeyFormSet, extra=1, can_delete=True
)


class SplitKeyVersionForm(VersionedForm):
    pass
