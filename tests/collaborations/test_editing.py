"""Editing section C: forms, services, new year, concurrent edits."""

import re
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from collaborations import services
from collaborations.models import KERN_MAX_LENGTH, Term, Vocabulary, YearRecord
from core.locking import StaleVersionError
from tests.collaborations.factories import UserFactory, invoerder_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def zvh_2017(demo, reopen) -> YearRecord:
    """The published 2017, reopened: a working copy to edit (version 1 stays public)."""
    return reopen(
        YearRecord.objects.get(
            participation__partnership__slug="zvh",
            participation__municipality__slug="venlo",
            year=2017,
        )
    )


def edit_url(section: str, year: int = 2017) -> str:
    return reverse("collaborations:year-edit", args=["venlo", "zvh", year, section])


def test_clerk_changes_an_answer_and_sees_it_on_the_page(clerk_client, zvh_2017):
    data = {
        "version": zvh_2017.version,
        "beoogd_inhoud": zvh_2017.beoogd_inhoud,
        "beoogd_proces": "Elke cliënt binnen vier weken een plan",
        "beoogd_samenwerking": zvh_2017.beoogd_samenwerking,
        "beoogd_kern": zvh_2017.beoogd_kern,
    }
    response = clerk_client.post(edit_url("beoogde-resultaten"), data)
    assert response.status_code == 302
    page = clerk_client.get(response["Location"]).content.decode()
    assert "Elke cliënt binnen vier weken een plan" in page
    version = data["version"]
    zvh_2017.refresh_from_db()
    assert zvh_2017.version == version + 1
    assert zvh_2017.updated_by.username == "clerk"


