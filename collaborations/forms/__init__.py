"""Forms for the yearly section C and the beheerder's forms (roles, logins), rendered with NL
Design System class names. The forms of a municipality's perspective and of the shared record
of a partnership are in `forms/records.py`.

Every form carries the record's `version` so that two people editing the same section cannot
overwrite each other unnoticed (the service refuses a stale version). No select shows Django's
English-looking "---------": `dutch_empty_choices`.
"""

import json
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model

from collaborations.models import (
    KERN_MAX_LENGTH,
    MotiveAnswer,
    Municipality,
    Partnership,
    Role,
    Term,
    YearRecord,
)
from collaborations.services import motives_state
from core.forms import DutchDecimalField, ErrorSummaryMixin, VersionedForm
from core.locking import as_text

KIES = "— kies —"


def dutch_empty_choices(form: forms.BaseForm) -> None:
    """One empty choice in every select of `form`: "— kies —" instead of Django's ("---------",
    or "- Kies een optie -" for a model field's choices), "Niet ingevuld" for radio buttons."""
    for field in form.fields.values():
        radio = isinstance(field.widget, forms.RadioSelect)
        if isinstance(field, forms.ModelMultipleChoiceField):
            continue
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label is not None:
                field.empty_label = "Niet ingevuld" if radio else KIES
        elif isinstance(field, forms.ChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None):
                rest = choices[1:]
                field.choices = [*rest, ("", "Niet ingevuld")] if radio else [("", KIES), *rest]


class YearModelForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = YearRecord
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dutch_empty_choices(self)
        if self.instance.pk and "version" not in self.initial:
            self.initial["version"] = self.instance.version
            self.initial["original"] = json.dumps(self.current_values(self.instance))

    @classmethod
    def current_values(cls, record: YearRecord) -> dict[str, str]:
        """This section's fields as stored, to compare at save time."""
        return {name: as_text(getattr(record, name)) for name in cls._meta.fields}


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "class": "utrecht-textarea"})


BEOOGD_HELP = {
    "beoogd_inhoud": (
        "Welke maatschappelijke effecten beoogt de samenwerking? Wat merken de inwoners ervan? "
        "Bovenaan de Prestatieladder staat het zingevende einddoel, lager op de ladder de "
        "tussendoelen en de middelen."
    ),
    "beoogd_proces": (
        "Welke stappen en mijlpalen zijn nodig om de inhoudelijke resultaten te bereiken: "
        "voorbereiden, nemen en uitvoeren van besluiten?"
    ),
    "beoogd_samenwerking": (
        "Wat moet de samenwerking zelf opleveren, op weg naar coproductie met de partners?"
    ),
    "beoogd_kern": (
        "De kern in één of twee zinnen, evalueerbaar geformuleerd. Deze tekst komt in het "
        "kernbeeld."
    ),
}
FEITELIJK_HELP = {
    "feitelijk_inhoud": "Welke maatschappelijke effecten zijn feitelijk bereikt?",
    "feitelijk_proces": "Welke stappen en mijlpalen zijn gezet?",
    "feitelijk_samenwerking": "Wat heeft de samenwerking zelf opgeleverd?",
    "feitelijk_kern": "De kern van wat is bereikt, in één of twee zinnen.",
}


class _ResultsForm(YearModelForm):
    kern_field = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.widget.is_hidden:  # version, original
                continue
            field.widget = _textarea(3 if name == self.kern_field else 5)
            if name != self.kern_field:  # the kern has a counter instead: see it go over
                field.widget.attrs.update(field.widget_attrs(field.widget))  # maxlength
            else:
                field.widget.attrs.update(
                    {"data-max-length": KERN_MAX_LENGTH, "class": "utrecht-textarea js-counter"}
                )
                field.max_length = None


class BeoogdForm(_ResultsForm):
    kern_field = "beoogd_kern"

    class Meta:
        model = YearRecord
        fields = ["beoogd_inhoud", "beoogd_proces", "beoogd_samenwerking", "beoogd_kern"]
        help_texts = BEOOGD_HELP


class FeitelijkForm(_ResultsForm):
    kern_field = "feitelijk_kern"

    class Meta:
        model = YearRecord
        fields = [
            "feitelijk_inhoud",
            "feitelijk_proces",
            "feitelijk_samenwerking",
            "feitelijk_kern",
        ]
        help_texts = FEITELIJK_HELP


