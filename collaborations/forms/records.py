"""Forms of a municipality's perspective (belangrijkheid, bestuur en toezicht, proces: one page
per block, the tables as formsets) and of the shared record of a partnership.

Each form knows its block's state (`records.*_state`, compared by the service so that no save
silently overwrites another), its sections with headings, and the keyword arguments of its
service; the views stay thin.
"""

import json

from django import forms

from collaborations import selectors
from collaborations.forms import KIES, dutch_empty_choices
from collaborations.models import (
    BoardSeat,
    Municipality,
    Organisation,
    Participation,
    Partnership,
    ProcessEntry,
    Term,
    Vocabulary,
)
from collaborations.services import records
from core.forms import FormSetErrorSummaryMixin, VersionedForm
from core.locking import as_text


class TermField(forms.ModelChoiceField):
    """A vocabulary term; its explanation, where it has one, after the label."""

    def label_from_instance(self, obj: Term) -> str:
        return f"{obj.label} — {obj.help_text}" if obj.help_text else obj.label


class TermsField(forms.ModelMultipleChoiceField):
    label_from_instance = TermField.label_from_instance


class RecordForm(VersionedForm, forms.ModelForm):
    """Base of the forms of the perspective and the shared record: the version and the values
    the form showed (`state`, compared by the service: `core.locking`), Dutch choices, help
    while editing, and the fields in groups with a heading (`sections`)."""

    state = staticmethod(lambda instance: {})
    sections: list[tuple[str, str, list[str]]] = []  # (heading, introduction, field names)
    anchor = ""  # the block on the partnership page
    rows: tuple[str, str, str] = ("", "", "")  # the table's heading, explanation, "add" button

    def __init__(self, data=None, *, instance, **kwargs):
        super().__init__(data, instance=instance, **kwargs)
        self.initial.setdefault("version", instance.version)
        self.initial.setdefault("original", json.dumps(self.current_values(instance)))
        dutch_empty_choices(self)
        for field in self.fields.values():
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update({"rows": 4, "class": "utrecht-textarea"})

    @classmethod
    def current_values(cls, instance) -> dict[str, str]:
        return {name: as_text(value) for name, value in cls.state(instance).items()}

    def fieldsets(self):
        return [
            (head, intro, [self[name] for name in names]) for head, intro, names in self.sections
        ]

    def make_formset(self, data=None):
        return None

    def show_conflict(self, saved: dict[str, str], version: int, original: dict[str, str]) -> None:
        """Per field what is saved now, in words (labels, not codes); the rows of a table are
        shown beside the form. The user's input stays, with the new version."""
        for name, value in saved.items():
            if name in self.fields:
                shown = _readable(self.fields[name], value) or "niet ingevuld"
                self.add_error(name, f"Intussen opgeslagen door een ander: “{shown}”.")
            else:
                self.add_error(None, f"{name}: intussen gewijzigd door een ander (zie hieronder).")
        super().show_conflict({}, version, original)


def _readable(field: forms.Field, value: str) -> str:
    if hasattr(field, "queryset"):
        ids = [v for v in value.split(",") if v.isdigit()]
        return ", ".join(field.label_from_instance(o) for o in field.queryset.filter(pk__in=ids))
    choices = {str(k): str(v) for k, v in getattr(field, "choices", ()) if k not in ("", None)}
    return choices.get(value, value)


def _yes_no(label: str, help_text: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        required=False,
        widget=forms.RadioSelect,
        choices=[("True", "Ja"), ("False", "Nee"), ("", "Niet ingevuld")],
        coerce=lambda value: value == "True",
        empty_value=None,
    )


