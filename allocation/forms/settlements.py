"""Forms of the kept settlements: save a settled year-end result, correct it."""

from django import forms

from allocation.models import Settlement
from core.fields import NOTE_MAX_LENGTH
from core.forms import DutchDecimalField, ErrorSummaryMixin

# the service's field names → the form's
FIELDS = {
    "amount": "resultaat",
    "key": "sleutel",
    "description": "omschrijving",
    "status": "status",
}


class KeepSettlementForm(ErrorSummaryMixin, forms.Form):
    """A year-end result, the key, why (the decision it rests on) and the status."""

    resultaat = DutchDecimalField(
        label="Te verrekenen resultaat (€)",
        help_text="Een tekort als positief bedrag, een overschot met een minteken: −120.000.",
    )
    sleutel = forms.ChoiceField(label="Verdelen")
    omschrijving = forms.CharField(
        label="Omschrijving",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Welk resultaat en op grond van welk besluit, bijvoorbeeld: tekort "
        "jaarrekening 2018, besluit algemeen bestuur van 3 juli 2019.",
        error_messages={"required": "Vul een omschrijving in: welk resultaat, welk besluit."},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=Settlement.Status.choices,
        initial=Settlement.Status.CONCEPT,
        widget=forms.RadioSelect,
        help_text="Een concept ziet alleen u en wie de concepten van de deelnemers leest; een "
        "vastgestelde verrekening staat voor iedereen op de jaarpagina van elke deelnemer.",
    )

    def __init__(self, *args, measures: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sleutel"].choices = measures

    def add_service_errors(self, error) -> None:
        """A refusal of the service on the field it names (else for the whole form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                field = FIELDS.get(name)
                for message in messages:
                    if field in self.fields:  # the summary names the field itself
                        text = message.split(": ", 1)[-1]
                        self.add_error(field, text[:1].upper() + text[1:])
                    else:
                        self.add_error(None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)


class CorrectSettlementForm(KeepSettlementForm):
    """The same, with the version of the settlement the form showed."""

    version = forms.IntegerField(widget=forms.HiddenInput)
