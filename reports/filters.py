"""Filters of the totaaloverzicht (django-filter)."""

import django_filters

from django.db.models import Q

from collaborations.models import Participation, Term, Vocabulary


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

    class Meta:
        model = Participation
        fields: list[str] = []

    def filter_zoek(self, queryset, name, value):
        return queryset.filter(
            Q(partnership__name__icontains=value) | Q(partnership__afkorting__icontains=value)
        )