def test_kern_of_501_characters_is_refused_and_the_rest_is_kept(clerk_client, zvh_2017):
    too_long = "k" * (KERN_MAX_LENGTH + 1)
    response = clerk_client.post(
        edit_url("beoogde-resultaten"),
        {
            "version": zvh_2017.version,
            "beoogd_inhoud": "Nieuwe inhoudstekst die bewaard moet blijven",
            "beoogd_proces": "Nieuw proces",
            "beoogd_samenwerking": "",
            "beoogd_kern": too_long,
        },
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "niet meer dan 500 tekens" in content
    assert "nu 501" in content
    assert "Nieuwe inhoudstekst die bewaard moet blijven" in content  # kept in the form
    assert 'href="#id_beoogd_kern"' in content  # error summary links to the field
    zvh_2017.refresh_from_db()
    assert zvh_2017.beoogd_proces == "Momenten dat voor cliënten vooruitgang wordt geboekt"


def test_a_stale_form_does_not_overwrite_someone_elses_save(clerk_client, clerk, zvh_2017):
    opened = zvh_2017.version  # both open the form; the other saves first
    services.update_year_record(
        user=clerk, record=zvh_2017, fields={"beoogd_proces": "Eerste"}, expected_version=opened
    )
    response = clerk_client.post(
        edit_url("beoogde-resultaten"),
        {"version": opened, "beoogd_proces": "Tweede", "beoogd_kern": "", "beoogd_inhoud": ""},
    )
    assert response.status_code == 400
    assert "Iemand anders heeft dit onderdeel opgeslagen" in response.content.decode()
    zvh_2017.refresh_from_db()
    assert zvh_2017.beoogd_proces == "Eerste"


def test_service_refuses_stale_version_and_strangers(clerk, zvh_2017):
    with pytest.raises(StaleVersionError):
        services.update_year_record(
            user=clerk, record=zvh_2017, fields={"beoogd_proces": "x"}, expected_version=7
        )
    with pytest.raises(PermissionDenied):
        services.update_year_record(
            user=UserFactory(),
            record=zvh_2017,
            fields={"beoogd_proces": "x"},
            expected_version=zvh_2017.version,
        )


def test_motives_form_saves_submotives_main_motives_and_answers(clerk_client, zvh_2017):
    form_page = clerk_client.get(edit_url("motieven")).content.decode()
    assert "Vergroten van het ambitieniveau - bundelen van krachten" in form_page
    democratie = Term.objects.get(vocabulary=Vocabulary.MOTIEF, code="democratie")
    sub = democratie.children.get(code="democratie-zicht-samenleving")
    uitbesteden = Term.objects.get(vocabulary=Vocabulary.MOTIEF, code="uitbesteden")
    response = clerk_client.post(
        edit_url("motieven"),
        {
            "version": zvh_2017.version,
            "sub_democratie": [str(sub.pk)],
            "eigen_formulering": "eigen motief",
            # a main motive without a selected sub-motive may be among the most important
            "belangrijkste_motieven": [str(uitbesteden.pk)],
            "motief_beantwoord": "Grotendeels.",
            "antwoord_uitbesteden": "deels",
            "toelichting_uitbesteden": "Nog niet alle taken",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    zvh_2017.refresh_from_db()
    assert list(zvh_2017.submotieven.all()) == [sub]
    assert list(zvh_2017.belangrijkste_motieven.all()) == [uitbesteden]
    answer = zvh_2017.motive_answers.get()
    assert (answer.motief, answer.antwoord) == (uitbesteden, "deels")
    page = clerk_client.get(reverse("reports:year", args=["venlo", "zvh", 2017])).content.decode()
    assert "Beter zicht krijgen op wat leeft in de samenleving" in page
    assert "Nog niet alle taken" in page


def test_aandeel_accepts_a_dutch_percentage(clerk_client, zvh_2017):
    response = clerk_client.post(
        edit_url("aandeel"),
        {"version": zvh_2017.version, "aandeel_percentage": "48,62%", "evenwicht_kosten": ""},
    )
    assert response.status_code == 302
    zvh_2017.refresh_from_db()
    assert zvh_2017.aandeel_percentage == Decimal("48.62")
    page = clerk_client.get(response["Location"]).content.decode()
    assert "48,62%" in page


def test_aandeel_rejects_nonsense_with_a_message_naming_the_field(clerk_client, zvh_2017):
    response = clerk_client.post(
        edit_url("aandeel"),
        {"version": zvh_2017.version, "aandeel_percentage": "12,3,4", "aandeel_toelichting": "b"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "meer dan één komma" in content
    assert "Schatting van het aandeel van de gemeente" in content
    assert re.search(r'id="id_aandeel_toelichting"[^>]*>\s*b</textarea>', content)


def test_new_year_copies_last_years_answers_as_an_unreviewed_draft(clerk_client, zvh_2017):
    response = clerk_client.post(reverse("collaborations:year-start", args=["venlo", "zvh"]))
    new = YearRecord.objects.get(participation=zvh_2017.participation, year=2018)
    assert response["Location"] == reverse("reports:year", args=["venlo", "zvh", 2018])
    assert new.status == YearRecord.Status.CONCEPT
    assert not new.nagekeken
    assert new.copied_from == zvh_2017
    assert new.beoogd_kern == zvh_2017.beoogd_kern
    assert set(new.submotieven.all()) == set(zvh_2017.submotieven.all())
    assert set(new.belangrijkste_motieven.all()) == set(zvh_2017.belangrijkste_motieven.all())
    page = clerk_client.get(response["Location"]).content.decode()
    assert "overgenomen van 2017 en nog niet nagekeken" in page
    # The clerk submits it; publishing is for the adopter, and marks it reviewed.
    status_url = reverse("reports:year-status", args=["venlo", "zvh", 2018])
    clerk_client.post(status_url, {"actie": "aanbieden", "version": new.version})
    new.refresh_from_db()
    assert new.status == YearRecord.Status.TER_VASTSTELLING
    refused = clerk_client.post(
        status_url, {"actie": "vaststellen", "version": new.version}, follow=True
    )
    assert "U mag deze stap niet zetten" in refused.content.decode()
    assert Client().get(response["Location"]).status_code == 404
    clerk_client.force_login(UserFactory(username="vaststeller", is_superuser=True))
    for action in ("vaststellen", "publiceren"):
        new.refresh_from_db()
        clerk_client.post(status_url, {"actie": action, "version": new.version})
    new.refresh_from_db()
    assert new.status == YearRecord.Status.GEPUBLICEERD and new.nagekeken
    assert new.participation.versions.get(year=2018).number == 1
    assert Client().get(response["Location"]).status_code == 200


def test_a_year_that_exists_is_not_created_again(clerk, zvh_2017):
    services.start_new_year(user=clerk, participation=zvh_2017.participation)
    with pytest.raises(ValidationError, match="Het jaar 2018 bestaat al"):
        services.create_year_record(user=clerk, participation=zvh_2017.participation, year=2018)
    assert YearRecord.objects.filter(participation=zvh_2017.participation).count() == 2


def test_load_demo_is_idempotent(demo):
    from collaborations.demo import load_demo

    before = YearRecord.objects.count(), Term.objects.count()
    load_demo()
    assert (YearRecord.objects.count(), Term.objects.count()) == before


def test_pressing_new_year_twice_gives_one_year(clerk_client, zvh_2017):
    """A double click on "Nieuw jaar starten: 2018" opens 2018 the second time; no 2019."""
    url = reverse("collaborations:year-start", args=["venlo", "zvh"])
    first = clerk_client.post(url, {"year": "2018"})
    second = clerk_client.post(url, {"year": "2018"}, follow=True)
    years = sorted(zvh_2017.participation.years.values_list("year", flat=True))
    assert years[-2:] == [2017, 2018]
    assert first["Location"] == reverse("reports:year", args=["venlo", "zvh", 2018])
    assert "Jaar 2018 bestond al" in second.content.decode()


def test_a_year_that_is_no_number_gets_a_dutch_message(clerk_client, zvh_2017):
    url = reverse("collaborations:year-start", args=["venlo", "zvh"])
    response = clerk_client.post(url, {"year": "twintig"}, follow=True)
    assert "“twintig” is geen jaartal" in response.content.decode()
    assert not zvh_2017.participation.years.filter(year__gt=2017).exists()


def test_two_sections_of_one_year_do_not_conflict(clerk_client, zvh_2017):
    """One clerk edits the motives while another saves the intended results: both stay."""
    opened = clerk_client.get(edit_url("beoogde-resultaten")).context["form"].initial
    other = Client()
    other.force_login(invoerder_of(zvh_2017.participation.municipality))
    feitelijk = other.get(edit_url("feitelijke-resultaten")).context["form"].initial
    saved = other.post(
        edit_url("feitelijke-resultaten"),
        {**{k: v or "" for k, v in feitelijk.items()}, "feitelijk_kern": "Van de collega."},
    )
    assert saved.status_code == 302
    mine = clerk_client.post(
        edit_url("beoogde-resultaten"),
        {**{k: v or "" for k, v in opened.items()}, "beoogd_kern": "Van mij."},
    )
    assert mine.status_code == 302
    zvh_2017.refresh_from_db()
    assert (zvh_2017.beoogd_kern, zvh_2017.feitelijk_kern) == ("Van mij.", "Van de collega.")


def test_the_same_field_changed_by_someone_else_shows_both_values(clerk_client, zvh_2017):
    opened = clerk_client.get(edit_url("beoogde-resultaten")).context["form"].initial
    record = YearRecord.objects.get(pk=zvh_2017.pk)
    services.update_year_record(
        user=invoerder_of(zvh_2017.participation.municipality),
        record=record,
        fields={"beoogd_kern": "De tekst van de collega."},
        expected_version=record.version,
    )
    response = clerk_client.post(
        edit_url("beoogde-resultaten"),
        {**{k: v or "" for k, v in opened.items()}, "beoogd_kern": "Mijn eigen tekst."},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Intussen opgeslagen door een ander: “De tekst van de collega.”" in page
    assert "Mijn eigen tekst." in page  # the user's input is kept
    zvh_2017.refresh_from_db()
    assert zvh_2017.beoogd_kern == "De tekst van de collega."
    # Saving again is a deliberate choice, and now goes through.
    form = response.context["form"]
    again = clerk_client.post(
        edit_url("beoogde-resultaten"),
        {
            **{k: v or "" for k, v in opened.items()},
            "beoogd_kern": "Mijn eigen tekst.",
            "version": form.data["version"],
            "original": form.data["original"],
        },
    )
    assert again.status_code == 302
