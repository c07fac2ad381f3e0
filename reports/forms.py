"""Forms of the reports app: the partnership's board meetings (the P&C calendar), and the vision
and policy text of the paragraaf verbonden partijen."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from collaborations.deadlines import DateParseError, parse_date
from collaborations.models import BoardMeeting
from collaborations.models.meetings import FIRST_DATE, LAST_DATE, MEETING_NOTE_MAX_LENGTH
from collaborations.services.meetings import MeetingInput
from core.forms import ErrorSummaryMixin, FormSetErrorSummaryMixin

from .models import POLICY_MAX_LENGTH


class MeetingDateField(forms.Field):
    """A date typed the Dutch way (2-7-2026, 2 juli 2026) → date."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget.attrs.update({"autocomplete": "off", "size": "12", "maxlength": "30"})

    def prepare_value(self, value):
        if isinstance(value, date):
            return f"{value.day}-{value.month}-{value.year}"
        return value

    def to_python(self, value) -> date | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            day = parse_date(text[:40])
        except DateParseError as exc:
            raise ValidationError(str(exc), code="invalid") from exc
        if not FIRST_DATE <= day <= LAST_DATE:
            raise ValidationError(
                f"Vul een datum tussen {FIRST_DATE.year} en {LAST_DATE.year} in.", code="invalid"
            )
        return day


class MeetingRowForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    date = MeetingDateField(label="datum", required=False)
    kind = forms.ChoiceField(
        label="soort vergadering",
        required=False,
        choices=[("", "— kies —"), *BoardMeeting.Kind.choices],
    )
    note = forms.CharField(label="toelichting", required=False, max_length=MEETING_NOTE_MAX_LENGTH)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = (self.prefix or "").rsplit("-", 1)[-1]
        self.row_name = f"Regel {int(number) + 1}" if number.isdigit() else "Nieuwe regel"
        for name in ("date", "kind", "note"):
            self.fields[name].label = f"{self.row_name}, {self.fields[name].label}"

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not (data.get("id") or data.get("date") or data.get("kind") or data.get("note"))

    def clean(self):
        data = super().clean()
        if self.is_blank() or "date" in self.errors:
            return data
        if data.get("date") is None:
            self.add_error(
                "date",
                "Vul de datum in, of vink ‘verwijderen’ aan."
                if data.get("id")
                else "Vul de datum in.",
            )
        if not data.get("kind"):
            self.add_error("kind", "Kies de soort vergadering.")
        return data

    def add_error(self, field, error):
        super().add_error(field, error)
        for name in [field] if field else []:  # said next to the field, and read with it
            self.fields[name].widget.attrs.update(
                {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}_error"}
            )


class BaseMeetingFormSet(FormSetErrorSummaryMixin, forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = f"{form.row_name} verwijderen"

    def _kept(self) -> list[MeetingRowForm]:
        return [
            f
            for f in self.forms
            if f.is_valid() and f not in self.deleted_forms and not f.is_blank()
        ]

    def clean(self):
        seen: dict[tuple[date, str], str] = {}
        for form in self._kept():
            key = (form.cleaned_data["date"], form.cleaned_data["kind"])
            if key in seen:
                form.add_error(
                    "date", f"Op deze datum staat al zo'n vergadering ({seen[key].lower()})."
                )
            seen.setdefault(key, form.row_name)

    def meeting_inputs(self) -> list[MeetingInput]:
        return [
            MeetingInput(
                date=f.cleaned_data["date"],
                kind=f.cleaned_data["kind"],
                note=f.cleaned_data["note"].strip(),
                id=f.cleaned_data["id"],
            )
            for f in self._kept()
        ]

    def removed(self) -> list[int]:
        return [f.cleaned_data["id"] for f in self.deleted_forms if f.cleaned_data.get("id")]


MeetingFormSet = forms.formset_factory(
    MeetingRowForm, formset=BaseMeetingFormSet, extra=3, can_delete=True
)


class MeetingsVersionForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PolicyForm(ErrorSummaryMixin, forms.Form):
    """The vision and policy text that opens the paragraaf verbonden partijen."""

    text = forms.CharField(
        label="Visie en beleid op verbonden partijen",
        required=False,
        max_length=POLICY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Waarom de gemeente deelneemt in verbonden partijen en hoe zij ze stuurt en "
            "controleert (de nota verbonden partijen). Een lege regel begint een nieuwe alinea. "
            f"Hoogstens {POLICY_MAX_LENGTH:_} tekens.".replace("_", ".")
        ),
        error_messages={"max_length": "Visie en beleid: hoogstens %(limit_value)s tekens."},
    )
    # the version the form showed; empty for a text that is not saved yet
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
