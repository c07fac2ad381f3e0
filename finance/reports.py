"""PDF reports with WeasyPrint: one partnership's year, the comparison of allocation variants,
and the committee bundle. HTML comes from the same template fragments as the web pages.

WeasyPrint is imported lazily (its import is heavy). Its URL fetcher serves only our own
static files and `data:` URLs: nothing that user-entered text could point to (file://, other
hosts, internal addresses) is ever fetched.
"""

from __future__ import annotations

import logging
import mimetypes
from dataclasses import dataclass, field

from django.contrib.staticfiles import finders

BASE_URL = "https://dashboard.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
logger = logging.getLogger(__name__)


@dataclass
class FetchLog:
    """What the fetcher served and what it refused (tests look at this)."""

    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    pages: int = 0


def _fetcher(log: FetchLog):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                log.served.append(url[:30])
                return super().fetch(url, headers)
            if url.startswith(STATIC_PREFIX):
                relative = url[len(STATIC_PREFIX) :].split("?")[0].split("#")[0]
                path = finders.find(relative) if ".." not in relative else None
                if path:
                    log.served.append(url)
                    with open(path, "rb") as handle:
                        body = handle.read()
                    mime = mimetypes.guess_type(path)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})
            log.refused.append(url)
            raise ValueError(f"Niet toegestaan in een PDF: {url}")

    return StaticOnlyFetcher()


def render_pdf(html: str, *, log: FetchLog | None = None, progress=None) -> bytes:
    """HTML → tagged PDF (PDF/UA-1, language and title from the HTML), A4 from the stylesheet.

    `progress(fraction, label)` is called between the layout and the writing of the file.
    """
    import weasyprint

    log = log if log is not None else FetchLog()
    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher(log))
    rendered = document.render(pdf_variant="pdf/ua-1")
    log.pages = len(rendered.pages)
    if progress:
        progress(0.9, f"{len(rendered.pages)} pagina's opgemaakt")
    return rendered.write_pdf(pdf_variant="pdf/ua-1")


def _status(record) -> str:
    if record is None:
        return "Geen gegevens"
    text = "Gepubliceerd" if record.status == "gepubliceerd" else "Concept"
    return text if record.nagekeken else f"{text}, niet nagekeken"


def year_report_html(participation, year: int, user) -> str:
    from django.template.loader import render_to_string
    from django.utils import timezone

    from . import selectors

    context = selectors.year_context(participation, year, user)
    partnership = participation.partnership
    context.update(
        {
            "title": f"{partnership.name} ({partnership.afkorting}) {year} — "
            f"{participation.municipality.name}",
            "year": year,
            "status": _status(context["record"]),
            "generated": timezone.localtime(),
        }
    )
    return render_to_string("reports/year.html", context)


def comparison_report_html(participation, model) -> str:
    from django.template.loader import render_to_string
    from django.utils import timezone

    from . import selectors

    return render_to_string(
        "reports/comparison.html",
        {
            "title": f"{model.partnership.name}: verdeelmodel {model.year}",
            "municipality": participation.municipality,
            "partnership": participation.partnership,
            "year": model.year,
            "status": "Vastgestelde variant"
            if any(v.adopted for v in model.variants.all())
            else "Nog geen variant vastgesteld",
            "generated": timezone.localtime(),
            "model": model,
            "comparison": selectors.comparison(model),
            "cost": selectors.cost_price_view(model),
        },
    )


def bundle_html(municipality, year: int, participations, user, progress=None) -> str:
    """The committee bundle: cover, table of contents, one section per partnership."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from . import selectors

    sections = []
    total = len(participations)
    for index, participation in enumerate(participations, start=1):
        prefix = f"sw-{participation.partnership.slug}-"
        context = selectors.year_context(participation, year, user, id_prefix=prefix)
        context["status"] = _status(context["record"])
        sections.append(context)
        if progress:
            progress(0.5 * index / max(total, 1), f"{index} van {total} samenwerkingen verzameld")
    drafts = any(s["record"] and s["record"].status != "gepubliceerd" for s in sections)
    return render_to_string(
        "reports/bundle.html",
        {
            "title": f"Samenwerkingsverbanden {municipality.name} {year}",
            "municipality": municipality,
            "year": year,
            "sections": sections,
            "status": "inclusief concepten" if drafts else "gepubliceerde gegevens",
            "generated": timezone.localtime(),
        },
    )
