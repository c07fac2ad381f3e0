"""Mijn gemeente: after login a clerk lands on the municipality's home with, per partnership
and year, the status, what is not filled in and what waits for adoption."""

import pytest

from django.test import Client

from collaborations.models import YearRecord
from reports.selectors.home import join_dutch
from tests.collaborations.factories import UserFactory, grant
from tests.finance.test_grid_and_split_key import page_text


def test_a_clerk_lands_on_the_home_of_the_municipality_after_login(venlo):
    grant(UserFactory(username="carla", password="een-lang-wachtwoord-9"), "invoerder", venlo)
    client = Client()
    response = client.post(
        "/inloggen/", {"username": "carla", "password": "een-lang-wachtwoord-9"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/venlo/"
    text = page_text(response)
    assert "Mijn gemeente" in text and "Samenwerkingen en hun jaren" in text


def test_a_login_without_a_municipality_lands_on_the_list(db):
    UserFactory(username="cor", password="een-lang-wachtwoord-9")
    client = Client()
    response = client.post(
        "/inloggen/", {"username": "cor", "password": "een-lang-wachtwoord-9"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"


def test_the_home_says_what_is_missing_and_what_waits(clerk_client, venlo, reopen):
    zvh = YearRecord.objects.get(participation__partnership__slug="zvh", year=2017)
    reopen(zvh)
    YearRecord.objects.filter(pk=zvh.pk).update(feitelijk_kern="", status="ter_vaststelling")
    text = page_text(clerk_client.get("/venlo/"))
    assert "Wacht op de vaststeller" in text
    assert "2017 Ter vaststelling (wacht op vaststelling) Feitelijke kern en aandeel" in text
    new = clerk_client.post("/venlo/samenwerkingen/zvh/nieuw-jaar/", {"year": "2018"})
    assert new.status_code == 302
    text = page_text(clerk_client.get("/venlo/"))
    assert "2018 Concept · niet nagekeken" in text
    assert "2 tabellen niet ingevuld" in text  # Kosten and Baten of 2018 are not there yet


def test_the_public_goes_to_the_totaaloverzicht(client, venlo):
    response = client.get("/venlo/")
    assert response.status_code == 302 and response["Location"] == "/venlo/samenwerkingen/"


def test_the_home_takes_a_fixed_number_of_queries(clerk_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        assert clerk_client.get("/venlo/").status_code == 200


@pytest.mark.parametrize(
    ("parts", "text"),
    [
        (["kern"], "Kern"),
        (["beoogde kern", "2 tabellen"], "Beoogde kern en 2 tabellen"),
        (["motieven", "aandeel", "tabel Baten"], "Motieven, aandeel en tabel Baten"),
    ],
)
def test_missing_parts_read_as_dutch(parts, text):
    assert join_dutch(parts) == text


def test_the_home_lists_the_coming_deadlines_of_the_partnerships(clerk_client):
    response = clerk_client.get("/venlo/")
    deadlines = response.context["deadlines"]
    assert deadlines, "the demo partnerships have board meetings"
    today = deadlines[0].date.__class__.today()
    assert all(item.date >= today for item in deadlines)
    assert [d.date for d in deadlines] == sorted(d.date for d in deadlines)
    text = page_text(response)
    assert "Komende termijnen" in text and "Alle termijnen als agenda (iCalendar)" in text
