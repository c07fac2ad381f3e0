"""Done-when of the wizard, in a real browser and without the admin: the Venlo clerk creates a
partnership with two participating municipalities, its perspective and its first year; a clerk
of another municipality finds it and joins it (no second copy); its coördinator edits the shared
record; the history has it all. axe on every page."""

import pytest
from playwright.sync_api import expect

from collaborations.models import Participation, Partnership
from tests.collaborations.factories import UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "Regionale Afvalsamenwerking Noord-Limburg"


def test_create_join_and_coordinate_a_new_partnership(
    page, live_server, demo, login, assert_accessible
):
    from collaborations.models import Municipality

    beesel = Municipality.objects.get(slug="beesel")
    grant(UserFactory(username="bert", password="beesel-wachtwoord-1"), "invoerder", beesel)

    login(page, "invoerder-venlo", "demo-venlo")
    page.get_by_role("link", name="Nieuwe samenwerking of deelnemen").click()
    assert_accessible(page)
    page.get_by_label("Naam van de samenwerking").first.fill("Afvalsamenwerking")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_text("Niets gevonden")).to_be_visible()
    form = page.locator("form[data-warn-unsaved]")
    form.get_by_label("Naam van de samenwerking").fill(NAME)
    form.get_by_label("Afkorting", exact=False).first.fill("RAN")
    form.get_by_label("Venray").check()
    form.get_by_label("Eerste jaar om in te vullen").fill("2026")
    form.get_by_role("button", name="Samenwerking aanmaken").click()
    expect(page.get_by_text("is aangemaakt; u bent de coördinator")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Accounthouders").fill("Ingrid Invoerder")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Ingrid Invoerder", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="2026")).to_be_visible()  # the first year

    page.get_by_role("link", name="Bewerk gedeelde gegevens").first.click()
    page.get_by_label("Beschrijving").fill("Inzameling en verwerking van huishoudelijk afval.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Inzameling en verwerking van huishoudelijk afval.")).to_be_visible()

    other = page.context.browser.new_page()
    login(other, "bert", "beesel-wachtwoord-1")
    other.goto(f"{live_server.url}/beesel/samenwerkingen/nieuw/?naam=afvalsamenwerking")
    other.get_by_role("button", name="Deelnemen aan RAN").click()
    expect(other.get_by_text("Beesel neemt nu deel aan")).to_be_visible()
    assert_accessible(other)
    assert Partnership.objects.filter(name=NAME).count() == 1
    assert set(
        Participation.objects.filter(partnership__name=NAME).values_list(
            "municipality__slug", flat=True
        )
    ) == {"venlo", "venray", "beesel"}

    page.goto(f"{live_server.url}/venlo/samenwerkingen/ran/geschiedenis/")
    expect(page.get_by_text("Inzameling en verwerking van huishoudelijk afval.")).to_be_visible()
    expect(page.get_by_text("Ingrid Invoerder").first).to_be_visible()
    assert_accessible(page)
    # ending Beesel's participation: a confirmation page with a date and a reason
    other.goto(f"{live_server.url}/beesel/samenwerkingen/ran/")
    other.get_by_role("link", name="Deelname beëindigen").click()
    assert_accessible(other)
    other.get_by_role("button", name="Deelname beëindigen").click()
    expect(other.get_by_role("alert")).to_contain_text("Reden")
    other.get_by_label("Deelname beëindigd per").fill("2026-12-31")
    other.get_by_label("Reden").fill("Eigen inzameling vanaf 2027")
    other.get_by_role("button", name="Deelname beëindigen").click()
    expect(other.get_by_text("neemt sinds 31 december 2026 niet meer deel")).to_be_visible()
    assert_accessible(other)
    other.context.close()
