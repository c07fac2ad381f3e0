"""The verdeelmodel as stored: measures per municipality, and per partnership and budget year a
model with its variants (one of them adopted). The engine (`allocation.engine`) computes;
these models only keep its inputs and definitions.

The tables were created by the `finance` app and keep their names (`db_table`).
"""

from simple_history.models import HistoricalRecords

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from collaborations.models import Partnership
from core.fields import NOTE_MAX_LENGTH, BoundedTextField

from .constants import RESERVED_VARIANT_CODES


def validate_variant_code(value: str) -> None:
    """A variant code is part of a path: it may not be one of the fixed sub-paths."""
    if value.lower() in RESERVED_VARIANT_CODES:
        raise ValidationError(
            f"De code “{value}” is gereserveerd voor een pagina; kies een andere code."
        )


class Measure(models.Model):
    """A named measure of a municipality for a year (inwoners, jeugdinwoners, objective
    budgets, production counts per service line per period) with its source."""

    municipality = models.ForeignKey(
        "collaborations.Municipality",
        verbose_name="gemeente",
        on_delete=models.CASCADE,
        related_name="measures",
    )
    code = models.SlugField("maat", max_length=60, help_text="Bijvoorbeeld inwoners of duvo.")
    year = models.PositiveSmallIntegerField(
        "jaar", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    period = models.CharField(
        "periode",
        max_length=20,
        blank=True,
        help_text="Leeg voor één waarde per jaar; anders bijvoorbeeld 2016 of 2016-K1.",
    )
    value = models.DecimalField("waarde", max_digits=20, decimal_places=4)
    omschrijving = models.CharField("omschrijving", max_length=200, blank=True)
    eenheid = models.CharField("eenheid", max_length=40, blank=True)
    bron = models.CharField("bron", max_length=300, blank=True)
    peildatum = models.DateField("peildatum", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        db_table = "finance_measure"
        verbose_name = "maat"
        verbose_name_plural = "maten"
        ordering = ["code", "municipality__name", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code", "year", "period"], name="measure_unique"
            ),
            models.CheckConstraint(condition=Q(value__gte=0), name="measure_not_negative"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.code} {self.municipality} {self.year}{' ' + self.period if self.period else ''}"
        )


class AllocationModel(models.Model):
    """The allocation model of a partnership for a budget year: who takes part (in which
    group), the parameters and service lines, and the cost-price build-up. The measures come
    from `Measure`; the variants' steps from `AllocationVariant`."""

    partnership = models.ForeignKey(
        Partnership, verbose_name="samenwerking", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(
        "begrotingsjaar", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    name = models.CharField("naam", max_length=200)
    bron = models.CharField("bron", max_length=300, blank=True)
    inputs = models.JSONField(
        "invoer",
        encoder=DjangoJSONEncoder,
        help_text="groepen, deelnemers, parameters en diensten in het formaat "
        "verdeelmodel-invoer/1 (zonder maten: die komen uit de tabel maten).",
    )
    cost_price = models.JSONField(
        "kostprijsopbouw", null=True, blank=True, encoder=DjangoJSONEncoder
    )
    # optimistic locking of the parameters form (`core.locking`)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        db_table = "finance_allocationmodel"
        verbose_name = "verdeelmodel"
        verbose_name_plural = "verdeelmodellen"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "year"], name="allocationmodel_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class AllocationVariant(models.Model):
    """One variant of a model: its steps and rounding (format verdeelmodel/1, without invoer)."""

    model = models.ForeignKey(AllocationModel, on_delete=models.CASCADE, related_name="variants")
    code = models.CharField(
        "code",
        max_length=20,
        validators=[
            RegexValidator(r"^[A-Za-z0-9_-]+$", "Alleen letters, cijfers, - en _."),
            validate_variant_code,
        ],
    )
    name = models.CharField("naam", max_length=200)
    omschrijving = BoundedTextField("omschrijving", blank=True, max_length=NOTE_MAX_LENGTH)
    definition = models.JSONField("definitie", encoder=DjangoJSONEncoder)
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    adopted = models.BooleanField("vastgesteld", default=False)
    # optimistic locking of the variant editor (`core.locking`)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        db_table = "finance_allocationvariant"
        verbose_name = "variant"
        verbose_name_plural = "varianten"
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["model", "code"], name="variant_unique_code"),
            models.UniqueConstraint(
                fields=["model"], condition=Q(adopted=True), name="variant_one_adopted"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model.name}: {self.code}"


class Settlement(models.Model):
    """A year-end result (a deficit or a surplus) of a partnership, settled over its participants
    with the key of that year and kept: the figures of its lines are frozen when it is saved, so
    a later change of the measures or of the adopted variant never changes a kept settlement
    (only a deliberate correction computes it again)."""

    class Status(models.TextChoices):
        CONCEPT = "concept", "concept"
        VASTGESTELD = "vastgesteld", "vastgesteld"

    KEY_CONTRIBUTION = "bijdrage"  # pro rata to the contributions under the adopted variant

    model = models.ForeignKey(
        AllocationModel,
        verbose_name="verdeelmodel",
        on_delete=models.CASCADE,
        related_name="settlements",
    )
    amount = models.DecimalField(
        "te verrekenen resultaat",
        max_digits=14,
        decimal_places=2,
        help_text="Een tekort positief, een overschot negatief.",
    )
    key = models.CharField(
        "verdeelsleutel", max_length=60, help_text="bijdrage, of de code van een maat."
    )
    key_label = models.CharField("verdeelsleutel in woorden", max_length=300)
    variant_code = models.CharField("vastgestelde variant", max_length=20)
    variant_name = models.CharField("naam van de variant", max_length=200)
    description = BoundedTextField("omschrijving", max_length=NOTE_MAX_LENGTH)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.CONCEPT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="opgeslagen door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("opgeslagen op", default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gewijzigd door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("gewijzigd op", auto_now=True)
    # optimistic locking of the correction and the deletion (`core.locking`)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "verrekening"
        verbose_name_plural = "verrekeningen"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="settlement_not_zero"),
        ]

    def __str__(self) -> str:
        return f"Verrekening {self.kind} {self.model.year}"

    @property
    def is_deficit(self) -> bool:
        return self.amount > 0

    @property
    def kind(self) -> str:
        """tekort or overschot"""
        return "tekort" if self.amount > 0 else "overschot"

    @property
    def magnitude(self):
        return abs(self.amount)


