"""HTML → tagged PDF with WeasyPrint, within limits. The domain supplies the HTML
(`reports.documents`, from the same template fragments as the web pages); this module only
renders it.

WeasyPrint is imported lazily (its import is heavy). Its URL fetcher serves only our own
static files and `data:` URLs: nothing that user-entered text could point to (file://, other
hosts, internal addresses) is ever fetched.

**Limits.** A PDF is never made at any cost. HTML larger than `PDF_MAX_HTML_BYTES` is refused
before layout (laying out a giant text is what costs minutes and gigabytes). The layout runs in a
child process that is stopped after `PDF_MAX_SECONDS`, may use `PDF_MAX_MEMORY_MB` of address
space (`RLIMIT_AS`) and may make `PDF_MAX_PAGES` pages. Past a limit `render_pdf` raises
`PdfTooLarge`, with a Dutch message (`core.http.pdf_refusal` makes it a page); the process that
asked for the PDF never runs out of memory or time, and the memory of a big layout goes back to
the system when the child ends. Background work runs inside `background_limits()`: the wider
`PDF_TASK_MAX_*` limits (no web request waits, and gunicorn's 30 s timeout does not apply).

The children are forks of a fork server (one per process that renders, started at its first
PDF) that has loaded Django and WeasyPrint once (`core.pdf_child`): a child costs about 0,1 s,
not the 1,5 s of a fresh interpreter.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import logging
import mimetypes
import multiprocessing
import os
import resource
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Literal

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_URL = "https://dashboard.invalid/"
STATIC_PREFIX = BASE_URL + "static/"
logger = logging.getLogger(__name__)

Reason = Literal["html", "pages", "time", "memory"]


@dataclass(frozen=True)
class PdfLimits:
    """How far the making of one PDF may go."""

    seconds: float
    pages: int
    html_bytes: int
    memory_mb: int

    def may_pass(self, refusal: PdfTooLarge) -> bool:
        """Whether a document refused earlier might be made now: the limit it was refused for
        is wider than it was."""
        name = {"html": "html_bytes", "pages": "pages", "time": "seconds", "memory": "memory_mb"}
        limit = name[refusal.reason]
        return getattr(self, limit) > getattr(refusal.limits, limit)


_in_background: contextvars.ContextVar[bool] = contextvars.ContextVar("pdf_bg", default=False)


@contextlib.contextmanager
def background_limits() -> Iterator[None]:
    """PDFs rendered inside this block (by a background task) get the `PDF_TASK_MAX_*` limits."""
    token = _in_background.set(True)
    try:
        yield
    finally:
        _in_background.reset(token)


def current_limits() -> PdfLimits:
    """The limits from the settings: `PDF_MAX_*`, or `PDF_TASK_MAX_*` in `background_limits()`."""
    prefix = "PDF_TASK_MAX_" if _in_background.get() else "PDF_MAX_"
    return PdfLimits(
        seconds=getattr(settings, prefix + "SECONDS"),
        pages=getattr(settings, prefix + "PAGES"),
        html_bytes=getattr(settings, prefix + "HTML_BYTES"),
        memory_mb=getattr(settings, prefix + "MEMORY_MB"),
    )


class PdfTooLarge(Exception):
    """A PDF would go past a limit: refused with a Dutch message, before the worker suffers.

    `status` is the HTTP status of the refusal page: 413 when the document itself is too large
    (its text, its pages), 503 when making it takes too long or too much memory."""

    def __init__(self, reason: Reason, limits: PdfLimits, *, size: int = 0):
        self.reason = reason
        self.limits = limits
        self.size = size
        self.status = 413 if reason in ("html", "pages") else 503
        self.detail = {
            "html": f"de inhoud is {_mb(size)}, meer dan de grens van {_mb(limits.html_bytes)}",
            "pages": f"hij zou meer dan {_count(limits.pages, 'pagina', "pagina's")} tellen",
            "time": f"het opmaken duurt langer dan {_count(limits.seconds, 'seconde', 'seconden')}",
            "memory": f"het opmaken vraagt meer dan {limits.memory_mb} MB geheugen",
        }[reason]
        self.message = (
            f"Deze PDF is te groot om te maken: {self.detail}. "
            "Neem contact op met de beheerder van het dashboard."
        )
        super().__init__(self.message)


def _count(number: float, one: str, more: str) -> str:
    return f"{number:g} {one if number == 1 else more}".replace(".", ",")


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


@dataclass
class FetchLog:
    """What the fetcher served and what it refused, and what the rendering took: pages, and the
    peak resident memory of the child that rendered (tests and benchmarks look at this)."""

    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    pages: int = 0
    peak_mb: int = 0


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
    """HTML → tagged PDF (PDF/UA-1, language and title from the HTML), A4 from the stylesheet,
    within the current limits; `PdfTooLarge` past one.

    `progress(fraction, label)` is called between the layout and the writing of the file.
    """
    limits = current_limits()
    log = log if log is not None else FetchLog()
    size = len(html.encode())
    if size > limits.html_bytes:
        logger.warning("PDF refused before layout: %s bytes of HTML", size)
        raise PdfTooLarge("html", limits, size=size)
    started = time.monotonic()
    pdf = _render_in_child(html, limits, log, progress)
    seconds = time.monotonic() - started
    logger.info(
        "PDF: %s bytes of HTML, %s pages, %.1f s, %s MB", size, log.pages, seconds, log.peak_mb
    )
    return pdf


class _TooManyPages(Exception):
    pass


def _render(html: str, log: FetchLog, max_pages: int, laid_out: Callable[[int], None]) -> bytes:
    """The rendering itself (in the child)."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher(log))
    rendered = document.render(pdf_variant="pdf/ua-1")
    log.pages = len(rendered.pages)
    if log.pages > max_pages:
        raise _TooManyPages
    laid_out(log.pages)
    return rendered.write_pdf(pdf_variant="pdf/ua-1")


