"""What the reports app keeps: committee bundles (PDF), built in the background, and the
municipality's vision and policy text that opens its paragraaf verbonden partijen.

The bundle's table was created by the `finance` app and keeps its name (`db_table`).
"""

from simple_history.models import HistoricalRecords

from django.conf import settings
from django.db import models

from core.fields import BoundedTextField

POLICY_MAX_LENGTH = 20_000  # a few pages: the opening of a paragraph, not a policy document


class Edition(models.TextChoices):
    """The two editions of the paragraaf verbonden partijen: in the budget (expected figures)
    and in the annual accounts (realised figures)."""

    BEGROTING = "begroting", "Begroting"
    JAARSTUKKEN = "jaarstukken", "Jaarstukken"


class ReportBundle(models.Model):
    """A committee bundle (PDF) of a municipality's partnerships for a year, built in the
    background. A finished bundle is served again as long as the data's version is the same."""

    class Status(models.TextChoices):
        WACHTEND = "wachtend", "In de wachtrij"
        BEZIG = "bezig", "Wordt gemaakt"
        KLAAR = "klaar", "Klaar"
        MISLUKT = "mislukt", "Mislukt"

    municipality = models.ForeignKey(
        "collaborations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("jaar")
    slugs = models.JSONField("samenwerkingen")
    include_drafts = models.BooleanField("met concepten", default=False)
    edition = models.CharField(
        "editie van de paragraaf", max_length=12, choices=Edition.choices, default=Edition.BEGROTING
    )
    data_version = models.CharField("versie van de gegevens", max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WACHTEND)
    progress = models.PositiveSmallIntegerField("voortgang (%)", default=0)
    progress_label = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="bundels/", blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "finance_reportbundle"
        verbose_name = "bundel"
        verbose_name_plural = "bundels"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Bundel {self.municipality} {self.year} ({self.get_status_display()})"


class ParagraphPolicy(models.Model):
    """The municipality's vision and policy on its verbonden partijen for a year: the opening of
    its *paragraaf verbonden partijen*. Clerks edit `text` (the concept); the vaststeller
    publishes it, and the public only ever reads `published_text`. Every save is kept
    (history) and can be restored; a save on a replaced version is refused (`version`)."""

    municipality = models.ForeignKey(
        "collaborations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("jaar")
    text = BoundedTextField("Visie en beleid (concept)", blank=True, max_length=POLICY_MAX_LENGTH)
    published_text = BoundedTextField(
        "Visie en beleid (gepubliceerd)", blank=True, max_length=POLICY_MAX_LENGTH
    )
    published_at = models.DateTimeField("gepubliceerd op", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gepubliceerd door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gewijzigd door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "visie en beleid verbonden partijen"
        verbose_name_plural = "visies en beleid verbonden partijen"
        ordering = ["municipality", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="paragraphpolicy_unique")
        ]

    def __str__(self) -> str:
        return f"Visie en beleid {self.municipality} {self.year}"

    @property
    def unpublished_changes(self) -> bool:
        """The concept differs from what the public reads."""
        return self.text != self.published_text or self.published_at is None