class SettlementLine(models.Model):
    """One participant's part of a kept settlement, frozen: its name, the weight the key gave it
    (the contribution or the measure) and its share, to the cent."""

    settlement = models.ForeignKey(
        Settlement, verbose_name="verrekening", on_delete=models.CASCADE, related_name="lines"
    )
    municipality = models.ForeignKey(
        "collaborations.Municipality",
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField("deelnemer", max_length=200)
    weight = models.DecimalField("grondslag", max_digits=24, decimal_places=4)
    amount = models.DecimalField("aandeel", max_digits=14, decimal_places=2)
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "regel van een verrekening"
        verbose_name_plural = "regels van verrekeningen"
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["settlement", "name"], name="settlementline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.amount}"

    @property
    def magnitude(self):
        return abs(self.amount)


class AllocationPublication(models.Model):
    """A published state of a verdeelmodel: its inputs (with the measures) and its variants as
    they were when the coordinator published them. The public comparison, explanations, PDF
    and exports read the newest one, so the coordinator can work on the model — a new budget,
    a variant D — without the public seeing it; a publication never changes (a new state is a
    new publication, numbered), and older ones stay readable."""

    model = models.ForeignKey(
        AllocationModel, on_delete=models.CASCADE, related_name="publications"
    )
    number = models.PositiveIntegerField("versie")
    inputs = models.JSONField("invoer", encoder=DjangoJSONEncoder)
    # [{"code", "name", "omschrijving", "definition", "order", "adopted"}], in the page's order
    variants = models.JSONField("varianten", encoder=DjangoJSONEncoder)
    note = models.CharField("toelichting", max_length=300, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gepubliceerd door",
    )
    published_at = models.DateTimeField("gepubliceerd op", default=timezone.now)

    class Meta:
        verbose_name = "publicatie van een verdeelmodel"
        verbose_name_plural = "publicaties van verdeelmodellen"
        ordering = ["model", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "number"], name="publication_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.model}: versie {self.number}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValidationError("Een gepubliceerde versie verandert niet; publiceer opnieuw.")
        super().save(*args, **kwargs)
