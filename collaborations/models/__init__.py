"""The content model: shared partnership record, each municipality's perspective, and its year.

* `Partnership` is entered once for all participants (name, legal form, partners, contact).
* `Participation` is one municipality's perspective on it (importance, verbonden partij,
  governance from its seat, the council's process).
* `YearRecord` is that municipality's section C for one year (motives, results, share).

Vocabularies (onderwerpen, aard, motives, legal forms, ...) are rows of `Term`, with stable codes
and the exact Dutch labels, managed in the admin.
"""

from simple_history.models import HistoricalRecords

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from core.fields import NOTE_MAX_LENGTH, BoundedTextField

KERN_MAX_LENGTH = 500


class Vocabulary(models.TextChoices):
    ONDERWERP = "onderwerp", "Onderwerpen"
    AARD = "aard", "Aard van de samenwerking"
    BELANG_WAAROM = "belang_waarom", "Belangrijkheid: waarom"
    BELANG_WIE = "belang_wie", "Belangrijkheid: voor wie"
    VORM = "vorm", "Vorm van de samenwerking"
    BBV = "bbv", "BBV-categorie"
    MOTIEF = "motief", "Motief voor samenwerking"
    SUBMOTIEF = "submotief", "Submotief"
    TOEZICHT = "toezicht", "Toezichtarrangement"


class Term(models.Model):
    """One entry of a controlled vocabulary. Sub-motives point to their main motive."""

    vocabulary = models.CharField("vocabulaire", max_length=20, choices=Vocabulary.choices)
    code = models.SlugField("code", max_length=60, help_text="Stabiele code; verander die niet.")
    label = models.CharField("label", max_length=200)
    help_text = BoundedTextField("toelichting bij invullen", blank=True, max_length=NOTE_MAX_LENGTH)
    parent = models.ForeignKey(
        "self",
        verbose_name="hoort bij",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    active = models.BooleanField("in gebruik", default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "term"
        verbose_name_plural = "vocabulaires"
        ordering = ["vocabulary", "order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


class Municipality(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField("slug", max_length=100, unique=True)
    cbs_code = models.CharField(
        "CBS-code",
        max_length=6,
        unique=True,
        help_text="Gemeentecode van het CBS, bijvoorbeeld GM0983.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("reports:overview", kwargs={"municipality_slug": self.slug})


class Organisation(models.Model):
    """A participant that is not a municipality (OM, politie, waterschap, care institution)."""

    name = models.CharField("naam", max_length=200, unique=True)
    slug = models.SlugField("slug", max_length=200, unique=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "overige organisaties"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """The shared record of a partnership, entered once for all participants."""

    name = models.CharField("naam", max_length=200)
    afkorting = models.CharField("afkorting", max_length=30)
    slug = models.SlugField(
        "slug", max_length=30, unique=True, help_text="De afkorting in kleine letters: zvh."
    )
    beschrijving = BoundedTextField("beschrijving", blank=True)
    onderwerpen = models.ManyToManyField(
        Term,
        verbose_name="onderwerpen",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.ONDERWERP},
    )
    aard = models.ManyToManyField(
        Term,
        verbose_name="aard van de samenwerking",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.AARD},
    )
    vorm = models.ForeignKey(
        Term,
        verbose_name="vorm van de samenwerking",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.VORM},
    )
    bbv_categorie = models.ForeignKey(
        Term,
        verbose_name="BBV-categorie",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.BBV},
    )
    municipalities = models.ManyToManyField(
        Municipality,
        through="Participation",
        verbose_name="deelnemende gemeenten",
        related_name="partnerships",
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name="overige organisaties",
        blank=True,
        related_name="partnerships",
    )
    centrumgemeente = models.ForeignKey(
        Municipality,
        verbose_name="centrumgemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centre_of",
    )
    vestigingsplaats = models.CharField("vestigingsplaats", max_length=100, blank=True)
    bezoekadres = models.CharField("bezoekadres", max_length=200, blank=True)
    correspondentieadres = models.CharField("correspondentieadres", max_length=200, blank=True)
    website = models.URLField("website", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=["onderwerpen", "aard", "organisations"])

    class Meta:
        verbose_name = "samenwerking"
        verbose_name_plural = "samenwerkingen"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.afkorting})"