class BelangForm(RecordForm):
    state = staticmethod(records.importance_state)
    service = staticmethod(records.update_importance)
    anchor = "kernbeeld"
    bestuurlijk_belang = _yes_no(
        "(1) De gemeente heeft bestuurlijk belang.",
        "BBV: zeggenschap, hetzij uit hoofde van vertegenwoordiging in het bestuur hetzij uit "
        "hoofde van stemrecht.",
    )
    financieel_belang = _yes_no(
        "(2) De gemeente heeft financieel belang.",
        "BBV: een ter beschikking gesteld bedrag dat niet verhaalbaar is als de verbonden partij "
        "failliet gaat, of een bedrag waarvoor de gemeente aansprakelijk is als de verbonden "
        "partij haar verplichtingen niet nakomt.",
    )
    sections = [
        ("Belangrijkheid", "", ["belang_waarom", "belang_wie"]),
        (
            "‘Verbonden partij’ volgens het Besluit Begroting en Verantwoording",
            "Een verbonden partij is een samenwerking waarin de gemeente zowel bestuurlijk als "
            "financieel belang heeft.",
            ["bestuurlijk_belang", "financieel_belang"],
        ),
        ("Accounthouders en raadsprogramma", "", ["accounthouders", "raadsprogramma"]),
    ]

    class Meta:
        model = Participation
        fields = ["belang_waarom", "belang_wie", *records.IMPORTANCE_FIELDS]
        widgets = {
            "belang_waarom": forms.CheckboxSelectMultiple,
            "belang_wie": forms.CheckboxSelectMultiple,
        }
        labels = {"accounthouders": "Accounthouders", "raadsprogramma": "Raadsprogramma"}
        help_texts = {
            "belang_waarom": "Kies wat van toepassing is. Dit komt in het kernbeeld.",
            "belang_wie": "Kies wat van toepassing is. Dit komt in het kernbeeld.",
            "accounthouders": "Namen van de accounthouders van de gemeente voor deze samenwerking.",
            "raadsprogramma": "Het programma van de begroting, bijvoorbeeld Begrotingsprogramma 5.",
        }

    def __init__(self, data=None, *, instance, **kwargs):
        super().__init__(data, instance=instance, **kwargs)
        for name, vocabulary in records.IMPORTANCE_TERMS.items():
            chosen = [t.pk for t in getattr(instance, name).all()]
            self.fields[name].queryset = selectors.vocabulary_terms(vocabulary, keep=chosen)

    def service_kwargs(self, formset=None) -> dict:
        data = self.cleaned_data
        return {
            "participation": self.instance,
            "belang_waarom": [t.pk for t in data["belang_waarom"]],
            "belang_wie": [t.pk for t in data["belang_wie"]],
            "fields": {name: data[name] for name in records.IMPORTANCE_FIELDS},
        }


class RowForm(forms.Form):
    """One row of a table in a form; every label names the row and the column ("Stap 2, Jaar"),
    so an error in the summary says where it is."""

    row_word = "Rij"
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = (self.prefix or "").rsplit("-", 1)[-1]
        # a row added in the browser gets its number there (static/js/formset.js)
        self.row_name = f"{self.row_word} {int(number) + 1 if number.isdigit() else '__nummer__'}"
        for name, field in self.fields.items():
            if name != "id":
                field.column = field.label
                field.label = f"{self.row_name}, {field.label}"


