"""The BBV figures and the risk register of a municipality's year of a partnership.

`BbvFigures` (one per `YearRecord`, `record.bbv`) holds what BBV art. 15 asks per verbonden
partij: bestuurlijk and financieel belang at the start and the expected end of the year, the
party's eigen and vreemd vermogen at the start and (expected) end, its (expected) result, the
ontwikkelingen, the programme it contributes to, the Iv3 taakveld and the economic category of
the contribution. Each amount has three states, as a cell of the money tables: not filled in
(no amount), n.v.t. (`<name>_nvt`) or an amount (zero is an amount).

`Risk` (`record.risks`) is one line of the risk register: a description, a probability class,
the financial effect (unknown when empty) and the measures. The expected amount is computed
(`collaborations.risks.expected_amount`), never stored.

Both are part of the year's working copy: edited through the section C pages, adopted and
published with it, frozen in its `YearVersion`.
"""

from simple_history.models import HistoricalRecords

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from collaborations import iv3
from collaborations import risks as risk_rules
from core.fields import NOTE_MAX_LENGTH, BoundedTextField

# The amounts of the BBV figures, in form order, with their Dutch labels.
BBV_AMOUNTS: list[tuple[str, str]] = [
    ("financieel_belang_begin", "Financieel belang begin jaar"),
    ("financieel_belang_eind", "Financieel belang einde jaar (verwacht)"),
    ("eigen_vermogen_begin", "Eigen vermogen begin jaar"),
    ("eigen_vermogen_eind", "Eigen vermogen einde jaar (verwacht)"),
    ("vreemd_vermogen_begin", "Vreemd vermogen begin jaar"),
    ("vreemd_vermogen_eind", "Vreemd vermogen einde jaar (verwacht)"),
    ("resultaat", "Financieel resultaat (verwacht)"),
]
BBV_TEXTS: list[str] = [
    "bestuurlijk_belang_begin",
    "bestuurlijk_belang_eind",
    "ontwikkelingen",
    "programma",
    "taakveld",
    "economische_categorie",
]
AMOUNT_DIGITS = {"max_digits": 16, "decimal_places": 2}


def _amount(label: str) -> models.DecimalField:
    return models.DecimalField(label, null=True, blank=True, **AMOUNT_DIGITS)


def _nvt(label: str) -> models.BooleanField:
    return models.BooleanField(f"{label}: n.v.t.", default=False)


class EconomicCategory(models.TextChoices):
    """The Iv3 economic category of the municipality's contribution."""

    GR = "4.3.3", "4.3.3 Inkomensoverdrachten – gemeenschappelijke regelingen"
    GEMEENTEN = "4.3.2", "4.3.2 Inkomensoverdrachten – gemeenten (centrumgemeente)"