class Participation(models.Model):
    """One municipality's perspective on a partnership."""

    class DelegatieMandaat(models.TextChoices):
        GEEN = "geen", "Nee, geen overdracht"
        DELEGATIE = "delegatie", "Ja, delegatie"
        MANDAAT = "mandaat", "Ja, mandaat"
        BEIDE = "beide", "Ja, delegatie en mandaat"

    partnership = models.ForeignKey(
        Partnership, verbose_name="samenwerking", on_delete=models.CASCADE, related_name="+"
    )
    municipality = models.ForeignKey(
        Municipality, verbose_name="gemeente", on_delete=models.CASCADE, related_name="+"
    )
    ended_on = models.DateField(
        "deelname beëindigd per",
        null=True,
        blank=True,
        help_text="Leeg zolang de gemeente deelneemt. De gegevens en de geschiedenis blijven.",
    )
    belang_waarom = models.ManyToManyField(
        Term,
        verbose_name="Waarom is het belangrijk?",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.BELANG_WAAROM},
    )
    belang_wie = models.ManyToManyField(
        Term,
        verbose_name="Voor wie is het vooral belangrijk?",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.BELANG_WIE},
    )
    bestuurlijk_belang = models.BooleanField(
        "De gemeente heeft bestuurlijk belang", null=True, blank=True
    )
    financieel_belang = models.BooleanField(
        "De gemeente heeft financieel belang", null=True, blank=True
    )
    accounthouders = models.CharField("accounthouders", max_length=300, blank=True)
    raadsprogramma = models.CharField("raadsprogramma", max_length=200, blank=True)
    delegatie_mandaat = models.CharField(
        "Overdracht van publieke taken of bevoegdheden?",
        max_length=10,
        choices=DelegatieMandaat.choices,
        blank=True,
    )
    delegatie_mandaat_toelichting = BoundedTextField(
        "Delegatie of mandaat van taken/ bevoegdheden, welke?", blank=True
    )
    rol_taakverdeling = BoundedTextField("Rol-, taak- en bevoegdheidsverdeling", blank=True)
    afspraken_instrumenten = BoundedTextField("Afspraken, procedures en instrumenten", blank=True)
    toezichtarrangement = models.ForeignKey(
        Term,
        verbose_name="toezichtarrangement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.TOEZICHT},
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords(m2m_fields=["belang_waarom", "belang_wie"])

    class Meta:
        verbose_name = "deelname"
        verbose_name_plural = "deelnames"
        ordering = ["partnership__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "municipality"], name="participation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality} in {self.partnership.afkorting}"

    @property
    def verbonden_partij(self) -> bool | None:
        """BBV: a verbonden partij needs both a bestuurlijk and a financieel belang."""
        if self.bestuurlijk_belang is False or self.financieel_belang is False:
            return False
        if self.bestuurlijk_belang and self.financieel_belang:
            return True
        return None


class BoardSeat(models.Model):
    """Representation and votes of the municipality in one body of the partnership."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="board_seats"
    )
    orgaan = models.CharField("orgaan", max_length=100)
    vertegenwoordiging = models.CharField(
        "vertegenwoordiging",
        max_length=200,
        blank=True,
        help_text="Burgemeester, wethouders, raadsleden of ambtelijk: wie zit erin?",
    )
    stemmen = models.PositiveIntegerField("Aantal stemmen voor de gemeente", null=True, blank=True)
    stemmen_totaal = models.PositiveIntegerField("Totaal aantal stemmen", null=True, blank=True)
    toelichting = models.CharField("Eventuele toelichting", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "vertegenwoordiging"
        verbose_name_plural = "vertegenwoordiging in bestuursorganen"
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.orgaan


class ProcessEntry(models.Model):
    """The council's process: who does what when (kaderbrief, zienswijze, jaarrekening)."""

    class Actor(models.TextChoices):
        RAAD = "raad", "Raad"
        COLLEGE = "college", "College"
        AMBTELIJK = "ambtelijk", "Ambtelijke organisatie"

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="process_entries"
    )
    actor = models.CharField("wie", max_length=10, choices=Actor.choices)
    jaar = models.PositiveSmallIntegerField(
        "jaar", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    kwartaal = models.PositiveSmallIntegerField(
        "kwartaal",
        null=True,
        blank=True,
        choices=[
            (1, "eerste kwartaal"),
            (2, "tweede kwartaal"),
            (3, "derde kwartaal"),
            (4, "vierde kwartaal"),
        ],
    )
    actie = models.CharField("wat", max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "processtap"
        verbose_name_plural = "proces"
        ordering = ["jaar", "kwartaal", "id"]

    def __str__(self) -> str:
        return f"{self.get_actor_display()} {self.jaar}: {self.actie}"


class YearRecord(models.Model):
    """Section C of one municipality's perspective for one year."""

    class Status(models.TextChoices):
        """The workflow: the clerk submits, the adopter adopts and publishes (or sends it back);
        an adopted or published year is locked until it is reopened."""

        CONCEPT = "concept", "Concept"
        TER_VASTSTELLING = "ter_vaststelling", "Ter vaststelling"
        VASTGESTELD = "vastgesteld", "Vastgesteld"
        GEPUBLICEERD = "gepubliceerd", "Gepubliceerd"

    class Evenwicht(models.TextChoices):
        EVENWICHTIG = "evenwichtig", "Evenwichtig"
        NIET_EVENWICHTIG = "niet_evenwichtig", "Niet evenwichtig"
        ONBEKEND = "onbekend", "Onbekend"

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(
        "jaar", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    status_note = BoundedTextField(
        "toelichting bij de status",
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text="Waarom het jaar is teruggestuurd of heropend.",
    )
    nagekeken = models.BooleanField(
        "nagekeken",
        default=False,
        help_text="Uit is: overgenomen van vorig jaar en nog niet nagekeken.",
    )
    # Motieven (vraag 13, 14)
    submotieven = models.ManyToManyField(
        Term,
        verbose_name="motieven voor samenwerking",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.SUBMOTIEF},
    )
    eigen_formulering = BoundedTextField("Anders, namelijk (eigen formulering)", blank=True)
    belangrijkste_motieven = models.ManyToManyField(
        Term,
        verbose_name="belangrijkste motieven",
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.MOTIEF},
    )
    motief_beantwoord = BoundedTextField(
        "Is aan het motief van samenwerking beantwoord? Wat wel en wat (nog) niet?", blank=True
    )
    # Beoogde resultaten (vraag 15)
    beoogd_inhoud = BoundedTextField("Inhoud", blank=True)
    beoogd_proces = BoundedTextField("Proces", blank=True)
    beoogd_samenwerking = BoundedTextField("Samenwerking", blank=True)
    beoogd_kern = BoundedTextField(
        "Kern (maximaal 500 tekens)", blank=True, max_length=KERN_MAX_LENGTH
    )
    # Feitelijke resultaten
    feitelijk_inhoud = BoundedTextField("Inhoud", blank=True)
    feitelijk_proces = BoundedTextField("Proces", blank=True)
    feitelijk_samenwerking = BoundedTextField("Samenwerking", blank=True)
    feitelijk_kern = BoundedTextField(
        "Kern (maximaal 500 tekens)", blank=True, max_length=KERN_MAX_LENGTH
    )
    # Kosten en baten (toelichting; the money tables are in the finance app)
    kosten_baten_begroot = BoundedTextField("Begroot", blank=True)
    kosten_baten_feitelijk = BoundedTextField("Feitelijk", blank=True)
    # Aandeel van de gemeente in de realisatie van de opgave
    aandeel_toelichting = BoundedTextField("Toelichting", blank=True)
    verdeelsleutel_tekst = BoundedTextField("Verdeelsleutel", blank=True)
    evenwicht_kosten = models.CharField(
        "Evenwicht kosten", max_length=20, choices=Evenwicht.choices, blank=True
    )
    evenwicht_kosten_toelichting = BoundedTextField("Toelichting evenwicht kosten", blank=True)
    evenwicht_baten = models.CharField(
        "Evenwicht baten", max_length=20, choices=Evenwicht.choices, blank=True
    )
    evenwicht_baten_toelichting = BoundedTextField("Toelichting evenwicht baten", blank=True)
    aandeel_percentage = models.DecimalField(
        "Schatting van het aandeel van de gemeente in de realisatie van de opgave",
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(m2m_fields=["submotieven", "belangrijkste_motieven"])

    class Meta:
        verbose_name = "jaargegevens"
        verbose_name_plural = "jaargegevens"
        ordering = ["participation", "year"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "year"], name="yearrecord_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participation} {self.year}"


class MotiveAnswer(models.Model):
    """Answer to "Aan motief beantwoord?" per main motive: ja / deels / nee / nog niet te zeggen."""

    class Answer(models.TextChoices):
        JA = "ja", "Ja"
        DEELS = "deels", "Deels"
        NEE = "nee", "Nee"
        NOG_NIET = "nog_niet", "Nog niet te zeggen"

    year_record = models.ForeignKey(
        YearRecord, on_delete=models.CASCADE, related_name="motive_answers"
    )
    motief = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary": Vocabulary.MOTIEF},
    )
    antwoord = models.CharField("antwoord", max_length=10, choices=Answer.choices)
    toelichting = BoundedTextField("toelichting", blank=True, max_length=NOTE_MAX_LENGTH)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "antwoord per motief"
        verbose_name_plural = "antwoorden per motief"
        ordering = ["motief__order"]
        constraints = [
            models.UniqueConstraint(fields=["year_record", "motief"], name="motive_answer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.motief}: {self.get_antwoord_display()}"


class YearVersion(models.Model):
    """A published version of a municipality's year: what its page showed when it was adopted
    and published, frozen (`snapshot`, built by `reports.snapshot`). The public reads only these;
    a version is never changed. The contribution figures and the risk profile are copied out of
    the snapshot for lists and comparisons."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="versions"
    )
    year = models.PositiveSmallIntegerField("jaar")
    number = models.PositiveIntegerField("versie")
    snapshot = models.JSONField("inhoud", encoder=DjangoJSONEncoder)
    contribution_budget = models.DecimalField(
        "bijdrage begroting", max_digits=16, decimal_places=2, null=True, blank=True
    )
    contribution_actual = models.DecimalField(
        "bijdrage realisatie", max_digits=16, decimal_places=2, null=True, blank=True
    )
    contribution_budget_next = models.DecimalField(
        "bijdrage begroting volgend jaar", max_digits=16, decimal_places=2, null=True, blank=True
    )
    # n.v.t. is not "not filled in": a figure without an amount says which of the two it is
    contribution_budget_nvt = models.BooleanField("bijdrage begroting n.v.t.", default=False)
    contribution_actual_nvt = models.BooleanField("bijdrage realisatie n.v.t.", default=False)
    contribution_budget_next_nvt = models.BooleanField(
        "bijdrage begroting volgend jaar n.v.t.", default=False
    )
    risk_profile = models.CharField(
        "risicoprofiel",
        max_length=10,
        blank=True,
        help_text="Uit de inhoud overgenomen (laag, midden, hoog); leeg is niet bepaald.",
    )
    note = BoundedTextField("toelichting", blank=True, max_length=NOTE_MAX_LENGTH)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="vastgesteld door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adopted_at = models.DateTimeField("vastgesteld op", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gepubliceerd door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField("gepubliceerd op")

    class Meta:
        verbose_name = "gepubliceerde versie"
        verbose_name_plural = "gepubliceerde versies"
        ordering = ["participation", "year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "year", "number"], name="yearversion_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.participation} {self.year}, versie {self.number}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValueError("Een gepubliceerde versie verandert nooit.")
        super().save(*args, **kwargs)


# The BBV figures and the risk register of a year: in models/bbv.py.
from .bbv import BbvFigures as BbvFigures  # noqa: E402
from .bbv import EconomicCategory as EconomicCategory  # noqa: E402
from .bbv import Risk as Risk  # noqa: E402
from .meetings import BoardMeeting as BoardMeeting  # noqa: E402

# Who may do what: in models/roles.py, importable from here like every model.
from .roles import Role as Role  # noqa: E402