class KostenBatenForm(YearModelForm):
    class Meta:
        model = YearRecord
        fields = ["kosten_baten_begroot", "kosten_baten_feitelijk"]
        help_texts = {
            "kosten_baten_begroot": "Toelichting op de begrote kosten en baten.",
            "kosten_baten_feitelijk": "Toelichting op de feitelijke kosten en baten (realisatie).",
        }
        widgets = {
            "kosten_baten_begroot": _textarea(3),
            "kosten_baten_feitelijk": _textarea(3),
        }


class AandeelForm(YearModelForm):
    aandeel_percentage = DutchDecimalField(
        label="Schatting van het aandeel van de gemeente in de realisatie van de opgave",
        help_text="Een percentage, bijvoorbeeld 48,62%.",
        required=False,
        allow_percent=True,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal(100),
    )

    class Meta:
        model = YearRecord
        fields = [
            "aandeel_toelichting",
            "verdeelsleutel_tekst",
            "evenwicht_kosten",
            "evenwicht_kosten_toelichting",
            "evenwicht_baten",
            "evenwicht_baten_toelichting",
            "aandeel_percentage",
        ]
        help_texts = {
            "aandeel_toelichting": (
                "Welk aandeel levert de gemeente in de realisatie van de opgave, ook in "
                "verhouding tot de andere partners? Wie brengt wat in?"
            ),
            "verdeelsleutel_tekst": (
                "Hoe worden de kosten verdeeld? Bijvoorbeeld: 48,62% van € 510.245 bijdrage "
                "Veiligheidshuis."
            ),
            "evenwicht_kosten": (
                "Hoe is de feitelijke verdeling van de kosten over alle samenwerkingspartners?"
            ),
            "evenwicht_baten": (
                "Hoe is de feitelijke verdeling van de baten over alle samenwerkingspartners?"
            ),
        }
        widgets = {
            "aandeel_toelichting": _textarea(3),
            "verdeelsleutel_tekst": _textarea(4),
            "evenwicht_kosten_toelichting": _textarea(2),
            "evenwicht_baten_toelichting": _textarea(2),
        }


class MotievenForm(VersionedForm):
    """Question 13 and 14: motives with their sub-motives, the most important, answered?"""

    eigen_formulering = forms.CharField(
        label="Anders, namelijk (eigen formulering)",
        required=False,
        max_length=YearRecord._meta.get_field("eigen_formulering").max_length,
        widget=_textarea(2),
        help_text="Motieven die niet in de lijsten staan, in eigen woorden.",
    )
    belangrijkste_motieven = forms.ModelMultipleChoiceField(
        label="Belangrijkste motieven",
        queryset=Term.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Benoem de belangrijkste motieven. Deze worden in het kernbeeld opgenomen.",
    )
    motief_beantwoord = forms.CharField(
        label="Is aan het motief van samenwerking beantwoord? Wat wel en wat (nog) niet?",
        required=False,
        max_length=YearRecord._meta.get_field("motief_beantwoord").max_length,
        widget=_textarea(4),
        help_text=(
            "In hoeverre wordt aan de motieven beantwoord: levert de samenwerking op waarvoor "
            "zij is aangegaan?"
        ),
    )

    def __init__(self, *args, motives: list[Term], record: YearRecord, **kwargs):
        self.motives = motives
        self.record = record
        selected = {t.pk for t in record.submotieven.all()}
        answers = {a.motief_id: a for a in record.motive_answers.all()}
        initial = {
            "version": record.version,
            "original": json.dumps(self.current_values(record)),
            "eigen_formulering": record.eigen_formulering,
            "belangrijkste_motieven": [t.pk for t in record.belangrijkste_motieven.all()],
            "motief_beantwoord": record.motief_beantwoord,
        }
        for motive in motives:
            initial[f"sub_{motive.code}"] = [
                str(c.pk) for c in motive.children.all() if c.pk in selected
            ]
            answer = answers.get(motive.pk)
            initial[f"antwoord_{motive.code}"] = answer.antwoord if answer else ""
            initial[f"toelichting_{motive.code}"] = answer.toelichting if answer else ""
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.fields["belangrijkste_motieven"].queryset = Term.objects.filter(
            pk__in=[m.pk for m in motives]
        )
        self.fields["belangrijkste_motieven"].choices = [(m.pk, m.label) for m in motives]
        for motive in motives:
            self.fields[f"sub_{motive.code}"] = forms.MultipleChoiceField(
                label=motive.label,
                required=False,
                choices=[(str(c.pk), c.label) for c in motive.children.all()],
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"antwoord_{motive.code}"] = forms.ChoiceField(
                label=f"Aan motief beantwoord: {motive.label}",
                required=False,
                choices=[("", "— niet beantwoord —"), *MotiveAnswer.Answer.choices],
            )
            self.fields[f"toelichting_{motive.code}"] = forms.CharField(
                label=f"Toelichting bij {motive.label}",
                required=False,
                max_length=MotiveAnswer._meta.get_field("toelichting").max_length,
            )
        self.order_fields(
            ["version"]
            + [f"sub_{m.code}" for m in motives]
            + ["eigen_formulering", "belangrijkste_motieven", "motief_beantwoord"]
        )

    @staticmethod
    def current_values(record: YearRecord) -> dict[str, str]:
        return {name: as_text(value) for name, value in motives_state(record).items()}

    def motive_rows(self):
        """(motive, answer field, toelichting field) per motive, for the answers table."""
        return [
            (m, self[f"antwoord_{m.code}"], self[f"toelichting_{m.code}"]) for m in self.motives
        ]

    def submotive_fields(self):
        return [self[f"sub_{m.code}"] for m in self.motives]

    def to_service_data(self) -> dict:
        data = self.cleaned_data
        sub_ids = [int(pk) for m in self.motives for pk in data.get(f"sub_{m.code}", [])]
        answers = {
            m.pk: (data[f"antwoord_{m.code}"], data.get(f"toelichting_{m.code}", ""))
            for m in self.motives
            if data.get(f"antwoord_{m.code}")
        }
        return {
            "eigen_formulering": data["eigen_formulering"],
            "motief_beantwoord": data["motief_beantwoord"],
            "submotief_ids": sub_ids,
            "belangrijkste_ids": [t.pk for t in data["belangrijkste_motieven"]],
            "answers": answers,
        }


