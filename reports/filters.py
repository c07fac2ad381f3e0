"""Filters of the totaaloverzicht (django-filter)."""

import django_filters

from django.db.models import Q

from collaborations.models import Participation, Term, Vocabulary
from collaborations.risks import PROFILE_CHOICES
from reports.selectors.bbv import NOT_DETERMINED


class OverviewFilter(django_filters.FilterSet):
    """Filters of the totaaloverzicht (GET parameters, so a filtered view can be bookmarked)."""

    zoek = django_filters.CharFilter(method="filter_zoek", label="Zoek op naam of afkorting")
    onderwerp = django_filters.ModelChoiceFilter(
        field_name="partnership__onderwerpen",
        queryset=Term.objects.filter(vocabulary=Vocabulary.ONDERWERP),
        label="Onderwerp",
        empty_label="Alle onderwerpen",
        distinct=True,
    )
    vorm = django_filters.ModelChoiceFilter(
        field_name="partnership__vorm",
        queryset=Term.objects.filter(vocabulary=Vocabulary.VORM),
        label="Vorm",
        empty_label="Alle vormen",
    )
    bbv = django_filters.ModelChoiceFilter(
        field_name="partnership__bbv_categorie",
        queryset=Term.objects.filter(vocabulary=Vocabulary.BBV),
        label="BBV-categorie",
        empty_label="Alle categorieën",
    )
    verbonden = django_filters.ChoiceFilter(
        field_name="verbonden",
        choices=[("ja", "Ja"), ("nee", "Nee"), ("onbekend", "Onbekend")],
        label="Verbonden partij",
        empty_label="Alle",
    )

    risicoprofiel = django_filters.ChoiceFilter(
        method="filter_risicoprofiel",
        choices=[*PROFILE_CHOICES, (NOT_DETERMINED, "Niet bepaald")],
        label="Risicoprofiel",
        empty_label="Alle",
    )

    class Meta:
        model = Participation
        fields: list[str] = []

    def __init__(self, *args, profiles: dict[int, str | None] | None = None, **kwargs):
        """`profiles`: participation id → risk profile of the year (`risk_profiles`)."""
        super().__init__(*args, **kwargs)
        self.profiles = profiles or {}

    def filter_risicoprofiel(self, queryset, name, value):
        if value == NOT_DETERMINED:
            determined = [pk for pk, code in self.profiles.items() if code]
            return queryset.exclude(pk__in=determined)
        return queryset.filter(pk__in=[pk for pk, code in self.profiles.items() if code == value])

    def filter_zoek(self, queryset, name, value):
        return queryset.filter(
            Q(partnership__name__icontains=value) | Q(partnership__afkorting__icontains=value)
        )