class BbvFigures(models.Model):
    year_record = models.OneToOneField(
        "collaborations.YearRecord", on_delete=models.CASCADE, related_name="bbv"
    )
    bestuurlijk_belang_begin = BoundedTextField(
        "Bestuurlijk belang begin jaar", blank=True, max_length=NOTE_MAX_LENGTH
    )
    bestuurlijk_belang_eind = BoundedTextField(
        "Bestuurlijk belang einde jaar (verwacht)", blank=True, max_length=NOTE_MAX_LENGTH
    )
    financieel_belang_begin = _amount("Financieel belang begin jaar")
    financieel_belang_begin_nvt = _nvt("Financieel belang begin jaar")
    financieel_belang_eind = _amount("Financieel belang einde jaar (verwacht)")
    financieel_belang_eind_nvt = _nvt("Financieel belang einde jaar (verwacht)")
    eigen_vermogen_begin = _amount("Eigen vermogen begin jaar")
    eigen_vermogen_begin_nvt = _nvt("Eigen vermogen begin jaar")
    eigen_vermogen_eind = _amount("Eigen vermogen einde jaar (verwacht)")
    eigen_vermogen_eind_nvt = _nvt("Eigen vermogen einde jaar (verwacht)")
    vreemd_vermogen_begin = _amount("Vreemd vermogen begin jaar")
    vreemd_vermogen_begin_nvt = _nvt("Vreemd vermogen begin jaar")
    vreemd_vermogen_eind = _amount("Vreemd vermogen einde jaar (verwacht)")
    vreemd_vermogen_eind_nvt = _nvt("Vreemd vermogen einde jaar (verwacht)")
    resultaat = _amount("Financieel resultaat (verwacht)")
    resultaat_nvt = _nvt("Financieel resultaat (verwacht)")
    ontwikkelingen = BoundedTextField("Ontwikkelingen", blank=True)
    programma = models.CharField("Programma van de gemeente", max_length=200, blank=True)
    taakveld = models.CharField("Iv3-taakveld", max_length=10, blank=True)
    economische_categorie = models.CharField(
        "Economische categorie van de bijdrage",
        max_length=10,
        choices=EconomicCategory.choices,
        blank=True,
        help_text="Leeg: afgeleid uit de vorm van de samenwerking.",
    )

    history = HistoricalRecords()
    MONEY_FIELDS = frozenset(name for name, _ in BBV_AMOUNTS)  # shown as € in the history

    class Meta:
        verbose_name = "BBV-gegevens"
        verbose_name_plural = "BBV-gegevens"
        constraints = [
            models.CheckConstraint(
                condition=~(Q(**{f"{name}__isnull": False, f"{name}_nvt": True})),
                name=f"bbv_{name}_value_or_nvt",
                violation_error_message=f"{label}: vul een bedrag in of kies n.v.t., niet allebei.",
            )
            for name, label in BBV_AMOUNTS
        ]

    def __str__(self) -> str:
        return f"BBV-gegevens {self.year_record}"

    def clean(self) -> None:
        errors = {}
        for name, label in BBV_AMOUNTS:
            if getattr(self, name) is not None and getattr(self, f"{name}_nvt"):
                errors[name] = f"{label}: vul een bedrag in of kies n.v.t., niet allebei."
        if self.taakveld and self.taakveld not in iv3.taakvelden():
            errors["taakveld"] = f"Iv3-taakveld: “{self.taakveld}” staat niet in de lijst."
        if errors:
            raise ValidationError(errors)


class Risk(models.Model):
    year_record = models.ForeignKey(
        "collaborations.YearRecord", on_delete=models.CASCADE, related_name="risks"
    )
    order = models.PositiveSmallIntegerField("volgorde", default=0)
    omschrijving = BoundedTextField("Omschrijving van het risico", max_length=NOTE_MAX_LENGTH)
    kans = models.PositiveSmallIntegerField(
        "Kans", choices=risk_rules.PROBABILITY_CHOICES, help_text="De kansklasse in procenten."
    )
    effect = models.DecimalField(
        "Financieel effect",
        null=True,
        blank=True,
        help_text="Het bedrag dat de gemeente verliest als het risico zich voordoet; leeg is "
        "onbekend.",
        validators=[MinValueValidator(0, "Vul een bedrag van 0 of meer in.")],
        **AMOUNT_DIGITS,
    )
    maatregelen = BoundedTextField("Beheersmaatregelen", blank=True, max_length=NOTE_MAX_LENGTH)

    history = HistoricalRecords()
    MONEY_FIELDS = frozenset({"effect"})  # shown as € in the history

    class Meta:
        verbose_name = "risico"
        verbose_name_plural = "risico's"
        ordering = ["year_record", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kans__in=risk_rules.PROBABILITY_CLASSES),
                name="risk_kans_class",
                violation_error_message="Kies de kans: 10%, 30%, 50%, 70% of 90%.",
            ),
            models.CheckConstraint(
                condition=Q(effect__isnull=True) | Q(effect__gte=0),
                name="risk_effect_positive",
                violation_error_message="Het financieel effect is 0 of meer.",
            ),
        ]

    def __str__(self) -> str:
        return self.omschrijving[:60]

    @property
    def expected_amount(self):
        return risk_rules.expected_amount(self.kans, self.effect)
