"""The ingroeiregeling's form: from which variant to which, over how many years, with what
cap per municipality per year."""

from django import forms

from core.forms import DutchDecimalField, ErrorSummaryMixin


class PhaseInForm(ErrorSummaryMixin, forms.Form):
    van = forms.ChoiceField(label="Van (de huidige verdeling)")
    naar = forms.ChoiceField(label="Naar (de nieuwe verdeling)")
    jaren = forms.IntegerField(label="Aantal jaren", min_value=1, max_value=20, initial=3)
    grens = DutchDecimalField(
        label="Grens per gemeente per jaar (optioneel)",
        required=False,
        min_value=0,
        help_text="Leeg: lineair. Anders de grootste verschuiving per jaar, in euro of procent.",
    )
    soort_grens = forms.ChoiceField(
        label="Grens in", choices=[("euro", "euro"), ("procent", "procent van het vorige jaar")]
    )

    def __init__(self, *args, variants: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["van"].choices = variants
        self.fields["naar"].choices = variants

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("van") and cleaned.get("van") == cleaned.get("naar"):
            self.add_error("naar", "Kies een andere variant dan waar u van uitgaat.")
        return cleaned
