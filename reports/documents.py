"""The documents: the HTML of one partnership's year, of the comparison of allocation variants,
of the paragraaf verbonden partijen and of the committee bundle, built from the same template
fragments as the web pages.
`core.pdf.render_pdf` turns them into tagged PDFs."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from allocation.comparison import cost_price_view

from .models import Edition
from .selectors.paragraph import paragraph_for
from .selectors.year import version_context, year_context


def _status(record) -> str:
    if record is None:
        return "Geen gegevens"
    text = "Gepubliceerd" if record.status == "gepubliceerd" else "Concept"
    return text if record.nagekeken else f"{text}, niet nagekeken"


def year_report_html(participation, year: int, user) -> str:
    """The year as `user` sees it: a clerk the working copy, everyone else the latest version."""
    return _year_html(participation, year, year_context(participation, year, user))


def version_report_html(participation, version) -> str:
    """One published version; the same bytes whenever it is rendered (its own dates only)."""
    context = version_context(participation, version, AnonymousUser())
    return _year_html(participation, version.year, context)


def _year_html(participation, year: int, context: dict) -> str:
    partnership = participation.partnership
    version = context.get("version") if context.get("showing_version") else None
    context.update(
        {
            "title": f"{partnership.name} ({partnership.afkorting}) {year} — "
            f"{participation.municipality.name}",
            "year": year,
            "status": f"Versie {version.number}, gepubliceerd op "
            f"{date_format(timezone.localtime(version.published_at), 'j F Y')}"
            if version
            else _status(context["record"]),
            "generated": timezone.localtime(version.published_at if version else None),
        }
    )
    return render_to_string("reports/year_pdf.html", context)


def comparison_report_html(participation, state) -> str:
    """The comparison of a verdeelmodel as the reader may see it (`allocation.selectors.
    model_state`): a publication, or the coordinator's working state, marked as such."""
    model = state.model
    comparison = state.comparison()
    return render_to_string(
        "reports/comparison_pdf.html",
        {
            "title": f"{model.partnership.name}: verdeelmodel {model.year}",
            "municipality": participation.municipality,
            "partnership": participation.partnership,
            "year": model.year,
            "status": "Vastgestelde variant"
            if comparison.adopted
            else "Nog geen variant vastgesteld",
            "generated": timezone.localtime(),
            "model": model,
            "state": state,
            "comparison": comparison,
            "cost": cost_price_view(model),
        },
    )


def paragraph_html(municipality, year: int, edition: str) -> str:
    """The paragraaf verbonden partijen as a document of its own: published data only."""
    paragraph = paragraph_for(municipality, year, edition)
    return render_to_string(
        "reports/paragraph_pdf.html",
        {
            "title": f"Paragraaf verbonden partijen {year} — {municipality.name}",
            "municipality": municipality,
            "year": year,
            "paragraph": paragraph,
            "status": f"{paragraph.edition_label} {year}, gepubliceerde gegevens",
            "generated": timezone.localtime(),
        },
    )


def bundle_html(
    municipality, year: int, participations, user, progress=None, edition=Edition.BEGROTING
) -> str:
    """The committee bundle: cover, table of contents, the paragraaf verbonden partijen (always
    published data), then a section per chosen partnership with data; the chosen partnerships
    without data for the year are listed in one table instead of a page each."""
    sections, without_data = [], []
    total = len(participations)
    for index, participation in enumerate(participations, start=1):
        prefix = f"sw-{participation.partnership.slug}-"
        context = year_context(participation, year, user, id_prefix=prefix)
        context["status"] = _status(context["record"])
        (sections if context["record"] is not None else without_data).append(context)
        if progress:
            progress(0.5 * index / max(total, 1), f"{index} van {total} samenwerkingen verzameld")
    drafts = any(s["record"].status != "gepubliceerd" for s in sections)
    return render_to_string(
        "reports/bundle_pdf.html",
        {
            "title": f"Samenwerkingsverbanden {municipality.name} {year}",
            "municipality": municipality,
            "year": year,
            "paragraph": paragraph_for(municipality, year, edition),
            "sections": sections,
            "without_data": without_data,
            "status": "inclusief concepten" if drafts else "gepubliceerde gegevens",
            "generated": timezone.localtime(),
        },
    )
