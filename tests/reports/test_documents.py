"""PDF reports: the same fragments as the page, tagged, Dutch, A4; the fetcher fetches nothing
outside our static files; committee bundles in the background with a cache."""

import io
import logging
import re

import pytest
from pypdf import PdfReader

from django.contrib.auth.models import AnonymousUser

from allocation.demo import load_allocation_demo
from collaborations import services as collab_services
from collaborations.models import Municipality, Participation, YearRecord, YearVersion
from core import pdf as core_pdf
from reports import documents, services
from reports.models import ReportBundle

pytestmark = pytest.mark.django_db


@pytest.fixture
def zvh(demo) -> Participation:
    return Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")


def pdf_text(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [p.extract_text().replace("\xa0", " ") for p in reader.pages]


def test_year_report_html_uses_the_page_fragments(zvh):
    html = documents.year_report_html(zvh, 2017, AnonymousUser())
    assert '<html lang="nl">' in html
    for text in [
        "€ 1.281.406",
        "48,62%",
        "Motieven voor samenwerking",
        "Beoogde resultaten",
        "Financiële resultaten, lopend jaar (2017)",
        'role="img"',
    ]:
        assert text in html
    assert "Bewerk" not in html  # no edit links on paper


def test_year_pdf_is_tagged_dutch_a4_and_holds_the_figures(client, zvh, caplog):
    caplog.set_level(logging.ERROR, logger="weasyprint")
    response = client.get("/venlo/samenwerkingen/zvh/2017/pdf/")
    assert response["Content-Type"] == "application/pdf"
    reader, pages = pdf_text(response.content)
    text = "\n".join(pages)
    assert "€ 1.281.406" in text and "48,62%" in text and "€ 32.936" in text
    assert re.search(r"Pagina 1 van \d+", pages[0])
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "nl" and "/StructTreeRoot" in catalog
    assert reader.metadata.title.startswith("Zorg- en Veiligheidshuis Limburg Noord (ZVH) 2017")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_unpublished_year_has_no_public_pdf(client, zvh):
    """Only a published version is public, also as a PDF."""
    YearVersion.objects.filter(participation=zvh, year=2017).delete()
    assert client.get("/venlo/samenwerkingen/zvh/2017/pdf/").status_code == 404


def test_fetcher_fetches_nothing_but_our_static_files(zvh):
    html = """<html lang="nl"><head><title>t</title>
      <link rel="stylesheet" href="/static/css/pdf.css">
      <link rel="stylesheet" href="http://127.0.0.1:9/evil.css"></head><body>
      <img src="file:///etc/passwd" alt="a"><img src="http://169.254.169.254/latest" alt="b">
      <img src="/static/../../manage.py" alt="c">
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="d"><p>tekst</p></body></html>"""
    log = core_pdf.FetchLog()
    core_pdf.render_pdf(html, log=log)
    assert any(u.endswith("/static/css/pdf.css") for u in log.served)
    assert {
        "file:///etc/passwd",
        "http://127.0.0.1:9/evil.css",
        "http://169.254.169.254/latest",
    } <= set(log.refused)
    assert not any("manage.py" in u for u in log.served)


def test_user_entered_links_are_not_fetched(zvh, clerk, reopen, publish):
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    collab_services.update_year_record(
        user=clerk,
        record=record,
        expected_version=record.version,
        fields={"beoogd_inhoud": '<img src="file:///etc/passwd"> zie http://10.0.0.1/x.png'},
    )
    publish(record)
    log = core_pdf.FetchLog()
    pdf = core_pdf.render_pdf(documents.year_report_html(zvh, 2017, AnonymousUser()), log=log)
    assert log.refused == []  # the text is escaped: there is nothing to fetch
    assert all(u.startswith(core_pdf.STATIC_PREFIX) or u.startswith("data:") for u in log.served)
    assert "file:///etc/passwd" in "\n".join(pdf_text(pdf)[1])  # shown as text, not fetched


def test_comparison_pdf(client, demo):
    load_allocation_demo()
    response = client.get("/arnhem/samenwerkingen/vtgm/2018/verdeelmodel/pdf/")
    text = "\n".join(pdf_text(response.content)[1])
    assert "€ 1.275.000" in text and "Herverdeeleffect ten opzichte van variant A" in text


def test_bundle_is_built_in_the_background_with_a_correct_table_of_contents(
    zvh, django_capture_on_commit_callbacks
):
    venlo = Municipality.objects.get(slug="venlo")
    with django_capture_on_commit_callbacks(execute=True):
        bundle = services.request_bundle(
            user=AnonymousUser(), municipality=venlo, year=2017, slugs=[]
        )
    bundle.refresh_from_db()
    assert bundle.status == ReportBundle.Status.KLAAR and bundle.progress == 100
    with bundle.file.open("rb") as handle:
        reader, pages = pdf_text(handle.read())
    assert bundle.pages == len(pages)
    assert "Samenwerkingsverbanden 2017" in pages[0]
    toc = pages[1]
    assert re.search(r"Overzicht van de bijdragen[ .]*?\d+\s*$", toc, re.MULTILINE)
    title = "Samenwerkingen zonder gegevens over 2017"
    without = " ".join(p.replace("\n", " ") for p in pages[2:] if title in p)
    for participation in Participation.objects.filter(municipality=venlo):
        name = f"{participation.partnership.name} ({participation.partnership.afkorting})"
        if not participation.years.filter(year=2017).exists():
            assert name in without, name  # in one table, not a page each
            continue
        match = re.search(re.escape(name) + r"[ .]*?(\d+)\s*$", toc, re.MULTILINE)
        assert match, name
        page = int(match.group(1))
        assert pages[page - 1].lstrip().replace("\n", " ").startswith(name), (name, page)
    assert re.search(r"Pagina 1 van \d+", pages[0])
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_bundle_is_reused_until_the_data_changes(
    zvh, clerk, reopen, django_capture_on_commit_callbacks
):
    venlo = Municipality.objects.get(slug="venlo")
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_bundle(
            user=AnonymousUser(), municipality=venlo, year=2017, slugs=["zvh"]
        )
    again = services.request_bundle(
        user=AnonymousUser(), municipality=venlo, year=2017, slugs=["zvh"]
    )
    assert again.pk == first.pk
    record = reopen(YearRecord.objects.get(participation=zvh, year=2017))
    collab_services.update_year_record(
        user=clerk,
        record=record,
        expected_version=record.version,
        fields={"beoogd_proces": "nieuw"},
    )
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.request_bundle(
            user=AnonymousUser(), municipality=venlo, year=2017, slugs=["zvh"]
        )
    assert changed.pk != first.pk


def test_bundle_views(client, zvh, django_capture_on_commit_callbacks):
    assert client.get("/venlo/bundel/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/venlo/bundel/", {"jaar": "2017", "s": ["zvh"]})
    assert response.status_code == 302
    status = client.get(response["Location"] + "?formaat=json").json()
    assert status["status"] == "klaar" and status["download"]
    pdf = client.get(status["download"])
    assert pdf["Content-Type"] == "application/pdf"
    assert client.post("/venlo/bundel/", {"jaar": "2017", "s": ["bestaat-niet"]}).status_code == 400
