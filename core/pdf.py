"""HTML → tagged PDF with WeasyPrint. The domain supplies the HTML (`reports.documents`, from the
same template fragments as the web pages); this module only renders it.

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
