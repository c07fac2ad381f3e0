"""Error pages are Dutch and in the site's shell (not Django's bare English ones)."""

import pytest

from django.test import Client


@pytest.mark.django_db
def test_not_found_is_a_dutch_page_with_the_reason(client):
    response = client.get("/bestaat-niet/samenwerkingen/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Deze pagina bestaat niet" in page
    assert "Deze gemeente bestaat niet." in page  # the view's own reason
    assert 'lang="nl"' in page and "Naar de startpagina" in page


@pytest.mark.django_db
def test_forbidden_is_a_dutch_page(demo):
    from tests.collaborations.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(username="buitenstaander"))
    response = client.get("/venlo/samenwerkingen/zvh/2017/bewerken/motieven/")
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


def test_server_error_is_a_dutch_page():
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Er ging iets mis aan onze kant" in page and "niet verloren" in page


@pytest.mark.django_db
def test_an_unknown_address_shows_no_technical_words(client):
    page = client.get("/a/b/c/d/e/f/").content.decode()
    assert "Deze pagina bestaat niet" in page and "Resolver404" not in page
