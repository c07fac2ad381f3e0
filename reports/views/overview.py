"""The totaaloverzicht (sortable, filterable, grouped by BBV category, exportable) and the two
comparisons: partnerships of one municipality, and municipalities of one partnership."""

from django_tables2 import RequestConfig

from django.shortcuts import render

from collaborations import selectors as collab_selectors
from collaborations.navigation import crumbs
from collaborations.permissions import can_read_drafts
from core.converters import year_or_none
from core.http import DIALECT_PARAMETER, EXPORT_PARAMETER, requested_export
from core.pagecache import published_page
from reports.filters import OverviewFilter
from reports.selectors.bbv import risk_profiles
from reports.selectors.compare import compare
from reports.selectors.overview import default_overview_year, overview_labels, overview_years
from reports.selectors.overview import overview as overview_rows
from reports.tables import OverviewTable

BBV_GROUP_ORDER = [
    "Gemeenschappelijke regeling",
    "Vennootschappen en coöperaties",
    "Stichtingen en verenigingen",
    "Overige verbonden partijen",
]


@published_page
def overview(request, municipality_slug):
    """The totaaloverzicht: every partnership of the municipality with its contribution."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    year = year_or_none(request.GET.get("jaar")) or default_overview_year(
        municipality, request.user
    )
    queryset = overview_rows(municipality, request.user, year)
    profiles = risk_profiles(municipality, request.user, year)
    filterset = OverviewFilter(request.GET or None, queryset=queryset, profiles=profiles)
    rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    labels = overview_labels(municipality, profiles)
    table = OverviewTable(rows, year=year, municipality=municipality, labels=labels)
    RequestConfig(request, paginate=False).configure(table)
    download = requested_export(
        request, table.export_sheet, f"samenwerkingen-{municipality.slug}-{year}"
    )
    if download is not None:
        return download
    grouped = None
    if request.GET.get("groepering") == "bbv":
        grouped = []
        by_label: dict[str, list] = {}
        for record in rows:
            label = record["bbv"] or "Niet ingedeeld"
            by_label.setdefault(label, []).append(record)
        order = BBV_GROUP_ORDER + sorted(set(by_label) - set(BBV_GROUP_ORDER))
        for index, label in enumerate(label for label in order if label in by_label):
            group_table = OverviewTable(
                by_label[label],
                year=year,
                municipality=municipality,
                labels=labels,
                orderable=False,
            )
            group_table.caption = f"{label}: bijdrage {year}"
            group_table.caption_id = f"groep-{index}"
            grouped.append((label, group_table))
    query = request.GET.copy()
    for parameter in (EXPORT_PARAMETER, DIALECT_PARAMETER):
        query.pop(parameter, None)
    return render(
        request,
        "reports/overview.html",
        {
            "municipality": municipality,
            "year": year,
            "years": overview_years(municipality, request.user, year),
            "table": table,
            "grouped": grouped,
            "tables": [(None, table)] if grouped is None else grouped,
            "filter": filterset,
            "query": query.urlencode(),
            "crumbs": crumbs(municipality),
        },
    )


def _years(request, default_year: int) -> list[int]:
    """The three years up to `?jaar=` (a year out of range or no number: the default)."""
    until = year_or_none(request.GET.get("jaar")) or default_year
    return [until - 2, until - 1, until]


@published_page
def compare_partnerships(request, municipality_slug):
    """Two to six partnerships of a municipality side by side: its key figures per year."""
    municipality = collab_selectors.get_municipality(municipality_slug)
    slugs = list(dict.fromkeys(request.GET.getlist("s")))
    error = None
    if not 2 <= len(slugs) <= 6:
        error = "Kies twee tot zes samenwerkingen om te vergelijken."
    participations = collab_selectors.participations_by_slugs(municipality, slugs[:6])
    years = _years(request, default_overview_year(municipality, request.user))
    view = compare(
        participations,
        years,
        lambda p: f"{p.partnership.name} ({p.partnership.afkorting})",
        published=not can_read_drafts(request.user, municipality),
    )
    return render(
        request,
        "reports/compare.html",
        {
            "municipality": municipality,
            "title": f"Samenwerkingen van {municipality.name} vergeleken",
            "view": view,
            "error": error,
            "crumbs": crumbs(municipality, current="Vergelijken"),
        },
        status=400 if error else 200,
    )


@published_page
def compare_municipalities(request, municipality_slug, slug):
    """One partnership across its participating municipalities."""
    participation = collab_selectors.get_participation(municipality_slug, slug)
    participations = collab_selectors.participations_of_partnership(participation.partnership)
    years = _years(request, default_overview_year(participation.municipality, request.user))
    # across municipalities: the public and clerks alike see what each municipality published
    view = compare(participations, years, lambda p: p.municipality.name, published=True)
    return render(
        request,
        "reports/compare.html",
        {
            "municipality": participation.municipality,
            "partnership": participation.partnership,
            "title": f"{participation.partnership.name}: de deelnemende gemeenten vergeleken",
            "view": view,
            "error": None,
            "crumbs": crumbs(participation.municipality, participation, current="Vergelijken"),
        },
    )
