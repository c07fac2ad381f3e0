"""In a real browser: the Venlo clerk edits Venlo's perspective on the ZVH (belangrijkheid,
bestuur, proces with rows added in the page), the ZVH coördinator edits the shared record; both
show in the history. Axe on every page; the error summary takes the focus; leaving a changed
form asks first."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ZVH = "/venlo/samenwerkingen/zvh"


def test_the_clerk_edits_the_perspective_and_the_coordinator_the_shared_record(
    page, live_server, demo, login, assert_accessible
):
    from collaborations.models import ProcessEntry

    # start the Proces block empty (the demo has steps): the page's first row is then Stap 1
    ProcessEntry.objects.filter(
        participation__municipality__slug="venlo", participation__partnership__slug="zvh"
    ).delete()
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}{ZVH}/")
    page.get_by_role("link", name="Bewerk belangrijkheid").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Belangrijkheid en basisgegevens bewerken"
    )
    assert_accessible(page)
    page.get_by_label("Samenwerking biedt grote kansen.").check()
    page.get_by_label("College: bestuurlijk belangrijk").check()
    page.get_by_role("group", name="(1) De gemeente heeft bestuurlijk belang.").get_by_label(
        "Ja"
    ).check()
    page.get_by_label("Accounthouders").fill("Ingrid Invoerder")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Belangrijkheid en basisgegevens opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Samenwerking biedt grote kansen.")).to_be_visible()

    # Proces: the empty row, then one more added in the page; a wrong year first.
    page.get_by_role("link", name="Bewerk proces").click()
    assert_accessible(page)
    page.get_by_label("Stap 1, Wie").select_option("raad")
    page.get_by_label("Stap 1, Jaar").fill("26")
    page.get_by_label("Stap 1, Kwartaal").select_option("2")
    page.get_by_label("Stap 1, Wat").fill("Zienswijze op de ontwerpbegroting 2027")
    page.get_by_role("button", name="Stap toevoegen").click()
    expect(page.get_by_label("Stap 2, Wie")).to_be_focused()
    page.get_by_label("Stap 2, Wie").select_option("college")
    page.get_by_label("Stap 2, Jaar").fill("2027")
    page.get_by_label("Stap 2, Wat").fill("Kaderbrief 2028 bespreken")
    page.get_by_role("button", name="Opslaan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Stap 1, Jaar: Vul een jaartal in vanaf 1990.")
    expect(summary).to_be_focused()  # the summary is read first
    expect(page.get_by_label("Stap 2, Wat")).to_have_value("Kaderbrief 2028 bespreken")
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Stap 1, Jaar")).to_be_focused()
    page.get_by_label("Stap 1, Jaar").fill("2026")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Proces opgeslagen.")).to_be_visible()
    expect(
        page.get_by_text("tweede kwartaal 2026: Zienswijze op de ontwerpbegroting 2027")
    ).to_be_visible()
    expect(page.get_by_text("2027: Kaderbrief 2028 bespreken")).to_be_visible()

    # Bestuur en toezicht: one board with its votes.
    page.get_by_role("link", name="Bewerk bestuur en toezicht").click()
    assert_accessible(page)
    page.get_by_label("Bestuursorgaan 1, Orgaan").fill("Algemeen bestuur")
    page.get_by_label("Bestuursorgaan 1, Vertegenwoordiging").fill("Burgemeester")
    page.get_by_label("Bestuursorgaan 1, Aantal stemmen voor de gemeente").fill("9")
    page.get_by_label("Bestuursorgaan 1, Totaal aantal stemmen").fill("8")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Bestuursorgaan 1, Aantal stemmen voor de gemeente: Meer stemmen (9) dan het totaal"
    )
    page.get_by_label("Bestuursorgaan 1, Aantal stemmen voor de gemeente").fill("1")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Bestuur en toezicht opgeslagen.")).to_be_visible()
    expect(page.get_by_role("cell", name="Burgemeester")).to_be_visible()

    # The coördinator of the ZVH: the shared record.
    page.context.clear_cookies()
    login(page, "coordinator-zvh", "demo-zvh")
    page.goto(f"{live_server.url}{ZVH}/bewerken/samenwerking/")
    assert_accessible(page)
    page.get_by_label("Bezoekadres").fill("Hogeweg 1, 5911 EA Venlo")
    page.get_by_label("Website").fill("https://www.zvhlimburgnoord.nl")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Gedeelde gegevens opgeslagen.")).to_be_visible()
    expect(page.get_by_text("Hogeweg 1, 5911 EA Venlo")).to_be_visible()

    # Both in the history of the ZVH, per field before and after.
    page.goto(f"{live_server.url}{ZVH}/geschiedenis/")
    assert_accessible(page)
    page.context.clear_cookies()
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}{ZVH}/geschiedenis/")
    for text in (
        "Belangrijkheid bewerkt",
        "Proces bewerkt",
        "Bestuur en toezicht bewerkt",
        "Gedeelde gegevens bewerkt",
        "Hogeweg 1, 5911 EA Venlo",
        "Kaderbrief 2028 bespreken",
    ):
        expect(page.get_by_text(text).first).to_be_visible()
    expect(page.get_by_text("door Cor Coördinator").first).to_be_visible()
    expect(page.get_by_text("door Ingrid Invoerder").first).to_be_visible()


def test_leaving_a_changed_form_asks_first(page, live_server, demo, login):
    login(page, "invoerder-venlo", "demo-venlo")
    page.goto(f"{live_server.url}{ZVH}/bewerken/belang/")
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.get_by_role("link", name="Annuleren").click()  # nothing changed: no question
    page.wait_for_url(f"**{ZVH}/#kernbeeld")
    assert dialogs == []
    page.goto(f"{live_server.url}{ZVH}/bewerken/belang/")
    page.get_by_label("Raadsprogramma").fill("Programma 2")
    page.get_by_role("link", name="Annuleren").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/bewerken/belang/")
    page.get_by_role("button", name="Opslaan").click()  # saving never asks
    expect(page.get_by_text("Belangrijkheid en basisgegevens opgeslagen.")).to_be_visible()
    assert dialogs == ["beforeunload"]
