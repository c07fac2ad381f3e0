"""What the reports app keeps: committee bundles (PDF), built in the background.

The table was created by the `finance` app and keeps its name (`db_table`).
"""

from django.conf import settings
from django.db import models


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
