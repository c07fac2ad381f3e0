"""The page Rollen in a real browser: accessible, and a beheerder grants and withdraws a role
with the keyboard-usable form, a confirmation and an undo."""

import pytest
from playwright.sync_api import expect

from collaborations.models import Role
from tests.collaborations.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_beheerder_grants_and_withdraws_a_role(
    page, live_server, demo, login, assert_accessible
):
    UserFactory(username="bea", is_staff=True, is_superuser=True, password="beheer-wachtwoord-1")
    member = UserFactory(username="roos", first_name="Roos", last_name="Raadslid")
    login(page, "bea", "beheer-wachtwoord-1")
    page.get_by_role("link", name="Rollen").click()
    expect(page.get_by_role("heading", name="Rollen", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Gebruiker (verplicht)").select_option(label="roos")
    page.get_by_label("Rol (verplicht)").select_option(label="raadslid")
    page.get_by_label("Gemeente (voor invoerder, vaststeller, raadslid)").select_option(
        label="Venlo"
    )
    page.get_by_role("button", name="Rol toekennen").click()
    expect(page.get_by_text("roos is nu raadslid van Venlo.")).to_be_visible()
    assert Role.objects.filter(user=member, kind="raadslid").exists()

    page.get_by_role("link", name="raadslid van Venlo voor roos").click()
    expect(page.get_by_role("heading", name="Rol intrekken")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Rol intrekken").click()
    expect(page.get_by_text("roos is geen raadslid van Venlo meer.")).to_be_visible()
    assert not Role.objects.filter(user=member).exists()

    page.get_by_role("button", name="Ongedaan maken: rol opnieuw toekennen").click()
    expect(page.get_by_text("roos is nu raadslid van Venlo.")).to_be_visible()
    assert Role.objects.filter(user=member, kind="raadslid").exists()

    page.get_by_role("link", name="Nieuwe login aanmaken").click()
    assert_accessible(page)