# --- The child process ------------------------------------------------------------------------

_context: multiprocessing.context.ForkServerContext | None = None


def _mp_context() -> multiprocessing.context.ForkServerContext:
    """Children come from a fork server with Django and WeasyPrint loaded (`core.pdf_child`),
    not from this process: no threads, connections or request state are copied. As with every
    fork server, the main module is imported there once: it must be guarded by
    `if __name__ == "__main__"` (manage.py, gunicorn, pytest and our scripts are)."""
    global _context
    if _context is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["__main__", "core.pdf_child"])
        _context = context
    return _context


class _KeepRecords(logging.Handler):
    """The child's warnings and errors (WeasyPrint's), sent back to be logged by the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None
        if record.exc_info:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        self.records.append(record)


def _limit(kind: int, soft: int) -> None:
    hard = resource.getrlimit(kind)[1]
    resource.setrlimit(kind, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


MEMORY_EXIT = 3  # the child's exit code when even reporting ran out of memory


def _child_main(conn, html: str, limits: PdfLimits) -> None:
    """In the child: bound memory and CPU time, render, send the outcome and then the PDF. Out
    of memory anywhere — also while reporting — ends it with MEMORY_EXIT."""
    try:
        _child_work(conn, html, limits)
    except MemoryError:
        os._exit(MEMORY_EXIT)


def _child_work(conn, html: str, limits: PdfLimits) -> None:
    from django.apps import apps

    if not apps.ready:  # the fork server could not load Django (logged by core.pdf_child)
        import django

        django.setup()
    _limit(resource.RLIMIT_AS, limits.memory_mb * 1024 * 1024)
    _limit(resource.RLIMIT_CPU, int(limits.seconds) + 5)  # should the parent be gone
    keep = _KeepRecords()
    logging.getLogger().handlers = [keep]  # logged once, by the parent
    log, pdf = FetchLog(), b""
    try:
        pdf = _render(html, log, limits.pages, lambda pages: conn.send(("laid-out", pages)))
        outcome = ("pdf", "")
    except _TooManyPages:
        outcome = ("refused", "pages")
    except MemoryError:
        outcome = ("refused", "memory")
        gc.collect()  # what the layout held is garbage now: room to report
    except Exception:  # a library may report a failed allocation as another error
        memory = _near_limit(limits.memory_mb)
        outcome = ("refused", "memory") if memory else ("error", traceback.format_exc())
    log.peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    conn.send((*outcome, log, keep.records))
    if pdf:
        conn.send_bytes(pdf)
    conn.close()


def _near_limit(memory_mb: int) -> bool:
    """Whether this process came within 10% of its address-space limit (Linux)."""
    try:
        with open("/proc/self/status") as status:
            peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError):
        return False
    return peak_kb * 1024 > 0.9 * memory_mb * 1024 * 1024


def _render_in_child(html: str, limits: PdfLimits, log: FetchLog, progress) -> bytes:
    context = _mp_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_child_main, args=(sender, html, limits), daemon=True)
    deadline = time.monotonic() + limits.seconds

    def receive(what):
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not receiver.poll(remaining):
            logger.warning("PDF refused: not made within %s s", limits.seconds)
            raise PdfTooLarge("time", limits)
        try:
            return what()
        except EOFError:
            raise _ended(child, limits) from None

    child.start()
    sender.close()
    try:
        while (message := receive(receiver.recv))[0] == "laid-out":
            if progress:
                progress(0.9, f"{message[1]} pagina's opgemaakt")
        kind, detail, child_log, records = message
        log.served[:], log.refused[:] = child_log.served, child_log.refused
        log.pages, log.peak_mb = child_log.pages, child_log.peak_mb
        for record in records:
            logging.getLogger(record.name).handle(record)
        if kind == "pdf":
            return receive(receiver.recv_bytes)
        if kind == "refused":
            logger.warning("PDF refused: %s", detail)
            raise PdfTooLarge(detail, limits)
        raise RuntimeError(f"De PDF kon niet worden gemaakt.\n{detail}")
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()


def _ended(child, limits: PdfLimits) -> Exception:
    """The child ended without a word. Ended by a signal: out of memory (a failed allocation
    makes glib abort or a library crash; the kernel kills) or out of CPU time (SIGXCPU).
    Otherwise it failed in another way."""
    child.join()
    code = child.exitcode
    if code is not None and code < 0:
        logger.warning("PDF refused: the child was ended by signal %s", -code)
        return PdfTooLarge("time" if code == -signal.SIGXCPU else "memory", limits)
    if code == MEMORY_EXIT:
        logger.warning("PDF refused: the child ran out of memory")
        return PdfTooLarge("memory", limits)
    return RuntimeError(f"De PDF kon niet worden gemaakt (het subproces stopte met {code}).")