# the BBV figures and the risk register (forms/bbv.py needs KIES and RowForm from above)
from .bbv import BbvForm, RisksForm  # noqa: E402

SECTION_FORMS: dict[str, tuple[str, type[forms.Form]]] = {
    "motieven": ("Motieven voor samenwerking", MotievenForm),
    "beoogde-resultaten": ("Beoogde resultaten", BeoogdForm),
    "kosten-en-baten": ("Kosten en baten: begroting en realisatie", KostenBatenForm),
    "feitelijke-resultaten": ("Feitelijke resultaten van de samenwerking", FeitelijkForm),
    "aandeel": ("Aandeel van de gemeente in de realisatie van de opgave", AandeelForm),
    "verbonden-partij": ("Verbonden partij: BBV-gegevens", BbvForm),
    "risicos": ("Risico's", RisksForm),
}


class RoleForm(ErrorSummaryMixin, forms.Form):
    """Grant a role: a login, the role, and its municipality or partnership."""

    member = forms.ModelChoiceField(
        label="Gebruiker",
        queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        empty_label="— kies een gebruiker —",
        error_messages={"required": "Kies een gebruiker.", "invalid_choice": "Kies een gebruiker."},
    )
    kind = forms.ChoiceField(
        label="Rol",
        choices=[("", "— kies een rol —"), *Role.Kind.choices],
        help_text=(
            "Invoerder: vult de gegevens van de gemeente in. Vaststeller: stelt de jaren vast, "
            "publiceert en heropent ze. Raadslid: leest de concepten, wijzigt niets. "
            "Coördinator: beheert de gedeelde gegevens, financiën en het verdeelmodel van één "
            "samenwerking."
        ),
        error_messages={"required": "Kies een rol.", "invalid_choice": "Kies een rol."},
    )
    municipality = forms.ModelChoiceField(
        label="Gemeente (voor invoerder, vaststeller, raadslid)",
        queryset=Municipality.objects.order_by("name"),
        required=False,
        empty_label="— kies een gemeente —",
        error_messages={"invalid_choice": "Kies een gemeente uit de lijst."},
    )
    partnership = forms.ModelChoiceField(
        label="Samenwerking (voor coördinator)",
        queryset=Partnership.objects.order_by("name"),
        required=False,
        empty_label="— kies een samenwerking —",
        error_messages={"invalid_choice": "Kies een samenwerking uit de lijst."},
    )


class LoginCreateForm(ErrorSummaryMixin, forms.Form):
    """A new login; the password is checked against Django's validators by the service."""

    username = forms.CharField(label="Gebruikersnaam", max_length=150)
    first_name = forms.CharField(label="Voornaam", max_length=150, required=False)
    last_name = forms.CharField(label="Achternaam", max_length=150, required=False)
    email = forms.EmailField(label="E-mailadres", required=False)
    password = forms.CharField(
        label="Wachtwoord",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Minstens 12 tekens, niet te gewoon en niet alleen cijfers. Geef het de "
        "gebruiker op een veilige manier door.",
    )
