"""Forms of the verdeelmodel pages."""

from django import forms

from core.forms import DutchDecimalField, ErrorSummaryMixin


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
