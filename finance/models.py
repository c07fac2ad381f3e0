"""Money: the five tables of section C, and the municipality's split key.

* *Kosten (inbreng financiële middelen)* and *Baten* belong to a municipality's perspective
  (`Participation`); *Financiële resultaten*, *Eigen vermogen* and *Vreemd vermogen* to the shared
  partnership record, entered once for all participants.
* A `FinanceLine` is a category of a table (stable across years). An amount is stored once per
  line, year and kind (begroting / realisatie): the *Begroting 2018* shown on the 2017 page is the
  same row as the *Begroting 2018* on the 2018 page.
* A `FinanceTableYear` says that a table was filled in for a year, with its rows in order — or
  that the whole table is not applicable that year. No table-year: "Bij dit jaar zijn geen
  gegevens ingevuld bij dit onderdeel".
* Three states stay apart from zero: no `FinanceAmount` row is "not filled in" ("…"), a row with
  `not_applicable` is "n.v.t.", and an amount of 0 is € 0. Totals are computed, never stored.
"""

from decimal import Decimal

from simple_history.models import HistoricalRecords

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from collaborations.models import Participation, Partnership, YearRecord
from core.formatting import quantize_half_up


class Table(models.TextChoices):
    KOSTEN = "kosten", "Kosten (inbreng financiële middelen)"
    BATEN = "baten", "Baten"
    RESULTATEN = "resultaten", "Financiële resultaten"
    EIGEN_VERMOGEN = "eigen_vermogen", "Eigen vermogen"
    VREEMD_VERMOGEN = "vreemd_vermogen", "Vreemd vermogen"


PERSPECTIVE_TABLES = (Table.KOSTEN, Table.BATEN)
SHARED_TABLES = (Table.RESULTATEN, Table.EIGEN_VERMOGEN, Table.VREEMD_VERMOGEN)


class Kind(models.TextChoices):
    BEGROTING = "begroting", "Begroting"
    REALISATIE = "realisatie", "Realisatie"


_ONE_OWNER = Q(partnership__isnull=False, participation__isnull=True) | Q(
    partnership__isnull=True, participation__isnull=False
)


class FinanceLine(models.Model):
    """A category of one table, owned by a perspective (kosten, baten) or the partnership."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name="samenwerking",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name="gemeente (perspectief)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    table = models.CharField("tabel", max_length=20, choices=Table.choices)
    label = models.CharField("categorie", max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "regel"
        verbose_name_plural = "regels"
        constraints = [
            models.CheckConstraint(condition=_ONE_OWNER, name="financeline_one_owner"),
            models.UniqueConstraint(
                fields=["participation", "table", "label"],
                condition=Q(participation__isnull=False),
                name="financeline_unique_perspective",
            ),
            models.UniqueConstraint(
                fields=["partnership", "table", "label"],
                condition=Q(partnership__isnull=False),
                name="financeline_unique_shared",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class FinanceTableYear(models.Model):
    """A table as filled in for one year: its rows in order, or not applicable as a whole."""

    partnership = models.ForeignKey(
        Partnership,
        verbose_name="samenwerking",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name="gemeente (perspectief)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    table = models.CharField("tabel", max_length=20, choices=Table.choices)
    year = models.PositiveSmallIntegerField(
        "jaar", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    not_applicable = models.BooleanField("niet van toepassing", default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tabel per jaar"
        verbose_name_plural = "tabellen per jaar"
        constraints = [
            models.CheckConstraint(condition=_ONE_OWNER, name="financetableyear_one_owner"),
            models.UniqueConstraint(
                fields=["participation", "table", "year"],
                condition=Q(participation__isnull=False),
                name="financetableyear_unique_perspective",
            ),
            models.UniqueConstraint(
                fields=["partnership", "table", "year"],
                condition=Q(partnership__isnull=False),
                name="financetableyear_unique_shared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_table_display()} {self.year}"


class FinanceRow(models.Model):
    """A line as it appears, in order, in a table of one year."""

    table_year = models.ForeignKey(
        FinanceTableYear, verbose_name="tabel", on_delete=models.CASCADE, related_name="rows"
    )
    line = models.ForeignKey(
        FinanceLine, verbose_name="regel", on_delete=models.CASCADE, related_name="rows"
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["table_year", "line"], name="financerow_unique")
        ]

    def __str__(self) -> str:
        return f"{self.table_year}: {self.line}"


class FinanceAmount(models.Model):
    """One figure: a line's begroting or realisatie for a year; or "n.v.t."."""

    line = models.ForeignKey(
        FinanceLine, verbose_name="regel", on_delete=models.CASCADE, related_name="amounts"
    )
    year = models.PositiveSmallIntegerField(
        "jaar", validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    kind = models.CharField("soort", max_length=10, choices=Kind.choices)
    amount = models.DecimalField("bedrag", max_digits=16, decimal_places=2, null=True, blank=True)
    not_applicable = models.BooleanField("n.v.t.", default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bedrag"
        verbose_name_plural = "bedragen"
        constraints = [
            models.UniqueConstraint(fields=["line", "year", "kind"], name="financeamount_unique"),
            models.CheckConstraint(
                condition=Q(not_applicable=True, amount__isnull=True)
                | Q(not_applicable=False, amount__isnull=False),
                name="financeamount_value_or_nvt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.get_kind_display()} {self.year}"


class SplitKeyComponent(models.Model):
    """One part of the municipality's verdeelsleutel: a share of a base amount, or a fixed sum.

    The computed amount is rounded half up to the euro. `kosten_line` ties the part to the line
    of the Kosten table it pays for, so the page can signal when the two disagree.
    """

    class Kind(models.TextChoices):
        AANDEEL = "aandeel", "Percentage van een bedrag"
        VAST = "vast", "Vast bedrag"

    year_record = models.ForeignKey(
        YearRecord, on_delete=models.CASCADE, related_name="split_key_components"
    )
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField("soort", max_length=10, choices=Kind.choices, default=Kind.AANDEEL)
    omschrijving = models.CharField(
        "wat wordt gedeeld", max_length=200, help_text="Bijvoorbeeld: bijdrage Veiligheidshuis."
    )
    basis = models.CharField(
        "grondslag",
        max_length=200,
        blank=True,
        help_text="Bijvoorbeeld: op basis van uitstroom ex-gedetineerden.",
    )
    base_amount = models.DecimalField(
        "te verdelen bedrag", max_digits=16, decimal_places=2, null=True, blank=True
    )
    share_percent = models.DecimalField(
        "aandeel van de gemeente (%)",
        max_digits=12,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    fixed_amount = models.DecimalField(
        "vast bedrag", max_digits=16, decimal_places=2, null=True, blank=True
    )
    applies_to_year = models.PositiveSmallIntegerField(
        "begrotingsjaar", help_text="Het jaar waarvan de begroting met deze sleutel is verdeeld."
    )
    kosten_line = models.ForeignKey(
        FinanceLine,
        verbose_name="regel in Kosten",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "onderdeel verdeelsleutel"
        verbose_name_plural = "verdeelsleutel"
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind="aandeel",
                    base_amount__isnull=False,
                    share_percent__isnull=False,
                    fixed_amount__isnull=True,
                )
                | Q(kind="vast", fixed_amount__isnull=False),
                name="splitkey_complete",
            )
        ]

    def __str__(self) -> str:
        return self.omschrijving

    @property
    def computed_amount(self) -> Decimal:
        if self.kind == self.Kind.VAST:
            return quantize_half_up(self.fixed_amount)
        return quantize_half_up(self.base_amount * self.share_percent / 100)
