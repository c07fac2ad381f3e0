"""The year PDF reads as a document: a table's TOTAAL stands on the page of its last rows, no page
ends with a table's header row, a caption or a heading with nothing of its own below it.

The PDF's lines are read with pdfplumber, with their font: a heading (h2–h4) is bold type of
9,5 pt or more; the table cells are 7,5 pt."""

import io

import pdfplumber
import pytest

from django.contrib.auth.models import AnonymousUser

from collaborations.models import Participation
from reports.selectors.year import year_context

pytestmark = pytest.mark.django_db

HEADER_MARK = "Verschil realisatie"  # in the header row of every money table, only there


def is_heading(line) -> bool:
    char = line["chars"][0]
    return "Bold" in char["fontname"] and char["size"] >= 9.4


def body_lines(pdf: bytes) -> list[list[dict]]:
    """Per page its lines, without the running header and footer (8 pt, in the margins)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            lines = [
                line
                for line in page.extract_text_lines()
                if 22 * 72 / 25.4 - 10 < line["top"] < page.height - 20 * 72 / 25.4
            ]
            for line in lines:
                line["text"] = line["text"].replace("\xa0", " ")
            pages.append(lines)
    return pages


def render_zvh(client):
    zvh = Participation.objects.get(partnership__slug="zvh", municipality__slug="venlo")
    response = client.get("/venlo/samenwerkingen/zvh/2017/pdf/")
    assert response.status_code == 200
    context = year_context(zvh, 2017, AnonymousUser())
    tables = [
        (f"{table.title}, {block.heading.lower()}", block.rows)
        for table in context["finance"].tables
        for block in table.blocks
        if block.state == "ingevuld"
    ]
    return body_lines(response.content), tables


def no_page_ends_with_a_heading_a_caption_or_a_table_header(pages, tables):
    captions = {caption for caption, _ in tables}
    for number, lines in enumerate(pages[:-1], start=1):
        last = lines[-1]
        assert not is_heading(last), f"page {number} ends with the heading “{last['text']}”"
        assert last["text"] not in captions, f"page {number} ends with a caption: {last['text']}"
        tail = " ".join(line["text"] for line in lines[-3:])
        header_at = tail.rfind(HEADER_MARK)
        assert header_at == -1 or "€" in tail[header_at:] or "…" in tail[header_at:], (
            f"page {number} ends with a table's header row: {tail}"
        )


def totaal_follows_the_last_row_of_its_table_on_the_same_page(pages, tables):
    assert len(tables) >= 6  # the seed's money tables of ZVH 2017 and 2016
    styled = [(number, line) for number, page in enumerate(pages, 1) for line in page]
    lines = [(number, line["text"]) for number, line in styled]
    headings = [i for i, (_, line) in enumerate(styled) if is_heading(line)] + [len(lines)]
    start = 0
    for caption, rows in tables:
        start = next(i for i in range(start, len(lines)) if lines[i][1] == caption)
        end = next(i for i in headings if i > start)  # the table ends before the next heading
        totaal = [i for i in range(start, end) if lines[i][1].startswith("TOTAAL")]
        assert totaal, caption
        # TOTAAL once: not repeated at the foot of a page above rows that follow on the next …
        assert len(totaal) == 1, f"{caption}: TOTAAL on pages {[lines[i][0] for i in totaal]}"
        at = totaal[0]
        # … every row of the table stands before it …
        found = start
        for row in rows:
            label = row.label.split()[0]
            found = next((i for i in range(found + 1, at) if lines[i][1].startswith(label)), None)
            assert found is not None, f"{caption}: the row “{row.label}” is not above TOTAAL"
        # … and the last of them on the page of TOTAAL.
        assert lines[found][0] == lines[at][0], (
            f"{caption}: TOTAAL on page {lines[at][0]}, its last row on page {lines[found][0]}"
        )


def a_heading_stays_with_the_sub_heading_just_below_it(pages):
    """*Financiële resultaten* and its note “Gegevens van de samenwerking als geheel” stand on
    the page of its first year (*Lopend jaar (2017)*), not alone at the foot of the one before."""
    lines = [(number, line) for number, page in enumerate(pages, 1) for line in page]
    for at, (number, line) in enumerate(lines):
        if not is_heading(line):
            continue
        size = line["chars"][0]["size"]
        for below_number, below in lines[at + 1 : at + 4]:
            if is_heading(below):
                if below["chars"][0]["size"] < size:
                    assert below_number == number, (
                        f"“{line['text']}” on page {number}, “{below['text']}” on {below_number}"
                    )
                break


def test_the_zvh_pdf_keeps_totaal_with_its_rows_and_headings_with_their_text(client, demo):
    """The issue's case: *Financiële resultaten 2017* had TOTAAL on page 2 after two of its four
    rows (the rest on page 3), and page 1 ended with a heading and a caption."""
    pages, tables = render_zvh(client)
    no_page_ends_with_a_heading_a_caption_or_a_table_header(pages, tables)
    totaal_follows_the_last_row_of_its_table_on_the_same_page(pages, tables)
    a_heading_stays_with_the_sub_heading_just_below_it(pages)
