"""The accessibility statement follows the model statement of digitoegankelijk.nl."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(client) -> str:
    response = client.get("/toegankelijkheid/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_has_the_sections_of_the_model_statement(statement):
    headings = re.findall(r'<h2 class="utrecht-heading-2" id="([a-z]+)">', statement)
    assert headings == ["verklaring", "status", "controles", "beperkingen", "contact", "handhaving"]
    assert len(re.findall(r"<h1\b", statement)) == 1


def test_the_statement_says_its_status_and_what_was_checked(statement):
    assert "Nalevingsstatus: C — eerste maatregelen genomen" in statement
    assert "WCAG 2.1 niveau A en AA" in statement and "WCAG-EM" in statement
    for checked in ["axe-core", "toetsenbord", "320 pixels", "PDF/UA-1"]:
        assert checked in statement, checked


def test_every_known_limitation_has_a_measure_and_the_dates_are_given(statement):
    limitations = statement.split('id="beperkingen"')[1].split('id="contact"')[0]
    assert limitations.count("<h3") == 6
    assert limitations.count("Maatregel:") == 5  # the spreadsheets have the page as alternative
    assert "Datum van de verklaring" in statement and "Laatst herzien" in statement
    assert "29 november 2026" in statement


def test_the_statement_gives_contact_and_the_escalation_route(statement):
    assert 'href="mailto:toegankelijkheid@gemeente.example"' in statement
    assert "ontvangstbevestiging" in statement
    assert "Nationale ombudsman" in statement and "gemeentelijke ombudsman" in statement


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_statement_is_accessible_and_reflows_at_320_px(page, live_server, assert_accessible):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{live_server.url}/toegankelijkheid/")
    assert_accessible(page)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the statement scrolls horizontally at 320 px ({overflow} px)"
