"""The partnership's board meetings, from which the Wgr deadlines of its P&C cycle follow
(`collaborations.deadlines`). Entered by the coördinator at `…/<slug>/vergaderingen/`."""

from datetime import date

from simple_history.models import HistoricalRecords

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from collaborations import deadlines

FIRST_DATE = date(1990, 1, 1)
LAST_DATE = date(2100, 12, 31)
MEETING_NOTE_MAX_LENGTH = 200


class BoardMeeting(models.Model):
    """One meeting of a body of the partnership, on one date.

    The meeting of the algemeen bestuur about the begroting sets the ontwerpbegroting's deadline
    (8 or 12 weeks before it) and the councils' zienswijze window; the one about the jaarrekening
    the date by which it goes to Gedeputeerde Staten. The other kinds are shown, nothing follows
    from them. Every change is in the history."""

    class Kind(models.TextChoices):
        BEGROTING = deadlines.BEGROTING, "algemeen bestuur: begroting"
        JAARREKENING = deadlines.JAARREKENING, "algemeen bestuur: jaarrekening"
        ALGEMEEN_BESTUUR = "ab_overig", "algemeen bestuur: overige vergadering"
        DAGELIJKS_BESTUUR = "db", "dagelijks bestuur"

    partnership = models.ForeignKey(
        "collaborations.Partnership",
        verbose_name="samenwerking",
        on_delete=models.CASCADE,
        related_name="board_meetings",
    )
    date = models.DateField(
        "datum",
        validators=[MinValueValidator(FIRST_DATE), MaxValueValidator(LAST_DATE)],
    )
    kind = models.CharField("soort vergadering", max_length=20, choices=Kind.choices)
    note = models.CharField(
        "toelichting",
        max_length=MEETING_NOTE_MAX_LENGTH,
        blank=True,
        help_text="Bijvoorbeeld de plaats.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bestuursvergadering"
        verbose_name_plural = "bestuursvergaderingen"
        ordering = ["partnership", "date", "kind"]
        indexes = [models.Index(fields=["partnership", "date"], name="boardmeeting_partner_date")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.date:%d-%m-%Y}"


class MeetingSchedule(models.Model):
    """The meetings of one partnership as one sheet with one version (`core.locking`): the form
    carries the version it showed, and a save after someone else's is refused, never silently
    merged. Created by the first save; the meetings themselves carry the history."""

    partnership = models.OneToOneField(
        "collaborations.Partnership",
        verbose_name="samenwerking",
        on_delete=models.CASCADE,
        related_name="meeting_schedule",
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

    class Meta:
        verbose_name = "vergaderschema"
        verbose_name_plural = "vergaderschema's"

    def __str__(self) -> str:
        return f"Vergaderingen van {self.partnership}"
