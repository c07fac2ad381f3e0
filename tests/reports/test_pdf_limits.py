"""A PDF is never made at any cost: past a limit (HTML size, pages, time, memory) it is refused
with a Dutch message — a page in the site's shell on the web, a failed bundle in the background —
and the process that asked for it goes on serving normal PDFs."""

import re
import time

import pytest

from django.contrib.auth.models import AnonymousUser
from django.test import Client

from collaborations.models import Municipality, Participation, YearRecord, YearVersion
from core import pdf as core_pdf
from reports import published, services
from reports.models import ReportBundle
from reports.tasks import render_version_pdf

pytestmark = pytest.mark.django_db

ZVH_2017 = "/venlo/samenwerkingen/zvh/2017/"
MSN_2018 = "/venlo/samenwerkingen/msn/2018/"
# About 1 MB of text in one free-text field: 20.000 lines (today this takes a worker down).
HUGE = "".join(
    f"Regel {i}: de gemeente betaalt naar rato van het aantal inwoners.\n" for i in range(20_000)
)
REFUSED = "Deze PDF is te groot om te maken"


def simple_html(paragraphs: int) -> str:
    body = "".join(f"<p>Alinea {i} van een lange toelichting.</p>" for i in range(paragraphs))
    return (
        '<html lang="nl"><head><title>t</title><link rel="stylesheet" href="/static/css/pdf.css">'
        f"</head><body>{body}</body></html>"
    )


@pytest.fixture
def zvh(demo) -> Participation:
    return Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")


def fill_huge(record: YearRecord) -> None:
    """Old data: past any form's max length (so bypassing the forms)."""
    YearRecord.objects.filter(pk=record.pk).update(aandeel_toelichting=HUGE)


def assert_refusal_page(response, status: int) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert "pdf_too_large.html" in [t.name for t in response.templates]
    assert f'<h1 class="utrecht-heading-1">{REFUSED}</h1>' in page
    assert "Neem contact op met de beheerder" in page
    assert 'id="inhoud"' in page  # in the site's shell
    return page


def assert_pdf(response) -> None:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- The limits themselves ------------------------------------------------------------------


def test_a_small_page_limit_refuses(settings):
    settings.PDF_MAX_PAGES = 1
    log = core_pdf.FetchLog()
    with pytest.raises(core_pdf.PdfTooLarge) as refused:
        core_pdf.render_pdf(simple_html(200), log=log)
    assert refused.value.reason == "pages" and refused.value.status == 413
    assert log.pages > 1
    assert str(refused.value) == (
        "Deze PDF is te groot om te maken: hij zou meer dan 1 pagina tellen. "
        "Neem contact op met de beheerder van het dashboard."
    )
    settings.PDF_MAX_PAGES = 50
    assert core_pdf.render_pdf(simple_html(200)).startswith(b"%PDF")


def test_html_past_the_cap_is_refused_before_layout(settings, monkeypatch):
    settings.PDF_MAX_HTML_BYTES = 10_000
    monkeypatch.setattr(core_pdf, "_render_in_child", lambda *args: pytest.fail("laid out"))
    with pytest.raises(core_pdf.PdfTooLarge, match="de inhoud is 0,1 MB, meer dan de grens"):
        core_pdf.render_pdf(simple_html(2_000))


def test_a_layout_past_the_time_limit_is_stopped(settings):
    settings.PDF_MAX_SECONDS = 0.5
    start = time.monotonic()
    with pytest.raises(core_pdf.PdfTooLarge, match="duurt langer dan 0,5 seconden") as refused:
        core_pdf.render_pdf(simple_html(3_000))  # about 40 pages: seconds of layout
    assert refused.value.status == 503
    assert time.monotonic() - start < 3


def test_a_layout_past_the_memory_limit_is_refused(settings):
    settings.PDF_MAX_MEMORY_MB = 150  # less than the layout of even a small document takes
    with pytest.raises(core_pdf.PdfTooLarge, match="meer dan 150 MB geheugen") as refused:
        core_pdf.render_pdf(simple_html(100))
    assert refused.value.reason == "memory" and refused.value.status == 503
    settings.PDF_MAX_MEMORY_MB = 1536
    log = core_pdf.FetchLog()
    assert core_pdf.render_pdf(simple_html(100), log=log).startswith(b"%PDF")
    assert log.pages == 3 and 50 < log.peak_mb < 1536  # what the child took


def test_background_work_has_its_own_limits(settings):
    settings.PDF_TASK_MAX_PAGES = 2
    assert core_pdf.current_limits().pages == settings.PDF_MAX_PAGES
    with core_pdf.background_limits():
        assert core_pdf.current_limits().pages == 2
        with pytest.raises(core_pdf.PdfTooLarge, match="meer dan 2 pagina's"):
            core_pdf.render_pdf(simple_html(200))
    assert core_pdf.current_limits().pages == settings.PDF_MAX_PAGES