class RowFormSet(FormSetErrorSummaryMixin, forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = f"{form.row_name} verwijderen"
        form.fields["DELETE"].column = "Verwijderen"

    def rows(self, make) -> list:
        """The rows to keep, in order: not deleted, not left empty."""
        deleted = {id(f) for f in self.deleted_forms}
        return [
            make(**{k: v for k, v in f.cleaned_data.items() if k != "DELETE"})
            for f in self.forms
            if f.cleaned_data and id(f) not in deleted
        ]


class BoardSeatForm(RowForm):
    row_word = "Bestuursorgaan"
    orgaan = forms.CharField(
        label="Orgaan",
        max_length=BoardSeat._meta.get_field("orgaan").max_length,
        error_messages={"required": "Vul het orgaan in, bijvoorbeeld Algemeen bestuur."},
    )
    vertegenwoordiging = forms.CharField(
        label="Vertegenwoordiging",
        required=False,
        max_length=BoardSeat._meta.get_field("vertegenwoordiging").max_length,
    )
    stemmen = forms.IntegerField(
        label="Aantal stemmen voor de gemeente", required=False, min_value=0
    )
    stemmen_totaal = forms.IntegerField(label="Totaal aantal stemmen", required=False, min_value=0)
    toelichting = forms.CharField(
        label="Eventuele toelichting",
        required=False,
        max_length=BoardSeat._meta.get_field("toelichting").max_length,
    )

    def clean(self):
        data = super().clean()
        votes, total = data.get("stemmen"), data.get("stemmen_totaal")
        if votes is not None and total is not None and votes > total:
            self.add_error(
                "stemmen", f"Meer stemmen ({votes}) dan het totaal aantal stemmen ({total})."
            )
        return data


class ProcessStepForm(RowForm):
    row_word = "Stap"
    actor = forms.ChoiceField(
        label="Wie",
        choices=[("", KIES), *ProcessEntry.Actor.choices],
        error_messages={"required": "Kies wie: raad, college of ambtelijke organisatie."},
    )
    jaar = forms.IntegerField(
        label="Jaar",
        min_value=1990,
        max_value=2100,
        error_messages={
            "required": "Vul een jaartal in.",
            "invalid": "Vul een jaartal in, bijvoorbeeld 2026.",
            "min_value": "Vul een jaartal in vanaf 1990.",
            "max_value": "Vul een jaartal in tot en met 2100.",
        },
    )
    kwartaal = forms.TypedChoiceField(
        label="Kwartaal",
        required=False,
        choices=[("", KIES), *ProcessEntry._meta.get_field("kwartaal").choices],
        coerce=int,
        empty_value=None,
    )
    actie = forms.CharField(
        label="Wat",
        max_length=ProcessEntry._meta.get_field("actie").max_length,
        error_messages={
            "required": "Vul in wat er gebeurt, bijvoorbeeld Zienswijze op de begroting."
        },
    )


BoardSeatFormSet = forms.formset_factory(
    BoardSeatForm, formset=RowFormSet, extra=1, can_delete=True
)
ProcessFormSet = forms.formset_factory(
    ProcessStepForm, formset=RowFormSet, extra=1, can_delete=True
)


class BestuurForm(RecordForm):
    state = staticmethod(records.governance_state)
    service = staticmethod(records.update_governance)
    anchor = "governance"
    rows = (
        "Vertegenwoordiging en zeggenschap",
        "Per bestuursorgaan: wie de gemeente vertegenwoordigt (burgemeester, wethouders, "
        "raadsleden of ambtelijk) en hoeveel stemmen de gemeente heeft van het totaal: één stem "
        "per deelnemer, gewogen naar inwoners of bijdrage, of besluiten bij consensus.",
        "Orgaan toevoegen",
    )
    sections = [
        ("Overdracht van taken", "", ["delegatie_mandaat", "delegatie_mandaat_toelichting"]),
        (
            "Rol- en taakverdeling, afspraken en toezicht",
            "",
            ["rol_taakverdeling", "afspraken_instrumenten", "toezichtarrangement"],
        ),
    ]

    class Meta:
        model = Participation
        fields = records.GOVERNANCE_FIELDS
        widgets = {"delegatie_mandaat": forms.RadioSelect}
        labels = {"toezichtarrangement": "Toezichtarrangement"}
        help_texts = {
            "delegatie_mandaat": (
                "Delegatie (art. 10:13 Awb): de bevoegdheid en de verantwoordelijkheid gaan over; "
                "daarvoor is een wettelijke grondslag nodig (art. 10:15 Awb, voor een Wgr-orgaan "
                "art. 30 Wgr). Mandaat (art. 10:1 Awb): een ander handelt namens de gemeente; de "
                "verantwoordelijkheid blijft bij de gemeente."
            ),
            "rol_taakverdeling": (
                "Wie doet wat: financiers, uitvoerders, kennisleveranciers, regisseur? Een "
                "centrumgemeente werkt in mandaat van de andere gemeenten."
            ),
            "afspraken_instrumenten": (
                "Bijvoorbeeld tussentijdse evaluatie en monitoring, werkbezoeken, rapporteurs in "
                "de raad, een bestuurlijk regisseur in het college, zienswijzen afstemmen met "
                "andere raden, afspraken over informatievoorziening, onafhankelijk toezicht."
            ),
            "toezichtarrangement": "Hoe intensief volgt de gemeente deze samenwerking?",
        }

    def __init__(self, data=None, *, instance, **kwargs):
        super().__init__(data, instance=instance, **kwargs)
        keep = [instance.toezichtarrangement_id] if instance.toezichtarrangement_id else []
        self.fields["toezichtarrangement"].queryset = selectors.vocabulary_terms(
            Vocabulary.TOEZICHT, keep=keep
        )

    def make_formset(self, data=None):
        initial = [
            {"id": s.pk, **{n: getattr(s, n) for n in BoardSeatForm.base_fields if n != "id"}}
            for s in self.instance.board_seats.all()
        ]
        return BoardSeatFormSet(data, initial=initial, prefix="zetel")

    def service_kwargs(self, formset) -> dict:
        fields = {name: self.cleaned_data[name] for name in records.GOVERNANCE_FIELDS}
        return {
            "participation": self.instance,
            "fields": fields,
            "seats": formset.rows(records.SeatRow),
        }


class ProcesForm(RecordForm):
    state = staticmethod(records.process_state)
    service = staticmethod(records.update_process)
    anchor = "proces"
    rows = (
        "Processtappen",
        "Wie doet wat wanneer: wanneer komt de raad in stelling (kaderbrief, zienswijze op de "
        "begroting, jaarrekening)? Een stap zonder kwartaal geldt voor het hele jaar.",
        "Stap toevoegen",
    )

    class Meta:
        model = Participation
        fields: list[str] = []

    def make_formset(self, data=None):
        initial = [
            {"id": e.pk, "actor": e.actor, "jaar": e.jaar, "kwartaal": e.kwartaal, "actie": e.actie}
            for e in self.instance.process_entries.all()
        ]
        return ProcessFormSet(data, initial=initial, prefix="stap")

    def service_kwargs(self, formset) -> dict:
        return {"participation": self.instance, "steps": formset.rows(records.ProcessRow)}


PERSPECTIVE_BLOCKS: dict[str, tuple[str, type[RecordForm]]] = {
    "belang": ("Belangrijkheid en basisgegevens", BelangForm),
    "bestuur": ("Bestuur en toezicht", BestuurForm),
    "proces": ("Proces", ProcesForm),
}


class PartnershipForm(RecordForm):
    """The shared record, for the coördinator."""

    state = staticmethod(records.partnership_state)
    service = staticmethod(records.update_partnership)
    anchor = "basisgegevens"
    municipalities = forms.ModelMultipleChoiceField(
        label="Deelnemende gemeenten",
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "municipality-list"}),
        help_text=(
            "Een gemeente aanvinken maakt haar deelnemer; zij vult daarna haar eigen perspectief "
            "in. Een deelnemer weghalen kan hier niet: beëindig dan de deelname, zodat haar "
            "gegevens bewaard blijven."
        ),
    )
    organisations = forms.ModelMultipleChoiceField(
        label="Overige organisaties",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Deelnemers die geen gemeente zijn: OM, politie, zorginstellingen, waterschap.",
    )
    new_organisations = forms.CharField(
        label="Andere organisatie toevoegen",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Eén naam per regel, bijvoorbeeld GGD Limburg-Noord.",
    )
    sections = [
        ("Naam en beschrijving", "", ["name", "afkorting", "beschrijving"]),
        ("Onderwerpen en aard", "", ["onderwerpen", "aard"]),
        ("Vorm", "", ["vorm", "bbv_categorie"]),
        (
            "Samenwerkingspartners",
            "",
            ["municipalities", "centrumgemeente", "organisations", "new_organisations"],
        ),
        (
            "Contactgegevens",
            "",
            ["vestigingsplaats", "bezoekadres", "correspondentieadres", "website"],
        ),
    ]

    class Meta:
        model = Partnership
        fields = [
            *records.PARTNERSHIP_FIELDS[:3],
            "onderwerpen",
            "aard",
            *records.PARTNERSHIP_FIELDS[3:],
        ]
        field_classes = {"aard": TermsField, "vorm": TermField}
        widgets = {
            "onderwerpen": forms.CheckboxSelectMultiple,
            "aard": forms.CheckboxSelectMultiple,
            "vorm": forms.RadioSelect,
            "website": forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        }
        help_texts = {
            "name": "De volledige naam, bijvoorbeeld Zorg- en Veiligheidshuis Limburg Noord.",
            "afkorting": "Bijvoorbeeld ZVH. De webadressen van de samenwerking blijven gelijk.",
            "beschrijving": "In één of enkele zinnen: wat doet de samenwerking, en voor wie?",
            "onderwerpen": "Kies alle onderwerpen die van toepassing zijn.",
            "aard": "Kies wat van toepassing is.",
            "bbv_categorie": "De groep in de paragraaf verbonden partijen (BBV art. 15).",
            "centrumgemeente": "Alleen als er een is: een van de deelnemende gemeenten.",
            "website": "Het volledige adres, bijvoorbeeld https://www.voorbeeld.nl.",
        }
        error_messages = {
            "name": {"required": "Vul de naam van de samenwerking in."},
            "afkorting": {"required": "Vul de afkorting in, bijvoorbeeld ZVH."},
            "website": {
                "invalid": "Vul een volledig webadres in, bijvoorbeeld https://www.voorbeeld.nl."
            },
        }

    def __init__(self, data=None, *, instance, **kwargs):
        super().__init__(data, instance=instance, **kwargs)
        for name, vocabulary in (("onderwerpen", Vocabulary.ONDERWERP), ("aard", Vocabulary.AARD)):
            chosen = [t.pk for t in getattr(instance, name).all()]
            self.fields[name].queryset = selectors.vocabulary_terms(vocabulary, keep=chosen)
        for name, vocabulary in (("vorm", Vocabulary.VORM), ("bbv_categorie", Vocabulary.BBV)):
            chosen = getattr(instance, f"{name}_id")
            self.fields[name].queryset = selectors.vocabulary_terms(
                vocabulary, keep=[chosen] if chosen else []
            )
        self.fields["municipalities"].queryset = selectors.municipality_choices()
        self.fields["centrumgemeente"].queryset = selectors.municipality_choices()
        self.fields["organisations"].queryset = selectors.organisation_choices()
        self.initial.setdefault("municipalities", [m.pk for m in instance.municipalities.all()])
        self.initial.setdefault("organisations", [o.pk for o in instance.organisations.all()])

    def service_kwargs(self, formset=None) -> dict:
        data = self.cleaned_data
        return {
            "partnership": self.instance,
            "fields": {name: data[name] for name in records.PARTNERSHIP_FIELDS},
            "onderwerpen": [t.pk for t in data["onderwerpen"]],
            "aard": [t.pk for t in data["aard"]],
            "municipality_ids": [m.pk for m in data["municipalities"]],
            "organisation_ids": [o.pk for o in data["organisations"]],
            "new_organisations": data["new_organisations"].splitlines(),
        }
