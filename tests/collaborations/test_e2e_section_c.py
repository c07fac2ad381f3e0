"""In a real browser (headless Chromium): accessibility, the clerk's edit flow, keyboard use."""

import pytest
from playwright.sync_api import expect

from collaborations.models import KERN_MAX_LENGTH
from tests.collaborations.factories import UserFactory, grant

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/venlo/samenwerkingen/",
    "/venlo/samenwerkingen/zvh/",
    "/venlo/samenwerkingen/vrln/",
    "/venlo/samenwerkingen/zvh/2017/",
    "/venlo/samenwerkingen/msn/2018/",
    "/venlo/samenwerkingen/bsgw/2024/",
    "/inloggen/",
    "/toegankelijkheid/",
]
EDIT_SECTIONS = [
    "motieven",
    "beoogde-resultaten",
    "kosten-en-baten",
    "feitelijke-resultaten",
    "aandeel",
]


@pytest.fixture
def venlo_clerk(venlo, reopen):
    """A clerk of Venlo, with the published ZVH 2017 reopened for corrections."""
    user = UserFactory(
        username="carla", first_name="Carla", last_name="Klerk", password="klerk-wachtwoord-1"
    )
    grant(user, "invoerder", venlo)
    from collaborations.models import YearRecord

    reopen(YearRecord.objects.get(participation__partnership__slug="zvh", year=2017))
    return user


def test_public_pages_have_no_axe_violations(page, live_server, demo, assert_accessible):
    for path in PUBLIC_PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)


def test_public_pages_reflow_at_320_px(page, live_server, demo):
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/venlo/samenwerkingen/zvh/2017/", "/venlo/samenwerkingen/vrln/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls horizontally at 320 px ({overflow} px)"


def test_edit_forms_have_no_axe_violations(
    page, live_server, venlo_clerk, login, assert_accessible
):
    login(page, "carla", "klerk-wachtwoord-1")
    for section in EDIT_SECTIONS:
        page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/bewerken/{section}/")
        assert_accessible(page)
    # The year page as a clerk sees it, with edit links and the publish button.
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/")
    assert_accessible(page)


def test_clerk_changes_an_answer_and_sees_it_on_the_page(page, live_server, venlo_clerk, login):
    login(page, "carla", "klerk-wachtwoord-1")
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/")
    page.get_by_role("link", name="Bewerk Feitelijke resultaten").click()
    page.get_by_label("Inhoud").fill("Alle 412 casussen binnen zes weken opgepakt")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Feitelijke resultaten van de samenwerking opgeslagen.")
    ).to_be_visible()
    expect(page.get_by_text("Alle 412 casussen binnen zes weken opgepakt")).to_be_visible()
    assert page.url.endswith("/venlo/samenwerkingen/zvh/2017/#feitelijke-resultaten")


def test_kern_of_501_characters_is_refused_and_other_fields_keep_their_text(
    page, live_server, venlo_clerk, login, assert_accessible
):
    login(page, "carla", "klerk-wachtwoord-1")
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/bewerken/beoogde-resultaten/")
    page.get_by_label("Proces").fill("Elke cliënt binnen vier weken een plan")
    kern = page.get_by_label("Kern (maximaal 500 tekens)")
    kern.fill("a" * (KERN_MAX_LENGTH + 1))
    expect(page.get_by_text("501 van 500 tekens: 1 te veel")).to_be_visible()  # live counter
    page.get_by_role("button", name="Opslaan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Er is 1 fout gevonden")
    expect(summary).to_contain_text("niet meer dan 500 tekens")
    expect(page.get_by_label("Proces")).to_have_value("Elke cliënt binnen vier weken een plan")
    expect(kern).to_have_value("a" * (KERN_MAX_LENGTH + 1))
    # The summary links to the field, and the field points to its error.
    summary.get_by_role("link").click()
    expect(kern).to_be_focused()
    assert "id_beoogd_kern_error" in kern.get_attribute("aria-describedby")
    assert kern.get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/")
    expect(page.get_by_text("Elke cliënt binnen vier weken een plan")).to_have_count(0)


def test_keyboard_only_run_through_the_motives_form(page, live_server, venlo_clerk, login):
    login(page, "carla", "klerk-wachtwoord-1")
    page.goto(f"{live_server.url}/venlo/samenwerkingen/zvh/2017/bewerken/motieven/")
    # The skip link is the first stop and jumps to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Enter")
    target = page.get_by_label("Zicht krijgen op kansen")
    for _ in range(60):  # Tab until the check box, as a keyboard user would
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            break
    expect(target).to_be_focused()
    page.keyboard.press("Space")
    expect(target).to_be_checked()
    answer = page.get_by_label("Aan motief beantwoord: Verruimen van de horizon", exact=True)
    for _ in range(80):
        page.keyboard.press("Tab")
        if answer.evaluate("el => el === document.activeElement"):
            break
    expect(answer).to_be_focused()
    answer.select_option("ja")  # a select is operated with arrow keys; set the value the same way
    page.keyboard.press("Tab")
    page.keyboard.type("Nieuwe contacten over de grens")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Opslaan":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/venlo/samenwerkingen/zvh/2017/#motieven")
    expect(page.get_by_text("Zicht krijgen op kansen")).to_be_visible()
    expect(page.get_by_text("Nieuwe contacten over de grens")).to_be_visible()


def test_two_clerks_on_one_section_see_the_conflict_with_both_texts(
    page, live_server, venlo_clerk, login, assert_accessible
):
    """Two browser pages on the same section: the second save shows the first one's text
    beside its own input, instead of silently overwriting it."""
    url = f"{live_server.url}/venlo/samenwerkingen/zvh/2017/bewerken/beoogde-resultaten/"
    login(page, "carla", "klerk-wachtwoord-1")
    other = page.context.browser.new_page()
    login(other, "invoerder-venlo", "demo-venlo")
    page.goto(url)
    other.goto(url)
    other.get_by_label("Kern").fill("Tekst van de collega.")
    other.get_by_role("button", name="Opslaan").click()
    expect(other.get_by_text("opgeslagen")).to_be_visible()
    page.get_by_label("Kern").fill("Mijn tekst.")
    page.get_by_role("button", name="Opslaan").click()
    expect(
        page.get_by_text("Intussen opgeslagen door een ander: “Tekst van de collega.”").first
    ).to_be_visible()
    expect(page.get_by_label("Kern")).to_have_value("Mijn tekst.")
    assert_accessible(page)
    page.get_by_role("button", name="Opslaan").click()  # a deliberate second save
    expect(page.get_by_text("Beoogde resultaten opgeslagen.")).to_be_visible()
    other.context.close()  # no requests may be left when the server stops
