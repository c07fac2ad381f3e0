"""The form of publishing a verdeelmodel: a note for the readers, and the number of the newest
publication the page showed (so a publication in between is noticed, not overwritten)."""

from django import forms

from core.forms import ErrorSummaryMixin


class PublishForm(ErrorSummaryMixin, forms.Form):
    toelichting = forms.CharField(
        label="Toelichting (optioneel)",
        max_length=300,
        required=False,
        help_text="Wat er verandert, bijvoorbeeld: begroting 2018 na de begrotingswijziging.",
    )
    latest = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