def test_what_the_child_logs_is_logged_by_the_parent(caplog):
    """WeasyPrint's warnings and errors (here: a refused stylesheet) reach the caller's log."""
    html = simple_html(1).replace("/static/css/pdf.css", "http://127.0.0.1:9/evil.css")
    core_pdf.render_pdf(html)
    assert any(
        r.name.startswith("weasyprint") and "evil.css" in r.getMessage() for r in caplog.records
    )


# --- A megabyte of text in a year, on the web ----------------------------------------------


def test_a_megabyte_of_text_gets_the_dutch_page_and_the_worker_serves_on(clerk_client, zvh, reopen):
    """With the settings as they are: the clerk's PDF of the working copy."""
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    fill_huge(record)
    start = time.monotonic()
    response = clerk_client.get(ZVH_2017 + "pdf/")
    assert time.monotonic() - start < 10
    page = assert_refusal_page(response, 413)
    assert re.search(r"de inhoud is 1,\d MB, meer dan de grens van 0,5 MB", page)
    assert f'href="{ZVH_2017}"' in page  # back to the year page
    assert_pdf(clerk_client.get(MSN_2018 + "pdf/"))  # the same process, a normal PDF


def test_a_published_version_past_the_limits_is_refused_once(zvh, reopen, publish, monkeypatch):
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    fill_huge(record)
    publish(record)  # version 2 holds the huge text (its PDF task is not run here)
    renders = []
    original = published.render_pdf
    monkeypatch.setattr(published, "render_pdf", lambda html: renders.append(1) or original(html))
    public = Client()
    start = time.monotonic()
    assert_refusal_page(public.get(ZVH_2017 + "pdf/"), 413)
    assert_refusal_page(public.get(ZVH_2017 + "pdf/"), 413)
    assert time.monotonic() - start < 10
    assert len(renders) == 1  # the refusal is kept with the version, like a PDF
    assert_pdf(public.get(MSN_2018 + "pdf/"))


def test_a_refused_version_is_tried_again_only_under_a_wider_limit(
    zvh, reopen, publish, settings, monkeypatch
):
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    fill_huge(record)
    publish(record)
    version = YearVersion.objects.get(participation=zvh, year=2017, number=2)
    # The worker's HTML cap is wider: the text gets to the layout, which is stopped after 1 s.
    settings.PDF_TASK_MAX_HTML_BYTES = 10_000_000
    settings.PDF_TASK_MAX_SECONDS = 1
    start = time.monotonic()
    render_version_pdf.enqueue(version.pk)  # inline in tests; the task ends normally
    assert time.monotonic() - start < 5
    assert published._stored_refusal(version).reason == "time"
    renders = []
    original = published.render_pdf
    monkeypatch.setattr(published, "render_pdf", lambda html: renders.append(1) or original(html))
    settings.PDF_MAX_SECONDS = 1  # a request may not take longer either: no new try
    page = assert_refusal_page(Client().get(ZVH_2017 + "pdf/"), 503)
    assert "het opmaken duurt langer dan 1 seconde" in page and renders == []
    settings.PDF_MAX_SECONDS = 20  # a request may take longer: tried again, refused sooner
    assert_refusal_page(Client().get(ZVH_2017 + "pdf/"), 413)
    assert renders == [1]


# --- In the background ----------------------------------------------------------------------


def test_a_bundle_past_the_limits_fails_with_the_message(
    zvh, settings, django_capture_on_commit_callbacks
):
    venlo = Municipality.objects.get(slug="venlo")
    settings.PDF_TASK_MAX_PAGES = 2
    with django_capture_on_commit_callbacks(execute=True):
        bundle = services.request_bundle(
            user=AnonymousUser(), municipality=venlo, year=2017, slugs=[]
        )
    bundle.refresh_from_db()
    assert bundle.status == ReportBundle.Status.MISLUKT
    assert bundle.progress_label.startswith(f"{REFUSED}: hij zou meer dan 2 pagina's tellen.")
    status = Client().get(f"/venlo/bundel/{bundle.pk}/?formaat=json").json()
    assert status["status"] == "mislukt" and status["label"] == bundle.progress_label
    # The worker goes on: with room enough the same bundle is made.
    settings.PDF_TASK_MAX_PAGES = 1000
    with django_capture_on_commit_callbacks(execute=True):
        again = services.request_bundle(
            user=AnonymousUser(), municipality=venlo, year=2017, slugs=[]
        )
    again.refresh_from_db()
    assert again.status == ReportBundle.Status.KLAAR and again.pages > 2
