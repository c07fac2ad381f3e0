"""Roles: what one user may do for one municipality or partnership (see permissions.py)."""

from simple_history.models import HistoricalRecords

from django.conf import settings
from django.db import models


class Role(models.Model):
    """What one user may do for one municipality or one partnership.

    A row per grant, so every grant and withdrawal is in the history (who, when) and can be put
    back. The beheerder is not a role here: that is Django's superuser flag."""

    class Kind(models.TextChoices):
        INVOERDER = "invoerder", "invoerder"
        VASTSTELLER = "vaststeller", "vaststeller"
        RAADSLID = "raadslid", "raadslid"
        COORDINATOR = "coordinator", "coördinator"

    MUNICIPALITY_KINDS = (Kind.INVOERDER, Kind.VASTSTELLER, Kind.RAADSLID)
    PARTNERSHIP_KINDS = (Kind.COORDINATOR,)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gebruiker",
        on_delete=models.CASCADE,
        related_name="roles",
    )
    kind = models.CharField("rol", max_length=20, choices=Kind.choices)
    municipality = models.ForeignKey(
        "collaborations.Municipality",
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    partnership = models.ForeignKey(
        "collaborations.Partnership",
        verbose_name="samenwerking",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )
    granted_at = models.DateTimeField("toegekend op", auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="toegekend door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rol"
        verbose_name_plural = "rollen"
        ordering = ["user__username", "kind"]
        constraints = [
            models.CheckConstraint(
                name="role_scope_matches_kind",
                condition=(
                    models.Q(
                        kind__in=["invoerder", "vaststeller", "raadslid"],
                        municipality__isnull=False,
                        partnership__isnull=True,
                    )
                    | models.Q(
                        kind="coordinator", municipality__isnull=True, partnership__isnull=False
                    )
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "municipality"],
                condition=models.Q(municipality__isnull=False),
                name="role_unique_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "partnership"],
                condition=models.Q(partnership__isnull=False),
                name="role_unique_per_partnership",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()} van {self.scope}"

    @property
    def scope(self) -> models.Model | None:
        return self.municipality or self.partnership
