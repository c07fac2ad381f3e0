"""Forms of the wizard *Nieuwe samenwerking*: first look whether it exists, then the shared
record with its participants and the first year; and ending a participation."""

import datetime

from django import forms

from collaborations import selectors
from collaborations.forms import KIES
from collaborations.models import Municipality, Term, Vocabulary
from core.converters import FIRST_YEAR, LAST_YEAR
from core.forms import ErrorSummaryMixin


class SearchForm(ErrorSummaryMixin, forms.Form):
    naam = forms.CharField(label="Naam van de samenwerking", max_length=200, required=False)
    afkorting = forms.CharField(label="Afkorting", max_length=30, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "zoek_%s")  # its own ids beside the form of step 2
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if not data.get("naam", "").strip() and not data.get("afkorting", "").strip():
            raise forms.ValidationError("Vul een naam of een afkorting in om te zoeken.")
        return data


class NewPartnershipForm(ErrorSummaryMixin, forms.Form):
    """Step 2: the shared record's essentials, the participants and the first year."""

    name = forms.CharField(label="Naam van de samenwerking", max_length=200)
    afkorting = forms.CharField(
        label="Afkorting", max_length=30, help_text="Kort en herkenbaar, bijvoorbeeld ZVH."
    )
    beschrijving = forms.CharField(
        label="Beschrijving",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        help_text="Wat doet de samenwerking, voor wie? De rest vult de coördinator later aan.",
    )
    vorm = forms.ModelChoiceField(
        label="Vorm van de samenwerking", queryset=Term.objects.none(), required=False
    )
    bbv_categorie = forms.ModelChoiceField(
        label="BBV-categorie", queryset=Term.objects.none(), required=False
    )
    participants = forms.ModelMultipleChoiceField(
        label="Deelnemende gemeenten (naast uw eigen gemeente)",
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    first_year = forms.IntegerField(
        label="Eerste jaar om in te vullen",
        required=False,
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        help_text="Leeg laten als u het jaar later begint.",
    )
    other_than_found = forms.BooleanField(
        label="Het is echt een andere samenwerking dan die met dezelfde naam of afkorting",
        required=False,
    )

    def __init__(self, *args, municipality: Municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vorm"].queryset = selectors.vocabulary_terms(Vocabulary.VORM)
        self.fields["bbv_categorie"].queryset = selectors.vocabulary_terms(Vocabulary.BBV)
        self.fields["participants"].queryset = selectors.municipality_choices().exclude(
            pk=municipality.pk
        )
        for name in ("vorm", "bbv_categorie"):
            self.fields[name].empty_label = KIES


class EndParticipationForm(ErrorSummaryMixin, forms.Form):
    ended_on = forms.DateField(
        label="Deelname beëindigd per",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Vul de datum in.", "invalid": "Vul een geldige datum in."},
    )
    reason = forms.CharField(
        label="Reden",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "utrecht-textarea"}),
        error_messages={"required": "Schrijf waarom de deelname eindigt."},
    )

    def clean_ended_on(self):
        value = self.cleaned_data["ended_on"]
        if not datetime.date(FIRST_YEAR, 1, 1) <= value <= datetime.date(LAST_YEAR, 12, 31):
            raise forms.ValidationError(f"Kies een datum tussen {FIRST_YEAR} en {LAST_YEAR}.")
        return value
