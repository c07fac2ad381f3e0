"""Forms plumbing without a domain: the NL Design System renderer, a Dutch number field, the
error summary (anchor, label, message) for forms and formsets, and the hidden version field that
optimistic locking needs (`core.locking`)."""

import json
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting

from .formatting import NumberParseError, format_number, parse_decimal


class NLDesignFormRenderer(TemplatesSetting):
    """Renders every field with `templates/forms/field.html` (Utrecht form-field classes)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


MAX_AMOUNT = Decimal("999999999999.99")


def amount_error(value: Decimal, decimal_places: int = 2) -> str | None:
    """Why a money amount cannot be stored as it is (too large, too many decimals), or None.
    The same rule on SQLite and PostgreSQL: nothing is rounded silently."""
    if abs(value) > MAX_AMOUNT:
        return "Dit bedrag is te groot: het kan hoogstens 999.999.999.999,99 zijn."
    if value.as_tuple().exponent < -decimal_places and value != value.quantize(
        Decimal(1).scaleb(-decimal_places)
    ):
        return f"Vul hoogstens {decimal_places} decimalen in."
    return None


class DutchDecimalField(forms.CharField):
    """A number typed the Dutch way (`1.281.406`, `€ 1.281.406,00`, `48,62%`) → Decimal."""

    def __init__(
        self,
        *,
        allow_percent: bool = False,
        max_value=None,
        min_value=None,
        decimal_places: int = 2,
        **kwargs,
    ):
        self.allow_percent = allow_percent
        self.decimal_places = decimal_places
        self.max_value = max_value
        self.min_value = min_value
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")
        self.widget.attrs.setdefault("autocomplete", "off")

    def prepare_value(self, value):
        """A stored number is shown the way people type it: 510.245, 1.234,5, 48,62%."""
        if isinstance(value, Decimal):
            exponent = value.normalize().as_tuple().exponent
            decimals = max(0, -exponent) if isinstance(exponent, int) else 0
            text = format_number(value, decimals).replace("\u2212", "-")  # typed minus
            return f"{text}%" if self.allow_percent else text
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            number = parse_decimal(value, allow_percent=self.allow_percent)
        except NumberParseError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        problem = amount_error(number, self.decimal_places)
        if problem:
            raise ValidationError(problem, code="invalid")
        if self.min_value is not None and number < self.min_value:
            raise ValidationError(f"Vul een getal in van minimaal {self.min_value}.")
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(f"Vul een getal in van maximaal {self.max_value}.")
        return number


def error_items(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    """(anchor id, label, message) for every error of a form, for the summary at the top."""
    items = []
    for name, errors in form.errors.items():
        if name == "__all__":
            items.extend(("", "", str(message)) for message in errors)
            continue
        bound = form[name]
        anchor = bound.auto_id
        if bound.field.widget.__class__ is forms.CheckboxSelectMultiple:
            anchor = f"{bound.auto_id}_0"
        items.extend((anchor, str(bound.label), str(message)) for message in errors)
    return items


class ErrorSummaryMixin:
    """`form.error_summary` for templates/forms/error_summary.html."""

    def error_summary(self) -> list[tuple[str, str, str]]:
        return error_items(self)


class FormSetErrorSummaryMixin:
    """The same summary for a formset: its own errors, then every form's."""

    def error_summary(self) -> list[tuple[str, str, str]]:
        items = [("", "", str(e)) for e in self.non_form_errors()]
        return items + [item for form in self.forms for item in error_items(form)]


class VersionedForm(ErrorSummaryMixin, forms.Form):
    """Base: a hidden version, the values the form showed (`original`, to tell a conflict on
    these fields from a save of another section), and the error summary."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    original = forms.CharField(widget=forms.HiddenInput, required=False)

    def original_values(self) -> dict[str, str] | None:
        """The values the form was opened with; None when absent or tampered with."""
        try:
            values = json.loads(self.cleaned_data.get("original") or "null")
        except ValueError:
            return None
        return values if isinstance(values, dict) else None

    def show_conflict(self, saved: dict[str, str], version: int, original: dict[str, str]) -> None:
        """Say per field what is saved now (the user's input stays), and take the new version,
        so that saving again is a deliberate choice."""
        for name, value in saved.items():
            if name in self.fields and not hasattr(self.fields[name], "queryset"):
                message = f"Intussen opgeslagen door een ander: “{value or 'niet ingevuld'}”."
                self.add_error(name, message)
            else:  # a list of choices: say that it changed; the page shows what is saved
                label = self.fields[name].label if name in self.fields else name
                self.add_error(None, f"{label}: intussen gewijzigd door een ander.")
        self.data = self.data.copy()
        self.data[self.add_prefix("version")] = str(version)
        self.data[self.add_prefix("original")] = json.dumps(original)


def non_field_items(form: forms.BaseForm) -> list[tuple[str, str, str]]:
    """Only the form-wide errors of a form (e.g. a refused save), for the summary."""
    return [("", "", str(e)) for e in form.non_field_errors()]
